"""An agency's own results (review 2026-11-23 C6): its quarterly assessment by the province
(score, level, whether the province chairman confirmed it; Gia Lai plan §V.3) and its annual
rating (the level decided, with the decision's number and date). Only the agencies the user
answers for — as their admin or their head (``org.access.own_agencies``); the rows are read
through the row-scope registry (``org.access.visible``)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from cms.admin_views import TitledAdminMixin
from org.access import own_agencies, visible
from org_scoring import quarters
from org_scoring.models import OrganisationScore, QuarterlyAssessment
from org_scoring.services.quarterly import assessed_agencies
from ratings.access import can_view_case
from ratings.models import CaseState, RatingCase
from ratings.services.labels import level_label
from scoring.explain import num

DECIDED = (CaseState.DECIDED, CaseState.NOTIFIED)


def quarter_status(row: QuarterlyAssessment | None) -> str:
    if row is None:
        return _("Chưa đánh giá")
    if not row.assessed:
        return _("Không có nhiệm vụ UBND tỉnh giao được tính trong quý")
    if row.confirmed:
        return _("Chủ tịch UBND tỉnh đã xác nhận ngày %(day)s") % {
            "day": row.confirmed_at.astimezone().strftime("%d/%m/%Y")
        }
    return _("Chờ Chủ tịch UBND tỉnh xác nhận (tạm tính)")


class AgencyResultsView(TitledAdminMixin, TemplateView):
    template_name = "ratings/agency_results.html"
    page_title = gettext_lazy("Kết quả đánh giá, xếp loại của cơ quan")
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        self.agencies = own_agencies(request.user)
        if not self.agencies:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _agency(self):
        wanted = self.request.GET.get("co_quan", "")
        if not wanted:
            return self.agencies[0]
        for agency in self.agencies:
            if str(agency.pk) == wanted:
                return agency
        raise Http404

    def get_page_subtitle(self):
        return self._agency().name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = self._agency()
        user = self.request.user
        found = {
            (row.year, row.quarter): row
            for row in visible(user, QuarterlyAssessment.objects.filter(agency=agency))
        }
        scores = {
            row.year: row for row in visible(user, OrganisationScore.objects.filter(agency=agency))
        }
        cases = {}
        for case in (
            RatingCase.objects.filter(subject_agency=agency)
            .exclude(state=CaseState.CANCELLED)
            .order_by("year", "-id")
        ):
            cases.setdefault(case.year, case)
        assessed = assessed_agencies().filter(pk=agency.pk).exists()
        years = sorted({*(y for y, _q in found), *scores, *cases}, reverse=True)
        rows = []
        for year in years:
            quarter_rows = []
            for quarter in quarters.QUARTERS:
                row = found.get((year, quarter))
                if row is None and not assessed:
                    continue
                quarter_rows.append(
                    {
                        "label": _("Quý %(q)s/%(y)s") % {"q": quarter, "y": year},
                        "tasks": row.tasks_counted if row is not None and row.assessed else "—",
                        "score": num(row.score) if row is not None and row.assessed else "—",
                        "level": level_label(row.level) if row is not None else "—",
                        "status": quarter_status(row),
                        "confirmed": row is not None and row.confirmed,
                    }
                )
            score, case = scores.get(year), cases.get(year)
            decided = case is not None and case.state in DECIDED and case.decision_level
            rows.append(
                {
                    "year": year,
                    "quarters": quarter_rows,
                    "score": num(score.score) if score is not None and score.scored else "—",
                    "score_rating": level_label(score.rating) if score is not None else "—",
                    "case": case,
                    "case_url": case is not None and can_view_case(user, case),
                    "state": case.get_state_display() if case is not None else _("Chưa lập hồ sơ"),
                    "decided": level_label(case.decision_level) if decided else "",
                    "decision_ref": case.decision_ref if decided else "",
                    "decision_date": case.decision_date if decided else None,
                }
            )
        context.update(agency=agency, agencies=self.agencies, rows=rows, assessed=assessed)
        return context
