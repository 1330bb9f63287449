"""Who the user is and which subtrees they reach: one :class:`Reach` per user object.

Every admin page asks the same things of its user many times: their civil servant, their groups,
their agency grants, their postings, the agencies they head today, the subtrees they reach. Each
is read lazily, once, by the user's :class:`Reach`, kept in one place on the user object
(its attribute ``_reach``, :func:`reach`): Django builds the user object anew for each
request, so nothing outlives the request. The ``forget_*`` functions drop what a write during
the request made stale (a group or a posting changed).

An integration system's token (``api.principal.SystemPrincipal``) is nobody: it has no
reach of its own, only the paths it was granted (``scope_paths``); an anonymous visitor reaches
nothing. Neither gets a :class:`Reach`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from org.access.groups import BLOC_APPRAISER_GROUP, HOME_AFFAIRS_GROUP
from org.models import (
    AccessRole,
    Agency,
    AgencyAccess,
    AgencyKind,
    CivilServant,
    LeadershipRole,
    Posting,
)

#: Where a user object keeps its :class:`Reach` (in its ``__dict__``).
KEPT_AS = "_reach"

#: Kinds whose own results nobody answers for as "their agency" (:attr:`Reach.own_agencies`):
#: the province itself and a unit (phòng).
NOT_OWN = (AgencyKind.PROVINCE, AgencyKind.UNIT)

#: What :func:`forget_postings` drops: everything read from, or through, the person's postings.
FROM_POSTINGS = ("postings", "headed", "own_agencies", "paths", "subtree_ids", "own_inside")


def signed_in(user) -> bool:
    return user is not None and not isinstance(user, AnonymousUser) and user.is_authenticated


def is_person(user) -> bool:
    """A signed-in person (a ``User``), as opposed to an integration system's token, which
    carries the paths of the agencies it was granted (``scope_paths``) and is nobody."""
    return signed_in(user) and getattr(user, "pk", None) is not None


class Reach:
    """What one signed-in person is and reaches, each part read on first use and kept for the
    request. Ask it through :func:`reach` (or the module's functions, which also answer for an
    anonymous visitor and an integration system)."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def person(self) -> CivilServant | None:
        """The civil servant whose sign-in the user is, or None (a sign-in linked to nobody)."""
        return CivilServant.objects.filter(user=self.user).first()

    @cached_property
    def group_names(self) -> frozenset[str]:
        """The names of the groups the user was put in (not the groups their postings give
        them: ``accounts.backends``)."""
        return frozenset(self.user.groups.values_list("name", flat=True))

    @cached_property
    def grants(self) -> list[tuple[str, str]]:
        """``(agency path, role)`` of each agency grant (``AgencyAccess``)."""
        return list(granted_agencies(self.user).values_list("path", "accesses__role"))

    @cached_property
    def postings(self) -> list[tuple[int, str, datetime.date, datetime.date | None]]:
        """``(agency id, role, start, end)`` of every posting of the user's person."""
        return list(
            Posting.objects.filter(civil_servant__user=self.user).values_list(
                "agency_id", "role", "start_date", "end_date"
            )
        )

    def posted_agency_ids(self, roles, day: datetime.date) -> set[int]:
        """The agencies (ids) where the person holds a posting of one of ``roles`` on ``day``."""
        return {
            agency
            for agency, role, start, end in self.postings
            if role in roles and start <= day and (end is None or end >= day)
        }

    @cached_property
    def headed(self) -> dict[datetime.date, list[Agency]]:
        """The agencies the person heads, by the days asked (:meth:`headed_on`)."""
        return {}

    def headed_on(self, day: datetime.date) -> list[Agency]:
        """The agencies whose head (cấp trưởng) the person is on ``day``: no query for a person
        heading nothing, the most of them."""
        if day not in self.headed:
            ids = self.posted_agency_ids((LeadershipRole.HEAD,), day)
            self.headed[day] = list(Agency.objects.filter(pk__in=ids)) if ids else []
        return list(self.headed[day])

    @cached_property
    def own_agencies(self) -> list[Agency]:
        """The agencies whose own results the user answers for (:func:`own_agencies`)."""
        day = timezone.localdate()
        administers = any(role == AccessRole.AGENCY_ADMIN for _path, role in self.grants)
        if not (self.posted_agency_ids((LeadershipRole.HEAD,), day) or administers):
            return []  # heading nothing, administering nothing: no query
        if not administers:  # the agencies headed today, which the menu has mostly read already
            return [agency for agency in self.headed_on(day) if agency.kind not in NOT_OWN]
        heads = Posting.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day),
            agency=OuterRef("pk"),
            civil_servant__user=self.user,
            role=LeadershipRole.HEAD,
            start_date__lte=day,
        )
        admins = AgencyAccess.objects.filter(
            agency=OuterRef("pk"), user=self.user, role=AccessRole.AGENCY_ADMIN
        )
        return list(  # one query, asked by the menu on every admin page
            Agency.objects.filter(Exists(admins) | Exists(heads))
            .exclude(kind__in=NOT_OWN)
            .order_by("path")
        )

    @cached_property
    def bloc_grant(self) -> bool:
        """Whether one of the user's grants is a bloc appraiser's (read from :attr:`grants`)."""
        return any(role == AccessRole.BLOC_APPRAISER for _path, role in self.grants)

    @cached_property
    def bloc_roots(self) -> list[Agency]:
        """The roots of the blocs the user appraises as a lead body's appraiser (``org.blocs``):
        asked only of the holders of such a grant who are in the appraisers' group (no query
        for anyone else)."""
        if not self.bloc_grant or BLOC_APPRAISER_GROUP not in self.group_names:
            return []
        return list(
            Agency.objects.filter(
                bloc_lead__lead_agency__accesses__user=self.user,
                bloc_lead__lead_agency__accesses__role=AccessRole.BLOC_APPRAISER,
            ).order_by("path")
        )

    @cached_property
    def paths(self) -> list[str]:
        """Paths of the subtrees the user reaches: the agencies granted to them, the agencies
        their civil servant heads today — a head reads the records of everyone under their
        management (Decree 335 Art. 15.3: the head directs, evaluates and answers for the whole
        unit; the rater and the opinion-giver of a rating case are heads of the subject's agency
        or above) — and the roots of the blocs they appraise (a bloc's lead body reads the whole
        bloc)."""
        granted = list(dict.fromkeys(path for path, _role in self.grants))
        headed = [agency.path for agency in self.headed_on(timezone.localdate())]
        paths = granted + [path for path in headed if path not in granted]
        return paths + [root.path for root in self.bloc_roots if root.path not in paths]

    def holds_paths(self, paths: list[str]) -> bool:
        """Whether ``paths`` is this reach's own list as already read (not one a caller built):
        only then may a condition use :attr:`subtree_ids`."""
        return paths is self.__dict__.get("paths")

    @cached_property
    def subtree_ids(self) -> list[int]:
        """The ids of every agency in the subtrees of :attr:`paths` (a few hundred at most)."""
        return list(Agency.objects.within(self.paths).values_list("pk", flat=True))

    @cached_property
    def own_inside(self) -> dict[str, bool]:
        """Whether every own row of a model lies inside the user's reach, by the model's label
        (``org.access.scopes``: asked once per model and request)."""
        return {}

    @cached_property
    def own_posted(self) -> bool:
        """Whether the user's person has any posting at all (asked only when they have one)."""
        person = self.person
        return person is not None and Posting.objects.filter(civil_servant_id=person.pk).exists()

    @cached_property
    def perm_answers(self) -> dict[str, bool]:
        """Django's answers to ``has_perm``, by permission (``accounts.models.User.has_perm``)."""
        return {}

    def forget(self, *parts: str) -> None:
        """Drop the named parts: they are read again when next asked."""
        for part in parts:
            self.__dict__.pop(part, None)


