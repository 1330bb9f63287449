"""The reconciliation report page: one agency of the user's reach, one month."""

from __future__ import annotations

import datetime
from typing import cast

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
from workplans.models import WorkPlanItem

from .ingest import match_of
from .models import Package, Source
from .plan_matching import candidates, confirm
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
        cast(forms.ModelChoiceField, self.fields["co_quan"]).queryset = _agencies(user)

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


class PlanMatchView(TitledAdminMixin, TemplateView):
    """A received task and the work-plan items it may serve (``connectors.plan_matching``): the
    matcher's suggestions, the clerk's choice, the package applied again."""

    template_name = "connectors/plan_match.html"
    page_title = gettext_lazy("Khớp văn bản với kế hoạch công tác")
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        from django.shortcuts import get_object_or_404

        self.package = get_object_or_404(
            Package.objects.select_related("source__agency"), pk=kwargs["pk"]
        )
        if not access.may(request.user, access.VIEW, self.package):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        data = self.package.data or {}
        return data.get("code") or self.package.document_id

    def _may_match(self) -> bool:
        return self.request.user.has_perm("connectors.add_planitemmatch")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.package.data or {}
        found = candidates(self.package)
        match = match_of(self.package)
        chosen = match.item.pk if match else next((c.item.pk for c in found if c.suggested), None)
        context.update(
            package=self.package,
            subject=data.get("subject", ""),
            code=data.get("code", ""),
            due=data.get("due_date", ""),
            match=match,
            candidates=found,
            chosen=chosen,
            may_match=self._may_match(),
            errors=kwargs.get("errors", []),
        )
        return context

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect
        from django.urls import reverse

        item = WorkPlanItem.objects.filter(pk=request.POST.get("item") or None).first()
        if item is None:
            errors = [_("Chọn một mục kế hoạch trong danh sách rồi bấm “Xác nhận khớp”.")]
            return self.render_to_response(self.get_context_data(errors=errors))
        try:
            _match, _status = confirm(request.user, self.package, item)
        except PermissionDenied as error:
            return permission_denied(request, error)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        self.package.refresh_from_db()
        if self.package.line_id:
            messages.success(
                request,
                _(
                    "Đã khớp văn bản với mục “%(item)s”: văn bản được tính vào kết quả thực hiện "
                    "kế hoạch."
                )
                % {"item": item.name},
            )
        else:
            messages.warning(
                request,
                _(
                    "Đã khớp văn bản với mục “%(item)s”, nhưng văn bản chưa ghi được vào giao "
                    "việc: %(reason)s"
                )
                % {"item": item.name, "reason": self.package.reason or "—"},
            )
        return redirect(reverse("connectors_plan_match", args=[self.package.pk]))
