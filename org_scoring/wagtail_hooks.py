"""The "Đánh giá tổ chức" admin menu: the agencies' scores of a year and the inputs (tasks,
general marks, shortcomings, conclusions), each shown only to users allowed to see it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet

from cms.admin_views import ModelMenuItem
from org_scoring.access import can_view
from org_scoring.urls import urlpatterns
from org_scoring.viewsets import (
    OrganisationDisqualificationViewSet,
    OrganisationGeneralMarkViewSet,
    OrganisationShortcomingViewSet,
    OrganisationTaskViewSet,
    OutstandingRecognitionViewSet,
)

task_viewset = OrganisationTaskViewSet()
mark_viewset = OrganisationGeneralMarkViewSet()
shortcoming_viewset = OrganisationShortcomingViewSet()
disqualification_viewset = OrganisationDisqualificationViewSet()
recognition_viewset = OutstandingRecognitionViewSet()
VIEWSETS = (
    task_viewset,
    mark_viewset,
    shortcoming_viewset,
    disqualification_viewset,
    recognition_viewset,
)
for _viewset in VIEWSETS:
    register_snippet(_viewset)


@hooks.register("register_admin_urls")
def register_org_scoring_urls():
    return urlpatterns


class ScoresMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view(request.user)


org_scoring_menu = Menu(register_hook_name="register_org_scoring_menu_item")


@hooks.register("register_admin_menu_item")
def register_org_scoring_menu():
    return SubmenuMenuItem(
        _("Đánh giá tổ chức"), org_scoring_menu, icon_name="site", name="org-scoring", order=340
    )


@hooks.register("register_org_scoring_menu_item")
def menu_scores():
    return ScoresMenuItem(
        _("Kết quả đánh giá tổ chức"),
        reverse("org_scoring_index"),
        icon_name="list-ol",
        order=10,
        name="org-scoring-results",
    )


def _model_item(viewset, order, name):
    return ModelMenuItem(
        viewset.menu_label,
        reverse(viewset.get_url_name("list")),
        icon_name=viewset.icon,
        order=order,
        viewset=viewset,
        name=name,
    )


@hooks.register("register_org_scoring_menu_item")
def menu_tasks():
    return _model_item(task_viewset, 20, "org-scoring-tasks")


@hooks.register("register_org_scoring_menu_item")
def menu_marks():
    return _model_item(mark_viewset, 30, "org-scoring-marks")


@hooks.register("register_org_scoring_menu_item")
def menu_shortcomings():
    return _model_item(shortcoming_viewset, 40, "org-scoring-shortcomings")


@hooks.register("register_org_scoring_menu_item")
def menu_disqualifications():
    return _model_item(disqualification_viewset, 50, "org-scoring-disqualifications")


@hooks.register("register_org_scoring_menu_item")
def menu_recognitions():
    return _model_item(recognition_viewset, 60, "org-scoring-recognitions")
