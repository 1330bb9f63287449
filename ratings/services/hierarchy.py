"""Rules between cases of a year that depend on the org tree.

* Bottom-up (Gia Lai plan §III.4.a): an agency/unit is decided only after every active direct
  sub-unit has a decided case of the same year.
* Head below agency (Gia Lai plan §II.2.c; framework flag ``organisation.cap_head_by_agency``):
  the head of an agency/unit is rated on the basis of that agency's rating and never above it.
  When the agency has an open case of the year, it must be decided first; with no agency case
  at all the cap does not apply.
* Deputy below head when the unit has late work (legal review M5, Customs 21169 [secondary];
  framework option ``individual.deputy_cap``, default ``none``): under
  ``not_above_head_when_late`` a deputy of a unit with late work (:func:`late_tasks`) is rated
  at most the head's decided rating (``scoring.engine.cap_deputy_rating``); the head's open case
  of the year is decided first; with no head case the cap does not apply.
"""

from org.authority import head_posting
from org.models import LeadershipRole
from org_scoring.models import OrganisationTask, TaskOutcome
from ratings.models import CaseState, RatingCase
from scoring.engine import rating_rank
from scoring.models import AssignmentLine


def open_agency_case(agency, year):
    """The non-cancelled case of ``agency`` for ``year`` (or ``None``)."""
    return (
        RatingCase.objects.filter(subject_agency=agency, year=year)
        .exclude(state=CaseState.CANCELLED)
        .first()
    )


def undecided_subunits(agency, year) -> list:
    """Active direct sub-units without a decided case of ``year``, in tree order."""
    decided = set(
        RatingCase.objects.filter(subject_agency__parent=agency, year=year)
        .exclude(state=CaseState.CANCELLED)
        .exclude(decision_level="")
        .values_list("subject_agency_id", flat=True)
    )
    return [
        child
        for child in agency.children.filter(is_active=True).order_by("path")
        if child.pk not in decided
    ]


def headed_agency(person, day):
    """The agency/unit ``person`` heads on ``day`` through their primary posting, if any."""
    posting = person.primary_posting_on(day)
    if posting is None or posting.role != LeadershipRole.HEAD:
        return None
    head = head_posting(posting.agency, day)
    return posting.agency if head is not None and head.civil_servant_id == person.pk else None


def heads_above(agency_case) -> list[RatingCase]:
    """Decided cases of the agency's heads rated above the agency's own decision.

    Only possible when a head was decided before the agency had a case; the view warns so the
    competent authority can cancel and re-decide.
    """

    if not agency_case.decision_level:
        return []
    cases = (
        RatingCase.objects.filter(
            year=agency_case.year,
            civil_servant__postings__agency=agency_case.subject_agency,
            civil_servant__postings__role=LeadershipRole.HEAD,
        )
        .exclude(state=CaseState.CANCELLED)
        .exclude(decision_level="")
        .select_related("civil_servant")
        .distinct()
    )
    limit = rating_rank(agency_case.decision_level)
    return [case for case in cases if rating_rank(case.decision_level) > limit]


#: The outcomes of an organisation task that count as the unit's late work (M5): completed
#: after the deadline, or not done by it.
LATE_OUTCOMES = (TaskOutcome.LATE, TaskOutcome.NOT_DONE)


def deputied_agency(person, day):
    """The agency/unit ``person`` is a deputy (cấp phó) of on ``day`` through their primary
    posting, if any."""
    posting = person.primary_posting_on(day)
    if posting is None or posting.role != LeadershipRole.DEPUTY:
        return None
    return posting.agency


def late_tasks(agency, year, *, staff_lines: bool = False) -> int:
    """How many of the unit's organisation tasks of ``year`` were completed late or not done
    (``org_scoring.OrganisationTask``): the unit's "late work" of the deputy cap (M5). With
    ``staff_lines`` (option ``not_above_head_when_any_late``, legal review F6) also the
    products assigned in the unit that year that were delayed (``delays``) or are past their
    deadline and not fully done."""
    count = OrganisationTask.objects.filter(
        agency=agency, year=year, outcome__in=LATE_OUTCOMES
    ).count()
    if staff_lines:
        from django.db.models import F, Q
        from django.utils import timezone

        count += (
            AssignmentLine.objects.filter(unit=agency, period__year=year)
            .filter(
                Q(delays__gt=0)
                | Q(
                    completed_quantity__lt=F("assigned_quantity"),
                    deadline__lt=timezone.localdate(),
                )
            )
            .count()
        )
    return count


def head_case(agency, year, day):
    """The head of ``agency`` on ``day`` and their non-cancelled case of ``year`` (or ``None``
    for either)."""
    posting = head_posting(agency, day)
    if posting is None:
        return None, None
    case = (
        RatingCase.objects.filter(civil_servant=posting.civil_servant, year=year)
        .exclude(state=CaseState.CANCELLED)
        .first()
    )
    return posting.civil_servant, case
