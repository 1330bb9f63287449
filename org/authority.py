"""Who evaluates a civil servant on a date, who decides their rating, and whose opinion is needed.

Derived from the org tree, the postings and the ``AuthorityRule`` rows (data, not code branches):
1. take the person's primary posting on the date (agency/unit + leadership role);
2. pick the active rule for (agency kind, parent kind, role), the one naming a parent kind first;
3. for each of evaluator / rater / opinion, walk to the target agency (own, parent, nearest
   of a kind, self included, or — across trees where the province says so — the body of a
   kind "cùng cấp, cùng địa bàn", ``Agency.counterparts``) and find its head on that date.
A vacant head is reported as such (agency known, person ``None``) rather than guessed.
"""

import contextlib
import datetime
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.statements import Read, kept_rows, read
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


#: What this batch has read of the authority data (:func:`remembered`): ``None`` outside one.
_MEMO: ContextVar[dict | None] = ContextVar("authority_memo", default=None)


@contextlib.contextmanager
def remembered():
    """Within the block, the active rules and each agency's heads on a day are read once: for a
    batch that resolves many people's authority in one transaction in which none of them
    changes (opening the year's rating cases). Outside such a block every call reads."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def _remember(key: tuple, read):
    memo = _MEMO.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def active_rules() -> list[AuthorityRule]:
    return _remember(("rules",), lambda: kept_rows(_active_rules))


def active_rules_read() -> Read:
    """:func:`active_rules`' read, to send with others (``cms.statements``; not remembered)."""
    return read(_active_rules)


def _active_rules():
    return AuthorityRule.objects.filter(is_active=True)


def select_rule(rules: list[AuthorityRule], agency: Agency, role: str) -> AuthorityRule | None:
    parent = agency.parent if agency.parent_id else None
    parent_kind = parent.kind if parent is not None else ""
    candidates = [
        rule
        for rule in rules
        if rule.subject_agency_kind == agency.kind
        and rule.subject_role == role
        and rule.subject_parent_kind in ("", parent_kind)
    ]
    candidates.sort(key=lambda rule: (-rule.specificity, rule.pk or 0))
    return candidates[0] if candidates else None


# --- the day whose authority applies ---------------------------------------------------------
#
# Authority is resolved on one day. Which day is a rule of its own, named here so that every door
# asks the same question the same way.


def period_day(period, today: datetime.date | None = None) -> datetime.date:
    """The day whose authority decides a period's inputs (Form 01, the worklog's marks):
    today moved into the period — its first day before it begins, its last day once it ended."""
    today = today or timezone.localdate()
    return min(max(today, period.start_date), period.end_date)


