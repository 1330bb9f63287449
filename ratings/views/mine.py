"""A civil servant's own page: period scores with explanations, rating cases, complaints."""

from django.core.paginator import Paginator
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from org.authority import evaluated_ids
from org.models import CivilServant
from ratings.services.labels import level_label
from ratings.services.period_complaints import filing_refusal
from ratings.views.common import TitledPageMixin
from ratings.workflow.actors import resolve_actors
from ratings.workflow.machine import available_actions
from scoring.models import Period, PeriodKind, PeriodScore, PeriodStatus
from scoring.services import freshness
from scoring.services.explain_data import annual_basis


def explain_url(score) -> str:
    try:
        return reverse("scoring_explain", args=[score.pk])
    except NoReverseMatch:
        return ""


EVALUATED_PER_PAGE = 50


class MyRatingsView(TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ratings/mine.html"
    page_title = gettext_lazy("Kết quả đánh giá, xếp loại của tôi")
    header_icon = "user"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = CivilServant.objects.filter(user=self.request.user).first()
        context["person"] = person
        if person is None:
            return context
        scores = (
            PeriodScore.objects.filter(civil_servant=person)
            .select_related("period", "agency")
            .order_by("-period__start_date")
        )
        cases = []
        for case in person.rating_cases.select_related("agency").order_by("-year", "-id"):
            actors = resolve_actors(case)
            cases.append(
                {
                    "case": case,
                    "decision": level_label(case.decision_level),
                    "actions": [
                        t.label for t in available_actions(case, self.request.user, actors)
                    ],
                }
            )
        today = timezone.localdate()
        open_periods = list(
            Period.objects.filter(
                status=PeriodStatus.OPEN,
                kind__in=[PeriodKind.MONTH, PeriodKind.QUARTER],
                start_date__lte=today,
            ).order_by("-start_date")[:3]
        )
        evaluated = (
            CivilServant.objects.filter(pk__in=evaluated_ids(person, today))
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
                    "can_complain": filing_refusal(self.request.user, s, today) is None,
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
        )
        return context


def _stale(row) -> str:
    """ "Đang tính lại (…)" while the annual score is being recomputed (issue 28)."""
    since = freshness.annual_stale_since(row.civil_servant_id, row.year)
    return freshness.label(since) if since else ""
