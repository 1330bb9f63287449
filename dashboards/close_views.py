"""The guided close of a period (``dashboards.closing``): Sở Nội vụ for the province; the lead
body of a bloc (its appraisers) for its bloc's bodies, through the same pages and rules."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from cms.admin_views import TitledAdminMixin
from dashboards import closing
from org.access import is_home_affairs
from org.models import BlocLead
from scoring.models import Period, PeriodStatus


def period_list_url() -> str:
    return reverse("wagtailsnippets_scoring_period:list")


class PeriodCloseView(TitledAdminMixin, TemplateView):
    template_name = "dashboards/admin/close_period.html"
    page_title = gettext_lazy("Khóa sổ kỳ đánh giá")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not is_home_affairs(request.user):
            raise PermissionDenied
        self.period = get_object_or_404(Period, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.period.label

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        return [*items[:-1], {"url": period_list_url(), "label": _("Kỳ đánh giá")}, items[-1]]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = closing.backlog(self.period)
        context.update(
            period=self.period,
            is_open=self.period.status == PeriodStatus.OPEN,
            rows=rows,
            totals=closing.AgencyBacklog(
                0,
                _("Cộng"),
                open_lines=sum(r.open_lines for r in rows),
                overdue_lines=sum(r.overdue_lines for r in rows),
                awaiting_review=sum(r.awaiting_review for r in rows),
                people=sum(r.people for r in rows),
                without_marks=sum(r.without_marks for r in rows),
            ),
            edit_url=reverse("dashboards_period_reopen", args=[self.period.pk]),
            list_url=period_list_url(),
            confirm_error=kwargs.get("confirm_error", ""),
            blocs=closing.bloc_states(self.period),
        )
        return context

    def post(self, request, *args, **kwargs):
        if self.period.status != PeriodStatus.OPEN:
            messages.error(
                request,
                _("%(period)s đã khóa sổ; muốn mở lại hãy dùng trang Mở lại kỳ.")
                % {"period": self.period.label},
            )
            return redirect(request.path)
        if not request.POST.get("confirm"):
            response = self.render_to_response(
                self.get_context_data(
                    confirm_error=_("Hãy xác nhận đã xem các việc còn dở ở trên trước khi khóa sổ.")
                )
            )
            response.status_code = 400
            return response
        try:
            result = closing.close(self.period, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        label = result.period.label
        if result.scored:
            summary = result.summary or {}
            messages.success(
                request,
                _(
                    "Đã khóa sổ %(period)s và tính điểm cuối kỳ: %(people)d công chức, ghi "
                    "%(written)d kết quả, %(unchanged)d không đổi, %(errors)d thiếu dữ liệu."
                )
                % {
                    "period": label,
                    "people": summary.get("people", 0),
                    "written": summary.get("written", 0),
                    "unchanged": summary.get("unchanged", 0),
                    "errors": summary.get("with_errors", 0),
                },
            )
        elif result.error:
            messages.warning(
                request,
                # What happens next and where to follow it — never a command to type: the
                # daily check gives a failed run a fresh round (docs/operations.md §11).
                _(
                    "Đã khóa sổ %(period)s, nhưng %(error)s. Hệ thống sẽ tự tính lại trong lần "
                    "đối chiếu hằng ngày; theo dõi ở trang Việc chạy nền (mục Tính điểm tự "
                    "động), nơi có nút “Thử lại ngay” khi lượt tính đã dừng vì lỗi. Nếu đến "
                    "hôm sau vẫn lỗi, hãy báo quản trị hệ thống."
                )
                % {"period": label, "error": result.error},
            )
        else:
            messages.success(
                request,
                _("Đã khóa sổ %(period)s; điểm cuối kỳ đang được tính ở chế độ nền.")
                % {"period": label},
            )
        return redirect(period_list_url())


class PeriodReopenView(PeriodCloseView):
    """Reopening a closed period (issue 30 item 11, review 2026-11-23 C16): a page that says
    what will happen and asks to confirm, instead of the period form's status dropdown that
    acted at once."""

    template_name = "dashboards/admin/reopen_period.html"
    page_title = gettext_lazy("Mở lại kỳ đánh giá")
    header_icon = "lock-open"

    def get_context_data(self, **kwargs):
        context = TemplateView.get_context_data(self, **kwargs)
        context.update(
            period=self.period,
            is_closed=self.period.status == PeriodStatus.CLOSED,
            list_url=period_list_url(),
            confirm_error=kwargs.get("confirm_error", ""),
            reason=kwargs.get("reason", ""),
            blocs=closing.bloc_states(self.period),
        )
        return context

    def post(self, request, *args, **kwargs):
        reason = (request.POST.get("reason") or "").strip()
        if not request.POST.get("confirm") or not reason:
            return _reopen_unconfirmed(self, reason)
        try:
            period = closing.reopen(self.period, request.user, reason=reason)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        messages.success(
            request,
            _(
                "Đã mở lại %(period)s. Điểm của kỳ đang được tính lại (tạm tính); khi sửa xong, "
                "khóa sổ lại kỳ ở cột Khóa sổ."
            )
            % {"period": period.label},
        )
        return redirect(period_list_url())


# --- a bloc's own close ------------------------------------------------------------------------


def bloc_page_url() -> str:
    return reverse("dashboards_bloc_report")


class BlocPeriodCloseView(PeriodCloseView):
    """Closing ``period`` for the bodies of one bloc, by its lead body's appraisers (or Sở Nội
    vụ): the same page as the province's — what is still open in the bloc's bodies, a ticked
    confirmation — and the same sentence refusing every later write (``closing.close_bloc``)."""

    template_name = "dashboards/admin/close_period.html"
    page_title = gettext_lazy("Khóa sổ kỳ đánh giá của khối")

    def dispatch(self, request, *args, **kwargs):
        self.lead = get_object_or_404(
            BlocLead.objects.select_related("root", "lead_agency"), pk=kwargs["lead"]
        )
        if not closing.may_close_bloc(request.user, self.lead):
            raise PermissionDenied
        self.period = get_object_or_404(Period, pk=kwargs["pk"])
        return TemplateView.dispatch(self, request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.period.label} · {self.lead.root.name}"

    def get_breadcrumbs_items(self):
        items = TitledAdminMixin.get_breadcrumbs_items(self)
        return [
            *items[:-1],
            {"url": bloc_page_url(), "label": _("Báo cáo khối gửi Ban Thường vụ Tỉnh ủy")},
            items[-1],
        ]

    def bloc_closed(self):
        return self.period.bloc_close(self.lead.root)

    def get_context_data(self, **kwargs):
        context = TemplateView.get_context_data(self, **kwargs)
        rows = closing.bloc_backlog(self.period, self.lead)
        context.update(
            period=self.period,
            lead=self.lead,
            bloc_closed=self.bloc_closed(),
            province_open=self.period.status == PeriodStatus.OPEN,
            is_open=self.period.status == PeriodStatus.OPEN and self.bloc_closed() is None,
            rows=rows,
            totals=closing.AgencyBacklog(
                0,
                _("Cộng"),
                open_lines=sum(r.open_lines for r in rows),
                overdue_lines=sum(r.overdue_lines for r in rows),
                awaiting_review=sum(r.awaiting_review for r in rows),
                people=sum(r.people for r in rows),
                without_marks=sum(r.without_marks for r in rows),
            ),
            edit_url=reverse("dashboards_period_bloc_reopen", args=[self.period.pk, self.lead.pk]),
            list_url=bloc_page_url(),
            confirm_error=kwargs.get("confirm_error", ""),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.POST.get("confirm"):
            response = self.render_to_response(
                self.get_context_data(
                    confirm_error=_("Hãy xác nhận đã xem các việc còn dở ở trên trước khi khóa sổ.")
                )
            )
            response.status_code = 400
            return response
        try:
            result = closing.close_bloc(self.period, self.lead, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        values = {"period": result.period.label, "bloc": self.lead.root.name}
        if result.scored:
            summary = result.summary or {}
            messages.success(
                request,
                _(
                    "Đã khóa sổ %(period)s cho khối %(bloc)s và tính điểm cuối kỳ: %(people)d "
                    "người, ghi %(written)d kết quả, %(unchanged)d không đổi, %(errors)d thiếu "
                    "dữ liệu."
                )
                % {
                    **values,
                    "people": summary.get("people", 0),
                    "written": summary.get("written", 0),
                    "unchanged": summary.get("unchanged", 0),
                    "errors": summary.get("with_errors", 0),
                },
            )
        elif result.error:
            messages.warning(
                request,
                _(
                    "Đã khóa sổ %(period)s cho khối %(bloc)s, nhưng %(error)s. Hãy báo quản trị "
                    "hệ thống."
                )
                % {**values, "error": result.error},
            )
        else:
            messages.success(
                request,
                _(
                    "Đã khóa sổ %(period)s cho khối %(bloc)s; điểm cuối kỳ đang được tính ở "
                    "chế độ nền."
                )
                % values,
            )
        return redirect(bloc_page_url() + f"?khoi={self.lead.pk}")


class BlocPeriodReopenView(BlocPeriodCloseView):
    """Reopening a bloc's close: the province's reopening page and rules (a reason, a ticked
    confirmation, the consequences said first)."""

    template_name = "dashboards/admin/reopen_period.html"
    page_title = gettext_lazy("Mở lại kỳ đánh giá của khối")
    header_icon = "lock-open"

    def get_context_data(self, **kwargs):
        context = TemplateView.get_context_data(self, **kwargs)
        context.update(
            period=self.period,
            lead=self.lead,
            is_closed=self.bloc_closed() is not None,
            bloc_closed=self.bloc_closed(),
            list_url=bloc_page_url(),
            confirm_error=kwargs.get("confirm_error", ""),
            reason=kwargs.get("reason", ""),
        )
        return context

    def post(self, request, *args, **kwargs):
        reason = (request.POST.get("reason") or "").strip()
        if not request.POST.get("confirm") or not reason:
            return _reopen_unconfirmed(self, reason)
        try:
            period = closing.reopen_bloc(self.period, self.lead, request.user, reason=reason)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        messages.success(
            request,
            _(
                "Đã mở lại %(period)s cho khối %(bloc)s. Điểm của kỳ đang được tính lại (tạm "
                "tính); khi sửa xong, khóa sổ lại kỳ cho khối."
            )
            % {"period": period.label, "bloc": self.lead.root.name},
        )
        return redirect(bloc_page_url() + f"?khoi={self.lead.pk}")


def _reopen_unconfirmed(view, reason):
    """The province's and a bloc's reopen pages: a reason and the ticked box are both needed."""
    response = view.render_to_response(
        view.get_context_data(
            reason=reason,
            confirm_error=_(
                "Hãy ghi lý do mở lại và đánh dấu ô xác nhận ở cuối trang rồi bấm Mở lại kỳ."
            ),
        )
    )
    response.status_code = 400
    return response