def year_day(person: CivilServant | None, year: int, today: datetime.date | None = None):
    """The day whose authority decides a rating case of ``year``: today moved into the year;
    for a person not posted that day, the nearest day of that year they were posted."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    day = min(max(today or timezone.localdate(), first), last)
    if person is None or person.primary_posting_on(day) is not None:
        return day
    candidates = []
    for posting in person.postings.all():
        start = max(posting.start_date, first)
        end = min(posting.end_date or last, last)
        if start <= end:
            candidates.append(min(max(day, start), end))
    return min(candidates, key=lambda d: abs((d - day).days)) if candidates else day


# --- the agency a rule points at ---------------------------------------------------------------


def _orm_counterpart(agency: Agency, kind: str) -> Agency | None:
    return agency.counterparts.filter(kind=kind, is_active=True).order_by("path").first()


def rule_target(
    agency: Agency, relation: str, kind: str, parent_of, counterpart_of=None
) -> Agency | None:
    """The agency an authority rule's relation points at from ``agency``: itself, its parent,
    the nearest of ``kind`` going up (itself first), or — across trees, where the province's
    rules say so — the body of ``kind`` "cùng cấp, cùng địa bàn" (``Agency.counterparts``) of
    ``agency`` or of its nearest ancestor that has one (a commune Front's chairman → the commune
    Party committee). ``parent_of(agency)`` gives the parent (or None) and
    ``counterpart_of(agency, kind)`` the counterpart (or None): the ORM's, or loaded rows — the
    one rule for every caller."""
    if relation == Relation.COUNTERPART:
        counterpart_of = counterpart_of or _orm_counterpart
        node = agency
        while node is not None:
            found = counterpart_of(node, kind)
            if found is not None:
                return found
            node = parent_of(node)
        return None
    if relation == Relation.OWN:
        return agency
    if relation == Relation.PARENT:
        return parent_of(agency)
    if relation == Relation.NEAREST_OF_KIND:
        node = agency
        while node is not None and node.kind != kind:
            node = parent_of(node)
        return node
    return None


def _orm_parent(agency: Agency) -> Agency | None:
    return agency.parent if agency.parent_id else None


def target_agency(agency: Agency, relation: str, kind: str = "") -> Agency | None:
    return rule_target(agency, relation, kind, _orm_parent)


#: The order in which the heads of an agency held on a day are taken (:func:`head_posting`):
#: a primary posting before a concurrent one, then the latest, then the first entered.
HEAD_ORDER = ("is_concurrent", "-start_date", "pk")


def head_posting(agency: Agency, day: datetime.date, exclude: CivilServant | None = None):
    """The head (cấp trưởng) of ``agency`` on ``day``; a primary posting beats a concurrent one,
    then the latest; ``exclude``: someone who cannot be their own head (the first other)."""

    def heads() -> list[Posting]:
        return list(
            Posting.objects.filter(agency=agency, role=LeadershipRole.HEAD, start_date__lte=day)
            .exclude(end_date__lt=day)
            .select_related("civil_servant", "agency")
            .order_by(*HEAD_ORDER)
        )

    excluded = exclude.pk if exclude is not None else None
    for posting in _remember(("heads", agency.pk, day), heads):
        if posting.civil_servant_id != excluded:
            return posting
    return None


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
    *,
    posting: Posting | None = None,
) -> EvaluationAuthority:
    """The authorities of ``civil_servant`` on ``day``, from ``posting`` when the caller knows
    the posting that governs (a period's, chosen by ``scoring.services.postings.pick_governing``
    — a concurrent post under ``highest_post``: ``period_authority``), else the primary posting
    held that day."""
    if posting is None or not posting.is_active_on(day):
        posting = civil_servant.primary_posting_on(day)
    if posting is None:
        raise no_posting_error(civil_servant, day)
    rule = select_rule(rules if rules is not None else active_rules(), posting.agency, posting.role)
    if rule is None:
        raise no_rule_error(posting)
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


def no_posting_error(civil_servant: CivilServant, day: datetime.date) -> AuthorityError:
    """Why :func:`resolve_authority` finds nobody: no posting held on ``day``."""
    return AuthorityError(
        _("%(name)s không có quá trình công tác nào vào ngày %(day)s.")
        % {"name": civil_servant.full_name, "day": day.strftime("%d/%m/%Y")}
    )


def no_rule_error(posting: Posting) -> AuthorityError:
    """Why :func:`resolve_authority` finds nobody: no active rule for ``posting``'s post."""
    return AuthorityError(
        _("Chưa có quy tắc thẩm quyền cho %(role)s thuộc %(kind)s (%(agency)s).")
        % {
            "role": posting.get_role_display(),
            "kind": posting.agency.get_kind_display(),
            "agency": posting.agency.name,
        }
    )


def rater_agency_of(agency: Agency) -> Agency | None:
    """The agency whose head recognises ``agency``'s rating (nearest agency above it)."""
    parent = agency.parent if agency.parent_id is not None else None
    return parent.owning_agency if parent is not None else None


def people_evaluated_by(leader: CivilServant, day: datetime.date, as_rater: bool = False):
    """Civil servants whose evaluator (or rater) on ``day`` is ``leader``, their postings
    prefetched (see :func:`evaluated_ids`)."""
    ids = evaluated_ids(leader, day, as_rater)
    if not ids:
        return []
    return list(CivilServant.objects.filter(pk__in=ids).prefetch_related("postings__agency"))


def evaluated_ids(
    leader: CivilServant, day: datetime.date, as_rater: bool = False, *, governing=None
) -> set[int]:
    """Ids of the civil servants whose evaluator (or rater) on ``day`` is ``leader``
    (:func:`evaluated_governing`)."""
    return set(evaluated_governing(leader, day, as_rater, governing=governing))


def evaluates_anyone(
    leader: CivilServant, day: datetime.date, as_rater: bool = False, *, headed=None
) -> bool:
    """Whether :func:`evaluated_governing` finds anyone: asked first of the agencies the leader
    heads and their direct children only — where the people a head evaluates mostly sit (their
    deputies, the heads of the bodies below) — and of the whole subtree only when nobody is
    found there. Everyone found near is found by the whole question too (the same rules over
    fewer agencies), so the answer is the same; the province chairman's menu no longer reads
    every agency of the province for it."""
    return bool(evaluated_governing(leader, day, as_rater, near=True, headed=headed)) or bool(
        evaluated_governing(leader, day, as_rater, headed=headed)
    )


