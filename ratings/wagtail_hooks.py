"""The "Xếp loại chất lượng" admin menu and URLs (no change to ``cms/urls.py`` needed)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet

from cms.admin_views import ModelMenuItem
from org.models import CivilServant
from ratings.access import can_manage_cases
from ratings.urls import urlpatterns
from ratings.viewsets import (
    AgencyScheduleViewSet,
    BonusRegulationViewSet,
    RatingCalendarViewSet,
)

calendar_viewset = RatingCalendarViewSet()
schedule_viewset = AgencyScheduleViewSet()
bonus_viewset = BonusRegulationViewSet()
register_snippet(calendar_viewset)
register_snippet(schedule_viewset)
register_snippet(bonus_viewset)


@hooks.register("register_admin_urls")
def register_ratings_urls():
    return urlpatterns


@hooks.register("construct_homepage_panels")
def add_waiting_cases_panel(request, panels):
    """Every role's home: the rating cases waiting for this user and what blocks them."""
    from ratings.panels import WaitingCasesPanel

    panel = WaitingCasesPanel(request)
    if panel.waiting or can_manage_cases(request.user) or _is_rater(request.user):
        panels.insert(0, panel)


def _is_rater(user) -> bool:
    """Heads rate (or give opinions): they see the panel even when nothing waits."""
    from org.access import headed_agencies

    return bool(headed_agencies(user))


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_cases(request.user)


class MineMenuItem(MenuItem):
    def is_shown(self, request):
        return CivilServant.objects.filter(user=request.user).exists()


ratings_menu = Menu(register_hook_name="register_ratings_menu_item")


@hooks.register("register_admin_menu_item")
def register_ratings_menu():
    return SubmenuMenuItem(
        _("Xếp loại chất lượng"), ratings_menu, icon_name="tasks", name="ratings", order=350
    )


@hooks.register("register_ratings_menu_item")
def menu_mine():
    return MineMenuItem(
        _("Kết quả của tôi"), reverse("ratings_my"), icon_name="user", order=10, name="ratings-mine"
    )


@hooks.register("register_ratings_menu_item")
def menu_cases():
    return MenuItem(
        _("Hồ sơ xếp loại"),
        reverse("ratings_cases"),
        icon_name="tasks",
        order=20,
        name="ratings-cases",
    )


@hooks.register("register_ratings_menu_item")
def menu_deadlines():
    return ManagerMenuItem(
        _("Sắp đến hạn, quá hạn"),
        reverse("ratings_deadlines"),
        icon_name="time",
        order=30,
        name="ratings-deadlines",
    )


@hooks.register("register_ratings_menu_item")
def menu_bonus_export():
    return ManagerMenuItem(
        _("Xuất hệ số thu nhập tăng thêm"),
        reverse("ratings_bonus_export"),
        icon_name="download",
        order=40,
        name="ratings-payroll",
    )


@hooks.register("register_ratings_menu_item")
def menu_calendar():
    return ModelMenuItem(
        _("Lịch xếp loại"),
        reverse(calendar_viewset.get_url_name("list")),
        icon_name="date",
        order=50,
        viewset=calendar_viewset,
        name="ratings-calendar",
    )


@hooks.register("register_ratings_menu_item")
def menu_schedules():
    return ModelMenuItem(
        _("Cơ quan có lịch riêng"),
        reverse(schedule_viewset.get_url_name("list")),
        icon_name="time",
        order=60,
        viewset=schedule_viewset,
        name="ratings-schedules",
    )


@hooks.register("register_ratings_menu_item")
def menu_bonus():
    return ModelMenuItem(
        _("Quy chế thu nhập tăng thêm"),
        reverse(bonus_viewset.get_url_name("list")),
        icon_name="form",
        order=70,
        viewset=bonus_viewset,
        name="ratings-bonus",
    )
