"""The rating cases waiting for one user's action, and what blocks each — the home panel
"Hồ sơ xếp loại chờ tôi xử lý" and the list's "Chỉ hồ sơ đang chờ tôi".

A case waits for a user when the user holds one of the roles its state waits on
(``ratings.workflow.transitions.waiting_on``; the roles are those of ``ratings.actors``)
— the same answer as opening each case, but in a fixed number of queries whatever the number of
cases:

1. the candidates: the cases the user may see (``ratings.access.visible_cases``), not finished,
   narrowed to those where the user could hold a waited-on role — their own case; the cases of
   the agencies they head or are granted; the people they evaluate or rate
   (``org.authority.people_evaluated_by``, itself a fixed number of queries); opinions asked
   inside the subtrees they head; for appraisers, cases rated inside the agencies they
   administer (Sở Nội vụ: rated by the province chairman);
2. the roles on every candidate, resolved at once (``resolve_actors_many``);
3. for the cases the user is to decide, the prerequisites of the decision
   (``ratings.services.prerequisites``: opinion, sub-units, the agency of a head, the quota),
   their data loaded at once — except the quota, loaded once per quota group with an
   "excellent" proposal.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cms.ids import AnyId
from org.access import headed_agencies
from org.authority import evaluated_ids
from org.models import Agency, AgencyKind, CivilServant, LeadershipRole, Posting, within_q
from org.postings import governing_on
from ratings.access import visible_cases
from ratings.actors import ActingUser, resolve_actors_many, waiting_on
from ratings.deadlines import clamp_to_year
from ratings.models import CaseKind, CaseState, RatingCase
from ratings.services.prerequisites import (
    Check,
    agency_first_check,
    opinion_check,
    quota_check,
    subunits_check,
)
from ratings.workflow.transitions import TRANSITIONS
from scoring.services.postings import year_rows_held

S = CaseState
FINISHED = (S.NOTIFIED, S.CANCELLED)
#: The step each waited-on action moves the case by (side actions — hold, cancel, return,
#: complain — are never what a case waits for).
MAIN_ACTIONS = (
    "self_assess",
    "review",
    "appraise",
    "request_opinion",
    "give_opinion",
    "decide",
    "notify",
    "resume",
)
APPRAISER_STATES = (S.REVIEWED, S.APPRAISED, S.DECIDED, S.ON_HOLD)
PERSON_STATES = (S.SELF_ASSESSED, S.APPRAISED, S.OPINION_GIVEN, S.ON_HOLD)


@dataclass
class WaitingCase:
    case: RatingCase
    actions: list = field(default_factory=list)  # the transitions the user is to perform
    blockers: list[Check] = field(default_factory=list)  # unmet prerequisites of a decision

    @property
    def url(self) -> str:
        return reverse("ratings_case", args=[self.case.pk])

    @property
    def blocked(self) -> bool:
        return bool(self.blockers)


def _year_governing(year: int):
    """For ``org.authority.evaluated_ids``: each person's posting as a case of ``year`` reads it
    (``scoring.services.postings.year_rows_held``, as ``resolve_actors`` and
    ``ratings.actors.year_postings`` read it), else the one held that day. So a case waits on
    the leader its page names, not on the head of the person's primary post."""

    def governing(people, day: datetime.date) -> dict[int, tuple]:
        on_day = governing_on(people, day, "agency_id", "role")
        held = year_rows_held(dict.fromkeys(on_day, day), year)
        return {
            person: (held[person].agency_id, held[person].role) if person in held else pair
            for person, pair in on_day.items()
        }

    return governing


def _candidates(user, facts: ActingUser, today: datetime.date):
    cases = visible_cases(user).exclude(state__in=FINISHED)
    headed = headed_agencies(user, today)
    headed_paths = [agency.path for agency in headed]
    own = Q(civil_servant__user=user) | Q(
        kind=CaseKind.AGENCY,
        subject_agency__in=[a.pk for a in headed]
        + list(user.agency_accesses.values_list("agency_id", flat=True)),
    )
    query = own
    person_cases = cases.filter(state__in=PERSON_STATES, kind=CaseKind.CIVIL_SERVANT).filter(
        within_q(headed_paths, "agency")
    )
    if facts.person_id is not None and headed:
        query |= Q(state=S.OPINION_REQUESTED) & within_q(headed_paths, "agency")
        query |= Q(kind=CaseKind.AGENCY, state__in=PERSON_STATES) & within_q(
            headed_paths, "subject_agency"
        )
    years = (
        list(person_cases.values_list("year", flat=True).distinct().order_by())
        if facts.person_id is not None and headed
        else []
    )
    if years:  # whom the user evaluates or rates: only asked when such a case is in the way
        leader = CivilServant.objects.prefetch_related("postings").get(pk=facts.person_id)
        people = set()
        for year in years:
            day, governing = clamp_to_year(today, year), _year_governing(year)
            people |= evaluated_ids(leader, day, governing=governing)
            people |= evaluated_ids(leader, day, as_rater=True, governing=governing)
        query |= Q(
            AnyId("civil_servant_id", people),
            kind=CaseKind.CIVIL_SERVANT,
            state__in=PERSON_STATES,
        )
    if facts.home_affairs:
        query |= Q(state__in=APPRAISER_STATES) & (
            Q(rater_agency__kind=AgencyKind.PROVINCE) | Q(rater_agency__isnull=True)
        )
    if facts.admin_paths:
        query |= Q(state__in=APPRAISER_STATES) & within_q(facts.admin_paths, "agency")
    return (
        cases.filter(query)
        .select_related("civil_servant", "subject_agency", "agency")
        .prefetch_related("civil_servant__postings__agency")
        .order_by("agency__path", "kind", "civil_servant__full_name", "id")
    )


