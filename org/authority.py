"""Who evaluates a civil servant on a date, who decides their rating, and whose opinion is needed.

Derived from the org tree, the postings and the ``AuthorityRule`` rows (data, not code branches):
1. take the person's primary posting on the date (agency/unit + leadership role);
2. pick the active rule for (agency kind, parent kind, role), the one naming a parent kind first;
3. for each of evaluator / rater / opinion, walk to the target agency (own, parent, or nearest
   of a kind, self included) and find its head on that date.
A vacant head is reported as such (agency known, person ``None``) rather than guessed.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from org.models import Agency, AuthorityRule, CivilServant, LeadershipRole, Posting, Relation
from org.postings import active_on, governing_on


class AuthorityError(Exception):
    """Raised when no authority can be derived; the message is shown to users."""


@dataclass(frozen=True)
class AuthorityHolder:
    agency: Agency | None
    posting: Posting | None

    @property
    def person(self) -> CivilServant | None:
        return self.posting.civil_servant if self.posting else None

    @property
    def is_vacant(self) -> bool:
        return self.agency is not None and self.posting is None


@dataclass(frozen=True)
class EvaluationAuthority:
    subject: CivilServant
    posting: Posting
    rule: AuthorityRule
    evaluator: AuthorityHolder
    rater: AuthorityHolder
    opinion: AuthorityHolder | None


def active_rules() -> list[AuthorityRule]:
    return list(AuthorityRule.objects.filter(is_active=True))


def select_rule(rules: list[AuthorityRule], agency: Agency, role: str) -> AuthorityRule | None:
    parent_kind = agency.parent.kind if agency.parent_id else ""
    candidates = [
        rule
        for rule in rules
        if rule.subject_agency_kind == agency.kind
        and rule.subject_role == role
        and rule.subject_parent_kind in ("", parent_kind)
    ]
    candidates.sort(key=lambda rule: (-rule.specificity, rule.pk or 0))
    return candidates[0] if candidates else None


def target_agency(agency: Agency, relation: str, kind: str = "") -> Agency | None:
    if relation == Relation.OWN:
        return agency
    if relation == Relation.PARENT:
        return agency.parent
    if relation == Relation.NEAREST_OF_KIND:
        return agency.nearest_of_kind(kind, include_self=True)
    return None


def head_posting(agency: Agency, day: datetime.date, exclude: CivilServant | None = None):
    """The head (cấp trưởng) of ``agency`` on ``day``; a primary posting beats a concurrent one."""
    postings = (
        Posting.objects.filter(agency=agency, role=LeadershipRole.HEAD, start_date__lte=day)
        .exclude(end_date__lt=day)
        .select_related("civil_servant", "agency")
        .order_by("is_concurrent", "-start_date")
    )
    if exclude is not None:
        postings = postings.exclude(civil_servant=exclude)
    return postings.first()


def _holder(posting: Posting, relation: str, kind: str, day) -> AuthorityHolder:
    agency = target_agency(posting.agency, relation, kind)
    if agency is None:
        return AuthorityHolder(agency=None, posting=None)
    return AuthorityHolder(
        agency=agency, posting=head_posting(agency, day, exclude=posting.civil_servant)
    )


def resolve_authority(
    civil_servant: CivilServant,
    day: datetime.date,
    rules: list[AuthorityRule] | None = None,
) -> EvaluationAuthority:
    posting = civil_servant.primary_posting_on(day)
    if posting is None:
        raise AuthorityError(
            _("%(name)s không có quá trình công tác nào vào ngày %(day)s.")
            % {"name": civil_servant.full_name, "day": day.strftime("%d/%m/%Y")}
        )
    rule = select_rule(rules if rules is not None else active_rules(), posting.agency, posting.role)
    if rule is None:
        raise AuthorityError(
            _("Chưa có quy tắc thẩm quyền cho %(role)s thuộc %(kind)s (%(agency)s).")
            % {
                "role": posting.get_role_display(),
                "kind": posting.agency.get_kind_display(),
                "agency": posting.agency.name,
            }
        )
    opinion = None
    if rule.opinion_relation:
        opinion = _holder(posting, rule.opinion_relation, rule.opinion_kind, day)
    return EvaluationAuthority(
        subject=civil_servant,
        posting=posting,
        rule=rule,
        evaluator=_holder(posting, rule.evaluator_relation, rule.evaluator_kind, day),
        rater=_holder(posting, rule.rater_relation, rule.rater_kind, day),
        opinion=opinion,
    )


def rater_agency_of(agency: Agency) -> Agency | None:
    """The agency whose head recognises ``agency``'s rating (nearest agency above it)."""
    if agency.parent_id is None:
        return None
    return agency.parent.owning_agency


def people_evaluated_by(leader: CivilServant, day: datetime.date, as_rater: bool = False):
    """Civil servants whose evaluator (or rater) on ``day`` is ``leader``, their postings
    prefetched (see :func:`evaluated_ids`)."""
    ids = evaluated_ids(leader, day, as_rater)
    if not ids:
        return []
    return list(CivilServant.objects.filter(pk__in=ids).prefetch_related("postings__agency"))


