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

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.access import HOME_AFFAIRS_GROUP, is_home_affairs
from org.authority import AuthorityError, head_posting, rater_agency_of, resolve_authority
from org.models import AccessRole, Agency, AgencyAccess, AgencyKind, CivilServant
from ratings.deadlines import clamp_to_year

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

    def roles_of(self, user) -> frozenset[str]:
        if user is None or not user.is_authenticated:
            return frozenset()
        if user.pk in self._roles_cache:
            return self._roles_cache[user.pk]
        person = CivilServant.objects.filter(user=user).first()
        roles = set()
        if user.pk in self.subject_user_ids:
            roles.add(SUBJECT)
            if self.is_agency_case:
                roles.add(EVALUATOR)
        if person is not None:
            if _holds(self.rater, person):
                roles.add(RATER)
            if _holds(self.evaluator, person) or (self.evaluator.vacant and RATER in roles):
                roles.add(EVALUATOR)
            if self.opinion is not None and _holds(self.opinion, person):
                roles.add(OPINION_HOLDER)
        if self._is_appraiser(user):
            roles.add(APPRAISER)
        result = frozenset(roles)
        self._roles_cache[user.pk] = result
        return result

    def _is_appraiser(self, user) -> bool:
        agency = self.appraisal_agency
        if agency is None:
            return False
        if agency.kind == AgencyKind.PROVINCE:
            return is_home_affairs(user)
        return AgencyAccess.objects.filter(
            user=user, role=AccessRole.AGENCY_ADMIN, agency__in=agency.ancestors(include_self=True)
        ).exists()

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


def _holds(holder: Holder | None, person: CivilServant) -> bool:
    return holder is not None and holder.person is not None and holder.person.pk == person.pk


def _user_of(holder: Holder | None):
    if holder is None or holder.person is None or holder.person.user_id is None:
        return []
    user = holder.person.user
    return [user] if user.is_active else []


# --- resolution -------------------------------------------------------------------------------


def authority_day(case, today: datetime.date | None = None) -> datetime.date:
    """Today moved into the rating year; for a person, a day of that year they were posted."""
    day = clamp_to_year(today or timezone.localdate(), case.year)
    if case.civil_servant_id is None:
        return day
    person = case.civil_servant
    if person.primary_posting_on(day) is not None:
        return day
    first, last = datetime.date(case.year, 1, 1), datetime.date(case.year, 12, 31)
    candidates = []
    for posting in person.postings.all():
        start = max(posting.start_date, first)
        end = min(posting.end_date or last, last)
        if start <= end:
            candidates.append(min(max(day, start), end))
    return min(candidates, key=lambda d: abs((d - day).days)) if candidates else day


def resolve_actors(case, today: datetime.date | None = None) -> CaseActors:
    day = authority_day(case, today)
    if case.is_agency_case:
        return _agency_actors(case, day)
    return _civil_servant_actors(case, day)


def _civil_servant_actors(case, day) -> CaseActors:
    person = case.civil_servant
    subject_ids = frozenset({person.user_id}) if person.user_id else frozenset()
    try:
        authority = resolve_authority(person, day)
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


def _agency_actors(case, day) -> CaseActors:
    agency = case.subject_agency
    head = head_posting(agency, day)
    subject_ids = set(AgencyAccess.objects.filter(agency=agency).values_list("user_id", flat=True))
    if head is not None and head.civil_servant.user_id:
        subject_ids.add(head.civil_servant.user_id)
    rater_agency = rater_agency_of(agency)
    error = ""
    if rater_agency is None:
        error = _("%(agency)s không có cơ quan cấp trên để công nhận kết quả xếp loại.") % {
            "agency": agency.name
        }
    rater_head = head_posting(rater_agency, day) if rater_agency else None
    return CaseActors(
        day=day,
        subject_user_ids=frozenset(subject_ids),
        evaluator=Holder(agency, head.civil_servant if head else None),
        rater=Holder(rater_agency, rater_head.civil_servant if rater_head else None),
        appraisal_agency=rater_agency,
        is_agency_case=True,
        error=error,
    )
