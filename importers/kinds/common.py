"""Access rules shared by the template kinds (the row-level layer is ``org.access``)."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from wagtail.models import Page, WorkflowState
from wagtail.permissions import page_permission_policy

from catalog_pages.models import AgencyCatalogPage
from importers.issues import Issue
from importers.kinds.base import Context, TemplateKind
from org.access import can_access_agency, is_home_affairs, visible_agencies
from scoring.models.guards import closed_period_error

IMPORT_PERMISSION = "importers.import_excel"
#: Importing people and units: adding and changing civil servants (no import right needed).
PERSONNEL_PERMISSIONS = ("org.add_civilservant", "org.change_civilservant")


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def agency_importer(user, agency) -> bool:
    """Sở Nội vụ for any agency; otherwise a user granted the agency with the import right."""
    if not _active(user) or agency is None:
        return False
    if is_home_affairs(user):
        return True
    return user.has_perm(IMPORT_PERMISSION) and can_access_agency(user, agency)


def _reached_among(user, agencies, permissions: tuple[str, ...]):
    """The agencies of ``agencies`` (a queryset) that ``user`` holding ``permissions`` reaches
    (``can_access_agency`` as a condition: ``visible_agencies``), as a queryset: Sở Nội vụ all
    of them, a user without a permission none (no query), else those in their subtrees."""
    if not _active(user):
        return agencies.none()
    if is_home_affairs(user):
        return agencies
    if not all(user.has_perm(permission) for permission in permissions):
        return agencies.none()
    return agencies & visible_agencies(user)


def agency_importer_among(user, agencies):
    """:func:`agency_importer` over a queryset of agencies, as one condition."""
    return _reached_among(user, agencies, (IMPORT_PERMISSION,))


def personnel_importer_among(user, agencies):
    """:func:`personnel_importer` over a queryset of agencies, as one condition."""
    return _reached_among(user, agencies, PERSONNEL_PERMISSIONS)


class AgencyPeriodKind(TemplateKind):
    """A kind of an agency's inputs for a period: imported by the agency's importers
    (:func:`agency_importer`), refused whole when the period no longer takes inputs."""

    needs_period = True

    def can_import(self, user, agency) -> bool:
        return agency_importer(user, agency)

    def imports_any(self, user, agencies) -> bool:
        return agency_importer_among(user, agencies).exists()

    def context_issues(self, context: Context) -> list[Issue]:
        period = context.period
        if period is not None and not period.accepts_inputs_for(context.agency):
            return [Issue(closed_period_error(period).messages[0])]
        return []


def personnel_importer(user, agency) -> bool:
    if not _active(user) or agency is None:
        return False
    if is_home_affairs(user):
        return True
    return all(user.has_perm(permission) for permission in PERSONNEL_PERMISSIONS) and (
        can_access_agency(user, agency)
    )


def edits_pages(user) -> bool:
    """Whether ``user`` holds Wagtail's "change" or "add" permission on some page (a superuser
    always): read from the page permissions Wagtail keeps per request."""
    if user.is_superuser:
        return True
    return any(
        permission.permission.codename.rsplit("_", maxsplit=1)[0] in ("change", "add")
        for permission in page_permission_policy.get_cached_permissions_for_user(user)
    )


def in_workflow_page_ids() -> list[int]:
    """The ids of the pages whose workflow is in progress (a handful, one query)."""
    states = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type=ContentType.objects.get_for_model(Page),
    )
    return [int(object_id) for object_id in states.values_list("object_id", flat=True)]


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
