"""Download each person's extra-income coefficient of a period for payroll (.xlsx)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from org.access import can_access_agency, visible_agencies
from ratings.access import can_manage_cases
from ratings.services.bonus import payroll_refusal, payroll_rows, payroll_xlsx
from ratings.views.common import TitledPageMixin
from ratings.views.printing import xlsx_response
from scoring.models import Period


class PayrollForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan, đơn vị"), queryset=None)
    period = forms.ModelChoiceField(label=_("Kỳ"), queryset=Period.objects.all())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = visible_agencies(user).exclude(parent=None)


class BonusExportView(TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ratings/bonus_export.html"
    page_title = _("Hệ số thu nhập tăng thêm theo kỳ")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_cases(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        form = PayrollForm(request.GET or None, user=request.user)
        if form.is_valid():
            agency, period = form.cleaned_data["agency"], form.cleaned_data["period"]
            if not can_access_agency(request.user, agency):
                raise PermissionDenied
            refusal = payroll_refusal(agency, period)
            if refusal:
                # Issue 28: never a payroll file from a figure being recomputed.
                return self.render_to_response(
                    self.get_context_data(form=form, refusal=refusal), status=409
                )
            if request.GET.get("format") == "xlsx":
                return xlsx_response(
                    payroll_xlsx(agency, period), f"he-so-{agency.code}-{period.code}.xlsx"
                )
            return self.render_to_response(
                self.get_context_data(form=form, rows=payroll_rows(agency, period))
            )
        return self.render_to_response(self.get_context_data(form=form))


class PartyReviewForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan, đơn vị"), queryset=None)
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=2000, max_value=2100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = visible_agencies(user).exclude(parent=None)


class PartyReviewExportView(TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    """The year's ratings of an agency's civil servants for the Party-member review and the
    emulation review (Gia Lai plan §II.2.d, §IV.4.1.b; ``ratings.services.party_review``)."""

    template_name = "ratings/party_review.html"
    page_title = _("Kết quả xếp loại năm cho xếp loại đảng viên, thi đua")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_cases(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        from ratings.services.party_review import review_rows, review_xlsx

        form = PartyReviewForm(request.GET or None, user=request.user)
        if form.is_valid():
            agency, year = form.cleaned_data["agency"], form.cleaned_data["year"]
            if not can_access_agency(request.user, agency):
                raise PermissionDenied
            if request.GET.get("format") == "xlsx":
                return xlsx_response(
                    review_xlsx(agency, year),
                    f"xep-loai-dang-vien-thi-dua-{agency.code}-{year}.xlsx",
                )
            return self.render_to_response(
                self.get_context_data(form=form, rows=review_rows(agency, year))
            )
        return self.render_to_response(self.get_context_data(form=form))
