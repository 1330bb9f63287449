"""Who may act on a rating case, derived from the evaluation-authority rules.

Roles (see docs/ratings.md, "Who acts when"):

* ``subject``   — civil servant case: the person themself (their linked user). Agency case:
  the head of the agency/unit and the users granted access to exactly that agency/unit (they
  prepare its dossier).
* ``evaluator`` — holds the meeting of the agency/unit: the evaluator of ``resolve_authority``
  (the head who tracks and evaluates the person). When that post is vacant, the rater. For an
  agency case, the subject side (its head organises the collective review).
* ``appraiser`` — the personnel (HR) advisory unit of the rater's agency: users granted
  ``agency_admin`` access on the rater's agency or above it; when the rater is the province
  chairman, Sở Nội vụ (Gia Lai plan §III.4.b, §IV.4.2.c).
* ``opinion_holder`` — whose opinion the rule requires before the decision (e.g. the province
  chairman for deputy directors and commune vice-chairmen).
* ``rater``     — decides: the rater of ``resolve_authority``; for an agency, the head of the
  nearest agency above it (province chairman for departments and communes, the director or
  commune chairman for their units; Gia Lai plan §III.1).

Everything is resolved on the case's *authority day*: today, moved into the rating year; if the
person has no posting that day, the nearest day of the year on which they had one.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.access import HOME_AFFAIRS_GROUP, civil_servant_of, is_home_affairs
from org.authority import (
    HEAD_ORDER,
    AuthorityError,
    active_rules,
    agencies_with_ancestors,
    head_posting,
    loaded_counterparts,
    loaded_parent,
    no_posting_error,
    no_rule_error,
    rater_agency_of,
    rule_target,
    select_rule,
    year_day,
)
from org.models import (
    AccessRole,
    Agency,
    AgencyAccess,
    AgencyKind,
    CivilServant,
    LeadershipRole,
    Posting,
)
from ratings.models import CaseState
from scoring.services.postings import year_authority, year_rows_held

SUBJECT = "subject"
EVALUATOR = "evaluator"
APPRAISER = "appraiser"
OPINION_HOLDER = "opinion_holder"
RATER = "rater"

ROLE_LABELS = {
    SUBJECT: gettext_lazy("Người được đánh giá"),
    EVALUATOR: gettext_lazy("Người chủ trì họp nhận xét, đánh giá"),
    APPRAISER: gettext_lazy("Bộ phận tham mưu tổ chức, cán bộ (thẩm định)"),
    OPINION_HOLDER: gettext_lazy("Người cho ý kiến"),
    RATER: gettext_lazy("Cấp có thẩm quyền xếp loại"),
}


#: Whom a case in each state waits on (for e-mails and the "waiting on me" list).
WAITING_ON: dict[str, frozenset] = {
    CaseState.DRAFT: frozenset({SUBJECT}),
    CaseState.SELF_ASSESSED: frozenset({EVALUATOR}),
    CaseState.REVIEWED: frozenset({APPRAISER}),
    CaseState.APPRAISED: frozenset({RATER}),
    CaseState.OPINION_REQUESTED: frozenset({OPINION_HOLDER}),
    CaseState.OPINION_GIVEN: frozenset({RATER}),
    CaseState.DECIDED: frozenset({APPRAISER}),
    CaseState.ON_HOLD: frozenset({APPRAISER, RATER}),
    CaseState.NOTIFIED: frozenset(),
    CaseState.CANCELLED: frozenset(),
}


def waiting_on(case, opinion_required: bool) -> frozenset:
    """Roles the case waits on; an appraised case needing an opinion waits on the appraiser."""
    if case.state == CaseState.APPRAISED and opinion_required:
        return frozenset({APPRAISER})
    return WAITING_ON.get(case.state, frozenset())


@dataclass(frozen=True)
class Holder:
    """A post on the day: the agency whose head holds it, and that head (``None`` if vacant)."""

    agency: Agency | None
    person: CivilServant | None

    @property
    def vacant(self) -> bool:
        return self.person is None

    def describe(self) -> str:
        if self.agency is None:
            return "—"
        if self.person is None:
            return _("Người đứng đầu %(agency)s (đang khuyết)") % {"agency": self.agency.name}
        return f"{self.person.full_name} — {self.agency.name}"


@dataclass
class CaseActors:
    day: datetime.date
    subject_user_ids: frozenset[int] = frozenset()
    evaluator: Holder = Holder(None, None)
    rater: Holder = Holder(None, None)
    opinion: Holder | None = None
    appraisal_agency: Agency | None = None
    is_agency_case: bool = False
    error: str = ""
    _roles_cache: dict = field(default_factory=dict, repr=False)

    @property
    def opinion_required(self) -> bool:
        return self.opinion is not None

    @property
    def appraised_by_home_affairs(self) -> bool:
        return self.appraisal_agency is not None and self.appraisal_agency.kind == (
            AgencyKind.PROVINCE
        )

    # --- one user --------------------------------------------------------------------------

    def roles_of(self, user, facts: "ActingUser | None" = None) -> frozenset[str]:
        """The roles ``user`` holds on the case; ``facts`` (``ActingUser.of(user)``) saves
        its two queries when many cases are asked about."""
        if user is None or not user.is_authenticated:
            return frozenset()
        if user.pk in self._roles_cache:
            return self._roles_cache[user.pk]
        facts = facts or ActingUser.of(user)
        roles = set()
        if user.pk in self.subject_user_ids:
            roles.add(SUBJECT)
            if self.is_agency_case:
                roles.add(EVALUATOR)
        if facts.person_id is not None:
            if _holds(self.rater, facts.person_id):
                roles.add(RATER)
            if _holds(self.evaluator, facts.person_id) or (
                self.evaluator.vacant and RATER in roles
            ):
                roles.add(EVALUATOR)
            if self.opinion is not None and _holds(self.opinion, facts.person_id):
                roles.add(OPINION_HOLDER)
        if self._is_appraiser(facts):
            roles.add(APPRAISER)
        if SUBJECT in roles:
            # Nobody appraises or decides their own (or their own body's) rating.
            roles -= {APPRAISER, RATER}
        result = frozenset(roles)
        self._roles_cache[user.pk] = result
        return result

    def _is_appraiser(self, facts: "ActingUser") -> bool:
        """Sở Nội vụ when the rater is the province chairman; else the agency admins of the
        rater's agency or an agency above it."""
        agency = self.appraisal_agency
        if agency is None:
            return False
        if agency.kind == AgencyKind.PROVINCE:
            return facts.home_affairs
        return any(agency.path.startswith(path) for path in facts.admin_paths)

    # --- everyone holding a role (for e-mails) ---------------------------------------------

    def users_for(self, role: str):
        User = get_user_model()
        if role == SUBJECT:
            return list(User.objects.filter(pk__in=self.subject_user_ids, is_active=True))
        if role == EVALUATOR:
            holder = self.rater if self.evaluator.vacant else self.evaluator
            if self.is_agency_case:
                return self.users_for(SUBJECT)
            return _user_of(holder)
        if role == RATER:
            return _user_of(self.rater)
        if role == OPINION_HOLDER:
            return _user_of(self.opinion) if self.opinion else []
        if role == APPRAISER:
            agency = self.appraisal_agency
            if agency is None:
                return []
            if agency.kind == AgencyKind.PROVINCE:
                return list(User.objects.filter(groups__name=HOME_AFFAIRS_GROUP, is_active=True))
            return list(
                User.objects.filter(
                    agency_accesses__role=AccessRole.AGENCY_ADMIN,
                    agency_accesses__agency__in=agency.ancestors(include_self=True),
                    is_active=True,
                ).distinct()
            )
        return []


