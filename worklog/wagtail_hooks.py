"""The "Giao việc" admin menu, URLs, home panel and the holiday snippet."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet

from worklog.access import is_leader, person_of
from worklog.panels import DeadlinePanel
from worklog.urls import urlpatterns
from worklog.views.common import today
from worklog.viewsets import HolidayViewSet

holiday_viewset = HolidayViewSet()
register_snippet(holiday_viewset)


@hooks.register("register_admin_urls")
def register_worklog_urls():
    return urlpatterns


@hooks.register("construct_homepage_panels")
def add_deadline_panel(request, panels):
    if DeadlinePanel.is_relevant(request):
        panels.insert(0, DeadlinePanel(request))


class PersonMenuItem(MenuItem):
    def is_shown(self, request):
        return person_of(request.user) is not None


class LeaderMenuItem(MenuItem):
    def is_shown(self, request):
        return is_leader(request.user, today())


class HolidayMenuItem(MenuItem):
    def is_shown(self, request):
        return holiday_viewset.permission_policy.user_has_permission(request.user, "view")


worklog_menu = Menu(register_hook_name="register_worklog_menu_item")


@hooks.register("register_admin_menu_item")
def register_worklog_menu():
    return SubmenuMenuItem(
        _("Giao việc"), worklog_menu, icon_name="tasks", name="worklog", order=300
    )


@hooks.register("register_worklog_menu_item")
def menu_mine():
    return PersonMenuItem(
        _("Việc của tôi"), reverse("worklog_mine"), icon_name="user", order=10, name="worklog-mine"
    )


@hooks.register("register_worklog_menu_item")
def menu_assign():
    return LeaderMenuItem(
        _("Giao việc mới"),
        reverse("worklog_assign"),
        icon_name="plus",
        order=20,
        name="worklog-assign",
    )


@hooks.register("register_worklog_menu_item")
def menu_board():
    return LeaderMenuItem(
        _("Theo dõi đơn vị"),
        reverse("worklog_board"),
        icon_name="table",
        order=30,
        name="worklog-board",
    )


@hooks.register("register_worklog_menu_item")
def menu_holidays():
    return HolidayMenuItem(
        _("Ngày nghỉ lễ, ngày làm bù"),
        reverse(holiday_viewset.get_url_name("list")),
        icon_name="date",
        order=40,
        name="worklog-holidays",
    )
