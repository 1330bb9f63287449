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

from cms import exports
from cms.admin_views import TitledAdminMixin
from org import access as org_access
from org.models import AgencyKind
from oversight import access
from oversight.models import Milestone
from oversight.services import export
from oversight.services.milestones import (
    LABELS,
    NOT_SUBMITTED,
    OVERDUE,
    board,
    bound_agencies,
)

#: The "show" filter: every agency, those that have not submitted, those late.
SHOW_ALL, SHOW_MISSING, SHOW_LATE = "", "chua-nop", "tre-han"


def _year(query) -> int | None:
    value = query.get("nam", "").strip()
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


def board_filters(query, today) -> dict:
    """The board's filters read from ``query`` (the year, the milestones, what to show)."""
    years = sorted(set(Milestone.objects.values_list("year", flat=True)), reverse=True)
    year = _year(query) or (today.year if today.year in years or not years else years[0])
    milestones = list(Milestone.objects.filter(year=year).order_by("due_date", "code"))
    code = query.get("moc", "").strip()
    chosen = [m for m in milestones if m.code == code] if code else milestones
    show = query.get("hien", "")
    kind = query.get("loai", "")
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


def _agencies(user, filters):
    agencies = org_access.visible_agencies(user)
    return agencies.filter(kind=filters["kind"]) if filters["kind"] else agencies


def board_sections(user, filters, progress=None) -> list[dict]:
    """Per chosen milestone, the agencies ``user`` reaches, their statuses and counts."""
    agencies = _agencies(user, filters)
    found = []
    done = 0
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
        done += len(statuses)
        if progress is not None:
            progress(done)
    return found


def board_rows(user, filters) -> int:
    """The export's rows counted by query: the agencies each chosen milestone binds among those
    ``user`` reaches (with "chưa nộp"/"trễ hạn" shown, at most this many)."""
    agencies = _agencies(user, filters)
    return sum(bound_agencies(m, agencies).count() for m in filters["chosen"])


def board_export(user, query, today, progress=None) -> tuple[bytes, str]:
    """The board's workbook of ``query`` as ``user`` reaches it on ``today``, and its name —
    the one builder of the download at once and of the background job (``oversight.exports``,
    issue 47)."""
    filters = board_filters(query, today)
    content = export.board_workbook(board_sections(user, filters, progress), filters["year"])
    return content, board_file_name(filters["year"], today)


def board_file_name(year: int, today) -> str:
    return f"tien-do-ke-hoach-{year}-{today.strftime('%Y%m%d')}.xlsx"


class BoardMixin(View):
    def dispatch(self, request, *args, **kwargs):
        if not access.can_see_milestones(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def filters(self) -> dict:
        return board_filters(self.request.GET, timezone.localdate())

    def sections(self, filters) -> list[dict]:
        return board_sections(self.request.user, filters)


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
    """The board as Excel: at once, or built in the background when it has more rows than
    ``KPI_EXPORT_INLINE_ROWS`` (``cms.exports``; the same ``board_export``)."""

    def get(self, request, *args, **kwargs):
        from oversight import exports as kinds

        today = timezone.localdate()

        def inline():
            content, filename = board_export(request.user, request.GET, today)
            response = HttpResponse(content, content_type=export.XLSX)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response

        rows = board_rows(request.user, board_filters(request.GET, today))
        params = kinds.board_params(request, today)
        return exports.deliver(request, kinds.BOARD, params, rows, inline)
