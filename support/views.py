"""Support requests (vướng mắc / kiến nghị), the support contact and FAQ page, and the usage
statistics. Thin views: reads through ``support.services.visible``; writes through
``support.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from cms import xlsx
from cms.admin_views import TitledAdminMixin
from cms.form_errors import error_summary
from cms.private_files import serve_private
from org import access
from scoring.models import Period
from support import services
from support.forms import ActionForm, RaiseForm
from support.models import Category, Status, SupportAttachment, SupportSettings
from support.usage import usage


class _Page(TitledAdminMixin, TemplateView):
    header_icon = "help"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
        return super().dispatch(request, *args, **kwargs)


def _filtered(request):
    rows = services.visible(request.user)
    status = request.GET.get("trang_thai", "")
    category = request.GET.get("linh_vuc", "")
    if status in Status.values:
        rows = rows.filter(status=status)
    if category in Category.values:
        rows = rows.filter(category=category)
    return rows, status, category


class RequestListView(_Page):
    template_name = "support/list.html"
    page_title = gettext_lazy("Vướng mắc, kiến nghị")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, status, category = _filtered(self.request)
        groups = rows.values("category").annotate(n=Count("pk")).order_by("category")
        labels = dict(Category.choices)
        context.update(
            rows=rows[:500],
            status=status,
            category=category,
            statuses=Status.choices,
            categories=Category.choices,
            groups=[(labels.get(g["category"], ""), g["n"]) for g in groups],
            may_raise=services.raising_agencies(self.request.user).exists(),
            answerer=access.is_home_affairs(self.request.user),
            query=self.request.GET.urlencode(),
            today=timezone.localdate(),
        )
        return context


class RequestExportView(View):
    """The requests the user may read, as they are filtered on the list, in one workbook."""

    def get(self, request):
        if not request.user.is_authenticated:
            raise PermissionDenied
        rows, _status, _category = _filtered(request)
        book = xlsx.stream_book()
        sheet = xlsx.stream_sheet(book, _("Vướng mắc, kiến nghị"))
        header = [
            _("Số"),
            _("Ngày gửi"),
            _("Cơ quan, đơn vị"),
            _("Người gửi"),
            _("Loại"),
            _("Lĩnh vực"),
            _("Tiêu đề"),
            _("Nội dung"),
            _("Trạng thái"),
            _("Hạn trả lời"),
            _("Trả lời"),
            _("Chuyển thành"),
        ]
        sheet.append(header)
        for row in rows:
            sheet.append(
                [
                    row.pk,
                    timezone.localtime(row.created_at).strftime("%d/%m/%Y"),
                    row.agency.name,
                    row.raised_by.get_full_name() or row.raised_by.get_username(),
                    row.get_kind_display(),
                    row.get_category_display(),
                    row.title,
                    row.body,
                    row.get_status_display(),
                    row.deadline.strftime("%d/%m/%Y"),
                    row.answer,
                    row.get_change_kind_display() if row.change_kind else "",
                ]
            )
        response = HttpResponse(xlsx.stream_bytes(book), content_type=xlsx.XLSX)
        response["Content-Disposition"] = 'attachment; filename="vuong-mac-kien-nghi.xlsx"'
        return response


class RaiseView(_Page):
    template_name = "support/raise.html"
    page_title = gettext_lazy("Gửi vướng mắc, kiến nghị")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agencies = services.raising_agencies(self.request.user)
        context.update(
            form=kwargs.get("form") or RaiseForm(agencies=agencies),
            may_raise=agencies.exists(),
            contact=SupportSettings.load(request_or_site=self.request),
        )
        return context

    def post(self, request, *args, **kwargs):
        agencies = services.raising_agencies(request.user)
        form = RaiseForm(request.POST, request.FILES, agencies=agencies)
        if form.is_valid():
            data = form.cleaned_data
            try:
                row = services.raise_request(
                    request.user,
                    agency=data["agency"],
                    kind=data["kind"],
                    category=data["category"],
                    title=data["title"],
                    body=data["body"],
                    attachments=data["attachments"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request,
                    _("Đã gửi vướng mắc, kiến nghị số %(n)d. Hạn trả lời: %(day)s.")
                    % {"n": row.pk, "day": row.deadline.strftime("%d/%m/%Y")},
                )
                return redirect("support_request", pk=row.pk)
        messages.error(request, error_summary(form))  # the banner at the top (ux M4)
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response


class RequestDetailView(_Page):
    template_name = "support/detail.html"
    page_title = gettext_lazy("Vướng mắc, kiến nghị")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
        self.row = get_object_or_404(services.visible(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.row)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            row=self.row,
            actions=services.actions_for(self.request.user, self.row),
            form=kwargs.get("form") or ActionForm(),
            errors=kwargs.get("errors", []),
            log=self.row.log.all(),
            attachments=self.row.attachments.all(),
            addressee=services.addressee_name(self.row),
            change_links=services.change_links(self.row),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ActionForm(request.POST)
        form.is_valid()
        action = request.POST.get("action", "")
        try:
            services.act(
                request.user,
                self.row,
                action,
                text=form.cleaned_data.get("text", ""),
                change_kind=form.cleaned_data.get("change_kind", ""),
            )
        except ValidationError as error:
            return self.render_to_response(
                self.get_context_data(form=form, errors=list(error.messages))
            )
        if action == services.CONVERT:
            messages.success(
                request,
                _(
                    "Đã chuyển thành đề nghị sửa đổi và mở bản dự thảo để cơ quan hoàn thiện, "
                    "trình thẩm định (liên kết “Bản dự thảo” dưới đây)."
                ),
            )
        else:
            messages.success(request, _("Đã ghi nhận."))
        return redirect("support_request", pk=self.row.pk)


class AttachmentView(View):
    def get(self, request, pk):
        attachment = get_object_or_404(SupportAttachment, pk=pk)
        if not services.may_read(request.user, attachment.request):
            raise PermissionDenied
        return serve_private(attachment.file, attachment.original_name)


class HelpView(_Page):
    """The support contact and the FAQ (Settings → Liên hệ hỗ trợ và câu hỏi thường gặp)."""

    template_name = "support/help.html"
    page_title = gettext_lazy("Hỗ trợ và câu hỏi thường gặp")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contact"] = SupportSettings.load(request_or_site=self.request)
        return context


class UsageView(_Page):
    """Sở Nội vụ only: who is (not) using the system."""

    template_name = "support/usage.html"
    page_title = gettext_lazy("Thống kê sử dụng phần mềm")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.is_home_affairs(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        periods = list(Period.objects.order_by("-start_date")[:24])
        chosen = self.request.GET.get("ky", "")
        period = next((p for p in periods if str(p.pk) == chosen), periods[0] if periods else None)
        rows = usage(period)
        context.update(
            rows=rows,
            periods=periods,
            period=period,
            idle=[row for row in rows if row.idle],
        )
        return context
