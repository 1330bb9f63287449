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
from org.models import AgencyKind
from oversight import access
from oversight import exports as kinds
from oversight.services import export
from oversight.services.board import (
    SHOW_ALL,
    SHOW_LATE,
    SHOW_MISSING,
    board_export,
    board_filters,
    board_rows,
    board_sections,
)
from oversight.services.milestones import LABELS, OVERDUE


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
        today = timezone.localdate()

        def inline():
            content, filename = board_export(request.user, request.GET, today)
            response = HttpResponse(content, content_type=export.XLSX)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response

        rows = board_rows(request.user, board_filters(request.GET, today))
        params = kinds.board_params(request, today)
        return exports.deliver(request, kinds.BOARD, params, rows, inline)
