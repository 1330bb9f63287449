"""The "Tài khoản đăng nhập" admin entry (Sở Nội vụ and agency admins), its URLs and the
account events' listing."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from accounts.account_panel import OwnEventsPanel
from accounts.roles import is_account_admin
from accounts.urls import admin_urlpatterns
from accounts.viewsets import AccountEventViewSet
from cms.admin_views import AdminPage


@hooks.register("register_admin_urls")
def register_account_urls():
    return admin_urlpatterns


@hooks.register("register_admin_viewset")
def register_account_menu():
    return AdminPage(
        "accounts",
        menu_label=_("Tài khoản đăng nhập"),
        url_name="accounts_index",
        icon="user",
        menu_order=850,
        add_to_admin_menu=True,
        shown_to=is_account_admin,
    )


@hooks.register("register_admin_viewset")
def register_account_events():
    """**Nhật ký tài khoản** (``accounts.viewsets``), linked from "Tài khoản đăng nhập"."""
    return AccountEventViewSet()


@hooks.register("register_account_settings_panel")
def register_own_events_panel(request, user, profile):
    return OwnEventsPanel(request, user, profile)


@hooks.register("register_account_menu_item")
def sso_account_menu_item(request):
    """The person's own "Liên kết đăng nhập một lần" page, on their account page."""
    from django.conf import settings
    from django.urls import reverse

    if not getattr(settings, "KPI_OIDC_ENABLED", False):
        return None
    return {
        "url": reverse("accounts_sso_account"),
        "label": _("Liên kết đăng nhập một lần"),
        "help_text": _(
            "Liên kết tài khoản ở nhà cung cấp định danh của tỉnh với tài khoản này, xem và hủy "
            "liên kết."
        ),
    }
