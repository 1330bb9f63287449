"""The one permission layer: which rows a user may see, change and pick.

Every admin view (listings, single-object URLs, add and edit forms, choosers, exports), report,
file view and API view asks here. Two questions are kept apart:

* **What kind of thing** a role may touch: Django model permissions, granted to the built-in
  groups by each app's ``policy.ROLE_PERMISSIONS`` (collected by ``org.roles``).
* **Which rows**: how a model's rows reach the org tree, declared once per model in each app's
  ``policy.ROW_SCOPES`` as a :class:`RowScope` and answered by :func:`visible`,
  :func:`editable`, :func:`pickable` and :func:`may`.

Reach, for a user who is not Sở Nội vụ:

* a user granted an agency (``AgencyAccess``: agency admin, unit leader) reaches that agency's
  whole subtree: the agencies in it, the people posted in it (at any time) and every row that
  points at them; so does the head of an agency (their civil servant's head posting today) for
  the agency they head — changing still needs the model permission of a role;
* a civil servant linked to the user sees their own rows (never changes them through the admin:
  nobody edits the inputs of their own score);
* the appraisers of a bloc's lead body (Ban Tổ chức Tỉnh ủy for the Party bloc, the Front's
  standing committee for the Front bloc: ``org.blocs``) reach that whole bloc, and only it;
* Sở Nội vụ (group ``HOME_AFFAIRS_GROUP``) and superusers reach everything;
* an integration system (API token) reaches the subtrees it was granted, like an agency grant,
  and has no rows of its own.

Picking (form choices and choosers) is changing: a user may only pick rows they may change, so
an agency admin cannot attach a line, a mark or a disqualification to another agency's person.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from importlib import import_module

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from org.models import (
    AccessRole,
    Agency,
    AgencyAccess,
    AgencyKind,
    CivilServant,
    LeadershipRole,
    Posting,
    within_q,
)

HOME_AFFAIRS_GROUP = "Sở Nội vụ"
AGENCY_ADMIN_GROUP = "Quản trị cơ quan"
UNIT_LEADER_GROUP = "Lãnh đạo đơn vị"
CIVIL_SERVANT_GROUP = "Công chức"
#: The Office of the province People's Committee: enters the tasks the province assigned to
#: departments and communes each quarter (Gia Lai plan §V.3; docs/organisation-scoring.md §9).
PROVINCE_OFFICE_GROUP = "Văn phòng UBND tỉnh"
#: The appraisers of a bloc's lead body (Ban Tổ chức Tỉnh ủy, the Front's standing committee):
#: with an ``AgencyAccess`` of role ``bloc_appraiser`` on that body (``org.blocs``).
BLOC_APPRAISER_GROUP = "Thẩm định khối"

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"


@dataclass(frozen=True)
class RowScope:
    """How the rows of one model reach the org tree.

    ``person``: the path from a row to the civil servant it is about ("" when the row is one).
    ``agency``: the path from a row to the agency or unit it belongs to ("" when it is one).
    When both are given, a row is reached through its agency and, to be changed or picked, its
    person must be reachable too.
    ``kind``: ``"tree"`` (reached through the org tree, as above), ``"shared"`` (reference data
    every signed-in admin user may read and pick: periods, job positions, frameworks; model
    permissions still decide who changes them) or ``"home_affairs"`` (configuration and grants
    only Sở Nội vụ reaches at all).
    ``home_affairs_fields``: fields only Sở Nội vụ may set (the sign-in linked to a person).
    ``read_only_fields``: fields nobody sets by hand in the admin (provenance of integrations).
    ``frozen``: lookups of the rows nobody changes or deletes, Sở Nội vụ included (an approved
    job description): they stay readable, and are never :func:`editable` or pickable.
    ``during``: the path to the object whose ``start_date``/``end_date`` the row is dated by
    (``"period"``; ``""`` for the row's own dates, e.g. a deputy's charge); ``year``: the path
    to the year it concerns. A row dated so reaches a user through its person only when that
    person was posted in the user's subtrees *during* that time: after a transfer the former
    agency keeps what is dated before it and nothing after (docs/security.md §3).
    """

    person: str | None = None
    agency: str | None = None
    kind: str = "tree"
    home_affairs_fields: tuple[str, ...] = ()
    read_only_fields: tuple[str, ...] = ()
    frozen: tuple[tuple[str, object], ...] = ()
    during: str | None = None
    year: str | None = None
    #: With ``year``: reached only through the posting held on the year's last day (a rating of
    #: the year belongs to the agency the person works in at its end, Decree 335 Art. 21).
    at_year_end: bool = False

    @property
    def is_tree(self) -> bool:
        return self.kind == "tree"

    def frozen_q(self) -> Q | None:
        return Q(**dict(self.frozen)) if self.frozen else None


SHARED = RowScope(kind="shared")
HOME_AFFAIRS_ONLY = RowScope(kind="home_affairs")


@dataclass(frozen=True)
class ExtraReach:
    """Rows an app adds, on purpose, to a model's reach for **reading**, on its own pages: the
    evaluator of the day reads the people they evaluate (worklog), the members of an agency's
    catalog editor group read that agency's catalog, anyone holding a role on a rating case
    opens it. Declared in the adding app's ``policy.EXTRA_REACH`` (``"app.model"`` → a list of
    these) and asked by name: ``visible(user, model, extra=name, **context)`` and
    ``reads(user, row, extra=name, **context)``. Never widens :func:`editable` or
    :func:`pickable`, nor a ``visible`` call that does not name it.

    ``rows``: ``"module.function"``, ``(user, **context) -> Q`` on the model, the rows added
    for a signed-in user who is not Sở Nội vụ (who reads every row anyway).
    ``row``: optionally ``"module.function"``, ``(user, row, **context) -> bool``, for a reach a
    condition cannot express (the actors of a rating case): asked by :func:`reads` only.
    """

    name: str
    rows: str
    row: str | None = None


def model_permissions(app_label: str, actions, models) -> list[tuple[str, str]]:
    """``[(app_label, "view_x"), …]`` for every action × model: how policies list permissions."""
    return [(app_label, f"{action}_{model}") for model in models for action in actions]


# --- who the user is -----------------------------------------------------------------------


def _signed_in(user) -> bool:
    return user is not None and not isinstance(user, AnonymousUser) and user.is_authenticated


def _is_person(user) -> bool:
    """A signed-in person (a ``User``), as opposed to an integration system's token, which
    carries the paths of the agencies it was granted (``scope_paths``) and is nobody."""
    return _signed_in(user) and getattr(user, "pk", None) is not None


_MISSING = object()


def _kept(user, name: str, compute):
    """``compute()``, asked once per request: kept on the user object (which lives for one
    request) under ``name``."""
    value = getattr(user, name, _MISSING)
    if value is _MISSING:
        value = compute()
        setattr(user, name, value)
    return value


def civil_servant_of(user) -> CivilServant | None:
    """The civil servant whose sign-in ``user`` is, or None (an anonymous visitor, an
    integration system, a sign-in linked to nobody): the one way to ask, read once per request
    (kept on the user object)."""
    if not _is_person(user):
        return None
    return _kept(user, "_kpi_civil_servant", CivilServant.objects.filter(user=user).first)


def group_names(user) -> frozenset[str]:
    """The names of the groups ``user`` was put in (not the groups their postings give them:
    ``accounts.backends``): one query per request, kept on the user object — Sở Nội vụ, the
    province office, agency admins, bloc appraisers, catalog editors and the second factor
    are all asked on every admin page. ``forget_groups`` drops it (``user.groups`` changed)."""
    if not _is_person(user):
        return frozenset()
    return _kept(
        user, "_kpi_group_names", lambda: frozenset(user.groups.values_list("name", flat=True))
    )


def forget_groups(user) -> None:
    """Drop what :func:`group_names` kept on this user object."""
    user.__dict__.pop("_kpi_group_names", None)


def is_home_affairs(user) -> bool:
    if not _is_person(user):
        return False
    if user.is_superuser:
        return True
    return HOME_AFFAIRS_GROUP in group_names(user)


def granted_agencies(user) -> QuerySet:
    """The agencies granted to ``user``; each brings its whole subtree."""
    if not _signed_in(user):
        return Agency.objects.none()
    return Agency.objects.filter(accesses__user=user)


def grants(user) -> list[tuple[str, str]]:
    """``(agency path, role)`` of each agency grant of ``user`` (``AgencyAccess``): one query per
    request, kept on the user object (the reach, the menu's "agency admin?" and "bloc
    appraiser?" read it)."""
    if not _is_person(user):
        return []
    return _kept(
        user,
        "_kpi_grants",
        lambda: list(granted_agencies(user).values_list("path", "accesses__role")),
    )


def has_grant(user, role: str) -> bool:
    """Whether ``user`` holds an agency grant of ``role`` (no query beyond :func:`grants`)."""
    return any(granted_role == role for _path, granted_role in grants(user))


def postings_of(user) -> list[tuple[int, str, datetime.date, datetime.date | None]]:
    """``(agency id, role, start, end)`` of every posting of the person whose sign-in ``user``
    is: one query per request, kept on the user object — signing in checks them on every
    request (``accounts.backends``), and the menu's "heads an agency?", "leads a unit?" and
    "answers for an agency?" read them with no query more. ``forget_postings`` drops them."""
    if getattr(user, "pk", None) is None:
        return []
    return _kept(
        user,
        "_kpi_postings",
        lambda: list(
            Posting.objects.filter(civil_servant__user=user).values_list(
                "agency_id", "role", "start_date", "end_date"
            )
        ),
    )


def forget_postings(user) -> None:
    """Drop what :func:`postings_of` and :func:`headed_agencies` kept on this user object (a
    posting of their person changed)."""
    for name in (
        "_kpi_postings",
        "_kpi_headed",
        "_own_agencies",
        "_granted_paths",
        "_kpi_subtree_ids",
    ):
        user.__dict__.pop(name, None)


def posted_agency_ids(user, roles, day: datetime.date | None = None) -> set[int]:
    """The agencies (ids) where ``user``'s person holds a posting of one of ``roles`` on ``day``
    (today): no query beyond :func:`postings_of`."""
    day = day or timezone.localdate()
    return {
        agency
        for agency, role, start, end in postings_of(user)
        if role in roles and start <= day and (end is None or end >= day)
    }


def headed_agencies(user, day: datetime.date | None = None) -> list[Agency]:
    """The agencies whose head (cấp trưởng) the user's civil servant is on ``day`` (today)."""
    if not _is_person(user):
        return []
    day = day or timezone.localdate()
    # Asked by the menu's entries, the reach and the pages of one request: read once per day
    # (kept on the user object, which lives for one request).
    kept = user.__dict__.setdefault("_kpi_headed", {})
    if day not in kept:
        kept[day] = _headed_on(user, day)
    return list(kept[day])


def _headed_on(user, day: datetime.date) -> list[Agency]:
    # The agencies of the person's head postings on ``day`` (no query for a person heading
    # nothing, the most of them).
    ids = posted_agency_ids(user, (LeadershipRole.HEAD,), day)
    return list(Agency.objects.filter(pk__in=ids)) if ids else []


def own_agencies(user) -> list[Agency]:
    """The agencies whose own results ``user`` answers for, in tree order: those granted to
    them as the agency's admin and those their civil servant heads today — never the province
    itself and never a unit (phòng), nor their subtrees (an agency's own quarterly assessment and
    annual rating; ``ratings.views.agency_results``)."""
    if not _is_person(user):
        return []
    cached = getattr(user, "_own_agencies", None)
    if cached is None and not (
        posted_agency_ids(user, (LeadershipRole.HEAD,)) or has_grant(user, AccessRole.AGENCY_ADMIN)
    ):
        cached = user._own_agencies = []  # heading nothing, administering nothing: no query
    if cached is None:
        day = timezone.localdate()
        heads = Posting.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day),
            agency=OuterRef("pk"),
            civil_servant__user=user,
            role=LeadershipRole.HEAD,
            start_date__lte=day,
        )
        admins = AgencyAccess.objects.filter(
            agency=OuterRef("pk"), user=user, role=AccessRole.AGENCY_ADMIN
        )
        cached = list(  # one query, asked by the menu on every admin page
            Agency.objects.filter(Exists(admins) | Exists(heads))
            .exclude(kind__in=(AgencyKind.PROVINCE, AgencyKind.UNIT))
            .order_by("path")
        )
        user._own_agencies = cached
    return cached


