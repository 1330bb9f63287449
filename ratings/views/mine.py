"""A civil servant's own page: period scores with explanations, rating cases, complaints."""

from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms import xlsx
from cms.admin_views import TitledAdminMixin
from cms.ids import AnyId
from org.access import civil_servant_of
from org.models import CivilServant
from ratings.actors import resolve_actors
from ratings.services.case_figure import case_figure
from ratings.services.half_year import person_rows
from ratings.services.labels import level_label
from ratings.services.period_complaints import filing_refusals, with_open_complaint
from ratings.views.printing import xlsx_response
from ratings.workflow.machine import available_actions
from scoring.explain import num
from scoring.models import Period, PeriodKind, PeriodScore, PeriodStatus
from scoring.services import freshness
from scoring.services.explain_data import annual_basis
from worklog.access import evaluated_person_ids


def explain_url(score) -> str:
    try:
        return reverse("scoring_explain", args=[score.pk])
    except NoReverseMatch:
        return ""


EVALUATED_PER_PAGE = 50


class MyRatingsView(TitledAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ratings/mine.html"
    page_title = gettext_lazy("Kết quả đánh giá, xếp loại của tôi")
    header_icon = "user"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = civil_servant_of(self.request.user)
        context["person"] = person
        if person is None:
            return context
        scores = list(
            with_open_complaint(
                PeriodScore.objects.filter(civil_servant=person)
                .select_related("period", "agency", "civil_servant")
                # Not the explanation: a leader's lists the lines of their whole charge (the
                # chairman's page read 1.3 s of JSON at 100,000 people for nothing shown here).
                .defer("explanation")
                .annotate(explanation_steps=F("explanation__steps"))  # "chờ lãnh đạo chấm"
                .order_by("-period__start_date")
            )
        )
        cases = []
        for case in person.rating_cases.select_related("agency").order_by("-year", "-id"):
            actors = resolve_actors(case)
            figure = case_figure(case)  # the figure Form 02 prints (issue 42, ux review B1)
            cases.append(
                {
                    "case": case,
                    "score": figure.stale or num(figure.score),
                    "decision": level_label(case.decision_level),
                    "actions": [
                        t.label for t in available_actions(case, self.request.user, actors)
                    ],
                }
            )
        today = timezone.localdate()
        refusals = filing_refusals(self.request.user, scores, today)
        open_periods = list(
            Period.objects.filter(
                status=PeriodStatus.OPEN,
                kind__in=[PeriodKind.MONTH, PeriodKind.QUARTER],
                start_date__lte=today,
            ).order_by("-start_date")[:3]
        )
        evaluated = (
            # The people evaluated today, read once per request (the menu asked already).
            CivilServant.objects.filter(AnyId("pk", evaluated_person_ids(self.request.user, today)))
            .only("pk", "full_name")
            .order_by("full_name", "official_id")
            if open_periods
            else CivilServant.objects.none()
        )
        # A page at a time: a head may evaluate a whole unit of hundreds.
        evaluated = Paginator(evaluated, EVALUATED_PER_PAGE).get_page(self.request.GET.get("ep"))
        context.update(
            open_periods=open_periods,
            evaluated=evaluated,
            scores=[
                {
                    "score": s,
                    "explain_url": explain_url(s),
                    "rating": level_label(s.rating),
                    # Contest the result while its window is open (docs/ratings.md §13).
                    "can_complain": refusals[s.pk] is None,
                }
                for s in scores
            ],
            period_complaints=list(
                person.period_complaints.select_related("period").order_by("-filed_at")
            ),
            cases=cases,
            # Each stored annual score with its basis (Art. 21): the months worked and, when no
            # score was formed, why ("not enough time worked"), never a silent gap.
            annual_scores=[
                {
                    "row": row,
                    "basis": annual_basis(row),
                    "stale": _stale(row),
                }
                for row in person.annual_scores.order_by("-year")
            ],
            # Six-month results (Gia Lai plan §IV.4.1.a): H1/H2 of the years with scores.
            half_years=half_year_rows(person),
        )
        return context


def half_year_rows(person, years=None) -> list[dict]:
    """H1 and H2 of each year with a stored period score (newest first), for the page and the
    export: label, score, the band of the score, months counted, and "Đang tính lại (…)" in
    place of the figure while a period of the half is being rescored
    (``ratings.services.half_year``)."""
    return [
        {
            "year": row.year,
            "half": row.half,
            "label": row.label,
            "scored": row.scored,
            "score": row.score,
            "rating": row.rating,
            "status": row.status,
            "months": row.months,
            "periods": row.periods,
        }
        for row in person_rows(person, years)
    ]


class MyHalfYearExportView(View):
    """The person's six-month results as an xlsx file (their own rows only)."""

    def get(self, request):
        person = civil_servant_of(request.user)
        if person is None:
            raise Http404
        workbook, sheet = xlsx.table_book(str(_("Kết quả 6 tháng")))
        sheet.append([f"{person.official_id} — {person.full_name}"])
        xlsx.header_row(
            sheet,
            (
                _("Năm"),
                _("Kỳ 6 tháng"),
                _("Số tháng được tính"),
                _("Số kỳ được tính"),
                _("Điểm 6 tháng"),
                _("Mức theo điểm"),
            ),
        )
        for row in half_year_rows(person):
            score = float(row["score"]) if row["scored"] else None
            rating = str(row["rating"] or row["status"])
            sheet.append(
                [row["year"], str(row["label"]), row["months"], row["periods"], score, rating]
            )
            sheet.cell(sheet.max_row, 5).number_format = xlsx.DECIMAL_2
        return xlsx_response(xlsx.to_bytes(workbook), f"ket-qua-6-thang-{person.official_id}.xlsx")


def _stale(row) -> str:
    """ "Đang tính lại (…)" while the annual score is being recomputed (issue 28)."""
    since = freshness.annual_stale_since(row.civil_servant_id, row.year)
    return freshness.label(since) if since else ""
