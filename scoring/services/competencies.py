"""The position's competencies assessed for a person (issue 45 item 2; Đắk Lắk plan §I.1, §I.2:
"khung năng lực vị trí việc làm … làm thước đo chủ yếu"; docs/scoring.md §15b).

* **What is required** (:func:`required_for`, :func:`required_for_posting`): the competencies the
  approved job description in force requires of the position of the posting that governs the
  period, on the period's last day — the agency's own description where it has one (the posting's
  unit, else its owning agency), else the province's common one (``org.job_descriptions``).
* **The one write service** (:func:`save`), run by every door (Form 01 on screen, the Excel
  general-marks file): **who may** (:func:`refusal`: the person's evaluator of the period; never
  the person; anyone else needs reach to the person in the period, as for the general marks);
  the agency then the period locked (``input_locks.lock_person_inputs``: the one lock order); a
  period that no longer accepts inputs refused; each level validated (1 … the competency's
  levels) with a Vietnamese message naming the competency; saved through the ORM so the change
  history records it and the period is rescored (``scoring.signals``). The state the writer saw
  is compared by the door with :func:`snapshot` (Form 01: part of ``general_marks.snapshot``).
* **The scorer's input** (:class:`BatchCompetencies`): per person, ``(code, name, required,
  assessed)`` of each required competency, read once per batch, only for people whose framework
  feeds a criterion from competencies (nothing is read otherwise).
* **Gaps for HR** (:func:`gaps`): each required competency assessed below its level.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from org import access, job_descriptions, write_gate
from org.access import CHANGE
from org.models import Agency, JobDescriptionCompetency, Posting
from scoring.models import CompetencyAssessment
from scoring.services import write_rights
from scoring.services.input_locks import lock_person_inputs
from scoring.services.postings import (
    overlapping,
    period_rule,
    pick_governing,
    posting_rows,
)

#: The key of an assessed level in the marks snapshot of Form 01 (``general_marks.snapshot``).
SNAPSHOT_SUFFIX = "competency"


@dataclass(frozen=True)
class Required:
    """One competency the position requires, at ``level`` of ``level_count``."""

    competency_id: int
    code: str
    name: str
    level: int
    level_count: int
    levels: tuple[tuple[int, str], ...] = ()

    @property
    def label(self) -> str:
        return f"{self.code} — {self.name}"


def applies(rules) -> bool:
    """Whether the framework weighs competencies (the ``competency`` rule feeds a criterion)."""
    return rules is not None and bool(rules.competency.criteria)


def _description_for(agency_id: int, position_id: int, day: datetime.date):
    agency = Agency.objects.filter(pk=agency_id).first()
    bodies = [agency]
    owner = agency.owning_agency if agency is not None else None
    if agency is not None and owner is not None and owner.pk != agency.pk:
        bodies.append(owner)
    found = None
    for body in bodies:
        version = job_descriptions.in_force_for(body, [position_id], day).get(position_id)
        if version is not None and version.agency_id is not None:
            return version
        found = found or version
    return found


def required_for_posting(agency_id: int, position_id: int, day: datetime.date) -> list[Required]:
    """The competencies the description in force on ``day`` requires of ``position_id`` for the
    agency ``agency_id`` (its own description, its owning agency's, else the province's)."""

    version = _description_for(agency_id, position_id, day)
    if version is None:
        return []
    rows = (
        JobDescriptionCompetency.objects.filter(description=version)
        .select_related("competency")
        .prefetch_related("competency__levels")
        .order_by("sort_order", "competency__code")
    )
    return [
        Required(
            competency_id=row.competency_id,
            code=row.competency.code,
            name=row.competency.name,
            level=row.required_level,
            level_count=row.competency.level_count,
            levels=tuple((level.level, level.descriptor) for level in row.competency.levels.all()),
        )
        for row in rows
    ]


def required_for(person, period) -> list[Required]:
    """The competencies the position of ``person``'s posting governing ``period`` requires."""
    return required_for_id(person.pk, period)


