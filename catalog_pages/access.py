"""Who may read an agency's catalog versions in the admin (published ones are public anyway,
but drafts, approvers and diffs are working documents)."""

from catalog_pages.setup import EDITOR_GROUP_PREFIX, editor_group_name
from org.access import can_access_agency, is_home_affairs, visible_agencies
from org.models import Agency


def can_view_catalog(user, agency: Agency) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if is_home_affairs(user) or can_access_agency(user, agency):
        return True
    return user.groups.filter(name=editor_group_name(agency)).exists()


def viewable_agencies(user):
    if is_home_affairs(user):
        return Agency.objects.all()
    if user is None or not user.is_authenticated:
        return Agency.objects.none()
    names = user.groups.filter(name__startswith=EDITOR_GROUP_PREFIX).values_list("name", flat=True)
    codes = [name.removeprefix(EDITOR_GROUP_PREFIX) for name in names]
    return (visible_agencies(user) | Agency.objects.filter(code__in=codes)).distinct()


def can_record_adoption(user) -> bool:
    """Recording and adopting the province decision on the common catalog: Sở Nội vụ only."""
    return user is not None and user.is_authenticated and is_home_affairs(user)


def common_changes_agencies(user):
    """The agencies whose "what the common catalog changes" page the user may open: those
    whose catalog they may read (Sở Nội vụ: every agency)."""
    return viewable_agencies(user)


def can_view_common_changes(user) -> bool:
    """The menu entry of that page: whoever may read some agency's catalog."""
    return bool(user is not None and user.is_authenticated and viewable_agencies(user).exists())
