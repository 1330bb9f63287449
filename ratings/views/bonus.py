"""Download each person's extra-income coefficient of a period for payroll (.xlsx)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms import exports
from cms.admin_views import TitledAdminMixin
from org.access import can_access_agency, visible_agencies
from ratings import exports as kinds
from ratings.access import can_manage_cases
from ratings.services.bonus import (
    annual_export_refusal,
    payroll_count,
    payroll_refusal,
    payroll_rows,
)
from ratings.services.party_review import review_count, review_rows
from ratings.views.printing import xlsx_response
from scoring.models import Period


class PayrollForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan, đơn vị"), queryset=None)
    period = forms.ModelChoiceField(label=_("Kỳ"), queryset=Period.objects.all())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = visible_agencies(user).exclude(parent=None)

    def choice(self):
        return self.cleaned_data["period"]


class AgencyExportView(TitledAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    """An agency's figures as a page and an xlsx: for those who manage rating cases, only an
    agency they reach, and refused while a figure it reads is being recomputed (issue 28). The
    xlsx of more than ``KPI_EXPORT_INLINE_ROWS`` rows is built in the background (issue 47,
    ``cms.exports``: the kind ``export_kind``, the same ``workbook`` builder)."""

    form_class: type[forms.Form]
    export_kind: str
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_cases(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def refusal(self, agency, choice) -> str | None:
        raise NotImplementedError

    def rows(self, agency, choice) -> list:
        raise NotImplementedError

    def count(self, agency, choice) -> int:
        """How many rows the xlsx has (a query count, not the build)."""
        raise NotImplementedError

    def params(self, agency, choice) -> dict:
        """What the background job needs to build the same xlsx (``cms.exports``)."""
        raise NotImplementedError

    def workbook(self, agency, choice) -> tuple[bytes, str]:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        form = self.form_class(request.GET or None, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        agency, choice = form.cleaned_data["agency"], form.choice()
        if not can_access_agency(request.user, agency):
            raise PermissionDenied
        refusal = self.refusal(agency, choice)
        if refusal:
            return self.render_to_response(
                self.get_context_data(form=form, refusal=refusal), status=409
            )
        if request.GET.get("format") == "xlsx":
            return exports.deliver(
                request,
                self.export_kind,
                self.params(agency, choice),
                self.count(agency, choice),
                lambda: xlsx_response(*self.workbook(agency, choice)),
            )
        return self.render_to_response(
            self.get_context_data(form=form, rows=self.rows(agency, choice))
        )


class BonusExportView(AgencyExportView):
    template_name = "ratings/bonus_export.html"
    page_title = _("Hệ số thu nhập tăng thêm theo kỳ")
    form_class = PayrollForm
    export_kind = kinds.BONUS

    def refusal(self, agency, period):
        return payroll_refusal(agency, period)

    def rows(self, agency, period):
        return payroll_rows(agency, period)

    def count(self, agency, period):
        return payroll_count(agency, period)

    def params(self, agency, period):
        return {"agency": agency.pk, "period": period.pk}

    def workbook(self, agency, period):
        return kinds.bonus_workbook(agency, period)


class PartyReviewForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan, đơn vị"), queryset=None)
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=2000, max_value=2100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = visible_agencies(user).exclude(parent=None)

    def choice(self):
        return self.cleaned_data["year"]


class PartyReviewExportView(AgencyExportView):
    """The year's ratings of an agency's civil servants for the Party-member review and the
    emulation review (Gia Lai plan §II.2.d, §IV.4.1.b; ``ratings.services.party_review``)."""

    template_name = "ratings/party_review.html"
    page_title = _("Kết quả xếp loại năm cho xếp loại đảng viên, thi đua")
    form_class = PartyReviewForm
    export_kind = kinds.PARTY_REVIEW

    def refusal(self, agency, year):
        return annual_export_refusal(agency, year)

    def rows(self, agency, year):
        return review_rows(agency, year)

    def count(self, agency, year):
        return review_count(agency, year)

    def params(self, agency, year):
        return {"agency": agency.pk, "year": year}

    def workbook(self, agency, year):
        return kinds.party_review_workbook(agency, year)
