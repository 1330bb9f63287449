"""Admin pages for the API tokens of one integration system: list, issue (shown once), revoke.

Sở Nội vụ issues and revokes tokens here rather than on the server's command line
(``create_integration_token`` stays for scripted set-ups). A new token is shown on the response
to the POST that created it and never again: only its sha256 is stored. Every issue and revoke
is written to Wagtail's audit log of the system.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import TemplateView

from wagtail.log_actions import log

from cms.admin_views import TitledAdminMixin

from .models import IntegrationSystem, IntegrationToken

ISSUE_ACTION = "kpi_api.token_issued"
REVOKE_ACTION = "kpi_api.token_revoked"

VIEW_PERMISSION = "api.view_integrationtoken"
ISSUE_PERMISSION = "api.add_integrationtoken"
REVOKE_PERMISSION = "api.change_integrationtoken"


class IssueTokenForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Ghi chú cho mã"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Ví dụ: máy chủ phần mềm quản lý văn bản, cấp tháng 11/2026."),
    )
    revoke_others = forms.BooleanField(
        label=gettext_lazy("Thu hồi các mã đang dùng của hệ thống (đổi mã)"),
        required=False,
    )


if TYPE_CHECKING:
    from django.views import View as _ViewBase
else:
    _ViewBase = object


class _PermissionMixin(_ViewBase):
    """A plain 403 (not Wagtail's redirect to the dashboard) without the permission."""

    permission = VIEW_PERMISSION

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)


def issue_token(system: IntegrationSystem, user, label: str = "", revoke_others: bool = False):
    """Issue a token for ``system`` (optionally revoking its other tokens); logged. Returns the
    row and the token text, which is never stored."""
    with transaction.atomic():
        revoked = []
        if revoke_others:
            for row in system.tokens.filter(revoked_at__isnull=True):
                row.revoke()
                revoked.append(row.prefix)
        row, token = IntegrationToken.issue(system, label=label)
        log(
            instance=system,
            action=ISSUE_ACTION,
            user=user,
            data={"prefix": row.prefix, "label": label, "revoked": revoked},
        )
    return row, token


def revoke_token(row: IntegrationToken, user) -> bool:
    """Revoke ``row``; logged. False when it was already revoked."""
    if row.revoked_at is not None:
        return False
    with transaction.atomic():
        row.revoke()
        log(instance=row.system, action=REVOKE_ACTION, user=user, data={"prefix": row.prefix})
    return True


class SystemTokensView(_PermissionMixin, TitledAdminMixin, TemplateView):
    template_name = "api/admin/tokens.html"
    page_title = gettext_lazy("Mã truy cập API")
    header_icon = "key"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.system = get_object_or_404(IntegrationSystem, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return self.system.name

    @property
    def breadcrumbs_items(self):
        return [
            *TitledAdminMixin.breadcrumbs_items,
            {"url": reverse("integration_systems:index"), "label": _("Hệ thống tích hợp")},
            {
                "url": reverse("integration_systems:edit", args=[self.system.pk]),
                "label": self.system.name,
            },
        ]

    def get_context_data(self, form=None, new_token=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            system=self.system,
            tokens=self.system.tokens.order_by("revoked_at", "-created_at"),
            scope=self.system.agencies.order_by("path"),
            form=form or IssueTokenForm(),
            new_token=new_token,
            can_issue=user.has_perm(ISSUE_PERMISSION) and self.system.is_active,
            can_revoke=user.has_perm(REVOKE_PERMISSION),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(ISSUE_PERMISSION):
            return permission_denied(request, PermissionDenied())
        form = IssueTokenForm(request.POST)
        if not self.system.is_active:
            form.add_error(None, _("Hệ thống đang bị tạm dừng; hãy bật lại trước khi cấp mã."))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        row, token = issue_token(
            self.system,
            request.user,
            label=form.cleaned_data["label"],
            revoke_others=form.cleaned_data["revoke_others"],
        )
        response = self.render_to_response(
            self.get_context_data(new_token={"row": row, "token": token})
        )
        # The page holds a secret: no browser or proxy may keep it.
        add_never_cache_headers(response)
        return response


class RevokeTokenView(_PermissionMixin, TitledAdminMixin, TemplateView):
    template_name = "api/admin/revoke_token.html"
    page_title = gettext_lazy("Thu hồi mã truy cập")
    header_icon = "key"
    permission = REVOKE_PERMISSION

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.token = get_object_or_404(
            IntegrationToken.objects.select_related("system"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return f"{self.token.system.name} · {self.token.prefix}…"

    @property
    def breadcrumbs_items(self):
        return [
            *TitledAdminMixin.breadcrumbs_items,
            {
                "url": reverse("api_system_tokens", args=[self.token.system_id]),
                "label": _("Mã truy cập API"),
            },
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(token=self.token, **kwargs)

    def post(self, request, *args, **kwargs):
        if revoke_token(self.token, request.user):
            messages.success(
                request,
                _("Đã thu hồi mã %(prefix)s… của “%(system)s”; mã không còn dùng được.")
                % {"prefix": self.token.prefix, "system": self.token.system.name},
            )
        else:
            messages.warning(request, _("Mã này đã bị thu hồi trước đó."))
        return redirect("api_system_tokens", self.token.system_id)