def reach(user) -> Reach:
    """The :class:`Reach` of the signed-in person ``user``, kept on the user object (which lives
    for one request) under :data:`KEPT_AS`: the one place the package keeps what it read.

    Read and set as an attribute, not through ``user.__dict__``: Django's ``request.user`` is a
    lazy wrapper that passes attributes on to the user it wraps, so the pages (which get the
    wrapper) and ``has_perm`` or the authentication backends (which get the user itself) share
    one reach."""
    kept = getattr(user, KEPT_AS, None)
    if kept is None:
        kept = Reach(user)
        setattr(user, KEPT_AS, kept)
    return kept


def _forget(user, *parts: str) -> None:
    kept = getattr(user, KEPT_AS, None)
    if kept is not None:
        kept.forget(*parts)


def civil_servant_of(user) -> CivilServant | None:
    """The civil servant whose sign-in ``user`` is, or None (an anonymous visitor, an
    integration system, a sign-in linked to nobody): the one way to ask, read once per request
    (kept by the user's reach)."""
    if not is_person(user):
        return None
    return reach(user).person


def group_names(user) -> frozenset[str]:
    """The names of the groups ``user`` was put in (not the groups their postings give them:
    ``accounts.backends``): one query per request, kept by the user's reach — Sở Nội vụ, the
    province office, agency admins, bloc appraisers, catalog editors and the second factor
    are all asked on every admin page. ``forget_groups`` drops it (``user.groups`` changed)."""
    if not is_person(user):
        return frozenset()
    return reach(user).group_names