def evaluated_governing(
    leader: CivilServant,
    day: datetime.date,
    as_rater: bool = False,
    *,
    near: bool = False,
    governing=None,
    headed=None,
) -> dict[int, tuple]:
    """Person id → (agency id, role) of the posting that governs ``day``, for each civil
    servant whose evaluator (or rater) on ``day`` is ``leader``: the postings the rules were
    applied to, so that a page needing the people's units too reads them once.

    Every authority is the head of the subject's own agency or an ancestor of it — or, under a
    cross-tree rule, of a body "cùng địa bàn" of one of them — so the subjects of a leader sit
    inside the subtree of an agency the leader heads or of such a body's counterpart. Answered
    with a fixed number of queries whatever the size of that subtree (the province chairman's is the
    whole province), reading only the columns the rules need (a unit of thousands of people is
    a few thousand tuples, not model instances): the same rules as :func:`resolve_authority`,
    applied to rows loaded at once.

    ``near``: only subjects whose governing posting is in an agency the leader heads or a direct
    child of one, among the first few people posted there (a subset of the whole answer, for
    :func:`evaluates_anyone`).

    ``governing``: ``governing(people, day) -> {person: (agency id, role)}``, the posting that
    governs for each of ``people`` (a subquery of ids), when it is not the one held that day
    (:func:`org.postings.governing_on`): a rating case's, the posting governing its year
    (``ratings.case_reads.waiting``, as ``resolve_actors`` reads it).

    ``headed``: the ids of the agencies ``leader`` heads on ``day``, when the caller has them
    (a request's user: ``org.access.posted_agency_ids``, read with the user's other postings);
    read from the leader's postings otherwise.
    """
    if headed is None:
        headed = [
            p.agency_id
            for p in leader.postings.all()
            if p.is_active_on(day) and p.role == LeadershipRole.HEAD
        ]
    if not headed:
        return {}
    rules = active_rules()
    # Heads of the agencies the leader heads, in the order head_posting() would pick them.
    heads: dict[int, list[Posting]] = {}
    for posting in (
        Posting.objects.filter(agency_id__in=headed, role=LeadershipRole.HEAD, start_date__lte=day)
        .exclude(end_date__lt=day)
        .select_related("agency")
        .order_by(*HEAD_ORDER)
    ):
        heads.setdefault(posting.agency_id, []).append(posting)
    # The leader's own head postings are among them: each headed agency comes with its heads.
    headed_agencies = [postings[0].agency for postings in heads.values()]
    # Every subject's governing posting sits in a subtree the leader heads (its rule's target is
    # the agency itself or an ancestor). Those subtrees are a few hundred agencies at most: the
    # rules are applied to each (agency, role) of them here, which leaves the exact pairs whose
    # holder the leader evaluates, and the postings are then read by the (agency, role) index
    # instead of a scan of every posting of the province through the rules' conditions.
    agencies, subtree = _subject_agencies(headed_agencies, rules, as_rater, near)
    roles = {rule.subject_role for rule in rules}
    counterpart_of = _loaded_counterparts(agencies)
    targets = {}  # (agency id, role) -> the headed agency whose head evaluates its holder
    for agency in subtree:
        for role in roles:
            target = _rule_target(rules, agencies, agency, role, as_rater, counterpart_of)
            if target is not None and target.pk in heads:
                targets[agency.pk, role] = target.pk
    if not targets:
        return {}
    held = Q(pk__in=[])
    for role in roles:
        ids = sorted(agency for agency, held_role in targets if held_role == role)
        if ids:
            held |= Q(role=role, agency_id__in=ids)
    candidates = (
        active_on(day).filter(held).exclude(civil_servant=leader.pk).values("civil_servant")
    )
    if near:  # a sample is enough to find someone (a unit of 1,283 people: 32 of them)
        candidates = candidates.order_by("civil_servant")[:32]
    found: dict[int, tuple] = {}
    # A candidate's governing posting may be another one (a concurrent posting in the subtree,
    # the primary one elsewhere): it decides, and a pair outside ``targets`` evaluates no one
    # the leader heads.
    if governing is None:
        chosen = governing_on(candidates, day, "agency_id", "role")
    else:
        chosen = governing(candidates, day)
    for person, pair in chosen.items():
        target = targets.get(pair)
        if target is None:
            continue
        head = next((h for h in heads[target] if h.civil_servant_id != person), None)
        if head is not None and head.civil_servant_id == leader.pk:
            found[person] = pair
    return found


