"""Access rules shared by the template kinds (the row-level layer is ``org.access``)."""

from catalog_pages.models import AgencyCatalogPage
from org.access import can_access_agency, is_home_affairs

IMPORT_PERMISSION = "importers.import_excel"


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def agency_importer(user, agency) -> bool:
    """Sở Nội vụ for any agency; otherwise a user granted the agency with the import right."""
    if not _active(user) or agency is None:
        return False
    if is_home_affairs(user):
        return True
    return user.has_perm(IMPORT_PERMISSION) and can_access_agency(user, agency)


def personnel_importer(user, agency) -> bool:
    if not _active(user) or agency is None:
        return False
    if is_home_affairs(user):
        return True
    return (
        user.has_perm("org.add_civilservant")
        and user.has_perm("org.change_civilservant")
        and can_access_agency(user, agency)
    )


def catalog_importer(user, agency) -> bool:
    """Whoever may edit the agency's catalog page (its editors' group, Sở Nội vụ)."""
    if not _active(user) or agency is None:
        return False
    if is_home_affairs(user):
        return True
    page = getattr(agency, "catalog_page", None)
    if page is None:
        page = AgencyCatalogPage.objects.filter(agency=agency).first()
    return page is not None and page.permissions_for_user(user).can_edit()
