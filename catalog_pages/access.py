"""Who may read an agency's catalog versions in the admin (published ones are public anyway,
but drafts, approvers and diffs are working documents)."""

from django.db.models import Q

from catalog_pages.policy import CATALOG_EDITORS
from catalog_pages.setup import EDITOR_GROUP_PREFIX
from org import access
from org.access import is_home_affairs
from org.models import Agency


def editor_group_reach(user, **_context) -> Q:
    """The extra reach of the catalogs (``catalog_pages.policy.EXTRA_REACH``): the agencies
    whose catalog editor group ``user`` is in."""
    return Q(code__in=editor_group_codes(user))


def drafting_reach(user, path: str) -> Q:
    """Rows whose agency (at ``path``, e.g. ``"unit"``) lies under an agency whose catalog
    editor group ``user`` is in: what ``catalog_pages.last_year`` reads for that user's draft
    (the ``CATALOG_DRAFTING`` reach of the lines and the received documents)."""
    paths = Agency.objects.filter(code__in=editor_group_codes(user)).values_list("path", flat=True)
    reach = Q(pk__in=[])
    for prefix in paths:
        reach |= Q(**{f"{path}__path__startswith": prefix})
    return reach


def editor_group_codes(user) -> list[str]:
    """The codes of the agencies whose catalog editor group ("Biên tập danh mục — CODE") ``user``
    is in (no query beyond ``org.access.group_names``)."""
    return sorted(
        name.removeprefix(EDITOR_GROUP_PREFIX)
        for name in access.group_names(user)
        if name.startswith(EDITOR_GROUP_PREFIX)
    )


def can_view_catalog(user, agency: Agency) -> bool:
    return access.reads(user, agency, extra=CATALOG_EDITORS)


def viewable_agencies(user):
    return access.visible(user, Agency, extra=CATALOG_EDITORS)


def can_record_adoption(user) -> bool:
    """Recording and adopting the province decision on the common catalog: Sở Nội vụ only."""
    return user is not None and user.is_authenticated and is_home_affairs(user)


def common_changes_agencies(user):
    """The agencies whose "what the common catalog changes" page the user may open: those
    whose catalog they may read (Sở Nội vụ: every agency)."""
    return viewable_agencies(user)


def can_view_common_changes(user) -> bool:
    """The menu entry of that page: whoever may read some agency's catalog — anyone reaching an
    agency (no query beyond their reach kept per request), else the agencies of their catalog
    editor groups (no query without such a group)."""
    if user is None or not user.is_authenticated:
        return False
    return access.reaches_agencies(user) or viewable_agencies(user).exists()