def _subject_agencies(headed: list[Agency], rules, as_rater: bool, near: bool):
    """``({pk: agency}, subtree)``: the agencies where a leader heading ``headed`` may have
    subjects (``subtree``), loaded with their ancestors, parents attached."""
    ids = [agency.pk for agency in headed]
    if near:
        # The agencies headed, their children and their ancestors — the children's ancestors
        # are the headed agencies and theirs, known from the paths already read: one query.
        above = {pk for agency in headed for pk in [*agency.ancestor_ids(), agency.pk]}
        agencies = _with_parents(Agency.objects.filter(Q(pk__in=above) | Q(parent_id__in=ids)))
        return agencies, [a for a in agencies.values() if a.pk in ids or a.parent_id in ids]
    paths = tuple(agency.path for agency in headed)
    if any(Relation.COUNTERPART in _relations(rule, as_rater) for rule in rules):
        # Across trees: the subtrees of the bodies "cùng địa bàn" of the agencies the leader
        # heads (the commune Front, for the commune Party secretary) hold subjects too.
        paths += tuple(Agency.objects.filter(counterparts__in=ids).values_list("path", flat=True))
    agencies = _agencies_with_ancestors(Agency.objects.within(paths).only("path"))
    return agencies, [agency for agency in agencies.values() if agency.path.startswith(paths)]


def _relations(rule: AuthorityRule, as_rater: bool) -> tuple[str, ...]:
    return (rule.rater_relation,) if as_rater else (rule.evaluator_relation,)


def _loaded_counterparts(agencies: dict[int, Agency]):
    """``counterpart_of(agency, kind)`` over the counterparts of ``agencies`` (one query)."""
    through = Agency.counterparts.through
    pairs = list(
        through.objects.filter(from_agency_id__in=list(agencies)).values_list(
            "from_agency_id", "to_agency_id"
        )
    )
    if not pairs:
        return lambda agency, kind: None
    loaded = {
        agency.pk: agency
        for agency in Agency.objects.filter(pk__in={to for _f, to in pairs}, is_active=True)
    }
    by_agency: dict[int, list[Agency]] = {}
    for source, target in pairs:
        if target in loaded:
            by_agency.setdefault(source, []).append(loaded[target])

    def counterpart_of(agency: Agency, kind: str) -> Agency | None:
        found = sorted(
            (a for a in by_agency.get(agency.pk, []) if a.kind == kind), key=lambda a: a.path
        )
        return found[0] if found else None

    return counterpart_of


def _rule_target(
    rules,
    agencies: dict[int, Agency],
    agency: Agency,
    role: str,
    as_rater: bool,
    counterpart_of=None,
):
    """The agency whose head evaluates (or rates) the holder of ``role`` in ``agency`` under the
    rule :func:`select_rule` picks, over loaded ``agencies`` (no query); ``None`` without one."""
    rule = select_rule(rules, agency, role)
    if rule is None:
        return None
    relation, kind = (
        (rule.rater_relation, rule.rater_kind)
        if as_rater
        else (rule.evaluator_relation, rule.evaluator_kind)
    )
    return rule_target(agency, relation, kind, _orm_parent, counterpart_of)


def _agencies_with_ancestors(agencies) -> dict[int, Agency]:
    """``{pk: agency}`` for ``agencies`` and all their ancestors, parents attached (one query)."""
    ids = {pk for agency in agencies for pk in [*agency.ancestor_ids(), agency.pk]}
    return _with_parents(Agency.objects.filter(pk__in=ids))


def _with_parents(agencies) -> dict[int, Agency]:
    """``{pk: agency}`` of ``agencies`` (which hold every one's parent), parents attached."""
    loaded = {agency.pk: agency for agency in agencies}
    for agency in loaded.values():
        if agency.parent_id:
            agency.parent = loaded[agency.parent_id]
    return loaded


def agencies_with_ancestors(agencies) -> dict[int, Agency]:
    """Public name of :func:`_agencies_with_ancestors` (the batch resolvers load with it)."""
    return _agencies_with_ancestors(agencies)


def loaded_counterparts(agencies: dict[int, Agency]):
    """Public name of :func:`_loaded_counterparts` (the batch resolvers pass it to
    :func:`rule_target`)."""
    return _loaded_counterparts(agencies)


def loaded_parent(agency: Agency) -> Agency | None:
    """The parent of an agency loaded by :func:`agencies_with_ancestors` (attached: no query)."""
    return _orm_parent(agency)
