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


def _per_day(user, name: str, day: datetime.date, compute):
    """``compute(me)`` for the user's civil servant ``me``, kept on the user per day (a request's
    menu, panels and page ask the same questions); ``None`` without a civil servant."""
    me = person_of(user)
    if me is None:
        return None
    cache = user.__dict__.setdefault(f"_worklog_{name}", {})
    if day not in cache:
        cache[day] = compute(me)
    return cache[day]


def evaluated_people(user, day: datetime.date) -> list[CivilServant]:
    """The people ``user``'s civil servant evaluates on ``day``, by name."""
    found = _per_day(
        user,
        "evaluated",
        day,
        lambda me: sorted(people_evaluated_by(me, day), key=lambda p: p.full_name),
    )
    return found or []


def evaluated_person_ids(user, day: datetime.date) -> set[int]:
    """Ids of the people ``user``'s civil servant evaluates on ``day`` (no person loaded, unless
    this request already loaded them)."""
    loaded = vars(user).get("_worklog_evaluated", {}).get(day) if user is not None else None
    if loaded is not None:
        return {person.pk for person in loaded}
    return _per_day(user, "evaluated_ids", day, lambda me: evaluated_ids(me, day)) or set()


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
    known = vars(user).get("_worklog_evaluated_ids", {}).get(day) if user is not None else None
    if known is not None:
        return bool(known)
    return bool(_per_day(user, "leads", day, lambda me: evaluates_anyone(me, day)))