def _paths(user) -> list[str]:
    """Paths of the subtrees the user reaches (two queries per request, cached on the user):
    the agencies granted to them, and the agencies their civil servant heads today — a head
    reads the records of everyone under their management (Decree 335 Art. 15.3: the head
    directs, evaluates and answers for the whole unit; the rater and the opinion-giver of a
    rating case are heads of the subject's agency or above)."""
    if not _signed_in(user):
        return []
    if not _is_person(user):
        return list(getattr(user, "scope_paths", []))
    cached = getattr(user, "_granted_paths", None)
    if cached is None:
        rows = grants(user)
        granted = list(dict.fromkeys(path for path, _role in rows))
        headed = [agency.path for agency in headed_agencies(user)]
        cached = granted + [path for path in headed if path not in granted]
        # The appraisers of a bloc's lead body read the whole bloc (org.blocs); asked only of
        # the holders of such a grant (no query for anyone else).
        user._kpi_bloc_grant = any(role == AccessRole.BLOC_APPRAISER for _path, role in rows)
        from org.blocs import appraised_roots

        cached += [root.path for root in appraised_roots(user) if root.path not in cached]
        user._granted_paths = cached
    return cached


def scope_key(user) -> str:
    """A fingerprint of the rows ``user`` reaches: their groups, agency grants, the subtrees
    they read and their postings (from which their roles follow). A background export
    (``cms.exports``) is opened only while it is unchanged: a person moved, or stripped of a
    grant, since asking for the file no longer downloads it."""
    import hashlib
    import json

    if not _signed_in(user):
        return ""
    parts = [
        bool(user.is_superuser),
        sorted(group_names(user)),
        sorted(grants(user)),
        sorted(_paths(user)),
        sorted(
            (agency, role, str(start), str(end)) for agency, role, start, end in postings_of(user)
        ),
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _under(prefix: str, paths: list[str]) -> Q:
    """Rows whose agency (at ``prefix``) lies under one of ``paths``; nothing if none."""
    return within_q(paths, prefix)


# --- agencies and people (the two roots every scope leads to) ------------------------------


def visible_agencies(user) -> QuerySet:
    if is_home_affairs(user):
        return Agency.objects.all()
    if not _signed_in(user):
        return Agency.objects.none()
    return Agency.objects.filter(_under("", _paths(user)))


def reaches_agencies(user) -> bool:
    """``visible_agencies(user).exists()``, with no query for a signed-in person beyond their
    reach kept per request: each path of it is an agency's own (granted, headed, a bloc's
    root), so they reach some agency exactly when they reach some path (the menu asks)."""
    if is_home_affairs(user) or not _is_person(user):
        return visible_agencies(user).exists()
    return bool(_paths(user))


def can_access_agency(user, agency: Agency | None) -> bool:
    if agency is None:
        return False
    if is_home_affairs(user):
        return True
    return any(agency.path.startswith(path) for path in _paths(user))


class _Exists(Exists):
    """``EXISTS`` without the ``LIMIT 1`` Django adds: with it PostgreSQL may only run the
    subquery once per outer row; without it the planner also considers hashing the subquery
    once, and takes that when the outer query reads many rows (a count of 100,000 people)."""

    def __init__(self, queryset, **kwargs):
        Subquery.__init__(self, queryset, **kwargs)
        self.query = self.query.exists(limit=False)


def _postings_under(paths: list[str], user=None) -> Q:
    """Postings in an agency under ``paths``. For a signed-in person's own reach, as the list of
    those agencies' ids (a few hundred at most; ``Agency.objects.within``, read once per request
    and kept on the user object): PostgreSQL then reads the subtree's postings by the posting's
    agency index with exact estimates, where the join on the agency's path made it scan every
    posting of the province for each listing (an agency admin's page of people at 100,000
    people: 35–55 ms → 12–24 ms). Otherwise (an integration system's token, whose paths are
    no list kept per request) the path condition itself, with no query more."""
    if user is None or not _is_person(user) or paths is not getattr(user, "_granted_paths", None):
        return _under("agency", paths)
    ids = _kept(
        user,
        "_kpi_subtree_ids",
        lambda: list(Agency.objects.within(paths).values_list("pk", flat=True)),
    )
    return Q(agency_id__in=ids)


def _posted_under(paths: list[str], person: str = "pk", user=None) -> Exists:
    """Whether the person at ``person`` (a lookup from the outer row) was ever posted under one
    of ``paths``. A correlated ``EXISTS``: checking one row, or a page of rows, reads only their
    postings; ``pk IN (everyone posted there)`` made PostgreSQL hash the whole subtree first
    (50 ms a row at 100,000 people)."""
    return _Exists(
        Posting.objects.filter(civil_servant=OuterRef(person)).filter(_postings_under(paths, user))
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


def _posted_under_during(paths: list[str], scope: RowScope, user=None) -> Exists:
    """Whether the row's person was posted under one of ``paths`` during the row's time."""
    person = scope.person or "pk"
    return _Exists(
        Posting.objects.filter(civil_servant=OuterRef(person))
        .filter(_postings_under(paths, user))
        .filter(_posting_during_q(scope))
    )


def _holds_person_q(paths: list[str]) -> Q:
    """Civil servants whose own record (name, birth date, sign-in…) the user keeps: posted under
    ``paths`` now or later (a posting not ended before today), or — for someone with no such
    posting anywhere (retired, left the province) — ever. After a transfer only the new agency
    edits the person's record; the former one still reads it."""
    today = timezone.localdate()
    current = Posting.objects.filter(civil_servant=OuterRef("pk")).exclude(end_date__lt=today)
    return Q(_Exists(current.filter(_under("agency", paths)))) | (
        ~Q(_Exists(current)) & Q(_posted_under(paths))
    )


def held_person_q(paths: list[str]) -> Q:
    """The people whose own record agencies at ``paths`` keep (see :func:`_holds_person_q`):
    also whose sign-ins an agency admin of theirs administers (``accounts.roles``)."""
    return _holds_person_q(paths)


def row_span(scope: RowScope, obj) -> tuple[datetime.date, datetime.date] | None:
    """The days ``obj`` is dated by (its scope's ``during``/``year``), or None."""
    if scope.during is not None:
        dated = _follow(obj, scope.during) if scope.during else obj
        start = getattr(dated, "start_date", None)
        if start is None:
            return None
        return start, getattr(dated, "end_date", None) or datetime.date.max
    if scope.year is not None:
        year = _follow(obj, scope.year)
        if not year:
            return None
        return datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31)
    return None


def posted_under_during(
    user, civil_servant, start: datetime.date, end: datetime.date, *, paths=None
) -> bool:
    """Whether ``civil_servant`` was posted in ``user``'s subtrees at some day of
    ``start``–``end`` (Sở Nội vụ: always). The one test every door asks before writing a row
    dated in that time about that person."""
    if is_home_affairs(user):
        return True
    paths = _paths(user) if paths is None else paths
    if not paths or civil_servant is None:
        return False
    return (
        Posting.objects.filter(civil_servant=civil_servant, start_date__lte=end)
        .exclude(end_date__lt=start)
        .filter(_under("agency", paths))
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
    paths = _paths(user)
    if not paths or not ids:
        return set()
    return set(
        Posting.objects.filter(civil_servant_id__in=ids, start_date__lte=end)
        .exclude(end_date__lt=start)
        .filter(_under("agency", paths))
        .values_list("civil_servant_id", flat=True)
    )


def dated_rows_in_reach(user, rows) -> set:
    """:func:`row_in_reach` (writing) for many rows at once, each dated by a span and about a
    person and an agency: ``rows`` are ``(key, person id, agency id, start, end)``; returns the
    keys in reach — the agency under the user's subtrees and the person posted there at some
    day of the span (:func:`posted_under_during`). Two queries whatever the number of rows (the
    bulk doors: ``scoring.services.lines.write_many``). Sở Nội vụ reaches every row; the
    own-record rule is the caller's."""
    rows = list(rows)
    if is_home_affairs(user):
        return {row[0] for row in rows}
    paths = _paths(user)
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
        .filter(_under("agency", paths))
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


def reachable_civil_servants(user) -> QuerySet:
    """People posted (at any time) in the user's granted subtrees: the people they manage."""
    if is_home_affairs(user):
        return CivilServant.objects.all()
    paths = _paths(user)
    if not paths:
        return CivilServant.objects.none()
    return CivilServant.objects.filter(_posted_under(paths, user=user))


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
    if not _signed_in(user):
        return Q(pk__in=[])
    prefix = "" if person == "pk" else f"{person}__"
    own = Q(**{f"{prefix}user": user}) if _is_person(user) else Q(pk__in=[])
    paths = _paths(user)
    if not paths:
        return own
    if year is not None:
        # A row of a year (a rating case): the person was posted there at the year's end.
        scope = RowScope(person=person, year=year, at_year_end=True)
        return own | Q(_posted_under_during(paths, scope, user))
    if _is_person(user) and paths is getattr(user, "_granted_paths", None):
        return _posted_under_or_own(user, paths, person)
    return own | Q(_posted_under(paths, person, user))


def _posted_under_or_own(user, paths: list[str], person: str) -> Q:
    """``person IN (the people posted under paths, and the user's own person)`` with the own
    person folded into the postings' condition: no ``OR`` beside the subquery, so PostgreSQL
    joins the subtree's postings (read by the posting's agency index) to the people instead of
    testing every person of the province (the people list at 100,000 people: a unit head's
    count 20–44 → 9–12 ms, the chairman's first page 49–67 → 0.2 ms). Only someone posted
    nowhere (an agency admin with no posting: asked once per request unless they head a unit
    today) still gets their own record by an ``OR``."""
    me = civil_servant_of(user)
    reach = _postings_under(paths, user)
    if me is not None:
        reach |= Q(civil_servant_id=me.pk)
    q = Q(**{f"{person}__in": Posting.objects.filter(reach).order_by().values("civil_servant_id")})
    if me is None or headed_agencies(user):  # a head today is posted (no query: kept)
        return q
    if not _kept(user, "_kpi_own_posted", Posting.objects.filter(civil_servant_id=me.pk).exists):
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
    (:func:`_holds_person_q`)."""
    if civil_servant is None:
        return False
    if is_home_affairs(user):
        return True
    if civil_servant.user_id is not None and civil_servant.user_id == getattr(user, "pk", None):
        return False
    paths = _paths(user)
    if not paths:
        return False
    if span is not None:
        return posted_under_during(user, civil_servant, *span, paths=paths)
    return CivilServant.objects.filter(_holds_person_q(paths), pk=civil_servant.pk).exists()


# --- the registry of row scopes ------------------------------------------------------------

POLICY_MODULE = "policy"


def app_policies():
    """Each installed app's ``policy`` module (the one place an app declares its role
    permissions and row scopes), in ``INSTALLED_APPS`` order."""
    from django.apps import apps

    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.{POLICY_MODULE}"
        try:
            modules.append(import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return modules


@functools.cache
def _scopes() -> dict[str, RowScope]:
    """Every app's ``policy.ROW_SCOPES``, keyed by ``app_label.modelname``."""
    scopes: dict[str, RowScope] = {}
    for module in app_policies():
        for label, scope in getattr(module, "ROW_SCOPES", {}).items():
            scopes[label.lower()] = scope
    return scopes


def scope_of(model) -> RowScope:
    """The declared scope of ``model``; an undeclared model is for Sở Nội vụ only."""
    return _scopes().get(model._meta.label_lower, HOME_AFFAIRS_ONLY)


def is_declared(model) -> bool:
    return model._meta.label_lower in _scopes()


def has_model_permission(user, model, action: str) -> bool:
    if not _signed_in(user):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")


def _own(scope: RowScope, user) -> Q:
    if scope.person is None or not _is_person(user):
        return Q(pk__in=[])
    return Q(**{f"{scope.person}__user" if scope.person else "user": user})


def _dated(scope: RowScope) -> bool:
    return scope.during is not None or scope.year is not None


def _reach(scope: RowScope, user, *, write: bool = False) -> Q:
    """Rows reached through the user's agency grants. A row dated by its scope reaches through
    its person only if the person was posted there at that time; a person's own record is
    changed only by the agency that holds them now."""
    paths = _paths(user)
    if not paths:
        return Q(pk__in=[])
    if scope.agency is not None:
        reach = _under(scope.agency, paths)
        if scope.person is not None and _dated(scope):
            reach &= Q(_posted_under_during(paths, scope, user))
        return reach
    if scope.person is not None:
        if _dated(scope):
            return Q(_posted_under_during(paths, scope, user))
        if write and scope.person == "":
            return _holds_person_q(paths)
        return Q(_posted_under(paths, scope.person or "pk", user))
    return Q(pk__in=[])


def _base(model_or_queryset) -> QuerySet:
    if isinstance(model_or_queryset, QuerySet):
        return model_or_queryset
    return model_or_queryset._default_manager.all()


def _rows(user, model_or_queryset, *, write: bool) -> QuerySet:
    """Rows reached by ``user``: through their grants, plus their own rows when only reading."""
    queryset = _base(model_or_queryset)
    scope = scope_of(queryset.model)
    if write and scope.frozen:
        queryset = queryset.exclude(scope.frozen_q())
    if is_home_affairs(user):
        return queryset
    if not _signed_in(user) or scope.kind == "home_affairs":
        return queryset.none()
    if scope.kind == "shared":
        return queryset
    if not write:
        if scope.agency is None and scope.person is not None and not _dated(scope):
            # The people themselves (``org.civilservant``): the same rows as below, in the form
            # of ``visible_person_q`` (a join of the subtree's postings, the own person folded
            # in), where ``EXISTS … OR user`` made PostgreSQL hash every posting of the
            # subtree before the first row (the people list at 100,000 people: the chairman's
            # first page 50–60 → 0.1 ms, his count 100–170 → 70 ms, a unit head's 30 → 3 ms).
            return queryset.filter(visible_person_q(user, scope.person or "pk"))
        return queryset.filter(_reach(scope, user) | _own(scope, user))
    queryset = queryset.filter(_reach(scope, user, write=True))
    if scope.person is not None:
        queryset = queryset.exclude(_own(scope, user))
    return queryset


def visible(user, model_or_queryset, *, extra: str | None = None, **context) -> QuerySet:
    """The rows ``user`` may read (model permissions are checked by the caller's view); with
    ``extra``, plus the rows of the declared :class:`ExtraReach` of that name (``context`` is
    passed to it: the day of the worklog's evaluator)."""
    rows = _rows(user, model_or_queryset, write=False)
    if extra is None:
        return rows
    queryset = _base(model_or_queryset)
    hook = extra_reach(queryset.model, extra)
    scope = scope_of(queryset.model)
    if is_home_affairs(user) or not _signed_in(user) or scope.kind == "shared":
        return rows
    # The condition of ``_rows`` for reading, OR-ed with the added rows (one filter, so the
    # tree reach stays a correlated condition rather than a list of ids).
    reach = (
        Q(pk__in=[]) if scope.kind == "home_affairs" else _reach(scope, user) | _own(scope, user)
    )
    return queryset.filter(reach | _hook(hook.rows)(user, **context))


def reads(user, obj: Model, *, extra: str | None = None, **context) -> bool:
    """Whether ``user`` may read the stored row ``obj`` (:func:`visible`, with the named extra
    reach and its single-row test when it declares one)."""
    if visible(user, type(obj), extra=extra, **context).filter(pk=obj.pk).exists():
        return True
    if extra is None or not _signed_in(user):
        return False
    hook = extra_reach(type(obj), extra)
    return hook.row is not None and bool(_hook(hook.row)(user, obj, **context))


@functools.cache
def _extra_reaches() -> dict[tuple[str, str], ExtraReach]:
    """Every app's ``policy.EXTRA_REACH``: (``app_label.modelname``, name) → its reach."""
    reaches: dict[tuple[str, str], ExtraReach] = {}
    for module in app_policies():
        for label, declared in getattr(module, "EXTRA_REACH", {}).items():
            for reach in declared:
                reaches[label.lower(), reach.name] = reach
    return reaches


def extra_reach(model, name: str) -> ExtraReach:
    """The declared extra reach ``name`` of ``model``; an undeclared one is an error (no app
    widens the registry without saying so in its policy)."""
    try:
        return _extra_reaches()[model._meta.label_lower, name]
    except KeyError:
        raise LookupError(f"no extra reach {name!r} declared for {model._meta.label}") from None


def extra_reaches() -> dict[tuple[str, str], ExtraReach]:
    """Every declared extra reach (docs and tests list them)."""
    return dict(_extra_reaches())


@functools.cache
def _hook(path: str):
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)