def _holds(holder: Holder | None, person_id: int) -> bool:
    return holder is not None and holder.person is not None and holder.person.pk == person_id


@dataclass(frozen=True)
class ActingUser:
    """What the roles of one user depend on, loaded once (two queries) for any number of
    cases: their civil servant, whether they are Sở Nội vụ, and the paths of the agencies
    they administer (``agency_admin`` grants)."""

    person_id: int | None
    home_affairs: bool
    admin_paths: tuple[str, ...]

    @classmethod
    def of(cls, user) -> "ActingUser":
        person = civil_servant_of(user)
        person_id = person.pk if person is not None else None
        paths = AgencyAccess.objects.filter(user=user, role=AccessRole.AGENCY_ADMIN).values_list(
            "agency__path", flat=True
        )
        return cls(person_id, is_home_affairs(user), tuple(paths))


def _user_of(holder: Holder | None):
    if holder is None or holder.person is None or holder.person.user_id is None:
        return []
    user = holder.person.user
    return [user] if user is not None and user.is_active else []


# --- resolution -------------------------------------------------------------------------------


def _case_day(case, today: datetime.date | None = None) -> datetime.date:
    """The day whose authority decides ``case`` (``org.authority.year_day``, the named rule)."""
    person = case.civil_servant if case.civil_servant_id is not None else None
    return year_day(person, case.year, today)


