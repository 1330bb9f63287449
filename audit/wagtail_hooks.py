"""The "Nhật ký và lịch sử" menu: the read log of personal data and the change history of
score inputs, for Sở Nội vụ only."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from audit.views import ChangeHistoryView
from audit.viewsets import ReadLogViewSet
from cms.admin_views import ModelMenuItem
from org.access import is_home_affairs

read_log_viewset = ReadLogViewSet()


@hooks.register("register_admin_viewset")
def register_read_log():
    return read_log_viewset


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit/history/", ChangeHistoryView.as_view(), name="audit_change_history")]


class HomeAffairsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_home_affairs(request.user)


audit_menu = Menu(register_hook_name="register_audit_menu_item")


@hooks.register("register_admin_menu_item")
def register_audit_menu():
    return SubmenuMenuItem(
        _("Nhật ký và lịch sử"), audit_menu, icon_name="history", name="audit", order=950
    )


@hooks.register("register_audit_menu_item")
def menu_read_log():
    return ModelMenuItem(
        read_log_viewset.menu_label,
        reverse(read_log_viewset.get_url_name("index")),
        icon_name=read_log_viewset.icon,
        order=10,
        viewset=read_log_viewset,
        name="audit-read-log",
    )


@hooks.register("register_audit_menu_item")
def menu_change_history():
    return HomeAffairsMenuItem(
        _("Lịch sử thay đổi dữ liệu chấm điểm"),
        reverse("audit_change_history"),
        icon_name="history",
        order=20,
        name="audit-change-history",
    )
