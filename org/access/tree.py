"""Agencies and people: the two roots every row scope leads to, and the conditions that reach
them through the subtrees a user reaches (``org.access.user_reach``).

A row reaches a user through its agency (under one of their subtrees) or through its person
(posted there, at any time, or — for a dated row — during the row's time). The conditions are
correlated subqueries on the outer row, so the database checks only the rows it reads.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from org.access.registry import RowScope
from org.access.user_reach import (
    civil_servant_of,
    headed_agencies,
    is_home_affairs,
    is_person,
    reach,
    reached_paths,
    signed_in,
)
from org.models import Agency, CivilServant, Posting, within_q


def under(prefix: str, paths: list[str]) -> Q:
    """Rows whose agency (at ``prefix``) lies under one of ``paths``; nothing if none."""
    return within_q(paths, prefix)


def agencies_under(paths: list[str]) -> QuerySet:
    """The agencies in the subtrees at ``paths`` (roots included; none without a path): a
    reach declared by its roots, such as the agency admins' over sign-ins (``accounts.roles``)."""
    return Agency.objects.filter(under("", paths))


# --- agencies ------------------------------------------------------------------------------


def visible_agencies(user) -> QuerySet:
    if is_home_affairs(user):
        return Agency.objects.all()
    if not signed_in(user):
        return Agency.objects.none()
    return agencies_under(reached_paths(user))


def reaches_agencies(user) -> bool:
    """``visible_agencies(user).exists()``, with no query for a signed-in person beyond their
    reach kept per request: each path of it is an agency's own (granted, headed, a bloc's
    root), so they reach some agency exactly when they reach some path (the menu asks)."""
    if is_home_affairs(user) or not is_person(user):
        return visible_agencies(user).exists()
    return bool(reached_paths(user))


def can_access_agency(user, agency: Agency | None) -> bool:
    if agency is None:
        return False
    if is_home_affairs(user):
        return True
    return any(agency.path.startswith(path) for path in reached_paths(user))


# --- people posted under the subtrees --------------------------------------------------------


class _Exists(Exists):
    """``EXISTS`` without the ``LIMIT 1`` Django adds: with it PostgreSQL may only run the
    subquery once per outer row; without it the planner also considers hashing the subquery
    once, and takes that when the outer query reads many rows (a count of 100,000 people)."""

    def __init__(self, queryset, **kwargs):
        Subquery.__init__(self, queryset, **kwargs)
        self.query = self.query.exists(limit=False)


def postings_under(paths: list[str], user=None) -> Q:
    """Postings in an agency under ``paths``. For a signed-in person's own reach, as the list of
    those agencies' ids (a few hundred at most; ``Agency.objects.within``, read once per request
    by the user's reach): PostgreSQL then reads the subtree's postings by the posting's agency
    index with exact estimates, where the join on the agency's path made it scan every posting
    of the province for each listing (an agency admin's page of people at 100,000 people:
    35–55 ms → 12–24 ms). Otherwise (an integration system's token, whose paths are no list
    kept per request, or paths a caller built) the path condition itself, with no query more."""
    if user is None or not is_person(user) or not reach(user).holds_paths(paths):
        return under("agency", paths)
    return Q(agency_id__in=reach(user).subtree_ids)


def posted_under(paths: list[str], person: str = "pk", user=None) -> Exists:
    """Whether the person at ``person`` (a lookup from the outer row) was ever posted under one
    of ``paths``. A correlated ``EXISTS``: checking one row, or a page of rows, reads only their
    postings; ``pk IN (everyone posted there)`` made PostgreSQL hash the whole subtree first
    (50 ms a row at 100,000 people)."""
    return _Exists(
        Posting.objects.filter(civil_servant=OuterRef(person)).filter(postings_under(paths, user))
    )