def forget_groups(user) -> None:
    """Drop the group names the user's reach kept (:func:`group_names`)."""
    _forget(user, "group_names")


def is_home_affairs(user) -> bool:
    if not is_person(user):
        return False
    if user.is_superuser:
        return True
    return HOME_AFFAIRS_GROUP in group_names(user)


def granted_agencies(user) -> QuerySet:
    """The agencies granted to ``user``; each brings its whole subtree."""
    if not signed_in(user):
        return Agency.objects.none()
    return Agency.objects.filter(accesses__user=user)


def grant_paths(user, role: str) -> list[str]:
    """The paths of the agencies granted to ``user`` with ``role``, read afresh (one query: the
    account pages ask it as they change grants). The agency admins' reach over sign-ins starts
    here (``accounts.roles``)."""
    return list(
        Agency.objects.filter(accesses__user=user, accesses__role=role).values_list(
            "path", flat=True
        )
    )


def grants(user) -> list[tuple[str, str]]:
    """``(agency path, role)`` of each agency grant of ``user`` (``AgencyAccess``): one query per
    request, kept by the user's reach (the reach, the menu's "agency admin?" and "bloc
    appraiser?" read it)."""
    if not is_person(user):
        return []
    return reach(user).grants


def has_grant(user, role: str) -> bool:
    """Whether ``user`` holds an agency grant of ``role`` (no query beyond :func:`grants`)."""
    return any(granted_role == role for _path, granted_role in grants(user))


def postings_of(user) -> list[tuple[int, str, datetime.date, datetime.date | None]]:
    """``(agency id, role, start, end)`` of every posting of the person whose sign-in ``user``
    is: one query per request, kept by the user's reach — signing in checks them on every
    request (``accounts.backends``), and the menu's "heads an agency?", "leads a unit?" and
    "answers for an agency?" read them with no query more. ``forget_postings`` drops them."""
    if getattr(user, "pk", None) is None:
        return []
    return reach(user).postings


def forget_postings(user) -> None:
    """Drop what the user's reach read from their person's postings (:func:`postings_of`,
    :func:`headed_agencies`, :func:`own_agencies` and the subtrees reached): a posting of
    their person changed."""
    _forget(user, *FROM_POSTINGS)


def posted_agency_ids(user, roles, day: datetime.date | None = None) -> set[int]:
    """The agencies (ids) where ``user``'s person holds a posting of one of ``roles`` on ``day``
    (today): no query beyond :func:`postings_of`."""
    if getattr(user, "pk", None) is None:
        return set()
    return reach(user).posted_agency_ids(roles, day or timezone.localdate())


def headed_agencies(user, day: datetime.date | None = None) -> list[Agency]:
    """The agencies whose head (cấp trưởng) the user's civil servant is on ``day`` (today):
    asked by the menu's entries, the reach and the pages of one request, read once per day."""
    if not is_person(user):
        return []
    return reach(user).headed_on(day or timezone.localdate())


def own_agencies(user) -> list[Agency]:
    """The agencies whose own results ``user`` answers for, in tree order: those granted to
    them as the agency's admin and those their civil servant heads today — never the province
    itself and never a unit (phòng), nor their subtrees (an agency's own quarterly assessment and
    annual rating; ``ratings.views.agency_results``)."""
    if not is_person(user):
        return []
    return reach(user).own_agencies


def reached_paths(user) -> list[str]:
    """Paths of the subtrees ``user`` reaches (:attr:`Reach.paths`; two queries per request for
    a person): an integration system's granted paths, nothing for an anonymous visitor."""
    if not signed_in(user):
        return []
    if not is_person(user):
        return list(getattr(user, "scope_paths", []))
    return reach(user).paths


def scope_key(user) -> str:
    """A fingerprint of the rows ``user`` reaches: their groups, agency grants, the subtrees
    they read and their postings (from which their roles follow). A background export
    (``cms.exports``) is opened only while it is unchanged: a person moved, or stripped of a
    grant, since asking for the file no longer downloads it."""
    if not signed_in(user):
        return ""
    parts = [
        bool(user.is_superuser),
        sorted(group_names(user)),
        sorted(grants(user)),
        sorted(reached_paths(user)),
        sorted(
            (agency, role, str(start), str(end)) for agency, role, start, end in postings_of(user)
        ),
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
