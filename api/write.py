"""Assignment lines pushed by integration systems: validated like an Excel import, upserted.

One request is accepted whole or rejected whole. The steps:

1. **Shape** — checked before this module by the request serializers
   (:mod:`api.serializers.integration`, which also produce the OpenAPI schema): every item is
   an object with the known keys only, the required ones, scalar values, an ``external_id``
   (≤ 80 characters, unique in the request), dates as text. :func:`save_lines` receives their
   clean records.
2. **Agency and period** — codes must exist; the system must be granted the agency (or part of
   it); a closed or locked period refuses the whole request (HTTP 409).
3. **Excel rules** — the items of each (agency, period) go through
   :func:`importers.lines.records.check_records`: the Excel importer's own column parsers and
   results rules — the same code, in the same order, with the same Vietnamese messages as an
   uploaded file. An issue on record *i*, column *c* becomes the field error
   ``items[i].<field>``.
4. **Upsert** — :func:`importers.lines.records.upsert_lines` through the lines' write service
   (``scoring.services.lines.write_many``, the one place deciding line writes): who may — the
   unit carrying the line out in the system's granted subtrees and the person posted there
   during the line's period, for each line sent and each stored line it changes (HTTP 403
   otherwise) — the lock order, closed periods (409), the versions seen (412/428); lines
   are keyed on ``(source "api", "api:<system id>:<external_id>")``, so an ``external_id`` is
   unique per system and re-sending it updates the same line, never duplicates it; unchanged
   lines are not touched (why not ``bulk_create(update_conflicts=True)``: that module's
   docstring).

Scores are not recomputed here: the scoring process picks the new inputs up (as after an Excel
import).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from rest_framework import exceptions

from django.utils.translation import gettext as _

from importers.lines import records
from org.models import Agency
from scoring.models import AssignmentLine, LineSource, Period, parse_period_code
from scoring.models.guards import closed_period_error

from .errors import NON_FIELD_KEY

MAX_EXTERNAL_ID = 80
#: Excel template column → API field (the others have the same name).
COLUMN_TO_FIELD = {"line_code": "external_id"}
#: The bounds of the stored columns, from the Excel importer's sheet (the same checks apply).
MAX_QUANTITY = Decimal(str(records.MAX_QUANTITY))
MAX_COUNT = records.MAX_COUNT


def external_prefix(system) -> str:
    """Stored ``external_id`` prefix of a system's lines: ``api:<system id>:``."""
    return f"api:{system.pk}:"


class PeriodClosed(exceptions.APIException):
    """HTTP 409: a closed or locked period refuses every change to its inputs."""

    status_code = 409
    default_code = "period_closed"
    default_detail = "Period closed."

    def __init__(self, message: str, fields: dict[str, list[str]]):
        super().__init__(message, code=self.default_code)
        self.fields = fields


class OutOfScope(exceptions.PermissionDenied):
    """HTTP 403 naming the items the system may not write."""

    def __init__(self, message: str, fields: dict[str, list[str]]):
        super().__init__(message)
        self.fields = fields


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    items: list[dict] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)


class StaleWrite(exceptions.APIException):
    """HTTP 412: a line changed since the system read it; nothing was written."""

    status_code = 412
    default_code = "stale"
    default_detail = "Precondition failed."

    def __init__(self, message: str, fields: dict[str, list[str]], current: dict):
        super().__init__(message, code=self.default_code)
        self.fields = fields
        self.current = current


class VersionRequired(StaleWrite):
    """HTTP 428: a change to an existing line sent without the version the system saw."""

    status_code = 428
    default_code = "version_required"
    default_detail = "Precondition required."


class _Errors(dict):
    def add(self, path: str, message: str) -> None:
        self.setdefault(path, [])
        if message not in self[path]:
            self[path].append(str(message))


# --------------------------------------------------------------------------- 2. agency, period


def _agencies(items, indices, errors: _Errors) -> dict[int, Agency]:
    """``{item index: owning agency}`` for the items whose agency code exists."""
    codes = {items[i]["agency"].strip() for i in indices}
    found = {a.code: a for a in Agency.objects.filter(code__in=codes | {c.upper() for c in codes})}
    owners: dict[int, Agency] = {}
    owner_cache: dict[int, Agency | None] = {}
    result = {}
    for i in indices:
        code = items[i]["agency"].strip()
        agency = found.get(code) or found.get(code.upper())
        if agency is None:
            errors.add(
                f"items[{i}].agency",
                _("Không tìm thấy cơ quan, đơn vị có mã %(code)s.") % {"code": code},
            )
            continue
        if agency.pk not in owner_cache:
            owner_cache[agency.pk] = agency.owning_agency
        owner = owner_cache[agency.pk]
        if owner is None:
            errors.add(
                f"items[{i}].agency",
                _("Không xác định được cơ quan có danh mục của %(name)s.") % {"name": agency.name},
            )
            continue
        owners[owner.pk] = owner
        result[i] = owners[owner.pk]
    return result


