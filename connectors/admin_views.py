"""The reconciliation report page: one agency of the user's reach, one month."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import TemplateView

from cms.admin_views import TitledAdminMixin
from org import access
from org.models import Agency

from .models import Source
from .report import reconcile
from .viewsets import can_reconcile


def _agencies(user):
    ids = access.visible(user, Source).values_list("agency_id", flat=True)
    return Agency.objects.filter(pk__in=ids).order_by("path")


class ReportForm(forms.Form):
    co_quan = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan"), queryset=Agency.objects.none(), empty_label=None
    )
    thang = forms.CharField(
        label=gettext_lazy("Tháng"),
        help_text=gettext_lazy("Dạng mm/yyyy, ví dụ 11/2026."),
        max_length=7,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_quan"].queryset = _agencies(user)

    def clean_thang(self):
        value = self.cleaned_data["thang"].strip()
        try:
            month, year = (int(part) for part in value.split("/"))
            return datetime.date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(
                _("Tháng “%(value)s” không đúng dạng mm/yyyy (ví dụ 11/2026).") % {"value": value}
            ) from None


class ReconciliationView(TitledAdminMixin, TemplateView):
    template_name = "connectors/reconciliation.html"
    page_title = gettext_lazy("Đối soát gói tin theo tháng")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not can_reconcile(request.user):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET.copy()
        first = _agencies(self.request.user).first()
        if "co_quan" not in data and first is not None:
            data["co_quan"] = str(first.pk)
        if "thang" not in data:
            data["thang"] = timezone.localdate().strftime("%m/%Y")
        form = ReportForm(data, user=self.request.user)
        context["form"] = form
        if form.is_valid():
            context["report"] = reconcile(form.cleaned_data["co_quan"], form.cleaned_data["thang"])
            context["agency"] = form.cleaned_data["co_quan"]
        return context
