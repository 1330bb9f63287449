"""The one write service for assignment lines (``scoring.AssignmentLine``: quantities,
completion, quality and timeliness counters), in the shape of ``scoring.services.leader_marks``
and run by :mod:`org.write_gate`.

It holds, in one place:

* **who may** (:func:`refusal`): ``org.access.refusal`` — the model permission of a role, the
  line's reach **by its period** (its person posted in the writer's subtrees during the period:
  after a transfer on day D the former agency writes nothing dated from D on and still corrects
  what is dated before; docs/security.md §3), never one's own line (nobody changes the inputs of
  their own score);
* **the state the writer saw**: the snapshot of the stored line (``cms.seen``) compared under the
  line's lock; a change made meanwhile raises ``org.write_gate.Stale`` naming each field;
* **the lock and the period**: the owning agency, then the period (``input_locks``, the one lock
  order of every input door), a period that no longer accepts inputs refused with its own
  sentence;
* **history and rescoring**: the line is saved through the ORM, so the change history records it
  and the period's rescoring is queued (``scoring.signals``).

Doors: the admin forms (add, edit, delete: ``org.admin_scope`` through
``policy.WRITE_SERVICES``) call :func:`save` / :func:`delete`; an upheld complaint's correction
calls :func:`correct`; the worklog's assignment :func:`add_once` and its acceptance
:func:`accept_completion`. The doors writing many lines
at once — the Excel results import (its writer ``importers.lines.store``, under
:func:`writing_as`), the write API and the connectors (``importers.lines.records``) — call
:func:`write_many`: the same steps for a whole file or request, set-based (a fixed number of
queries whatever the number of lines): the lock order, closed periods, **who may** for every
line written and every stored line changed or removed (:func:`refused_lines`: the same rule as
:func:`refusal` — the line's unit in the writer's subtrees, its person posted there during the
period, never one's own line), the state the door showed (the API's ``version`` of each line,
:func:`line_version`; the Excel preview's fingerprint, compared by the pipeline in the same
transaction), the door's bulk write (history rows) and the people's rescoring.
"""

from __future__ import annotations

import contextvars
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction

from org import access, write_gate
from org.access import CHANGE, DELETE
from org.models import Agency
from scoring.models import AssignmentLine, Period
from scoring.models.assignment import LINE_VALUE_FIELDS
from scoring.models.guards import closed_period_error
from scoring.services import rescoring
from scoring.services.input_locks import lock_inputs
from scoring.services.write_rights import person_id_of


def own_line_message() -> str:
    from django.utils.translation import gettext

    return gettext(
        "Không ai được nhập, sửa hay xoá kết quả thực hiện nhiệm vụ của chính mình. Hãy giữ "
        "nguyên dòng này như trong mẫu tải về (kết quả đang lưu); lãnh đạo đơn vị hoặc một cán "
        "bộ tổ chức khác nhập thay đổi."
    )


def own_person_id(user) -> int | None:
    """The writer's own record, whose lines no door lets them write (the bulk doors ask it
    once per file: the Excel results import)."""
    return person_id_of(user)


def refusal(user, action: str, line) -> str | None:
    return access.refusal(user, action, line)


def lock(line) -> None:
    if not line.period_id:
        return
    agency = line.unit.owning_agency or line.unit if line.unit_id else None
    locked = lock_inputs([agency.pk] if agency else [], [line.period_id])[line.period_id]
    if not locked.accepts_inputs_for(agency):
        raise write_gate.Refused(" ".join(closed_period_error(locked).messages))


def save(user, line, *, action: str = CHANGE, seen: dict | None = None, write=None, children=()):
    """Store ``line`` as ``user`` wrote it (``write``: the door's own ORM save, e.g. the admin
    form's; default ``full_clean`` then ``save``). Raises ``write_gate.Refused`` or
    ``write_gate.Stale``; nothing is written then."""

    def default():
        line.full_clean()
        line.save()
        return line

    return write_gate.run(
        user,
        action,
        line,
        refusal=refusal,
        lock=lock,
        write=write or default,
        seen=seen,
        children=children,
    )