def _periods(items, indices, errors: _Errors) -> dict[int, Period]:
    """``{item index: Period}`` for the items whose period code is valid and exists."""
    keys: dict[str, tuple | str] = {}  # code → (kind, year, number), or the error message
    for i in indices:
        code = items[i]["period"].strip()
        if code not in keys:
            try:
                keys[code] = parse_period_code(code)
            except ValueError as exc:
                keys[code] = str(exc)
    found: dict[tuple, Period | None] = {}
    for parts in {k for k in keys.values() if isinstance(k, tuple)}:
        kind, year, number = parts
        found[parts] = Period.objects.filter(kind=kind, year=year, number=number).first()
    result = {}
    for i in indices:
        code = items[i]["period"].strip()
        key = keys[code]
        if isinstance(key, str):
            errors.add(f"items[{i}].period", key)
            continue
        period = found[key]
        if period is None:
            errors.add(
                f"items[{i}].period",
                _("Kỳ đánh giá %(code)s chưa được tạo trong hệ thống.") % {"code": code},
            )
        else:
            result[i] = period
    return result


def _check_agency_scope(principal, items, owners: dict[int, Agency]) -> None:
    """403 when an item names an agency no part of which the system was granted."""
    roots = principal.scope_paths if principal.system.can_write else []
    refused = _Errors()
    for i, owner in owners.items():
        if not any(owner.path.startswith(r) or r.startswith(owner.path) for r in roots):
            refused.add(
                f"items[{i}].agency",
                _("Hệ thống không được phép ghi dữ liệu của %(agency)s.") % {"agency": owner.name},
            )
    if refused:
        raise OutOfScope(
            _(
                "Hệ thống tích hợp “%(system)s” không được phép ghi dữ liệu của cơ quan, đơn "
                "vị này. Không dòng nào được ghi."
            )
            % {"system": principal.system.name},
            dict(refused),
        )


def _check_open(items, periods: dict[int, Period], owners: dict[int, Agency]) -> None:
    closed = _Errors()
    message = None
    for i, period in periods.items():
        if not period.accepts_inputs_for(owners.get(i)):
            text = closed_period_error(period).messages[0]
            message = message or text
            closed.add(f"items[{i}].period", text)
    if closed:
        raise PeriodClosed(
            _("%(reason)s Không dòng nào được ghi.") % {"reason": message}, dict(closed)
        )


# --------------------------------------------------------------------------- 3. Excel rules


def _field_of(key: str) -> str:
    return COLUMN_TO_FIELD.get(key, key)


def _analyse_group(owner, period, items, indices, errors: _Errors, warnings: _Errors):
    """Run the Excel results rules on one (agency, period) group; returns the valid lines."""
    check = records.check_records(owner, period, {i: items[i] for i in indices})
    for issue in check.issues:
        path = NON_FIELD_KEY
        if issue.index is not None:
            name = _field_of(issue.key) if issue.key else ""
            path = f"items[{issue.index}]" + (f".{name}" if name else "")
        (errors if issue.is_error else warnings).add(path, issue.message)
    return check.lines


# --------------------------------------------------------------------------- 4, 5. write


def _refused(principal, refused: records.LinesRefused) -> OutOfScope:
    """The lines' write service refused lines (who may: the person posted, during the line's
    period, in a unit of the system's subtrees): 403 naming each item."""
    fields = _Errors()
    for key, message in refused.problems:
        index = key[1] if isinstance(key, tuple) else key
        fields.add(f"items[{index}].official_id", message)
    return OutOfScope(
        _(
            "Có dòng thuộc đơn vị mà hệ thống tích hợp “%(system)s” không được phép ghi dữ "
            "liệu. Không dòng nào được ghi."
        )
        % {"system": principal.system.name},
        dict(sorted(fields.items(), key=_path_order)),
    )


# --------------------------------------------------------------------------- entry point