def _posting_during_q(scope: RowScope | None) -> Q:
    """Conditions on ``Posting`` (inside a subquery correlated on the outer row) that the
    posting overlaps the time the outer row is dated by (its scope's ``during``/``year``)."""
    if scope is None:
        return Q()
    if scope.during is not None:
        base = f"{scope.during}__" if scope.during else ""
        end = Coalesce(OuterRef(f"{base}end_date"), Value(datetime.date.max))
        return Q(start_date__lte=end) & (
            Q(end_date__isnull=True) | Q(end_date__gte=OuterRef(f"{base}start_date"))
        )
    if scope.year is not None and scope.at_year_end:
        return Q(start_date__year__lte=OuterRef(scope.year)) & (
            Q(end_date__isnull=True)
            | Q(end_date__year__gt=OuterRef(scope.year))
            # ending on 31/12 itself
            | (Q(end_date__year=OuterRef(scope.year)) & Q(end_date__month=12, end_date__day=31))
        )
    if scope.year is not None:
        return Q(start_date__year__lte=OuterRef(scope.year)) & (
            Q(end_date__isnull=True) | Q(end_date__year__gte=OuterRef(scope.year))
        )
    return Q()


def posted_under_during_q(paths: list[str], scope: RowScope, user=None) -> Exists:
    """Whether the row's person was posted under one of ``paths`` during the row's time."""
    person = scope.person or "pk"
    return _Exists(
        Posting.objects.filter(civil_servant=OuterRef(person))
        .filter(postings_under(paths, user))
        .filter(_posting_during_q(scope))
    )


def held_person_q(paths: list[str]) -> Q:
    """Civil servants whose own record (name, birth date, sign-in…) agencies at ``paths`` keep:
    posted under ``paths`` now or later (a posting not ended before today), or — for someone with
    no such posting anywhere (retired, left the province) — ever. After a transfer only the new
    agency edits the person's record; the former one still reads it. Also whose sign-ins an
    agency admin of theirs administers (``accounts.roles``)."""
    today = timezone.localdate()
    current = Posting.objects.filter(civil_servant=OuterRef("pk")).exclude(end_date__lt=today)
    return Q(_Exists(current.filter(under("agency", paths)))) | (
        ~Q(_Exists(current)) & Q(posted_under(paths))
    )


def posted_under_during(
    user, civil_servant, start: datetime.date, end: datetime.date, *, paths=None
) -> bool:
    """Whether ``civil_servant`` was posted in ``user``'s subtrees at some day of
    ``start``–``end`` (Sở Nội vụ: always). The one test every door asks before writing a row
    dated in that time about that person."""
    if is_home_affairs(user):
        return True
    paths = reached_paths(user) if paths is None else paths
    if not paths or civil_servant is None:
        return False
    return (
        Posting.objects.filter(civil_servant=civil_servant, start_date__lte=end)
        .exclude(end_date__lt=start)
        .filter(under("agency", paths))
        .exists()
    )


def people_posted_under_during(
    user, person_ids, start: datetime.date, end: datetime.date
) -> set[int]:
    """The ids among ``person_ids`` posted in ``user``'s subtrees at some day of
    ``start``–``end``: :func:`posted_under_during` for many people in one query (the Excel
    doors)."""
    ids = set(person_ids)
    if is_home_affairs(user):
        return ids
    paths = reached_paths(user)
    if not paths or not ids:
        return set()
    return set(
        Posting.objects.filter(civil_servant_id__in=ids, start_date__lte=end)
        .exclude(end_date__lt=start)
        .filter(under("agency", paths))
        .values_list("civil_servant_id", flat=True)
    )


def dated_rows_in_reach(user, rows) -> set:
    """``row_in_reach`` (writing) for many rows at once, each dated by a span and about a
    person and an agency: ``rows`` are ``(key, person id, agency id, start, end)``; returns the
    keys in reach — the agency under the user's subtrees and the person posted there at some
    day of the span (:func:`posted_under_during`). Two queries whatever the number of rows (the
    bulk doors: ``scoring.services.lines.write_many``). Sở Nội vụ reaches every row; the
    own-record rule is the caller's."""
    rows = list(rows)
    if is_home_affairs(user):
        return {row[0] for row in rows}
    paths = reached_paths(user)
    if not paths or not rows:
        return set()
    agency_paths = dict(
        Agency.objects.filter(pk__in={row[2] for row in rows}).values_list("pk", "path")
    )
    spans: dict[int, list[tuple[datetime.date, datetime.date]]] = {}
    first = min(row[3] for row in rows)
    last = max(row[4] for row in rows)
    for person, start, end in (
        Posting.objects.filter(civil_servant_id__in={row[1] for row in rows}, start_date__lte=last)
        .exclude(end_date__lt=first)
        .filter(under("agency", paths))
        .values_list("civil_servant_id", "start_date", "end_date")
    ):
        spans.setdefault(person, []).append((start, end or datetime.date.max))
    reached = set()
    for key, person, agency, start, end in rows:
        path = agency_paths.get(agency, "")
        if not path or not any(path.startswith(root) for root in paths):
            continue
        if any(begin <= end and start <= until for begin, until in spans.get(person, ())):
            reached.add(key)
    return reached


