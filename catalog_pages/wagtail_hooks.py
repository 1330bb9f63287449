"""Registers the catalogs' admin URLs and menus (``catalog_pages.viewsets``), and keeps the
publish buttons of a catalog behind its appraisal workflow."""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _

from wagtail import hooks

from catalog_pages import views
from catalog_pages.consolidation.urls import urlpatterns as consolidation_urls
from catalog_pages.models import AgencyCatalogPage
from catalog_pages.models.appraisal import decision_number_problem
from catalog_pages.viewsets import (
    CommonCatalogViewSetGroup,
    agency_catalog_task_page,
    catalog_versions_page,
)
from org.access import is_home_affairs


@hooks.register("register_admin_urls")
def register_catalog_urls():
    return [
        path(
            "danh-muc-co-quan/",
            views.AgencyCatalogTaskView.as_view(),
            name="catalog_agency_task",
        ),
        path(
            "danh-muc-co-quan/<int:pk>/tu-ket-qua-nam-truoc/",
            views.FromLastYearView.as_view(),
            name="catalog_from_last_year",
        ),
        path("catalog-versions/", views.VersionListView.as_view(), name="catalog_versions"),
        path(
            "catalog-versions/<int:pk>/",
            views.VersionDetailView.as_view(),
            name="catalog_version_detail",
        ),
        *consolidation_urls,
    ]


@hooks.register("register_admin_viewset")
def register_catalog_menus():
    return [agency_catalog_task_page, catalog_versions_page, CommonCatalogViewSetGroup()]


#: Actions that publish or withdraw a catalog around the appraisal workflow.
BYPASSING_ACTIONS = ("action-publish", "action-unpublish")


@hooks.register("construct_page_action_menu")
def catalog_actions_follow_the_workflow(menu_items, request, context):
    """Review 2026-11-22 (ux #6): on a catalog in appraisal, the approver's footer offered
    "Xuất bản" and "Thu hồi xuất bản" next to the workflow's actions, so a catalog could be
    published without the recorded approval. While the workflow runs, only its actions (and
    saving a draft) are offered, the approval first; agency editors never get the two."""
    page = context.get("page")
    if not isinstance(page, AgencyCatalogPage):
        return
    if page.workflow_in_progress or not is_home_affairs(request.user):
        menu_items[:] = [item for item in menu_items if item.name not in BYPASSING_ACTIONS]
    approve = [item for item in menu_items if item.name == "approve"]
    if approve:
        menu_items.remove(approve[0])
        menu_items.insert(0, approve[0])


#: The editor's actions after which the clerk is shown where the catalog now stands.
TASK_ACTIONS = ("action-submit", "action-restart-workflow", "action-cancel-workflow")


def _task_page(page):
    return redirect(f"{reverse('catalog_agency_task')}#catalog-{page.pk}")


@hooks.register("after_edit_page")
def back_to_the_catalog_task(request, page):
    """Review 2026-11-23 (C9): after "Gửi tới Thẩm định" Wagtail returned to the catalog's
    empty child list ("0 trang"); the clerk lands on "Danh mục của cơ quan", which says the
    catalog waits for Sở Nội vụ. Review 2026-11-25 (ux H4, L4): after "Phê duyệt và xuất
    bản" the approver landed on the page explorer — "Đã cập nhật trang" beside "Bạn không có
    quyền truy cập" for a bloc appraiser; now on the version just approved, told so."""
    if not isinstance(page.specific, AgencyCatalogPage):
        return None
    if any(name in request.POST for name in TASK_ACTIONS):
        return _task_page(page)
    if "action-workflow-action" in request.POST and not page.specific.workflow_in_progress:
        version = page.specific.versions.order_by("-number").first()
        if version is not None and request.POST.get("workflow-action-name") == "approve":
            _drop_wagtails_saved_message(request)
            return redirect(
                reverse("catalog_version_detail", args=[version.pk]) + "?da-phe-duyet=1"
            )
    return None


def _drop_wagtails_saved_message(request):
    """Wagtail's "Đã cập nhật trang …" says nothing of the approval: the version page says
    what happened instead. Other messages (warnings, errors) are kept."""
    from django.contrib import messages

    kept = [m for m in messages.get_messages(request) if m.level != messages.SUCCESS]
    for message in kept:
        messages.add_message(request, message.level, message.message, message.extra_tags)


@hooks.register("before_edit_page")
def say_what_the_approval_needs(request, page):
    """The home page's quick "Phê duyệt" on a draft without its own decision number approves
    nothing and opens the editor (``BlocAppraisalTask.on_action``): say why, here."""
    if request.method == "GET" and request.GET.get("can-so-quyet-dinh"):
        from django.contrib import messages

        specific = page.specific
        if isinstance(specific, AgencyCatalogPage):
            draft = specific.get_latest_revision_as_object()
            problem = decision_number_problem(specific, draft.approval_ref)
            if problem is not None:
                messages.error(
                    request,
                    _(
                        "Chưa phê duyệt: %(problem)s Nhập vào ô “Số quyết định phê duyệt” rồi "
                        "bấm “Phê duyệt và xuất bản”."
                    )
                    % {"problem": problem},
                )
    return None


@hooks.register("construct_main_menu")
def no_page_explorer_for_catalog_clerks(request, menu_items):
    """The page explorer is Sở Nội vụ's tool; a catalog clerk has "Danh mục của cơ quan"."""
    user = request.user
    if user.is_superuser or is_home_affairs(user):
        return
    menu_items[:] = [item for item in menu_items if item.name != "explorer"]
