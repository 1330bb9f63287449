"""The demo's one admin entry: "Trợ giúp → Tệp hồ sơ nhân sự gửi Sở Nội vụ (bản demo)", for
Sở Nội vụ, where the demo is allowed and loaded (``demo.views``)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from demo import views
from org.access import is_home_affairs


@hooks.register("register_admin_urls")
def register_demo_urls():
    return [path("demo/ho-so-nhan-su/", views.personnel_file_view, name="demo_personnel_file")]


class _DemoFileItem(MenuItem):
    def is_shown(self, request):
        # Asked twice per page (the help menu's own test, then its rendering): the demo
        # agency is looked up once per request.
        if not is_home_affairs(request.user):
            return False
        if "_kpi_demo_offered" not in request.__dict__:
            request._kpi_demo_offered = views.offered()
        return request._kpi_demo_offered


@hooks.register("register_help_menu_item")
def register_demo_file_item():
    return _DemoFileItem(
        _("Tệp hồ sơ nhân sự gửi Sở Nội vụ (bản demo)"),
        reverse("demo_personnel_file"),
        icon_name="download",
        order=990,
        name="demo-personnel-file",
    )