def required_for_ids(person_ids, period) -> dict[int, list[Required]]:
    """person id → the competencies the position of their posting governing ``period``
    requires, for many people at once (a Form 01 file): their postings in two queries, then
    each (agency, position) pair's competencies once, however many people share it."""
    ids = sorted({int(pk) for pk in person_ids})
    rule = period_rule(period)
    rows_of: dict[int, list] = {}
    for row in posting_rows(
        Posting.objects.filter(
            overlapping(period.start_date, period.end_date), civil_servant_id__in=ids
        )
    ):
        rows_of.setdefault(row.person_id, []).append(row)
    governing = {
        person: pick_governing(rows, period.start_date, period.end_date, rule)
        for person, rows in rows_of.items()
    }
    positions = dict(
        Posting.objects.filter(
            pk__in=[row.id for row in governing.values() if row is not None]
        ).values_list("id", "job_position_id")
    )
    by_pair: dict[tuple[int, int], list[Required]] = {}
    found: dict[int, list[Required]] = {}
    for person in ids:
        governing_row = governing.get(person)
        position = positions.get(governing_row.id) if governing_row is not None else None
        if governing_row is None or position is None:
            found[person] = []
            continue
        pair = (governing_row.agency_id, position)
        if pair not in by_pair:
            by_pair[pair] = required_for_posting(pair[0], position, period.end_date)
        found[person] = by_pair[pair]
    return found


def required_for_id(person_id: int, period) -> list[Required]:
    """:func:`required_for` by the person's id (:func:`required_for_ids` of one person)."""
    return required_for_ids([person_id], period)[int(person_id)]


def stored(person, period) -> dict:
    """competency id → the stored assessment of ``person`` in ``period``."""

    return {
        row.competency_id: row
        for row in CompetencyAssessment.objects.filter(civil_servant=person, period=period)
    }


def snapshot(person, period) -> dict:
    """The assessed levels as text, keyed ``"<code>|competency"`` (part of Form 01's snapshot)."""

    return {
        f"{code}|{SNAPSHOT_SUFFIX}": str(level)
        for code, level in CompetencyAssessment.objects.filter(
            civil_servant=person, period=period
        ).values_list("competency__code", "assessed_level")
    }


def own_assessment_message() -> str:
    return _(
        "Không ai tự đánh giá năng lực của chính mình: mức năng lực do người đánh giá của bạn "
        "đánh giá."
    )


