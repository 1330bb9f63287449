"""Registers the API's admin (``api.viewsets``), its token pages and their log actions."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from .admin_tokens import ISSUE_ACTION, REVOKE_ACTION, RevokeTokenView, SystemTokensView
from .viewsets import ApiAdminGroup


@hooks.register("register_admin_viewset")
def register_api_admin():
    return ApiAdminGroup()


@hooks.register("register_admin_urls")
def register_token_urls():
    return [
        path("api/systems/<int:pk>/tokens/", SystemTokensView.as_view(), name="api_system_tokens"),
        path("api/tokens/<int:pk>/revoke/", RevokeTokenView.as_view(), name="api_revoke_token"),
    ]


@hooks.register("register_log_actions")
def register_token_actions(actions):
    actions.register_action(ISSUE_ACTION, _("Cấp mã truy cập API"), _("Đã cấp mã truy cập API"))
    actions.register_action(
        REVOKE_ACTION, _("Thu hồi mã truy cập API"), _("Đã thu hồi mã truy cập API")
    )