def resolve_actors(case, today: datetime.date | None = None) -> CaseActors:
    day = _case_day(case, today)
    if case.is_agency_case:
        return _agency_actors(case, day)
    return _civil_servant_actors(case, day)


def _civil_servant_actors(case, day) -> CaseActors:
    person = case.civil_servant
    subject_ids = frozenset({person.user_id}) if person.user_id else frozenset()
    try:
        authority = year_authority(person, case.year, day)
    except AuthorityError as exc:
        return CaseActors(day=day, subject_user_ids=subject_ids, error=str(exc))
    opinion = None
    if authority.opinion is not None:
        opinion = Holder(authority.opinion.agency, authority.opinion.person)
    return CaseActors(
        day=day,
        subject_user_ids=subject_ids,
        evaluator=Holder(authority.evaluator.agency, authority.evaluator.person),
        rater=Holder(authority.rater.agency, authority.rater.person),
        opinion=opinion,
        appraisal_agency=authority.rater.agency,
    )


#: The grants on an agency that make their holder speak for it in its own rating case (its
#: self-assessment and meeting): its administrators and unit leaders. A bloc appraiser's grant
#: on the lead body ("Thẩm định khối") is for appraising the bloc, not for the body's own case
#: (review 2026-11-25, coverage M6: Ban Tổ chức's specialist became its "rated body" and chair).
SPEAKS_FOR_THE_BODY = (AccessRole.AGENCY_ADMIN, AccessRole.UNIT_LEADER)


def _agency_actors(case, day) -> CaseActors:
    agency = case.subject_agency
    head = head_posting(agency, day)
    subject_ids = set(
        AgencyAccess.objects.filter(agency=agency, role__in=SPEAKS_FOR_THE_BODY).values_list(
            "user_id", flat=True
        )
    )
    rater_agency = rater_agency_of(agency)
    rater_head = head_posting(rater_agency, day) if rater_agency else None
    return _agency_case_actors(day, agency, head, subject_ids, rater_agency, rater_head)


def _agency_case_actors(day, agency, head, subject_ids, rater_agency, rater_head) -> CaseActors:
    """An agency's case: the body speaks through its head and those granted to speak for it;
    the head of the agency above rates it (Gia Lai plan §III.1)."""
    subject_ids = set(subject_ids)
    if head is not None and head.civil_servant.user_id:
        subject_ids.add(head.civil_servant.user_id)
    error = ""
    if rater_agency is None:
        error = _("%(agency)s không có cơ quan cấp trên để công nhận kết quả xếp loại.") % {
            "agency": agency.name
        }
    return CaseActors(
        day=day,
        subject_user_ids=frozenset(subject_ids),
        evaluator=Holder(agency, head.civil_servant if head else None),
        rater=Holder(rater_agency, rater_head.civil_servant if rater_head else None),
        appraisal_agency=rater_agency,
        is_agency_case=True,
        error=error,
    )