def refusal(user, person, period, *, today: datetime.date | None = None) -> str | None:
    """Why ``user`` may not assess ``person``'s competencies in ``period``, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return write_rights.no_writer_message()
    if write_rights.is_own(user, person.pk):
        return own_assessment_message()
    if write_rights.evaluates(user, person.pk, period, today):
        return None
    return access.refusal(user, CHANGE, CompetencyAssessment(civil_servant=person, period=period))


def level_message(required: Required) -> str:
    return _("Năng lực “%(name)s”: cấp độ đánh giá phải là số nguyên từ 1 đến %(top)s.") % {
        "name": required.name,
        "top": required.level_count,
    }


def save(
    user,
    person,
    period,
    levels: dict[int, int | None],
    *,
    evaluator=None,
    decided_by: str | None = None,
    today: datetime.date | None = None,
    label: str = "",
    locked=None,
) -> list:
    """Store ``levels`` — competency id → assessed level (None: leave as is) — of ``person`` in
    ``period`` as ``user`` wrote them. Only competencies the position requires are accepted.
    Raises ``write_gate.Refused`` or ``ValidationError`` (messages prefixed with ``label`` when
    given); nothing is written then. ``locked``: the period already locked by the caller."""
    from django.db import transaction

    given: dict[int, int] = {key: value for key, value in levels.items() if value is not None}
    if not given:
        return []
    saved = []
    with transaction.atomic():
        locked = locked or lock_person_inputs(person, period)
        if not decided_by:
            reason = refusal(user, person, locked, today=today)
            if reason is not None:
                raise write_gate.Refused(reason)
        required = {row.competency_id: row for row in required_for(person, locked)}
        errors = []
        for competency_id, level in given.items():
            row = required.get(competency_id)
            if row is None:
                errors.append(
                    _(
                        "Năng lực này không có trong bản mô tả công việc đang áp dụng cho vị trí "
                        "việc làm của người được đánh giá."
                    )
                )
                continue
            if not isinstance(level, int) or not 1 <= level <= row.level_count:
                errors.append(level_message(row))
        if errors:
            raise ValidationError([f"{label}: {m}" if label else m for m in errors], code="invalid")
        current = {
            row.competency_id: row
            for row in CompetencyAssessment.objects.select_for_update().filter(
                civil_servant=person, period=locked, competency_id__in=list(given)
            )
        }
        for competency_id, level in given.items():
            need = required[competency_id]
            assessment = current.get(competency_id) or CompetencyAssessment(
                civil_servant=person, period=locked, competency_id=competency_id
            )
            if (
                assessment.pk
                and assessment.assessed_level == level
                and assessment.required_level == need.level
            ):
                continue
            assessment.assessed_level = level
            assessment.required_level = need.level
            if evaluator is not None:
                assessment.evaluator = evaluator
            assessment.save()
            saved.append(assessment)
    return saved


class BatchCompetencies:
    """The scorer's input, read once per batch on first use: person id → ``(code, name,
    required level, assessed level or None)`` of each competency their position requires."""

    def __init__(self, period, people=None):
        self.period = period
        self.people = people
        self._assessed: dict[int, dict[int, int]] | None = None
        self._required: dict[tuple[int, int], list[Required]] = {}

    def _load(self) -> dict[int, dict[int, int]]:
        if self._assessed is None:
            rows = CompetencyAssessment.objects.filter(period=self.period)
            if self.people is not None:
                # ``people`` as every loader takes it: ids, or a queryset (a subquery of ids,
                # e.g. an agency's batch) — never listed, which would give dicts for the latter.
                rows = rows.filter(civil_servant_id__in=self.people)
            assessed: dict[int, dict[int, int]] = {}
            for person_id, competency_id, level in rows.values_list(
                "civil_servant_id", "competency_id", "assessed_level"
            ):
                assessed.setdefault(person_id, {})[competency_id] = level
            self._assessed = assessed
        return self._assessed

    def rows(self, person_id: int, posting) -> list[tuple[str, str, int, int | None]]:

        position_id = (
            Posting.objects.filter(pk=posting.id).values_list("job_position_id", flat=True).first()
        )
        if position_id is None:
            return []
        key = (posting.agency_id, position_id)
        if key not in self._required:
            self._required[key] = required_for_posting(
                posting.agency_id, position_id, self.period.end_date
            )
        assessed = self._load().get(person_id, {})
        return [
            (row.code, row.name, row.level, assessed.get(row.competency_id))
            for row in self._required[key]
        ]


@dataclass(frozen=True)
class Gap:
    person_id: int
    person_name: str
    official_id: str
    agency_name: str
    period_label: str
    competency_code: str
    competency_name: str
    required: int
    assessed: int

    @property
    def shortfall(self) -> int:
        return self.required - self.assessed


def gaps(people, *, competency=None, period=None) -> list[Gap]:
    """Each competency assessed below its required level, for ``people`` (a queryset the viewer
    may read), the latest assessed period of each person and competency (or ``period``)."""

    rows = (
        CompetencyAssessment.objects.filter(civil_servant__in=people)
        .select_related("civil_servant", "competency", "period")
        .order_by(
            "civil_servant__full_name", "civil_servant_id", "competency__code", "-period__end_date"
        )
    )
    if competency is not None:
        rows = rows.filter(competency=competency)
    if period is not None:
        rows = rows.filter(period=period)
    agencies = _current_agencies({row.civil_servant_id for row in rows})
    seen: set[tuple[int, int]] = set()
    result = []
    for row in rows:
        key = (row.civil_servant_id, row.competency_id)
        if key in seen:
            continue
        seen.add(key)
        if row.assessed_level >= row.required_level:
            continue
        result.append(
            Gap(
                person_id=row.civil_servant_id,
                person_name=row.civil_servant.full_name,
                official_id=getattr(row.civil_servant, "official_id", "") or "",
                agency_name=agencies.get(row.civil_servant_id, ""),
                period_label=row.period.label,
                competency_code=row.competency.code,
                competency_name=row.competency.name,
                required=row.required_level,
                assessed=row.assessed_level,
            )
        )
    return result


def _current_agencies(person_ids) -> dict[int, str]:
    from django.utils import timezone

    today = timezone.localdate()
    names: dict[int, str] = {}
    for person_id, name in (
        Posting.objects.filter(civil_servant_id__in=person_ids, start_date__lte=today)
        .exclude(end_date__lt=today)
        .order_by("is_concurrent", "-start_date")
        .values_list("civil_servant_id", "agency__name")
    ):
        names.setdefault(person_id, name)
    return names
