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

from org.access import visible_person_q
from org.authority import (
    AuthorityError,
    evaluated_ids,
    evaluates_anyone,
    people_evaluated_by,
    resolve_authority,
)
from org.models import CivilServant
from scoring.models import AssignmentLine


def person_of(user) -> CivilServant | None:
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_worklog_person", False)
    if cached is False:
        cached = CivilServant.objects.filter(user=user).first()
        user._worklog_person = cached
    return cached


def evaluated_people(user, day: datetime.date) -> list[CivilServant]:
    """The people ``user``'s civil servant evaluates on ``day`` (cached per user and day)."""
    me = person_of(user)
    if me is None:
        return []
    cache = getattr(user, "_worklog_evaluated", None)
    if cache is None:
        cache = user._worklog_evaluated = {}
    if day not in cache:
        cache[day] = sorted(people_evaluated_by(me, day), key=lambda p: p.full_name)
    return cache[day]


def evaluated_person_ids(user, day: datetime.date) -> set[int]:
    """Ids of the people ``user``'s civil servant evaluates on ``day`` (cached per user and
    day; no person is loaded)."""
    me = person_of(user)
    if me is None:
        return set()
    cache = getattr(user, "_worklog_evaluated_ids", None)
    if cache is None:
        cache = user._worklog_evaluated_ids = {}
    if day not in cache:
        people = getattr(user, "_worklog_evaluated", {}).get(day)
        cache[day] = {p.pk for p in people} if people is not None else evaluated_ids(me, day)
    return cache[day]


def visible_people(user, day: datetime.date):
    evaluated = evaluated_person_ids(user, day)
    return CivilServant.objects.filter(visible_person_q(user, "pk") | Q(pk__in=evaluated))


def visible_lines(user, day: datetime.date):
    return AssignmentLine.objects.filter(civil_servant__in=visible_people(user, day).values("pk"))


def can_view_line(user, line, day: datetime.date) -> bool:
    return visible_lines(user, day).filter(pk=line.pk).exists()


def is_evaluator(user, person: CivilServant, day: datetime.date) -> bool:
    me = person_of(user)
    if me is None or me.pk == person.pk:
        return False
    try:
        authority = resolve_authority(person, day)
    except AuthorityError:
        return False
    evaluator = authority.evaluator.person
    return evaluator is not None and evaluator.pk == me.pk


def can_review(user, line, day: datetime.date) -> bool:
    return is_evaluator(user, line.civil_servant, day)


def is_assignee(user, line) -> bool:
    me = person_of(user)
    return me is not None and line.civil_servant_id == me.pk


def is_leader(user, day: datetime.date) -> bool:
    """Whether the user evaluates anyone on ``day`` (the menu asks on every page: one match
    is enough)."""
    known = getattr(user, "_worklog_evaluated_ids", {}).get(day)
    if known is not None:
        return bool(known)
    cache = getattr(user, "_worklog_leads", None)
    if cache is None:
        cache = user._worklog_leads = {}
    if day not in cache:
        me = person_of(user)
        cache[day] = me is not None and evaluates_anyone(me, day)
    return cache[day]