# --- many cases at once: the posting each reads --------------------------------------------


def year_postings(items) -> dict:
    """``{key: posting}``: the posting ``resolve_actors`` resolves a case from, for many cases
    at once — the one governing the case's year when held on the case's day
    (``scoring.services.postings.year_rows_held``, as ``year_authority`` reads it), else the
    primary posting held that day (``resolve_authority``); ``None`` without one.

    ``items``: ``(key, person, year, day)``, each person with ``postings`` prefetched, each
    posting with its agency. One read of postings per year among the items."""
    by_year: dict[int, list] = {}
    for key, person, year, day in items:
        by_year.setdefault(year, []).append((key, person, day))
    chosen: dict[Any, Posting | None] = {}
    for year, group in by_year.items():
        held = year_rows_held({person.pk: day for _key, person, day in group}, year)
        for key, person, day in group:
            row, posting = held.get(person.pk), None
            if row is not None:
                posting = next((p for p in person.postings.all() if p.pk == row.id), None)
            if posting is None or not posting.is_active_on(day):
                posting = person.primary_posting_on(day)
            chosen[key] = posting
    return chosen


# --- many people's raters at once (opening the year's cases) ---------------------------------


def year_rater_agencies(people, year: int, today: datetime.date | None = None) -> dict:
    """``{person id: resolve_actors(case, today).rater.agency}`` for the cases of ``year`` of
    many people at once — what opening the year's cases records as each case's
    ``rater_agency`` (its quota group). The same rules as the one-person resolver, applied to
    rows read at once:

    * the case's day: ``org.authority.year_day``;
    * the posting: :func:`year_postings`;
    * the rule and the agency it points at: ``select_rule`` and ``rule_target`` over the
      agencies loaded with their ancestors and counterparts;
    * ``None`` where the one-person resolver has no rater: no posting that day, no rule.

    ``people``: civil servants with ``postings`` prefetched, each posting with its agency
    (``Prefetch("postings", Posting.objects.select_related("agency"))``).
    ``tests/ratings/test_rater_batch.py`` holds it equal to the one-person resolver."""
    people = list(people)
    if not people:
        return {}
    chosen = year_postings(
        (person.pk, person, year, year_day(person, year, today)) for person in people
    )
    agencies = agencies_with_ancestors([p.agency for p in chosen.values() if p is not None])
    counterpart_of = loaded_counterparts(agencies)
    rules = active_rules()
    result: dict[int, Agency | None] = {}
    for person_id, posting in chosen.items():
        rule = None
        if posting is not None:
            agency = agencies[posting.agency_id]
            rule = select_rule(rules, agency, posting.role)
        result[person_id] = (
            None
            if rule is None
            else rule_target(
                agency, rule.rater_relation, rule.rater_kind, loaded_parent, counterpart_of
            )
        )
    return result


# --- many cases at once (the "waiting for me" lists) -----------------------------------------


