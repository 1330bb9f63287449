"""Who may see, assign, work on and review assignment lines.

Reach (seeing lines) composes the one permission layer, ``org.access``: a user sees the lines
of the civil servants ``visible_civil_servants`` gives them (their own; the subtrees of their
agency grants; everything for Sở Nội vụ), plus the lines of the people they evaluate today
under the evaluation-authority rules (``org.authority``), so a unit head without an explicit
grant still sees their unit.

Acting is narrower:
* assigning to and reviewing the work of a person: only that person's evaluator on the day;
* progress, completion and evidence: only the civil servant the line belongs to.
"""

import datetime

from django.db.models import Q

from cms.ids import AnyId
from org import access
from org.access import civil_servant_of
from org.authority import (
    AuthorityError,
    evaluated_governing,
    evaluates_anyone,
    resolve_authority,
)
from org.models import CivilServant, LeadershipRole
from scoring.models import AssignmentLine
from scoring.services.postings import authority_day
from worklog.policy import EVALUATED


def _per_day(user, name: str, day: datetime.date, compute):
    """``compute(me)`` for the user's civil servant ``me``, kept on the user per day (a request's
    menu, panels and page ask the same questions); ``None`` without a civil servant."""
    me = civil_servant_of(user)
    if me is None:
        return None
    cache = user.__dict__.setdefault(_KEPT.format(name), {})
    if day not in cache:
        cache[day] = compute(me)
    return cache[day]


#: Where :func:`_per_day` keeps an answer on the user.
_KEPT = "_worklog_{}"


def _known(user, name: str, day: datetime.date):
    """The answer :func:`_per_day` kept for ``name`` and ``day`` in this request, or ``None``
    when nothing asked it yet (nothing computed here)."""
    return vars(user).get(_KEPT.format(name), {}).get(day)


def _headed(user, day: datetime.date) -> list[int]:
    """The agencies (ids) the user's civil servant heads on ``day``, from the postings the
    request read once (``org.access.posted_agency_ids``)."""
    return sorted(access.posted_agency_ids(user, (LeadershipRole.HEAD,), day))


def _evaluated(user, day: datetime.date) -> dict[int, tuple]:
    """Person id → (agency id, role) of the governing posting, for each person ``user``'s civil
    servant evaluates on ``day``: the one reading of the rules a request makes per day (menu,
    panels and page share it; ``org.authority.evaluated_governing``)."""
    return (
        _per_day(
            user,
            "evaluated",
            day,
            lambda me: evaluated_governing(me, day, headed=_headed(user, day)),
        )
        or {}
    )


def evaluated_person_ids(user, day: datetime.date) -> set[int]:
    """Ids of the people ``user``'s civil servant evaluates on ``day`` (no person loaded)."""
    return _per_day(user, "evaluated_ids", day, lambda _me: set(_evaluated(user, day))) or set()


def evaluated_units(user, day: datetime.date) -> dict[int, int]:
    """Person id → the agency (id) of the posting that governs ``day``, for each person
    ``user``'s civil servant evaluates on ``day`` (tuples, no person loaded): read with the
    people themselves, not again (a unit head of 1,283 people: one query fewer of 1,283 ids)."""

    def units(_me):
        return {person: pair[0] for person, pair in _evaluated(user, day).items()}

    return _per_day(user, "evaluated_units", day, units) or {}


def evaluated_names(user, day: datetime.date) -> list[tuple[int, str]]:
    """(id, full name) of the people ``user``'s civil servant evaluates on ``day``, by name."""
    rows = CivilServant.objects.filter(AnyId("pk", evaluated_person_ids(user, day)))
    return sorted(rows.values_list("pk", "full_name"), key=lambda row: row[1])


def evaluated_people(user, day: datetime.date, ids=None) -> list[CivilServant]:
    """The people ``user``'s civil servant evaluates on ``day`` (those of ``ids`` only, when
    given), by name, their postings prefetched."""
    evaluated = evaluated_person_ids(user, day)
    if ids is not None:
        evaluated = evaluated & set(ids)
    if not evaluated:
        return []
    people = CivilServant.objects.filter(AnyId("pk", evaluated))
    people = people.prefetch_related("postings__agency")
    return sorted(people, key=lambda person: person.full_name)


def evaluated_reach(user, *, day: datetime.date, **_context) -> Q:
    """The extra reach of the worklog (``worklog.policy.EXTRA_REACH``): the people ``user``'s
    civil servant evaluates on ``day``, whether or not a grant or a headship reaches them."""
    return Q(AnyId("pk", evaluated_person_ids(user, day)))


def visible_people(user, day: datetime.date):
    """The people whose lines ``user`` reads on ``day``: those the registry gives them, plus
    the people they evaluate that day."""
    return access.visible(user, CivilServant, extra=EVALUATED, day=day)


def visible_lines(user, day: datetime.date):
    return AssignmentLine.objects.filter(civil_servant__in=visible_people(user, day).values("pk"))


def can_view_line(user, line, day: datetime.date) -> bool:
    return visible_lines(user, day).filter(pk=line.pk).exists()


def is_evaluator(user, person: CivilServant, day: datetime.date) -> bool:
    me = civil_servant_of(user)
    if me is None or me.pk == person.pk:
        return False
    try:
        authority = resolve_authority(person, day)
    except AuthorityError:
        return False
    evaluator = authority.evaluator.person
    return evaluator is not None and evaluator.pk == me.pk


def can_review(user, line, day: datetime.date) -> bool:
    """Whether ``user`` reviews ``line`` (accepts, returns, records a delay): the evaluator on
    the day whose authority decides the person's period (``scoring.services.postings.
    authority_day``, the rule of Form 01 and the worklog's marks: the head of the unit the
    period is scored for, under the province's transfer rule). After a transfer on day D the
    former head still reviews the work of the periods before D, and the new head those from D
    on (issue 27; a period with D inside it goes where the transfer rule puts it)."""
    return is_evaluator(
        user, line.civil_servant, authority_day(line.civil_servant_id, line.period, day)
    )


def is_assignee(user, line) -> bool:
    me = civil_servant_of(user)
    return me is not None and line.civil_servant_id == me.pk


def is_leader(user, day: datetime.date) -> bool:
    """Whether the user evaluates anyone on ``day`` (the menu asks on every page; the ids are
    read once per request and day, and the page usually needs them too). A person heading no
    agency that day evaluates nobody (``org.authority.evaluated_governing``): no query more;
    a head is asked about the agencies they head and those right below first
    (``org.authority.evaluates_anyone``), unless the request already read whom they evaluate."""
    headed = _headed(user, day)
    if not headed:
        return False
    # Whoever the request already found the user evaluates (a page's panel, door or board, all
    # through :func:`_evaluated`): the same answer, no query.
    known = _known(user, "evaluated", day)
    if known is not None:
        return bool(known)
    return bool(
        _per_day(user, "evaluates", day, lambda me: evaluates_anyone(me, day, headed=headed))
    )
