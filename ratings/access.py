"""Who may see which rating cases — asked of the one permission layer, ``org.access``, with the
scope and the extra reach ``ratings.policy`` declares:

* Sở Nội vụ and superusers: every case.
* Users granted agencies: the cases of people posted in, and of agencies inside, those subtrees.
* A civil servant: their own cases.
* A head of an agency/unit (through their linked civil servant, today): the cases inside the
  subtree they head — they evaluate, rate or give opinions there.
* Anyone holding a role on a case (``ratings.actors``) may open that case.

Acting is a separate question, answered by the workflow roles (``ratings.workflow``).
"""

from django.db.models import Q

from org import access
from org.access import (
    has_grant,
    is_home_affairs,
    own_agencies,
    reaches_agencies,
    visible_civil_servants,
    visible_person_q,
)
from org.models import AccessRole
from ratings.actors import resolve_actors
from ratings.models import RatingCase
from ratings.policy import CASE_READERS


def year_end_reach(user, **_context) -> Q:
    """The cases of the people ``user`` reached at the year's end (their own included): a
    former agency keeps the years it had the person (``ratings.policy.EXTRA_REACH``). Only for
    people: an integration system reads the cases of its agencies."""
    if getattr(user, "pk", None) is None:
        return Q(pk__in=[])
    return visible_person_q(user, "civil_servant", year="year")


def holds_case_role(user, case, actors=None) -> bool:
    """Whether ``user`` holds a role on ``case`` (``ratings.actors``)."""
    if actors is None:
        actors = resolve_actors(case)
    return bool(actors.roles_of(user))


def visible_cases(user):
    # The heads of agencies reach their subtrees through org.access like agency grants do.
    return access.visible(user, RatingCase, extra=CASE_READERS)


def can_view_case(user, case, actors=None) -> bool:
    return access.reads(user, case, extra=CASE_READERS, actors=actors)


def can_manage_cases(user) -> bool:
    """Open cases, see deadlines and export payroll coefficients: HR roles only."""

    if is_home_affairs(user):
        return True
    return bool(user and user.is_authenticated and has_grant(user, AccessRole.AGENCY_ADMIN))


def can_list_hr_history(user) -> bool:
    """The multi-year list and its export (several people): whoever reaches people besides
    themselves — Sở Nội vụ, users granted agencies, heads of agencies (``org.access``). A civil
    servant without such a reach sees only their own multi-year view."""
    return is_home_affairs(user) or reaches_agencies(user)


def hr_history_people(user):
    """The people whose multi-year results ``user`` may see: those whose scores and cases they
    may see (``org.access.visible_civil_servants``: the people they manage, and themselves)."""
    return visible_civil_servants(user)


def remember_hr_history(user, people) -> None:
    """Answer :func:`can_view_hr_history` for a page of ``people`` at once (one query of the
    same rows), kept on the user object, which lives for one request."""
    ids = [person.pk for person in people]
    seen = set(hr_history_people(user).filter(pk__in=ids).values_list("pk", flat=True))
    user.__dict__.setdefault("_hr_history_seen", {}).update({pk: pk in seen for pk in ids})


def can_view_hr_history(user, person) -> bool:
    known = vars(user).get("_hr_history_seen", {}).get(person.pk)
    if known is not None:
        return known
    return hr_history_people(user).filter(pk=person.pk).exists()


def may_view_agency_results(user) -> bool:
    """The admins and heads of an agency see its own quarterly and annual results
    (``ratings.views.agency_results``; ``org.access.own_agencies``)."""
    return bool(own_agencies(user))
