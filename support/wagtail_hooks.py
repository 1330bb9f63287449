"""Registers the support URLs and three entries of the "Trợ giúp" menu (after the guide):
the contact and FAQ, the difficulties and proposals, and (Sở Nội vụ) the usage statistics."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from org import access
from support.services import waiting_for
from support.urls import urlpatterns


@hooks.register("register_admin_urls")
def register_support_urls():
    return urlpatterns


class _HomeAffairsItem(MenuItem):
    def is_shown(self, request):
        return access.is_home_affairs(request.user)


@hooks.register("register_help_menu_item")
def register_support_help_item():
    return MenuItem(
        _("Liên hệ hỗ trợ, câu hỏi thường gặp"),
        reverse("support_help"),
        icon_name="help",
        order=910,
        name="support-help",
    )


@hooks.register("register_help_menu_item")
def register_support_requests_item():
    return MenuItem(
        _("Vướng mắc, kiến nghị"),
        reverse("support_requests"),
        icon_name="mail",
        order=920,
        name="support-requests",
    )


@hooks.register("register_help_menu_item")
def register_support_usage_item():
    return _HomeAffairsItem(
        _("Thống kê sử dụng phần mềm"),
        reverse("support_usage"),
        icon_name="table",
        order=930,
        name="support-usage",
    )


class WaitingRequestsPanel(Component):
    """ "Vướng mắc, kiến nghị chờ trả lời" on the home of the body that answers them."""

    name = "support_waiting"
    order = 42
    template_name = "support/panels/waiting.html"

    def __init__(self, rows, count):
        self.rows, self.count = rows, count

    def get_context_data(self, parent_context=None):
        return {"rows": self.rows, "count": self.count, "list_url": reverse("support_requests")}


@hooks.register("construct_homepage_panels")
def add_waiting_requests_panel(request, panels):
    waiting = waiting_for(request.user)
    rows = list(waiting[:10])
    if rows:
        panels.append(WaitingRequestsPanel(rows, waiting.count()))
