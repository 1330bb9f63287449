"""The one permission layer: which agencies and people a user may see.

Used by the admin views (listings *and* single-object URLs), the API and exports alike.
- Sở Nội vụ (group ``HOME_AFFAIRS_GROUP``) and superusers: everything.
- Users with ``AgencyAccess`` rows: those agencies and their whole subtrees.
- A civil servant linked to the user: their own records.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from org.models import Agency, CivilServant

HOME_AFFAIRS_GROUP = "Sở Nội vụ"
AGENCY_ADMIN_GROUP = "Quản trị cơ quan"
UNIT_LEADER_GROUP = "Lãnh đạo đơn vị"
CIVIL_SERVANT_GROUP = "Công chức"


def is_home_affairs(user) -> bool:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_home_affairs", None)
    if cached is None:
        cached = user.groups.filter(name=HOME_AFFAIRS_GROUP).exists()
        user._is_home_affairs = cached
    return cached


def granted_agencies(user):
    return Agency.objects.filter(accesses__user=user)


def visible_agencies(user):
    if is_home_affairs(user):
        return Agency.objects.all()
    if user is None or not user.is_authenticated:
        return Agency.objects.none()
    return Agency.objects.subtree_of(list(granted_agencies(user)))


def can_access_agency(user, agency: Agency) -> bool:
    if is_home_affairs(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    return any(agency.path.startswith(a.path) for a in granted_agencies(user))


def visible_civil_servants(user):
    if is_home_affairs(user):
        return CivilServant.objects.all()
    if user is None or not user.is_authenticated:
        return CivilServant.objects.none()
    query = Q(user=user)
    roots = list(granted_agencies(user))
    if roots:
        paths = Q()
        for agency in roots:
            paths |= Q(postings__agency__path__startswith=agency.path)
        query |= paths
    return CivilServant.objects.filter(query).distinct()


def can_access_civil_servant(user, civil_servant: CivilServant) -> bool:
    return visible_civil_servants(user).filter(pk=civil_servant.pk).exists()
