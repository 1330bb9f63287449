"""Printable A4 pages and .xlsx downloads of Form 02 (a case) and Form 01 (a period score)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView, View

from audit import record_read
from audit.models import ReadFormat, ReadKind
from org import access
from ratings.printing.form01 import build_form01
from ratings.printing.form02 import build_form02
from ratings.printing.xlsx import form01_xlsx, form02_xlsx
from ratings.views.common import get_case
from scoring.models import PeriodScore

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _case_read(case) -> dict:
    """What the read log keeps of a case: the case, its person (none for an agency's case)."""
    return {
        "objects": [case],
        "subjects": [case.civil_servant_id] if case.civil_servant_id else [],
        "agency": case.agency_id,
    }


def get_score(request, pk) -> PeriodScore:
    score = get_object_or_404(
        PeriodScore.objects.select_related(
            "civil_servant", "period", "agency", "posting__job_position"
        ),
        pk=pk,
    )
    if not access.reads(request.user, score):
        raise PermissionDenied
    return score


class Form02PrintView(TemplateView):
    template_name = "ratings/print/form02.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = get_case(self.request, kwargs["pk"])
        context.update(case=case, form=build_form02(case))
        record_read(self.request, ReadKind.FORM02, **_case_read(case))
        return context


class Form02XlsxView(View):
    def get(self, request, pk):
        case = get_case(request, pk)
        content = form02_xlsx(build_form02(case))
        record_read(request, ReadKind.FORM02, format=ReadFormat.XLSX, **_case_read(case))
        return xlsx_response(content, f"mau-02-{case.year}-{case.pk}.xlsx")


class Form01PrintView(TemplateView):
    template_name = "ratings/print/form01.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        score = get_score(self.request, kwargs["pk"])
        context.update(score=score, form=build_form01(score))
        record_read(self.request, ReadKind.FORM01, objects=[score])
        return context


class Form01XlsxView(View):
    def get(self, request, pk):
        score = get_score(request, pk)
        content = form01_xlsx(build_form01(score))
        record_read(request, ReadKind.FORM01, format=ReadFormat.XLSX, objects=[score])
        return xlsx_response(content, f"mau-01-{score.period.code}-{score.pk}.xlsx")
