"""The staff's page to issue satisfaction codes (``feedback.admin_views``) and its menu entry."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import IssueCodeView


@hooks.register("register_admin_urls")
def register_feedback_urls():
    return [path("phan-hoi/cap-ma/", IssueCodeView.as_view(), name="feedback_issue")]


@hooks.register("register_admin_menu_item")
def register_feedback_menu_item():
    return MenuItem(
        _("Cấp mã phản hồi hài lòng"), reverse("feedback_issue"), icon_name="tag", order=900
    )
