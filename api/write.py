"""Assignment lines pushed by integration systems: validated like an Excel import, upserted.

One request is accepted whole or rejected whole. The steps:

1. **Shape** — every item is an object with the required keys, scalar values, an
   ``external_id`` (≤ 80 characters, unique in the request), dates as text.
2. **Agency and period** — codes must exist; the system must be granted the agency (or part of
   it); a closed or locked period refuses the whole request (HTTP 409).
3. **Excel rules** — the items of each (agency, period) go through the Excel importer's own
   column parsers (:func:`importers.reading.frame.parse_column` with the columns of
   :mod:`importers.kinds.results`) and then :meth:`ResultsKind.analyse` — the same code, in the
   same order, with the same Vietnamese messages as an uploaded file. An issue on "row" *i*,
   column *c* becomes the field error ``items[i].<field>``.
4. **Scope of each line** — the unit that carries out the line (from the person's posting)
   must lie in the system's granted subtrees (HTTP 403 otherwise).
5. **Upsert** — lines are keyed on ``(source "api", "api:<system id>:<external_id>")``, so an
   ``external_id`` is unique per system and re-sending it updates the same line, never
   duplicates it. Unchanged lines are not touched. New lines are inserted and changed lines
   updated with :mod:`importers.bulk` (COPY / executemany, one ``UPDATE … FROM``).
   ``bulk_create(update_conflicts=True)`` cannot be used: the unique constraint on
   ``(source, external_id)`` is partial (``external_id <> ''``), and both SQLite and PostgreSQL
   accept ``ON CONFLICT`` on a partial index only with the index predicate in the conflict
   target, which Django does not emit ("ON CONFLICT clause does not match any PRIMARY KEY or
   UNIQUE constraint"). Existing ids are read first (one indexed query per 900 ids), inside the
   same transaction; a concurrent insert of the same id is retried once as an update.

Scores are not recomputed here: the scoring process picks the new inputs up (as after an Excel
import).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions

from importers import bulk
from importers.issues import column_index
from importers.kinds import results
from importers.kinds.base import Context
from importers.kinds.results import SHEET, SHEET_SPEC, ResultsKind
from importers.reading.frame import ROW, ParsedSheet, parse_column
from org.models import Agency
from scoring.models import AssignmentLine, LineSource, Period, parse_period_code
from scoring.models.guards import closed_period_error
from scoring.services.rescoring import request_rescore

from .errors import NON_FIELD_KEY
from .permissions import system_may_write_paths

MAX_EXTERNAL_ID = 80
REQUIRED = ("external_id", "agency", "period", "official_id", "product_code", "assigned")
OPTIONAL = (
    "completed",
    "deadline",
    "completed_on",
    "failed_reviews",
    "delays",
    "note",
    "failed_by_product",
)
#: Lists of whole numbers (Art. 14 b per product), sent to the Excel rules as "a; b" text.
LIST_FIELDS = ("failed_by_product",)
#: Accepted and ignored, like the read-only columns of the Excel template.
INFORMATIONAL = ("full_name", "product_name")
FIELDS = (*REQUIRED, *OPTIONAL)
DATE_FIELDS = ("deadline", "completed_on")
#: Excel template column → API field (the others have the same name).
COLUMN_TO_FIELD = {"line_code": "external_id"}
#: The bounds of the stored columns, from the Excel importer's sheet (the same checks apply).
MAX_QUANTITY = Decimal(str(results.MAX_QUANTITY))
MAX_COUNT = results.MAX_COUNT
#: Stored columns compared to decide whether a re-sent line changed: the Excel importer's,
#: plus the period (one request may span periods).
VALUE_FIELDS = ("period_id", *results.VALUE_FIELDS)
ID_CHUNK = 900


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


class _Errors(dict):
    def add(self, path: str, message: str) -> None:
        self.setdefault(path, [])
        if message not in self[path]:
            self[path].append(str(message))


class _ApiResultsKind(ResultsKind):
    """The Excel results kind, compared with nothing stored: the API upserts by its own key."""

    reads_files = False

    def scope(self, context):
        return AssignmentLine.objects.none()


# --------------------------------------------------------------------------- 1. shape


def _scalar(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _shape(items: list, errors: _Errors) -> list[int]:
    """Indices of the items whose shape is right; errors for the others."""
    good, first_seen = [], {}
    allowed = set(FIELDS) | set(INFORMATIONAL)
    for index, item in enumerate(items):
        at = f"items[{index}]"
        if not isinstance(item, dict):
            errors.add(at, _("Phải là một đối tượng."))
            continue
        ok = True
        for key in item:
            if key not in allowed:
                errors.add(f"{at}.{key}", _("Trường không được hỗ trợ."))
                ok = False
        for key in REQUIRED:
            value = item.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                errors.add(f"{at}.{key}", _("Thiếu thông tin bắt buộc."))
                ok = False
        for key in LIST_FIELDS:
            value = item.get(key)
            if isinstance(value, list):
                if all(isinstance(n, int) and not isinstance(n, bool) for n in value):
                    item[key] = "; ".join(str(n) for n in value)
                else:
                    errors.add(f"{at}.{key}", _("Phải là một danh sách số nguyên không âm."))
                    ok = False
        for key, value in item.items():
            if key in allowed and not _scalar(value):
                errors.add(f"{at}.{key}", _("Phải là một giá trị đơn (chuỗi hoặc số)."))
                ok = False
        for key in DATE_FIELDS:
            value = item.get(key)
            if value is not None and not isinstance(value, str):
                errors.add(
                    f"{at}.{key}", _("Ngày phải là chuỗi dạng yyyy-mm-dd (hoặc dd/mm/yyyy).")
                )
                ok = False
        for key in ("agency", "period"):
            if item.get(key) is not None and not isinstance(item[key], str):
                errors.add(f"{at}.{key}", _("Phải là một chuỗi."))
                ok = False
        external_id = item.get("external_id")
        if isinstance(external_id, int) and not isinstance(external_id, bool):
            external_id = item["external_id"] = str(external_id)
        if external_id is not None and not isinstance(external_id, str):
            errors.add(f"{at}.external_id", _("Phải là một chuỗi."))
            ok = False
        elif isinstance(external_id, str):
            external_id = item["external_id"] = external_id.strip()
            if len(external_id) > MAX_EXTERNAL_ID:
                errors.add(
                    f"{at}.external_id",
                    _("Không được dài quá %(max)d ký tự.") % {"max": MAX_EXTERNAL_ID},
                )
                ok = False
            elif external_id:
                if external_id in first_seen:
                    errors.add(
                        f"{at}.external_id",
                        _("external_id “%(id)s” trùng với items[%(first)d].")
                        % {"id": external_id, "first": first_seen[external_id]},
                    )
                    ok = False
                else:
                    first_seen[external_id] = index
        if ok:
            good.append(index)
    return good


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
    found = {}
    for key in {k for k in keys.values() if isinstance(k, tuple)}:
        kind, year, number = key
        found[key] = Period.objects.filter(kind=kind, year=year, number=number).first()
    result = {}
    for i in indices:
        code = items[i]["period"].strip()
        key = keys[code]
        if isinstance(key, str):
            errors.add(f"items[{i}].period", key)
        elif found[key] is None:
            errors.add(
                f"items[{i}].period",
                _("Kỳ đánh giá %(code)s chưa được tạo trong hệ thống.") % {"code": code},
            )
        else:
            result[i] = found[key]
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


def _check_open(items, periods: dict[int, Period]) -> None:
    closed = _Errors()
    message = None
    for i, period in periods.items():
        if not period.accepts_inputs:
            text = closed_period_error(period).messages[0]
            message = message or text
            closed.add(f"items[{i}].period", text)
    if closed:
        raise PeriodClosed(
            _("%(reason)s Không dòng nào được ghi.") % {"reason": message}, dict(closed)
        )


# --------------------------------------------------------------------------- 3. Excel rules


def _parsed_sheet(items, indices: list[int]) -> ParsedSheet:
    """The items as the Excel reader would have parsed them (rows numbered by item index)."""
    rows = np.asarray(indices, dtype=np.int64)
    frame, issues = {}, []
    for position, column in enumerate(SHEET_SPEC.columns):
        if column.key == "line_code":
            raw = [f"#{i}" for i in indices]  # unique per item: identity is the API's own key
        else:
            name = COLUMN_TO_FIELD.get(column.key, column.key)
            raw = [items[i].get(name) for i in indices]
        values = np.empty(len(indices), dtype=object)
        values[:] = [
            "" if value is None else (str(value) if isinstance(value, bool) else value)
            for value in raw
        ]
        parsed, _empty, column_issues = parse_column(values, column, SHEET_SPEC, position, rows)
        frame[column.key] = pd.Series(
            parsed, dtype=np.float64 if parsed.dtype.kind == "f" else object
        )
        issues.extend(column_issues)
    data = pd.DataFrame(frame)
    data[ROW] = rows
    return ParsedSheet(SHEET_SPEC, data.reset_index(drop=True), issues)


def _field_of(issue) -> str:
    if not issue.column:
        return ""
    key = SHEET_SPEC.columns[column_index(issue.column)].key
    return COLUMN_TO_FIELD.get(key, key)


def _analyse_group(owner, period, items, indices, errors: _Errors, warnings: _Errors):
    """Run the Excel results rules on one (agency, period) group; returns the valid frame."""
    kind = _ApiResultsKind()
    context = Context(agency=owner, period=period, period_code=period.code)
    for issue in kind.context_issues(context):
        if issue.is_error:
            errors.add(NON_FIELD_KEY, issue.message)
    if any(path == NON_FIELD_KEY for path in errors):
        return None
    result = kind.analyse(context, {SHEET: _parsed_sheet(items, indices)})
    for issue in result.issues:
        path = NON_FIELD_KEY
        if issue.row is not None:
            name = _field_of(issue)
            path = f"items[{issue.row}]" + (f".{name}" if name else "")
        (errors if issue.is_error else warnings).add(path, issue.message)
    if any(issue.is_error for issue in result.issues) or result.payload is None:
        return None
    return result.payload["new"]


# --------------------------------------------------------------------------- 4, 5. write


def _check_line_scope(principal, frame: pd.DataFrame) -> None:
    unit_ids = {int(u) for u in frame["unit_id"].tolist()}
    paths = dict(Agency.objects.filter(pk__in=unit_ids).values_list("id", "path"))
    allowed = system_may_write_paths(principal, set(paths.values()))
    refused = _Errors()
    for row, unit in zip(frame[ROW].tolist(), frame["unit_id"].tolist(), strict=True):
        if not allowed.get(paths.get(int(unit), ""), False):
            refused.add(
                f"items[{int(row)}].official_id",
                _("Công chức này công tác tại đơn vị mà hệ thống không được phép ghi dữ liệu."),
            )
    if refused:
        raise OutOfScope(
            _(
                "Có dòng thuộc đơn vị mà hệ thống tích hợp “%(system)s” không được phép ghi dữ "
                "liệu. Không dòng nào được ghi."
            )
            % {"system": principal.system.name},
            dict(refused),
        )


def _decimal(value) -> Decimal:
    return Decimal(repr(round(float(value), 2))).quantize(Decimal("0.01"))


def _date(value) -> datetime.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    return value


def _rows(frame: pd.DataFrame, period_of: dict[int, Period], items, prefix: str) -> list[dict]:
    rows = []
    for record in frame.to_dict("records"):
        index = int(record[ROW])
        rows.append(
            {
                "index": index,
                "external_id": prefix + items[index]["external_id"],
                "civil_servant_id": int(record["person_id"]),
                "period_id": period_of[index].pk,
                "item_id": int(record["item_id"]),
                "unit_id": int(record["unit_id"]),
                "assigned_quantity": _decimal(record["assigned"]),
                "completed_quantity": _decimal(record["completed"]),
                "deadline": _date(record["deadline"]),
                "completed_on": _date(record["completed_on"]),
                "failed_reviews": int(record["failed_reviews"]),
                "delays": int(record["delays"]),
                "note": record["note"] or "",
                "failed_by_product": list(record["failed_list"]),
            }
        )
    return rows


def _stored(external_ids: list[str]) -> dict[str, dict]:
    stored = {}
    for start in range(0, len(external_ids), ID_CHUNK):
        chunk = external_ids[start : start + ID_CHUNK]
        for values in AssignmentLine.objects.filter(
            source=LineSource.API, external_id__in=chunk
        ).values("id", "external_id", "period__status", *VALUE_FIELDS):
            stored[values["external_id"]] = values
    return stored


def _same(row: dict, stored: dict) -> bool:
    return all(row[name] == stored[name] for name in VALUE_FIELDS)


def _write(rows: list[dict], items, outcome: Outcome) -> None:
    stored = _stored([row["external_id"] for row in rows])
    moved_closed = _Errors()
    message = None
    for row in rows:
        old = stored.get(row["external_id"])
        if old is not None and old["period__status"] != "open":
            period = Period.objects.get(pk=old["period_id"])
            text = closed_period_error(period).messages[0]
            message = message or text
            moved_closed.add(f"items[{row['index']}].external_id", text)
    if moved_closed:
        raise PeriodClosed(
            _("%(reason)s Không dòng nào được ghi.") % {"reason": message}, dict(moved_closed)
        )

    now = timezone.now()
    new, changed = [], []
    for row in rows:
        old = stored.get(row["external_id"])
        if old is None:
            new.append(row)
            status = "created"
        elif _same(row, old):
            status = "unchanged"
        else:
            row["id"] = old["id"]
            changed.append(row)
            status = "updated"
        outcome.items.append(
            {
                "index": row["index"],
                "external_id": items[row["index"]]["external_id"],
                "status": status,
                "id": old["id"] if old else None,
            }
        )

    def columns(part: list[dict]) -> dict:
        values = {name: [row[name] for row in part] for name in VALUE_FIELDS}
        # JSON lists as tuples: bulk writers convert each distinct value once (hashable).
        values["failed_by_product"] = [tuple(v) for v in values["failed_by_product"]]
        return values | {"updated_at": now}

    if new:
        bulk.insert_columns(
            AssignmentLine,
            {
                **columns(new),
                "source": LineSource.API,
                "external_id": [row["external_id"] for row in new],
                "created_by_id": None,
                "created_at": now,
            },
            history_filter={"source": LineSource.API, "created_at": now},
        )
        ids = {
            values["external_id"]: values["id"]
            for values in _stored([row["external_id"] for row in new]).values()
        }
        by_index = {row["index"]: ids[row["external_id"]] for row in new}
        for entry in outcome.items:
            if entry["id"] is None:
                entry["id"] = by_index[entry["index"]]
    if changed:
        bulk.update_columns(AssignmentLine, [row["id"] for row in changed], columns(changed))
    outcome.created, outcome.updated = len(new), len(changed)
    outcome.unchanged = len(rows) - len(new) - len(changed)
    outcome.items.sort(key=lambda entry: entry["index"])
    for entry in outcome.items:
        del entry["index"]


# --------------------------------------------------------------------------- entry point


def save_lines(principal, items: list) -> Outcome:
    """Validate ``items`` like an Excel import and upsert them all, or raise and write nothing.

    Raises ``ValidationError`` (400, ``items[i].field`` errors), ``OutOfScope`` (403) or
    ``PeriodClosed`` (409).
    """
    errors, warnings = _Errors(), _Errors()
    indices = _shape(items, errors)
    owners = _agencies(items, indices, errors)
    periods = _periods(items, indices, errors)
    _check_agency_scope(principal, items, owners)
    _check_open(items, periods)

    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in indices:
        if i in owners and i in periods:
            groups[(owners[i].pk, periods[i].pk)].append(i)
    frames = []
    for (_owner_id, _period_id), members in groups.items():
        frame = _analyse_group(
            owners[members[0]], periods[members[0]], items, members, errors, warnings
        )
        if frame is not None:
            frames.append(frame)
    if errors:
        raise exceptions.ValidationError(dict(sorted(errors.items(), key=_path_order)))

    frame = pd.concat(frames, ignore_index=True) if frames else None
    outcome = Outcome(warnings=dict(sorted(warnings.items(), key=_path_order)))
    if frame is None or frame.empty:
        return outcome
    _check_line_scope(principal, frame)
    rows = _rows(frame, periods, items, external_prefix(principal.system))
    try:
        return _write_locked(rows, items, outcome.warnings)
    except IntegrityError:
        # The same external_id was inserted concurrently: read again, it is now an update.
        return _write_locked(rows, items, outcome.warnings)


def _write_locked(rows: list[dict], items, warnings) -> Outcome:
    with transaction.atomic():
        # Lock the periods: none can be closed while its lines are being written.
        current = {
            period.pk: period
            for period in Period.objects.select_for_update().filter(
                pk__in={row["period_id"] for row in rows}
            )
        }
        _check_open(items, {row["index"]: current[row["period_id"]] for row in rows})
        outcome = Outcome(warnings=warnings)
        _write([dict(row) for row in rows], items, outcome)
        # Bulk writes send no model signal: the people's scores are asked for here, queued
        # once this transaction commits (scoring.services.rescoring).
        people: dict[int, set[int]] = defaultdict(set)
        for row in rows:
            people[row["period_id"]].add(row["civil_servant_id"])
        for period_id, persons in people.items():
            request_rescore(
                current[period_id], people=persons, reason=_("Hệ thống tích hợp gửi giao việc")
            )
    return outcome


def _path_order(entry):
    path = entry[0]
    if path.startswith("items["):
        number = path[6 : path.index("]")]
        return (1, int(number), path)
    return (0, 0, path)