def correct(line, values: dict, *, user=None, label: str = ""):
    """Change ``values`` ({field: value}) of a stored line as a decision taken elsewhere says —
    an upheld complaint (``ratings.services.period_complaints``; *who* decided is the case's
    gate, ``ratings.workflow``): the same lock order and open period as every other door, the
    line read again under its lock, validated, saved through the ORM (history, rescoring).
    A validation message is prefixed with ``label`` (the field as the decision's page names
    it)."""
    from django.core.exceptions import ValidationError

    def write():
        fresh = AssignmentLine.objects.select_for_update().get(pk=line.pk)
        for field, value in values.items():
            setattr(fresh, field, value)
        try:
            fresh.full_clean()
        except ValidationError as error:
            if not label:
                raise
            raise ValidationError(
                [f"{label}: {message}" for message in error.messages], code="invalid"
            ) from error
        fresh.save()
        return fresh

    def decided(_user, _action, _row):
        return None

    try:
        return write_gate.run(user, CHANGE, line, refusal=decided, lock=lock, write=write)
    except write_gate.Refused as refused:
        raise ValidationError(refused.message) from refused


def add_once(line, *, user=None):
    """Add ``line`` (unsaved; its ``source`` and ``external_id`` set) unless a line with the same
    ``(source, external_id)`` exists: ``(line, created)``. For a door whose who-may is its own
    role gate — the worklog's assignment by the evaluator of the day (``worklog.access``) —
    and whose form may be sent twice: the lock order and open period of every door, the line
    validated before it is stored (ORM: history, rescoring)."""
    from django.core.exceptions import ValidationError

    def write():
        stored = AssignmentLine.objects.filter(
            source=line.source, external_id=line.external_id
        ).first()
        if stored is not None:
            return stored, False
        line.full_clean(validate_unique=False, validate_constraints=False)
        line.save()
        return line, True

    def decided(_user, _action, _row):
        return None

    try:
        return write_gate.run(user, CHANGE, line, refusal=decided, lock=lock, write=write)
    except write_gate.Refused as refused:
        raise ValidationError(refused.message) from refused


def accept_completion(line, *, quantity, completed_on, user=None):
    """Confirm ``quantity`` completed on ``completed_on`` onto the stored ``line`` (its
    ``completed_quantity`` / ``completed_on``), as the evaluator accepting a reported product
    decided — the worklog's acceptance (``worklog.services.review.accept``), whose who-may is
    its own role gate (``worklog.access.can_review``) and whose page check is its own
    (``worklog.services.seen``): the lock order and open period of every door, the line
    validated, saved through the ORM (history, rescoring). ``line`` is updated in place and
    returned. A closed period raises ``write_gate.Refused``."""

    def write():
        line.completed_quantity = quantity
        line.completed_on = completed_on
        line.full_clean(validate_unique=False, validate_constraints=False)
        line.save(update_fields=["completed_quantity", "completed_on", "updated_at"])
        return line

    def decided(_user, _action, _row):
        return None

    return write_gate.run(user, CHANGE, line, refusal=decided, lock=lock, write=write)


def delete(user, line, *, write=None):
    def default():
        line.delete()

    return write_gate.run(user, DELETE, line, refusal=refusal, lock=lock, write=write or default)


# --------------------------------------------------------------------------- many lines at once


class Target(NamedTuple):
    """A line as a bulk door would store it: ``key`` is how the door names it (a record index,
    a sheet row); its person, period and the unit carrying it out decide who may write it.
    A named tuple (immutable, built at C speed): a 100,000-line file makes 100,000 of them."""

    key: object
    person_id: int
    period_id: int
    unit_id: int


class BulkRefused(write_gate.Refused):
    """Lines the writer may not write: ``problems`` lists ``(key, sentence)``; nothing written.
    A stored line changed or removed is named ``("stored", door key)``."""

    def __init__(self, problems: list[tuple[object, str]]):
        super().__init__(problems[0][1])
        self.problems = problems


class PeriodsClosed(write_gate.Refused):
    """A period of the lines (or the one a stored line is in) no longer accepts inputs; nothing
    was written. ``problems`` lists ``(key, field, message)``, field being "period" (the line
    as written) or "stored" (the stored line it changes); ``reason`` is the first message."""

    def __init__(self, reason: str, problems: list[tuple[object, str, str]]):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems


#: Stored columns a line's version is made of (the period, then what the bulk writer stores:
#: whose line, which product, then the line's value fields in their one order).
VERSION_FIELDS = ("period_id", "civil_servant_id", "item_id", "unit_id", *LINE_VALUE_FIELDS)


