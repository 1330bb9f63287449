"""The progress board: per milestone, which agencies have submitted, are late or have not
submitted yet (filters, dd/mm/yyyy), and its Excel export. Rows are the agencies the user reaches
(``org.access``): Sở Nội vụ all of them, an agency's admin their own."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from cms.admin_views import TitledAdminMixin
from org import access as org_access
from org.models import AgencyKind
from oversight import access
from oversight.models import Milestone
from oversight.services import export
from oversight.services.milestones import LABELS, NOT_SUBMITTED, OVERDUE, board

#: The "show" filter: every agency, those that have not submitted, those late.
SHOW_ALL, SHOW_MISSING, SHOW_LATE = "", "chua-nop", "tre-han"


def _year(request) -> int:
    value = request.GET.get("nam", "").strip()
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


class BoardMixin:
    def dispatch(self, request, *args, **kwargs):
        if not access.can_see_milestones(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def filters(self) -> dict:
        request = self.request
        today = timezone.localdate()
        years = sorted(set(Milestone.objects.values_list("year", flat=True)), reverse=True)
        year = _year(request) or (today.year if today.year in years or not years else years[0])
        milestones = list(Milestone.objects.filter(year=year).order_by("due_date", "code"))
        code = request.GET.get("moc", "").strip()
        chosen = [m for m in milestones if m.code == code] if code else milestones
        show = request.GET.get("hien", "")
        kind = request.GET.get("loai", "")
        return {
            "today": today,
            "years": years,
            "year": year,
            "milestones": milestones,
            "code": code,
            "chosen": chosen,
            "show": show if show in (SHOW_MISSING, SHOW_LATE) else SHOW_ALL,
            "kind": kind if kind in AgencyKind.values else "",
        }

    def sections(self, filters) -> list[dict]:
        agencies = org_access.visible_agencies(self.request.user)
        if filters["kind"]:
            agencies = agencies.filter(kind=filters["kind"])
        found = []
        for milestone in filters["chosen"]:
            statuses = board(milestone, agencies, filters["today"])
            counts = {
                "total": len(statuses),
                "submitted": sum(1 for s in statuses if s.state not in NOT_SUBMITTED),
                "missing": sum(1 for s in statuses if s.state in NOT_SUBMITTED),
                "late": sum(1 for s in statuses if s.late),
            }
            if filters["show"] == SHOW_MISSING:
                statuses = [s for s in statuses if s.state in NOT_SUBMITTED]
            elif filters["show"] == SHOW_LATE:
                statuses = [s for s in statuses if s.late]
            found.append({"milestone": milestone, "statuses": statuses, "counts": counts})
        return found


class MilestoneBoardView(BoardMixin, TitledAdminMixin, TemplateView):
    template_name = "oversight/milestones.html"
    page_title = gettext_lazy("Tiến độ thực hiện kế hoạch")
    header_icon = "date"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.filters()
        context.update(filters)
        context.update(
            sections=self.sections(filters),
            kinds=AgencyKind.choices,
            labels=LABELS,
            overdue=OVERDUE,
            shows=[
                (SHOW_ALL, _("Tất cả cơ quan")),
                (SHOW_MISSING, _("Chỉ cơ quan chưa nộp")),
                (SHOW_LATE, _("Chỉ cơ quan trễ hạn")),
            ],
            query=self.request.GET.urlencode(),
        )
        return context


class MilestoneBoardExportView(BoardMixin, View):
    def get(self, request, *args, **kwargs):
        filters = self.filters()
        content = export.board_workbook(self.sections(filters), filters["year"])
        response = HttpResponse(content, content_type=export.XLSX)
        stamp = timezone.localdate().strftime("%Y%m%d")
        filename = f"tien-do-ke-hoach-{filters['year']}-{stamp}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