def editable(user, model_or_queryset) -> QuerySet:
    """The rows ``user`` may change, delete or pick: reached through a grant, never their own."""
    return _rows(user, model_or_queryset, write=True)


def pickable(user, model_or_queryset) -> QuerySet:
    """The rows ``user`` may choose in a form field or a chooser. A person is pickable by every
    agency that ever had them (a correction of a month before their transfer names them): the
    row being written is then checked against its own dates (:func:`row_in_reach`)."""
    queryset = _base(model_or_queryset)
    if queryset.model is CivilServant and not is_home_affairs(user):
        paths = _paths(user)
        if not paths:
            return queryset.none()
        return queryset.filter(_posted_under(paths, user=user)).exclude(
            _own(scope_of(CivilServant), user)
        )
    return editable(user, queryset)


def _follow(obj, path: str):
    for name in filter(None, path.split("__")):
        if obj is None:
            return None
        obj = getattr(obj, name, None)
    return obj


def row_in_reach(user, obj: Model, *, write: bool) -> bool:
    """Whether ``obj`` (saved or not) is inside the user's reach, by following its scope to
    its agency and its person. Used for rows being added or moved by a form."""
    scope = scope_of(type(obj))
    if write and obj.pk is not None and scope.frozen and _frozen(scope, obj):
        return False
    if is_home_affairs(user):
        return True
    if not _signed_in(user) or scope.kind == "home_affairs":
        return False
    if scope.kind == "shared":
        return True
    if obj.pk is None and scope.person == "":
        # A new person: reach comes from their postings, whose agency choices are restricted.
        return True
    person = _follow(obj, scope.person) if scope.person is not None else None
    agency = _follow(obj, scope.agency) if scope.agency is not None else None
    # scope.agency "" is the Agency model's own scope: ``agency`` is ``obj``, an Agency.
    if scope.agency == "" and (obj.pk is None or not agency.path):  # type: ignore[union-attr]
        # A new agency or unit is reached through its parent.
        agency = obj.parent  # type: ignore[attr-defined]
    if scope.person is not None and person is None and scope.agency is None:
        return False
    if scope.agency is not None and agency is None:
        return False
    if agency is not None and not can_access_agency(user, agency):
        return not write and person is not None and person.user_id == user.pk
    if person is not None:
        span = row_span(scope, obj)
        if write:
            if scope.person == "" and obj.pk is not None:
                return can_manage_civil_servant(user, person)
            if span is None and _dated(scope):
                return False
            return can_manage_civil_servant(user, person, span)
        if span is not None:
            own = person.user_id is not None and person.user_id == getattr(user, "pk", None)
            return own or posted_under_during(user, person, *span)
        return can_access_civil_servant(user, person)
    return True


