"""Who administers sign-ins, and whose.

* Sở Nội vụ (and a superuser): everyone's, province-wide; the only ones who grant Sở Nội vụ or
  province-office rights.
* An agency admin (group ``AGENCY_ADMIN_GROUP`` with an ``AgencyAccess`` of role
  ``agency_admin``): the sign-ins of the people their agencies hold now (after a transfer the new
  agency manages them), never their own, never a Sở Nội vụ user's or a superuser's.
"""

from __future__ import annotations

from django.db.models import QuerySet

from org import access
from org.models import AccessRole, Agency, CivilServant

#: The roles granted explicitly (never derived from postings).
GRANTABLE = ("agency_admin", "home_affairs", "province_office", "bloc_appraiser")


def admin_agencies(user) -> QuerySet:
    """The agencies whose people's sign-ins ``user`` administers (Sở Nội vụ: every agency)."""
    if access.is_home_affairs(user):
        return Agency.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agency.objects.none()
    if access.AGENCY_ADMIN_GROUP not in access.group_names(user):
        return Agency.objects.none()
    paths = list(
        Agency.objects.filter(
            accesses__user=user, accesses__role=AccessRole.AGENCY_ADMIN
        ).values_list("path", flat=True)
    )
    if not paths:
        return Agency.objects.none()
    return Agency.objects.filter(access._under("", paths))


def is_account_admin(user) -> bool:
    """Sở Nội vụ, or an agency admin with an agency-admin grant (the admin menu asks on every
    page: read from the user's groups and grants, kept per request by ``org.access``)."""
    if access.is_home_affairs(user):
        return True
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return False
    return access.AGENCY_ADMIN_GROUP in access.group_names(user) and access.has_grant(
        user, AccessRole.AGENCY_ADMIN
    )


def _paths(user) -> list[str]:
    return list(
        Agency.objects.filter(
            accesses__user=user, accesses__role=AccessRole.AGENCY_ADMIN
        ).values_list("path", flat=True)
    )


def manageable_people(user) -> QuerySet:
    """The people whose sign-ins ``user`` administers."""
    if access.is_home_affairs(user):
        return CivilServant.objects.all()
    if not admin_agencies(user).exists():
        return CivilServant.objects.none()
    people = CivilServant.objects.filter(access.held_person_q(_paths(user)))
    return people.exclude(user=user) if user.pk else people


def may_manage_user(actor, target) -> bool:
    """Whether ``actor`` may reset, unlock, deactivate or grant rights to ``target``."""
    if target is None or actor is None or target.pk == getattr(actor, "pk", None):
        return False
    if target.is_superuser and not actor.is_superuser:
        return False
    if access.is_home_affairs(actor):
        return True
    if access.is_home_affairs(target):
        return False
    return manageable_people(actor).filter(user=target).exists()