# --- the people a user sees and keeps --------------------------------------------------------


def reachable_civil_servants(user) -> QuerySet:
    """People posted (at any time) in the user's granted subtrees: the people they manage."""
    if is_home_affairs(user):
        return CivilServant.objects.all()
    paths = reached_paths(user)
    if not paths:
        return CivilServant.objects.none()
    return CivilServant.objects.filter(posted_under(paths, user=user))


def visible_civil_servants(user) -> QuerySet:
    """The people a user may see: those they manage plus themselves."""
    if is_home_affairs(user):
        return CivilServant.objects.all()
    return CivilServant.objects.filter(visible_person_q(user, "pk"))


def visible_person_q(user, person: str, *, year: str | None = None) -> Q:
    """The condition "the row's person is one ``user`` may see" (the people of
    :func:`visible_civil_servants`) on rows reaching their person by the lookup ``person``
    (``"pk"`` for a civil servant itself). Correlated on the outer row, so PostgreSQL checks
    only the rows it reads instead of collecting everyone first. With ``year`` (the path to the
    row's year), the person must have been posted there at that year's end."""
    if is_home_affairs(user):
        return ~Q(pk__in=[])  # every row; unlike ``Q()``, it stays true when OR-ed
    if not signed_in(user):
        return Q(pk__in=[])
    prefix = "" if person == "pk" else f"{person}__"
    own = Q(**{f"{prefix}user": user}) if is_person(user) else Q(pk__in=[])
    paths = reached_paths(user)
    if not paths:
        return own
    if year is not None:
        # A row of a year (a rating case): the person was posted there at the year's end.
        scope = RowScope(person=person, year=year, at_year_end=True)
        return own | Q(posted_under_during_q(paths, scope, user))
    if is_person(user) and reach(user).holds_paths(paths):
        return _posted_under_or_own(user, paths, person)
    return own | Q(posted_under(paths, person, user))


def _posted_under_or_own(user, paths: list[str], person: str) -> Q:
    """``person IN (the people posted under paths, and the user's own person)`` with the own
    person folded into the postings' condition: no ``OR`` beside the subquery, so PostgreSQL
    joins the subtree's postings (read by the posting's agency index) to the people instead of
    testing every person of the province (the people list at 100,000 people: a unit head's
    count 20–44 → 9–12 ms, the chairman's first page 49–67 → 0.2 ms). Only someone posted
    nowhere (an agency admin with no posting: asked once per request unless they head a unit
    today) still gets their own record by an ``OR``."""
    me = civil_servant_of(user)
    where = postings_under(paths, user)
    if me is not None:
        where |= Q(civil_servant_id=me.pk)
    q = Q(**{f"{person}__in": Posting.objects.filter(where).order_by().values("civil_servant_id")})
    if me is None or headed_agencies(user):  # a head today is posted (no query: kept)
        return q
    if not reach(user).own_posted:
        q |= Q(**{person: me.pk})
    return q


def can_access_civil_servant(user, civil_servant: CivilServant | None) -> bool:
    if civil_servant is None:
        return False
    return visible_civil_servants(user).filter(pk=civil_servant.pk).exists()


def can_manage_civil_servant(
    user,
    civil_servant: CivilServant | None,
    span: tuple[datetime.date, datetime.date] | None = None,
) -> bool:
    """Whether ``user`` may change records about ``civil_servant`` (never their own): records
    dated ``span`` when the person was posted in the user's subtrees at some day of it; the
    person's own record (``span`` None) when the user's agency holds them now
    (:func:`held_person_q`)."""
    if civil_servant is None:
        return False
    if is_home_affairs(user):
        return True
    if civil_servant.user_id is not None and civil_servant.user_id == getattr(user, "pk", None):
        return False
    paths = reached_paths(user)
    if not paths:
        return False
    if span is not None:
        return posted_under_during(user, civil_servant, *span, paths=paths)
    return CivilServant.objects.filter(held_person_q(paths), pk=civil_servant.pk).exists()