def _frozen(scope: RowScope, obj: Model) -> bool:
    """Whether the stored row ``obj`` is one nobody changes (its scope's ``frozen``)."""
    return type(obj)._default_manager.filter(scope.frozen_q(), pk=obj.pk).exists()


@functools.cache
def _guards() -> dict:
    """Every app's ``policy.WRITE_GUARDS``: ``app_label.modelname`` → a function
    ``(user, action, row) -> str | None`` giving the reason a write in reach is still refused
    (a row appraised or certified by a body the user does not speak for), or None."""
    guards: dict = {}
    for module in app_policies():
        for label, guard in getattr(module, "WRITE_GUARDS", {}).items():
            guards[label.lower()] = guard
    return guards


@functools.cache
def _services() -> dict:
    """Every app's ``policy.WRITE_SERVICES``: ``app_label.modelname`` → the module of the kind's
    one write service (``save``, ``delete``, ``refusal``; ``org.write_gate``)."""
    services: dict = {}
    for module in app_policies():
        for label, path in getattr(module, "WRITE_SERVICES", {}).items():
            services[label.lower()] = path
    return services


def write_service(model):
    """The write service of ``model``'s kind of input, or None (a model without one is written
    by the door's own save, after :func:`refusal` and ``cms.seen``)."""
    path = _services().get(model._meta.label_lower)
    return import_module(path) if path else None