def resolve_actors_many(cases, today: datetime.date | None = None) -> dict[int, CaseActors]:  # noqa: C901
    """``{case id: resolve_actors(case, today)}`` for many cases in a fixed number of queries
    (one read of postings per year among the cases): the same rules applied to rows loaded at
    once — the case's day (``org.authority.year_day``), its posting (:func:`year_postings`),
    the rule and the agencies it points at (``select_rule``, ``rule_target`` over the agencies
    loaded with their ancestors and counterparts), the heads of every agency involved
    (``head_posting``'s order), the grants on the subject agencies (``_agency_actors``), and
    the one resolver's errors where there is no posting or no rule. The cases should come with
    ``prefetch_related("civil_servant__postings__agency")``.
    ``tests/ratings/test_actors_many.py`` holds it equal to the one-case resolver."""
    cases = list(cases)
    if not cases:
        return {}
    rules = active_rules()
    days = {case.pk: _case_day(case, today) for case in cases}
    postings = year_postings(
        (case.pk, case.civil_servant, case.year, days[case.pk])
        for case in cases
        if case.civil_servant_id is not None
    )
    agencies = agencies_with_ancestors(
        [p.agency for p in postings.values() if p is not None]
        + [case.subject_agency for case in cases if case.subject_agency_id is not None]
    )
    counterpart_of = loaded_counterparts(agencies)

    def owning(agency):
        while agency is not None and not agency.is_agency:
            agency = agency.parent if agency.parent_id else None
        return agency

    def target(agency, relation, kind):
        return rule_target(agency, relation, kind, loaded_parent, counterpart_of)

    # What each case needs: its rule (civil servant) and every agency whose head counts.
    # case id → (agency, rater agency) of an agency's case, (posting, targets) of a person's,
    # the one resolver's error where there is no posting or no rule
    plans: dict[int, tuple[Any, Any]] = {}
    errors: dict[int, str] = {}
    wanted: set[int] = set()
    for case in cases:
        if case.civil_servant_id is None:
            agency = agencies[case.subject_agency_id]
            rater_agency = owning(agency.parent) if agency.parent_id else None
            plans[case.pk] = (agency, rater_agency)
            wanted.update(a.pk for a in (agency, rater_agency) if a is not None)
            continue
        posting = postings[case.pk]
        if posting is None:
            errors[case.pk] = str(no_posting_error(case.civil_servant, days[case.pk]))
            continue
        agency = agencies[posting.agency_id]
        rule = select_rule(rules, agency, posting.role)
        if rule is None:
            errors[case.pk] = str(no_rule_error(posting))
            continue
        targets = {
            "evaluator": target(agency, rule.evaluator_relation, rule.evaluator_kind),
            "rater": target(agency, rule.rater_relation, rule.rater_kind),
        }
        if rule.opinion_relation:
            targets["opinion"] = target(agency, rule.opinion_relation, rule.opinion_kind)
        plans[case.pk] = (posting, targets)
        wanted.update(a.pk for a in targets.values() if a is not None)

    heads: dict[int, list] = {}
    for head in (
        Posting.objects.filter(agency_id__in=wanted, role=LeadershipRole.HEAD)
        .select_related("civil_servant__user")
        .order_by(*HEAD_ORDER)
    ):
        heads.setdefault(head.agency_id, []).append(head)

    def head_on(agency, day, exclude_id=None):
        """``org.authority.head_posting`` over the loaded heads."""
        if agency is None:
            return None
        for head in heads.get(agency.pk, []):
            if head.is_active_on(day) and head.civil_servant_id != exclude_id:
                return head
        return None

    granted: dict[int, set[int]] = {}
    for agency_id, user_id in AgencyAccess.objects.filter(
        agency_id__in=[case.subject_agency_id for case in cases if case.subject_agency_id],
        role__in=SPEAKS_FOR_THE_BODY,
    ).values_list("agency_id", "user_id"):
        granted.setdefault(agency_id, set()).add(user_id)

    result = {}
    for case in cases:
        day = days[case.pk]
        if case.civil_servant_id is None:
            agency, rater_agency = plans[case.pk]
            result[case.pk] = _agency_case_actors(
                day,
                agency,
                head_on(agency, day),
                granted.get(agency.pk, ()),
                rater_agency,
                head_on(rater_agency, day),
            )
            continue
        person = case.civil_servant
        own_ids = frozenset({person.user_id}) if person.user_id else frozenset()
        if case.pk in errors:
            result[case.pk] = CaseActors(day=day, subject_user_ids=own_ids, error=errors[case.pk])
            continue
        posting, targets = plans[case.pk]

        def holder(key, posting=posting, targets=targets, day=day):
            agency = targets[key]
            head = head_on(agency, day, exclude_id=posting.civil_servant_id)
            return Holder(agency, head.civil_servant if head else None)

        rater = holder("rater")
        result[case.pk] = CaseActors(
            day=day,
            subject_user_ids=own_ids,
            evaluator=holder("evaluator"),
            rater=rater,
            opinion=holder("opinion") if "opinion" in targets else None,
            appraisal_agency=rater.agency,
        )
    return result