def _canonical(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ",".join(str(int(n)) for n in value)
    return str(value)


def line_version(values) -> str:
    """The version of a stored line — the state a door without a form shows (the write API's
    ``version``, the read API's): a short digest of its stored values. ``values`` is a mapping
    or a line. A fingerprint of values rather than a counter (as ``cms.seen`` for forms), so it
    needs no column and changes whichever door changed the line."""
    get = values.get if isinstance(values, Mapping) else lambda name: getattr(values, name)
    text = "\x1f".join(_canonical(get(name)) for name in VERSION_FIELDS)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _system_out_of_reach_message() -> str:
    from django.utils.translation import gettext

    return gettext(
        "Công chức này không công tác tại đơn vị mà hệ thống được phép ghi dữ liệu trong kỳ "
        "của dòng."
    )


def refused_lines(user, targets: Iterable[Target], periods: Mapping[int, Any]) -> list:
    """Who may, for many lines at once: ``[(key, sentence)]`` of the lines ``user`` may not
    write — :func:`refusal`'s rule (the line's unit in the writer's subtrees, its person posted
    there during the line's period: after a transfer on day D the former agency writes nothing
    dated from D on and still corrects what is dated before; never one's own line), in three
    queries whatever the number of lines. ``periods``: the periods of the lines by id. The model
    permission is the door's (the import right, a token's write right, the admin's
    ``add/change/delete``). ``user`` None: a door whose writer was decided elsewhere (the
    server's command line, a connector whose mapping Sở Nội vụ set)."""
    targets = list(targets)
    if user is None or not targets:
        return []
    person = access.civil_servant_of(user)
    problems: dict[object, str] = {}
    if person is not None:
        for target in targets:
            if target.person_id == person.pk:
                problems.setdefault(target.key, own_line_message())
    others = [target for target in targets if target.key not in problems]
    reached = access.dated_rows_in_reach(
        user,
        (
            (
                target.key,
                target.person_id,
                target.unit_id,
                periods[target.period_id].start_date,
                periods[target.period_id].end_date,
            )
            for target in others
        ),
    )
    # A sign-in is somebody (a ``User``); an integration system's token is nobody.
    someone = getattr(user, "pk", None) is not None
    message = access.out_of_reach_message() if someone else _system_out_of_reach_message()
    for target in others:
        if target.key not in reached:
            problems.setdefault(target.key, message)
    order = {target.key: position for position, target in enumerate(targets)}
    return sorted(problems.items(), key=lambda item: order[item[0]])


class _Writer:
    def __init__(self, user, agency_ids, reason):
        self.user = user
        self.agency_ids = tuple(agency_ids)
        self.reason = reason


_WRITER: contextvars.ContextVar[_Writer] = contextvars.ContextVar("kpi_line_writer")


@contextmanager
def writing_as(user, *, agency_ids: Iterable[int] = (), reason: str | None = None):
    """Lines written in this block by a shared bulk writer whose calls do not name their writer
    (``importers.lines.store``, called by the Excel results kind) are written as ``user``
    through :func:`write_many`. ``reason``: the rescoring request's; None when the door
    requests its own (the Excel pipeline rescores the file's agency, naming its job)."""
    token = _WRITER.set(_Writer(user, agency_ids, reason))
    try:
        yield
    finally:
        _WRITER.reset(token)


def current_writer() -> _Writer:
    """The writer of :func:`writing_as`; a bulk write made outside one is a programming error
    (every door names who writes)."""
    try:
        return _WRITER.get()
    except LookupError:
        raise RuntimeError(
            "assignment lines written in bulk outside scoring.services.lines.writing_as: "
            "name the writer (importers.pipeline does for the Excel kinds)"
        ) from None


def _locked_periods(ids: set[int], locked: dict) -> dict:
    missing = {pk for pk in ids if pk not in locked}
    if missing:
        locked.update(lock_inputs((), missing))
        # A period gone meanwhile cannot be written either.
        for pk in missing - set(locked):
            locked[pk] = Period.objects.get(pk=pk)
    return locked


def _unit_paths(periods: Mapping, unit_ids: Iterable) -> dict:
    """``{unit id: path}`` of ``unit_ids`` when a bloc closed one of ``periods`` (else no
    query: nothing to ask)."""
    if not any(period.closed_blocs for period in periods.values()):
        return {}

    wanted = {int(pk) for pk in unit_ids if pk is not None}
    return dict(Agency.objects.filter(pk__in=wanted).values_list("pk", "path"))


def write_many(
    user,
    *,
    targets: Iterable[Target] | Callable[[Mapping], Iterable[Target]],
    write: Callable[[Mapping], object],
    stored: Callable[[], Mapping[Any, Mapping]] | None = None,
    seen: Callable[[Mapping], None] | None = None,
    agency_ids: Iterable[int] = (),
    period_ids: Iterable[int] = (),
    reason: str | None = None,
    changed: Callable[[Any], Iterable] | None = None,
):
    """Write many lines as ``user``, all or (raising) none — the one bulk entry point of the
    kind, in the order every door gets:

    1. a transaction; the agencies (``agency_ids``: the owners of the catalogues), then the
       periods of the lines, locked (``input_locks``); a period that no longer accepts inputs
       raises :class:`PeriodsClosed`;
    2. ``stored()``: the stored lines the write changes or removes (``{door key: values}`` with
       at least ``civil_servant_id``, ``period_id``, ``unit_id``), read by the door under its
       lock; their periods must accept inputs too;
    3. who may (:func:`refused_lines`) for every line as it would be stored (``targets``, or
       ``targets(stored)``) and every stored line it changes or removes: :class:`BulkRefused`;
    4. ``seen(stored)``: the door's comparison with what its writer was shown (the API's
       versions), raising its own exception;
    5. ``write(stored)``: the door's bulk statements (with their history rows);
    6. with ``reason``, the people's rescoring in each period (queued with the transaction):
       of every line, or, with ``changed(result)`` (the keys of the targets and stored lines the
       write changed, from what ``write`` returned), of those only — a line sent again as it
       is stored moves no figure.

    Returns what ``write`` returns."""
    with transaction.atomic():
        wanted = {int(pk) for pk in period_ids}
        if not callable(targets):
            targets = list(targets)
            wanted |= {target.period_id for target in targets}
        periods = lock_inputs(agency_ids, wanted)
        rows = dict(stored()) if stored is not None else {}
        if callable(targets):
            targets = list(targets(rows))
        periods = _locked_periods(
            {t.period_id for t in targets} | {int(v["period_id"]) for v in rows.values()}, periods
        )
        # Asked once per period, not once per line; a period a bloc's lead body closed for
        # its bodies is asked per unit (one query for the units' paths, only then).
        shut = {pk for pk, period in periods.items() if not period.accepts_inputs}
        paths = _unit_paths(
            periods,
            [t.unit_id for t in targets] + [values.get("unit_id") for values in rows.values()],
        )

        def refuses(period_id, unit_id) -> bool:
            period = periods[int(period_id)]
            return int(period_id) in shut or period.closed_for(paths.get(unit_id))

        # Asked once per (period, unit) a file's lines fall in, then each line looked up.
        refused = {
            place
            for place in {(target.period_id, target.unit_id) for target in targets}
            if refuses(*place)
        }
        closed = [
            (target.key, "period", closed_period_error(periods[target.period_id]).messages[0])
            for target in targets
            if refused and (target.period_id, target.unit_id) in refused
        ] + [
            (key, "stored", closed_period_error(periods[int(values["period_id"])]).messages[0])
            for key, values in rows.items()
            if refuses(values["period_id"], values.get("unit_id"))
        ]
        if closed:
            raise PeriodsClosed(closed[0][2], closed)
        everyone = targets + [
            Target(
                ("stored", key),
                int(values["civil_servant_id"]),
                int(values["period_id"]),
                int(values["unit_id"]),
            )
            for key, values in rows.items()
        ]
        problems = refused_lines(user, everyone, periods)
        if problems:
            raise BulkRefused(problems)
        if seen is not None:
            seen(rows)
        result = write(rows)
        if reason:
            moved = None if changed is None else set(changed(result))
            people: dict[int, set[int]] = defaultdict(set)
            for target in targets:  # the lines as written
                if moved is None or target.key in moved:
                    people[target.period_id].add(target.person_id)
            for key, values in rows.items():  # as they were (a line moved to another person)
                if moved is None or key in moved:
                    people[int(values["period_id"])].add(int(values["civil_servant_id"]))
            for period_id, persons in people.items():
                rescoring.request_rescore(periods[period_id], people=persons, reason=reason)
    return result