def cases_waiting_for(user, today: datetime.date | None = None) -> list[WaitingCase]:
    """The cases waiting for ``user``, in the order of the case list, each with the actions
    expected of the user and, where the user decides, what still blocks the decision."""
    if user is None or not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    facts = ActingUser.of(user)
    candidates = list(_candidates(user, facts, today))
    actors = resolve_actors_many(candidates, today)
    waiting = []
    for case in candidates:
        case_actors = actors[case.pk]
        mine = case_actors.roles_of(user, facts) & waiting_on(case, case_actors.opinion_required)
        if not mine:
            continue
        actions = [
            TRANSITIONS[name]
            for name in MAIN_ACTIONS
            if case.kind in TRANSITIONS[name].kinds
            and case.state in TRANSITIONS[name].sources
            and TRANSITIONS[name].actors & mine
            and (name != "request_opinion" or case_actors.opinion_required)
        ]
        waiting.append(WaitingCase(case, actions))
    _attach_blockers([w for w in waiting if _decides(w)], actors)
    return waiting


def _decides(item: WaitingCase) -> bool:
    return any(t.action == "decide" for t in item.actions)


def _attach_blockers(items: list[WaitingCase], actors) -> None:
    """The unmet prerequisites of each decision, their data loaded for all cases at once."""
    if not items:
        return
    agency_cases = [w.case for w in items if w.case.is_agency_case]
    pending, sub_cases = _undecided_subunits_many(agency_cases)
    heads = _headed_agencies_many([w.case for w in items if not w.case.is_agency_case], actors)
    headed_cases = {
        (c.subject_agency_id, c.year): c
        for c in RatingCase.objects.filter(
            subject_agency__in=[a.pk for a, _year in heads.values()],
            year__in={year for _agency, year in heads.values()},
        ).exclude(state=S.CANCELLED)
    }
    quotas = {}
    for item in items:
        case = item.case
        checks = [opinion_check(case, actors[case.pk])]
        if case.is_agency_case:
            checks.append(subunits_check(case, pending.get(case.subject_agency_id, []), sub_cases))
        else:
            agency, _year = heads.get(case.pk, (None, None))
            agency_case = headed_cases.get((agency.pk, case.year)) if agency is not None else None
            checks.append(agency_first_check(case, actors[case.pk].day, agency, agency_case))
            if case.proposal_level == "excellent":
                key = (case.year, case.agency_id, case.role, case.position_group)
                if key not in quotas:
                    quotas[key] = quota_check(case)
                checks.append(quotas[key])
        item.blockers = [c for c in checks if c is not None and not c.done]


def _undecided_subunits_many(agency_cases):
    """``ratings.services.hierarchy.undecided_subunits`` for many agencies (two queries), and
    the open cases of those sub-units for the links."""
    if not agency_cases:
        return {}, {}
    parents = {c.subject_agency_id for c in agency_cases}
    years = {c.year for c in agency_cases}
    children = list(Agency.objects.filter(parent__in=parents, is_active=True).order_by("path"))
    cases = {
        (c.subject_agency_id, c.year): c
        for c in RatingCase.objects.filter(
            subject_agency__in=[a.pk for a in children], year__in=years
        ).exclude(state=S.CANCELLED)
    }
    pending: dict[int, list] = {}
    sub_cases = {}
    for case in agency_cases:
        for child in children:
            if child.parent_id != case.subject_agency_id:
                continue
            sub = cases.get((child.pk, case.year))
            if sub is None or not sub.decision_level:
                pending.setdefault(case.subject_agency_id, []).append(child)
                if sub is not None:
                    sub_cases[child.pk] = sub
    return pending, sub_cases


def _headed_agencies_many(cases, actors) -> dict:
    """``{case id: (agency, year)}`` for the people who head an agency/unit on the case's
    authority day (``ratings.services.hierarchy.headed_agency``) — from the postings already
    loaded and the heads loaded with the actors (one query)."""
    found: dict[int, tuple] = {}
    candidates = {}
    for case in cases:
        posting = case.civil_servant.primary_posting_on(actors[case.pk].day)
        if posting is not None and posting.role == LeadershipRole.HEAD:
            candidates[case.pk] = posting
    if not candidates:
        return found
    heads: dict[int, list] = {}
    for head in (
        Posting.objects.filter(
            agency__in={p.agency_id for p in candidates.values()}, role=LeadershipRole.HEAD
        )
        .select_related("agency")
        .order_by("is_concurrent", "-start_date")
    ):
        heads.setdefault(head.agency_id, []).append(head)
    for case in cases:
        candidate = candidates.get(case.pk)
        if candidate is None:
            continue
        day = actors[case.pk].day
        heading = next((h for h in heads.get(candidate.agency_id, []) if h.is_active_on(day)), None)
        if heading is not None and heading.civil_servant_id == case.civil_servant_id:
            found[case.pk] = (heading.agency, case.year)
    return found