def save_lines(principal, clean: list[dict]) -> Outcome:
    """Check the well-shaped records ``clean`` (the request serializer's clean data) like an Excel
    import and upsert them all, or raise and write nothing.

    Raises ``ValidationError`` (400, ``items[i].field`` errors), ``OutOfScope`` (403),
    ``PeriodClosed`` (409), ``StaleWrite`` (412) or ``VersionRequired`` (428).
    """
    errors, warnings = _Errors(), _Errors()
    items = [dict(record) for record in clean]
    versions = {i: (item.pop("version", None) or None) for i, item in enumerate(items)}
    indices = list(range(len(items)))
    owners = _agencies(items, indices, errors)
    periods = _periods(items, indices, errors)
    _check_agency_scope(principal, items, owners)
    _check_open(items, periods, owners)

    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in indices:
        if i in owners and i in periods:
            groups[(owners[i].pk, periods[i].pk)].append(i)
    checked = []
    for (_owner_id, _period_id), members in groups.items():
        lines = _analyse_group(
            owners[members[0]], periods[members[0]], items, members, errors, warnings
        )
        if lines is not None:
            checked.append(lines)
    if errors:
        raise exceptions.ValidationError(dict(sorted(errors.items(), key=_path_order)))

    lines = records.CheckedLines.concat(checked)
    outcome = Outcome(warnings=dict(sorted(warnings.items(), key=_path_order)))
    if not len(lines):
        return outcome
    prefix = external_prefix(principal.system)
    try:
        upserted = records.upsert_lines(
            lines,
            source=LineSource.API,
            external_ids={i: prefix + items[i]["external_id"] for i in indices},
            reason=_("Hệ thống tích hợp gửi giao việc"),
            versions=versions,
            agency_ids={owner.pk for owner in owners.values()},
            user=principal,
        )
    except records.LinesRefused as refused:
        raise _refused(principal, refused) from None
    except records.StaleLines as stale:
        raise _stale(stale, prefix) from None
    except records.PeriodsClosed as closed:
        fields = _Errors()
        for index, name, message in closed.problems:
            name = "external_id" if name == "stored" else name  # the stored line of that id
            fields.add(f"items[{index}].{name}", message)
        raise PeriodClosed(
            _("%(reason)s Không dòng nào được ghi.") % {"reason": closed.reason}, dict(fields)
        ) from None
    outcome.created, outcome.updated = upserted.created, upserted.updated
    outcome.unchanged = upserted.unchanged
    outcome.items = [
        {
            "external_id": items[line.index]["external_id"],
            "status": line.status,
            "id": line.id,
            "version": line.version,
        }
        for line in upserted.items
    ]
    return outcome


def current_values(line, prefix: str) -> dict:
    """A stored line as the write API names its fields, with its ``version``."""
    external_id = line.external_id
    if external_id.startswith(prefix):
        external_id = external_id[len(prefix) :]

    def number(value):
        return None if value is None else float(value)

    return {
        "external_id": external_id,
        "agency": line.unit.code,  # the unit carrying the line out (its catalogue's owner)
        "period": line.period.code,
        "official_id": line.civil_servant.official_id,
        "product_code": line.item.code,
        "assigned": number(line.assigned_quantity),
        "completed": number(line.completed_quantity),
        "deadline": line.deadline.isoformat() if line.deadline else None,
        "completed_on": line.completed_on.isoformat() if line.completed_on else None,
        "failed_reviews": line.failed_reviews,
        "delays": line.delays,
        "failed_by_product": list(line.failed_by_product or []),
        "note": line.note,
        "version": records.line_version(line),
    }


def _stale(stale: records.StaleLines, prefix: str) -> StaleWrite:
    ids = [old["id"] for _index, old, _kind in stale.problems if old is not None]
    lines = {
        line.pk: line
        for line in AssignmentLine.objects.filter(pk__in=ids).select_related(
            "period", "civil_servant", "item", "unit"
        )
    }
    fields, current = _Errors(), {}
    missing_only = all(kind == "missing" for _index, _old, kind in stale.problems)
    for index, old, kind in stale.problems:
        at = f"items[{index}]"
        line = lines.get(old["id"]) if old is not None else None
        stored = current_values(line, prefix) if line is not None else None
        current[at] = stored
        if stored is None:
            message = _(
                "Dòng này đã bị xoá sau lần hệ thống đọc nó. Nếu vẫn cần, hãy gửi lại như một "
                "dòng mới (không kèm version)."
            )
        elif kind == "missing":
            message = _(
                "Dòng này đã có trong KPI Công vụ: muốn thay đổi, hãy gửi kèm version của dòng "
                "(version hiện tại: %(version)s; giá trị đang lưu ở trường current)."
            ) % {"version": stored["version"]}
        else:
            message = _(
                "Dòng này đã được thay đổi sau lần hệ thống đọc nó (version hiện tại: "
                "%(version)s). Hãy xem giá trị đang lưu ở trường current, rồi gửi lại kèm "
                "version mới nếu vẫn muốn ghi đè."
            ) % {"version": stored["version"]}
        fields.add(f"{at}.version", message)
    order = dict(sorted(fields.items(), key=_path_order))
    if missing_only:
        return VersionRequired(
            _(
                "Có dòng đã tồn tại được gửi thay đổi mà không kèm version. Không dòng nào được "
                "ghi."
            ),
            order,
            current,
        )
    return StaleWrite(
        _(
            "Có dòng đã được thay đổi sau lần hệ thống đọc nó; gửi lại sẽ ghi đè thay đổi đó. "
            "Không dòng nào được ghi."
        ),
        order,
        current,
    )


def _path_order(entry):
    path = entry[0]
    if path.startswith("items["):
        number = path[6 : path.index("]")]
        return (1, int(number), path)
    return (0, 0, path)
