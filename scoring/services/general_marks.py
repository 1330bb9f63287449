"""The one write service for the general-criteria marks (the 30 points of Form 01 section I;
``scoring.GeneralCriteriaMark``: the self mark and the evaluator's mark per sub-criterion), in
the shape of ``scoring.services.lines`` and run by :mod:`org.write_gate`.

It holds, in one place:

* **who may** (:func:`refusal`), asked again under the lock: the person writes their own
  **self mark** and nothing else of their own (nobody changes the evaluator's mark of their own
  score); the person's evaluator of the period (``scoring.services.write_rights.evaluates``:
  the evaluator on the day whose authority decides the period — after a transfer on day D the
  former head marks the periods before D, the new head those from D on) writes the
  evaluator's marks; anyone else needs reach to the person **in the period**
  (``org.access.refusal`` on the mark: an agency admin or unit leader of the agency that had the
  person in that month — the clerk of the Excel general-marks file). A decision taken elsewhere
  under its own gate (an upheld complaint: ``ratings.workflow``) names itself with
  ``decided_by`` instead;
* **the state the writer saw**: :func:`snapshot` of the person's marks in the period (what
  Form 01 shows, đ/e included), compared under the lock; a change made meanwhile raises
  ``org.write_gate.Stale`` naming each mark that changed — nothing written;
* **the lock and the period**: the agency of the posting that governs the period, then the
  period (``input_locks.lock_person_inputs``, the one lock order of every input door); a period
  that no longer accepts inputs refused with its own sentence;
* **history and rescoring**: each mark is validated (:func:`validate`: the framework's maximum)
  and saved through the ORM, so the change history records it and the period's rescoring is
  queued (``scoring.signals``).

Doors: Form 01 (``ratings.services.form01_entry.save_marks``) → :func:`save` with the form's
snapshot; an upheld period complaint's corrected mark → :func:`save` with ``decided_by``; the
Excel general-marks file (many people at once) → :func:`refused_people` in its preview (the
same who-may, in bulk, each refused person's row named) and :func:`write_many` at its commit
(asks it again, then the statements and their history), the preview's fingerprint as the state
seen. Leader marks đ/e are
``scoring.services.leader_marks``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audit import history
from cms.form_errors import check_all
from org import access, write_gate
from org.access import CHANGE
from org.models import CivilServant
from scoring.models import GeneralCriteriaMark, LeaderMark
from scoring.models.guards import ensure_period_open
from scoring.services import competencies, contract_workers, store, write_rights
from scoring.services.input_locks import lock_person_inputs
from scoring.services.postings import framework_for_person

SELF = "self_mark"
EVALUATOR = "evaluator_mark"
FIELDS = (SELF, EVALUATOR)


def own_evaluator_mark_message() -> str:
    return _(
        "Không ai được chấm điểm của người đánh giá cho chính mình: bạn chỉ nhập điểm tự chấm; "
        "điểm được tính do người đánh giá của bạn chấm."
    )


def check(mark) -> None:
    """The framework's rules for ``mark`` (a ``GeneralCriteriaMark``): a framework applies to the
    person, the component and criterion are the framework's (a contract worker's three marks
    only under the framework's own method, M7), and each mark is within the criterion's maximum.
    Raises ``ValidationError`` by field."""
    if not (mark.civil_servant_id and mark.period_id):
        return
    resolved = framework_for_person(mark.civil_servant, mark.period)
    if resolved is None:
        raise ValidationError(_("Chưa xác định được khung đánh giá áp dụng cho công chức này."))
    if mark.component == contract_workers.COMPONENT:
        # M7: the three marks of a contract worker scored by the framework's own method.
        if not contract_workers.applies_to(mark.civil_servant, mark.period):
            raise ValidationError(
                {
                    "component": _(
                        "Ba tiêu chí riêng (chất lượng, chấp hành, hiệu quả) chỉ dùng cho "
                        "người lao động hợp đồng khi khung đánh giá chọn cách chấm riêng; "
                        "người này được chấm theo tiêu chí chung của khung."
                    )
                }
            )
        maxima = {c.code: c.max_points for c in contract_workers.CRITERIA}
    else:
        try:
            component = resolved.rules.component(mark.component)
        except KeyError:
            raise ValidationError(
                {
                    "component": _("Khung đánh giá không có thành phần “%(code)s”.")
                    % {"code": mark.component}
                }
            ) from None
        maxima = {c.code: c.max_points for c in component.criteria}
    if mark.criterion not in maxima:
        raise ValidationError(
            {
                "criterion": _("Tiêu chí “%(code)s” không có trong khung đánh giá.")
                % {"code": mark.criterion}
            }
        )
    errors = {}
    for field in FIELDS:
        value = getattr(mark, field)
        if value is not None and value > maxima[mark.criterion]:
            errors[field] = _("Điểm không được vượt quá điểm tối đa %(max)s của tiêu chí.") % {
                "max": maxima[mark.criterion]
            }
    if errors:
        raise ValidationError(errors)


def validate(mark) -> None:
    """``mark.full_clean()`` and :func:`check`, their refusals together by field (as a model's
    ``clean`` would give them)."""
    check_all(mark.full_clean, lambda: check(mark))


def _probe(person, period):

    return GeneralCriteriaMark(civil_servant=person, period=period)


def refusal(user, person, period, fields, *, today: datetime.date | None = None) -> str | None:
    """Why ``user`` may not write ``fields`` (a subset of :data:`FIELDS`) of ``person``'s
    general marks in ``period``, or None."""
    fields = set(fields)
    if user is None or not getattr(user, "is_authenticated", False):
        return write_rights.no_writer_message()
    if write_rights.is_own(user, person.pk):
        return None if fields <= {SELF} else own_evaluator_mark_message()
    if fields <= {EVALUATOR} and write_rights.evaluates(user, person.pk, period, today):
        return None
    return access.refusal(user, CHANGE, _probe(person, period))


def refused_people(user, period, fields_by_person: dict) -> dict[int, str]:
    """person id → the refusal, for the people of one file whose marks ``user`` may not write
    (the Excel door: the same rule as :func:`refusal`, read in a few queries — the agency
    clerk's reach by the period). ``fields_by_person``: person id → the fields the file writes
    for them (:data:`FIELDS` when unknown)."""
    ids = set(fields_by_person)
    if not ids:
        return {}
    if user is None or not getattr(user, "is_authenticated", False):
        return dict.fromkeys(ids, write_rights.no_writer_message())
    refused = {}
    own = set(CivilServant.objects.filter(pk__in=ids, user_id=user.pk).values_list("pk", flat=True))
    for person_id in own:
        if not set(fields_by_person[person_id] or FIELDS) <= {SELF}:
            refused[person_id] = own_evaluator_mark_message()
    others = ids - own
    if others and not access.has_model_permission(user, GeneralCriteriaMark, CHANGE):
        refused.update(dict.fromkeys(others, access.out_of_reach_message()))
        return refused
    reached = access.people_posted_under_during(user, others, period.start_date, period.end_date)
    for person_id in others - reached:
        refused[person_id] = access.out_of_reach_message()
    return refused


def snapshot(person, period) -> dict:
    """The stored marks of ``person`` in ``period`` as text — the general marks and đ/e — what
    Form 01 shows, compared again on save."""

    data = {}
    for mark in GeneralCriteriaMark.objects.filter(civil_servant=person, period=period):
        data[f"{mark.criterion}|self"] = "" if mark.self_mark is None else str(mark.self_mark)
        data[f"{mark.criterion}|eval"] = (
            "" if mark.evaluator_mark is None else str(mark.evaluator_mark)
        )
    leader = LeaderMark.objects.filter(civil_servant=person, period=period).first()
    if leader is not None:
        for field in ("organising", "cohesion"):
            data[f"{field}|leader"] = str(getattr(leader, field, "") or "")
    # The competencies the evaluator assessed on the same form (issue 45 item 2).
    data.update(competencies.snapshot(person, period))
    return data


def _decimal_text(value: str | None) -> str:
    return (value or "").replace(".", ",")


def differences(seen: dict, now: dict) -> list[str]:
    """One sentence per mark that changed since ``seen``: "I.1 (người đánh giá chấm): lúc bạn
    mở trang là “4”, nay là “3”."."""
    names = {
        "self": _("tự chấm"),
        "eval": _("người đánh giá chấm"),
        "leader": _("lãnh đạo"),
        "competency": _("cấp độ năng lực do người đánh giá đánh giá"),
    }
    lines = []
    for key in sorted(set(seen) | set(now)):
        if seen.get(key, "") == now.get(key, ""):
            continue
        criterion, who = key.split("|")
        # đ and e by their names on the form, not the stored field's (organising, cohesion);
        # a contract worker's three marks (M7) by their labels.
        criterion = {"organising": "đ", "cohesion": "e"}.get(
            criterion, contract_workers.short_name(criterion)
        )
        lines.append(
            _("%(criterion)s (%(who)s): lúc bạn mở trang là “%(was)s”, nay là “%(now)s”.")
            % {
                "criterion": criterion,
                "who": names.get(who, who),
                "was": _decimal_text(seen.get(key)) or "—",
                "now": _decimal_text(now.get(key)) or "—",
            }
        )
    return lines


def save(
    user,
    person,
    period,
    changes: dict,
    *,
    seen: dict | None = None,
    evaluator=None,
    decided_by: str | None = None,
    today: datetime.date | None = None,
    label: str = "",
) -> list:
    """Store ``changes`` — ``{(component, criterion): {"self_mark"|"evaluator_mark": value}}`` —
    as ``user`` wrote them; ``evaluator`` is recorded on the marks whose evaluator's mark is
    written. Returns the saved marks. Raises ``write_gate.Refused``, ``write_gate.Stale`` or
    ``ValidationError`` (each message prefixed with ``label`` when given); nothing is written
    then."""
    from django.db import transaction

    fields = {field for values in changes.values() for field in values}
    saved = []
    with transaction.atomic():
        locked = lock_person_inputs(person, period)
        if not decided_by:
            reason = refusal(user, person, period, fields, today=today)
            if reason is not None:
                raise write_gate.Refused(reason)
        if seen is not None:
            list(
                GeneralCriteriaMark.objects.select_for_update()
                .filter(civil_servant=person, period=locked)
                .values_list("pk", flat=True)
            )
            now = snapshot(person, locked)
            if now != seen:
                raise write_gate.Stale(GeneralCriteriaMark, differences(seen, now), now)
        for (component, criterion), values in changes.items():
            mark = (
                GeneralCriteriaMark.objects.select_for_update()
                .filter(civil_servant=person, period=locked, component=component)
                .filter(criterion=criterion)
                .first()
            ) or GeneralCriteriaMark(
                civil_servant=person, period=locked, component=component, criterion=criterion
            )
            for field, value in values.items():
                setattr(mark, field, value)
            if EVALUATOR in values and evaluator is not None:
                mark.evaluator = evaluator
            try:
                validate(mark)
            except ValidationError as error:
                if not label:
                    raise
                raise ValidationError(
                    [f"{label}: {message}" for message in error.messages], code="invalid"
                ) from error
            mark.save()
            saved.append(mark)
    return saved


class BulkRefused(write_gate.Refused):
    """People of a file whose marks the writer may not write: ``problems`` lists
    ``(("person", person id), sentence)`` (not a row number: the preview names the rows);
    nothing written."""

    def __init__(self, problems: list[tuple[tuple[str, int], str]]):
        super().__init__(problems[0][1])
        self.problems = problems


def write_many(
    user, period, marks: list[dict], removed: list[int], fields_by_person: dict, agency=None
) -> int:
    """The Excel door's write of many people's marks at once, inside the commit's transaction
    and locks (the import pipeline holds the agency, then the period): the period must still
    accept inputs; **who may** is asked again (:func:`refused_people`, for the people whose marks
    the file changes: ``fields_by_person``) and a refusal raises :class:`BulkRefused`; then the
    marks — dicts with ``person_id``, ``component``, ``criterion``, ``self_mark``,
    ``evaluator_mark`` (Decimals or None) and ``evaluator_changed`` — are upserted without a
    model instance a row (``scoring.services.store.upsert``: 17 µs a mark, was 74 µs with
    ``bulk_create``), the evaluator recorded where the file writes the evaluator's mark; their
    history rows are written in one statement, the rows picked by the write's one moment
    (``audit.history``: a bulk statement sends no signal); ``removed`` (stored
    mark ids the file no longer has) are deleted through the ORM (history). Rescoring is the
    door's: the import pipeline asks for the file's agency once it commits. Returns the number
    of marks written."""
    from django.utils import timezone

    ensure_period_open(period, agency)
    if user is not None:
        refused = refused_people(user, period, fields_by_person)
        if refused:
            raise BulkRefused([(("person", pk), reason) for pk, reason in sorted(refused.items())])
    # One moment for the whole write: it names the rows of this write for their history rows
    # (the period's marks are under the agency-then-period lock the pipeline holds).
    now = timezone.now()
    evaluator = user.pk if user is not None else None
    changed = [m for m in marks if m["evaluator_changed"]]
    kept = [m for m in marks if not m["evaluator_changed"]]
    for group, fields in (
        (changed, ("self_mark", "evaluator_mark", "evaluator", "updated_at")),
        (kept, ("self_mark", "evaluator_mark", "updated_at")),
    ):
        # ``INSERT … ON CONFLICT … DO UPDATE`` without a model instance a row
        # (``scoring.services.store.upsert``: a Form 01 month of 100,000 people is about 900,000
        # marks); a mark already stored keeps its evaluator unless the file writes the
        # evaluator's mark.
        store.upsert(
            GeneralCriteriaMark,
            [
                {
                    "civil_servant_id": mark["person_id"],
                    "period_id": period.pk,
                    "component": mark["component"],
                    "criterion": mark["criterion"],
                    "self_mark": mark["self_mark"],
                    "evaluator_mark": mark["evaluator_mark"],
                    "evaluator_id": evaluator if mark["evaluator_mark"] is not None else None,
                    "updated_at": now,
                }
                for mark in group
            ],
            ("civil_servant", "period", "component", "criterion"),
            update=fields,
        )
    if marks:
        # Their history rows: the rows this write stamped (one statement).
        history.record_query(
            GeneralCriteriaMark,
            GeneralCriteriaMark.objects.filter(period=period, updated_at=now),
        )
    for start in range(0, len(removed), 900):
        GeneralCriteriaMark.objects.filter(pk__in=removed[start : start + 900]).delete()
    return len(marks)