def out_of_reach_message() -> str:
    from django.utils.translation import gettext

    return gettext("Bạn không có quyền ghi dữ liệu này cho công chức, cơ quan đã chọn.")


def refusal(user, action: str, obj: Model) -> str | None:
    """Why ``user`` may not do ``action`` (view/add/change/delete) to this row (saved, or as a
    form would save it), or None when they may. The one answer every door asks: the model
    permission of a role, the row's reach (for dated rows, where the person was posted at the
    time), and the model's write guard."""
    model = type(obj)
    # Reading a row one may change is allowed even without the separate view permission.
    readable_anyway = action == VIEW and any(
        has_model_permission(user, model, other) for other in (CHANGE, ADD)
    )
    if not has_model_permission(user, model, action) and not readable_anyway:
        return out_of_reach_message()
    if obj.pk is None or action == ADD:
        reached = row_in_reach(user, obj, write=True)
    else:
        rows = visible(user, model) if action == VIEW else editable(user, model)
        reached = rows.filter(pk=obj.pk).exists() and (
            action == VIEW or row_in_reach(user, obj, write=True)
        )
    if not reached:
        return out_of_reach_message()
    guard = _guards().get(model._meta.label_lower)
    if action != VIEW and guard is not None:
        return guard(user, action, obj)
    return None


def may(user, action: str, obj: Model) -> bool:
    """Whether ``user`` may do ``action`` (view/add/change/delete) to this row."""
    return refusal(user, action, obj) is None
