"""Form 01 on screen: own marks for the civil servant, the counted marks for the evaluator."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.admin_views import TitledAdminMixin
from cms.formats.values import vi_decimal
from org.models import CivilServant
from ratings.services.form01_entry import build_form, save_marks
from scoring.models import GeneralCriteriaMark, Period, PeriodScore, PeriodStatus
from scoring.models.guards import governing_agency


class Form01EntryView(TitledAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ratings/form01_entry.html"
    page_title = gettext_lazy("Phiếu theo dõi, đánh giá công chức (Mẫu 01)")
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(CivilServant, pk=kwargs["person"])
        self.period = get_object_or_404(Period, pk=kwargs["period"])
        data = request.POST if request.method == "POST" else None
        self.form, self.rights, self.rules = build_form(
            self.person, self.period, request.user, data
        )
        if not self.rights.any:
            raise PermissionDenied
        # Closed province-wide, or by the lead body of the person's bloc (coverage A8).
        self.accepts_inputs = self.period.accepts_inputs_for(
            governing_agency(self.person.pk, self.period)
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.person.full_name} · {self.period.label}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            person=self.person,
            period=self.period,
            accepts_inputs=self.accepts_inputs,
            closed_status=(
                self.period.get_status_display()
                if self.period.is_final
                else PeriodStatus.CLOSED.label
            ),
            form=self.form,
            rights=self.rights,
            score=PeriodScore.objects.filter(civil_servant=self.person, period=self.period).first(),
            self_total=vi_decimal(float(self._self_total())),
            errors=kwargs.get("errors", []),
        )
        return context

    def post(self, request, *args, **kwargs):
        if self.form is None or not self.accepts_inputs:
            raise PermissionDenied
        if not self.form.is_valid():
            return self._render(400)
        saved = save_marks(self.form, self.person, self.period, request.user, self.rights)
        if saved.errors:
            return self._render(400, errors=saved.errors)
        score = PeriodScore.objects.filter(civil_servant=self.person, period=self.period).first()
        if score is not None and score.awaits_evaluator:
            messages.success(request, _("Đã lưu điểm tự chấm; kỳ này chờ lãnh đạo chấm."))
        else:
            messages.success(request, _("Đã lưu điểm và tính lại kết quả của kỳ."))
        if saved.note:
            messages.info(request, saved.note)
        return redirect("ratings_form01_entry", person=self.person.pk, period=self.period.pk)

    def _self_total(self) -> Decimal:
        marks = GeneralCriteriaMark.objects.filter(
            civil_servant=self.person, period=self.period, self_mark__isnull=False
        )
        if self.form is not None and self.form.rows:
            # The marks the form shows (a contract worker's three marks, M7, or the general).
            marks = marks.filter(component__in={row["component"] for row in self.form.rows})
        return marks.aggregate(total=Sum("self_mark"))["total"] or Decimal(0)

    def _render(self, status, **extra):
        response = self.render_to_response(self.get_context_data(**extra))
        response.status_code = status
        return response
