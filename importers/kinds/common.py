"""Access rules shared by the template kinds (the row-level layer is ``org.access``)."""

from django.utils.translation import gettext as _

from catalog_pages.models import AgencyCatalogPage
from importers.issues import Issue
from importers.kinds.base import Context, TemplateKind
from org.access import can_access_agency, is_home_affairs
from scoring.models.guards import closed_period_error

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


class AgencyPeriodKind(TemplateKind):
    """A kind of an agency's inputs for a period: imported by the agency's importers
    (:func:`agency_importer`), refused whole when the period no longer takes inputs."""

    needs_period = True

    def can_import(self, user, agency) -> bool:
        return agency_importer(user, agency)

    def context_issues(self, context: Context) -> list[Issue]:
        period = context.period
        if period is not None and not period.accepts_inputs:
            return [Issue(closed_period_error(period).messages[0])]
        return []


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


DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"


def unknown_position_message(code: str, known) -> str:
    """Why ``code`` is not a job position, pointing at a look-alike dash (an en dash typed by
    Word or Excel's autocorrect) when that is the cause (review 2026-11-23, importers K05)."""
    dashes = [(i, char) for i, char in enumerate(code) if char in DASHES]
    if not dashes:
        return _("Không có vị trí việc làm mã %(code)s.") % {"code": code}
    fixed = "".join("-" if char in DASHES else char for char in code)
    position, char = dashes[0]
    message = _(
        "Mã vị trí việc làm “%(code)s” có dấu “%(char)s” (gạch dài, U+%(hex)04X) ở ký tự thứ "
        "%(position)d; mã chỉ dùng dấu gạch nối “-”."
    ) % {"code": code, "char": char, "hex": ord(char), "position": position + 1}
    if fixed in known:
        return message + " " + _("Hãy gõ lại: %(fixed)s.") % {"fixed": fixed}
    return (
        message
        + " "
        + _("Mã %(fixed)s cũng không có; hãy chọn mã trong danh sách thả xuống.") % {"fixed": fixed}
    )
