"""Out-of-the-box catalog structure: the index page, one catalog page per agency, the appraisal
workflow (by the lead body of each catalog's bloc: Sở Nội vụ for the state bloc), and page
permissions so each agency edits only its own catalog.

Idempotent; run by ``manage.py setup_catalogs`` and by the demo loader. Granting a person the
right to edit an agency's catalog = adding them to that agency's group "Biên tập danh mục — CODE"
(Wagtail's own groups and page permissions do the rest, including refusing other agencies'
pages by URL).
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.text import slugify

from wagtail.models import (
    GroupPagePermission,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from catalog_pages.models import AgencyCatalogPage, BlocAppraisalTask, CatalogIndexPage
from cms.models import HomePage
from org.access import HOME_AFFAIRS_GROUP
from org.models import AGENCY_KINDS, Agency, AgencyKind

WORKFLOW_NAME = "Thẩm định danh mục sản phẩm/công việc"
TASK_NAME = "Thẩm định, phê duyệt (Sở Nội vụ hoặc cơ quan chủ trì khối)"
EDITOR_GROUP_PREFIX = "Biên tập danh mục — "
HOME_AFFAIRS_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
)
EDITOR_PAGE_PERMISSIONS = ("change_page",)


def editor_group_name(agency: Agency) -> str:
    return f"{EDITOR_GROUP_PREFIX}{agency.code}"


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _grant(group: Group, page, codenames) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_page_permission(codename)
        )


def _admin_access(group: Group) -> None:
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )


def ensure_index() -> CatalogIndexPage:
    index = CatalogIndexPage.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.first()
    index = CatalogIndexPage(
        title="Danh mục sản phẩm/công việc",
        slug="danh-muc",
        intro="<p>Danh mục sản phẩm/công việc, đơn vị sản phẩm chuẩn và hệ số quy đổi của các "
        "cơ quan, đơn vị trên địa bàn tỉnh đã được phê duyệt.</p>",
    )
    home.add_child(instance=index)
    return index


def ensure_workflow(index: CatalogIndexPage) -> Workflow:
    """The appraisal workflow: one step, approved by the lead body of the catalog's bloc
    (``BlocAppraisalTask``: Sở Nội vụ for the state bloc, ``org.BlocLead`` for the others).
    A database set up with Wagtail's group task keeps it for the catalogs in appraisal on it;
    the next submissions go to the new step."""
    home_affairs, _ = Group.objects.get_or_create(name=HOME_AFFAIRS_GROUP)
    task = BlocAppraisalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = BlocAppraisalTask.objects.create(name=TASK_NAME)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    for old in WorkflowTask.objects.filter(workflow=workflow).exclude(task=task):
        if not old.task.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).exists():
            old.delete()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    _grant(home_affairs, index, HOME_AFFAIRS_PAGE_PERMISSIONS)
    _admin_access(home_affairs)
    return workflow


def ensure_agency_catalog(agency: Agency, index: CatalogIndexPage) -> AgencyCatalogPage:
    page = AgencyCatalogPage.objects.filter(agency=agency).first()
    if page is None:
        page = AgencyCatalogPage(
            title=f"Danh mục sản phẩm/công việc — {agency.name}",
            slug=slugify(agency.code),
            agency=agency,
            live=False,
        )
        index.add_child(instance=page)
    group, _ = Group.objects.get_or_create(name=editor_group_name(agency))
    _grant(group, page, EDITOR_PAGE_PERMISSIONS)
    _admin_access(group)
    return page


@transaction.atomic
def setup_catalogs() -> CatalogIndexPage:
    index = ensure_index()
    ensure_workflow(index)
    # Every agency that owns a catalog (departments, communes and the bodies of the Party,
    # the Front and public service — org.models.AGENCY_KINDS), the province itself excepted.
    kinds = [kind for kind in AGENCY_KINDS if kind != AgencyKind.PROVINCE]
    for agency in Agency.objects.filter(kind__in=kinds, is_active=True).order_by("path"):
        ensure_agency_catalog(agency, index)
    return index