def evaluates_anyone(leader: CivilServant, day: datetime.date, as_rater: bool = False) -> bool:
    return bool(evaluated_ids(leader, day, as_rater, first=True))


def evaluated_ids(
    leader: CivilServant, day: datetime.date, as_rater: bool = False, *, first: bool = False
) -> set[int]:
    """Ids of the civil servants whose evaluator (or rater) on ``day`` is ``leader`` (with
    ``first``, at most one: whether there is any).

    Every authority is the head of the subject's own agency or an ancestor of it, so the subjects
    of a leader always sit inside the subtree of an agency the leader heads. Answered with a
    fixed number of queries whatever the size of that subtree (the province chairman's is the
    whole province), reading only the columns the rules need (a unit of thousands of people is
    a few thousand tuples, not model instances): the same rules as :func:`resolve_authority`,
    applied to rows loaded at once.
    """
    postings_of_leader = [p for p in leader.postings.all() if p.is_active_on(day)]
    headed = [p.agency_id for p in postings_of_leader if p.role == LeadershipRole.HEAD]
    if not headed:
        return set()
    rules = active_rules()
    # Heads of the agencies the leader heads, in the order head_posting() would pick them.
    heads: dict[int, list[Posting]] = {}
    for posting in (
        Posting.objects.filter(agency_id__in=headed, role=LeadershipRole.HEAD, start_date__lte=day)
        .exclude(end_date__lt=day)
        .select_related("agency")
        .order_by("is_concurrent", "-start_date")
    ):
        heads.setdefault(posting.agency_id, []).append(posting)
    # The leader's own head postings are among them: each headed agency comes with its heads.
    headed_agencies = [postings[0].agency for postings in heads.values()]
    # Only the subtrees the leader heads (an index lookup by agency, not a scan of every
    # posting of the province through the rules' conditions).
    under = Q(pk__in=[])
    for agency in headed_agencies:
        under |= Q(path__startswith=agency.path)
    subtree = list(Agency.objects.filter(under).values_list("pk", flat=True))
    candidates = (
        active_on(day)
        .filter(agency_id__in=subtree)
        .filter(_could_be_subject(rules, headed_agencies, as_rater))
        .exclude(civil_servant=leader.pk)
        .values("civil_servant")
    )
    governing = governing_on(candidates, day, "agency_id", "role")
    agencies = _agencies_with_ancestors(
        Agency.objects.filter(pk__in={agency for agency, _role in governing.values()})
    )
    found = set()
    for person, (agency_id, role) in governing.items():
        agency = agencies[agency_id]
        rule = select_rule(rules, agency, role)
        if rule is None:
            continue
        relation, kind = (
            (rule.rater_relation, rule.rater_kind)
            if as_rater
            else (rule.evaluator_relation, rule.evaluator_kind)
        )
        target = _target_in(agencies, agency, relation, kind)
        if target is None or target.pk not in heads:
            continue
        head = next((h for h in heads[target.pk] if h.civil_servant_id != person), None)
        if head is not None and head.civil_servant_id == leader.pk:
            found.add(person)
            if first:
                break
    return found


def _could_be_subject(rules, headed_agencies, as_rater: bool) -> Q:
    """Postings whose holder a rule could send to one of ``headed_agencies``: a superset of the
    leader's subjects, narrowed by the rules so that the province chairman does not load the
    whole province to find the department heads."""
    headed = [agency.pk for agency in headed_agencies]
    query = Q(pk__in=[])
    for rule in rules:
        relation, kind = (
            (rule.rater_relation, rule.rater_kind)
            if as_rater
            else (rule.evaluator_relation, rule.evaluator_kind)
        )
        subject = Q(role=rule.subject_role, agency__kind=rule.subject_agency_kind)
        if rule.subject_parent_kind:
            subject &= Q(agency__parent__kind=rule.subject_parent_kind)
        if relation == Relation.OWN:
            query |= subject & Q(agency_id__in=headed)
        elif relation == Relation.PARENT:
            query |= subject & Q(agency__parent_id__in=headed)
        elif relation == Relation.NEAREST_OF_KIND:
            under = Q(pk__in=[])
            for agency in headed_agencies:
                if agency.kind == kind:
                    under |= Q(agency__path__startswith=agency.path)
            query |= subject & under
    return query


def _agencies_with_ancestors(agencies) -> dict[int, Agency]:
    """``{pk: agency}`` for ``agencies`` and all their ancestors, parents attached (one query)."""
    ids = {int(part) for agency in agencies for part in agency.path.strip("/").split("/") if part}
    loaded = {agency.pk: agency for agency in Agency.objects.filter(pk__in=ids)}
    for agency in loaded.values():
        if agency.parent_id:
            agency.parent = loaded[agency.parent_id]
    return loaded


def _target_in(agencies: dict[int, Agency], agency: Agency, relation: str, kind: str):
    """:func:`target_agency` over loaded agencies (no query)."""
    if relation == Relation.OWN:
        return agency
    if relation == Relation.PARENT:
        return agency.parent if agency.parent_id else None
    if relation == Relation.NEAREST_OF_KIND:
        node = agency
        while node is not None:
            if node.kind == kind:
                return node
            node = node.parent if node.parent_id else None
    return None
