"""Complaints about a monthly/quarterly result: filing from the score, the list of those the
user may see (and those waiting for them), the detail page with its timeline and actions, and
the private attachments. Who may do what: ``ratings.services.period_complaints``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from audit import record_read
from audit.models import ReadFormat, ReadKind
from cms.admin_views import TitledAdminMixin
from cms.form_errors import error_summary
from cms.private_files import serve_private
from ratings.forms import PeriodComplaintAnswerForm, PeriodComplaintForm, RecheckRequestForm
from ratings.models import PeriodComplaint, PeriodComplaintAttachment
from ratings.services import period_complaints as service
from scoring.models import PeriodScore

PAGE_SIZE = 100


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


class PeriodComplaintFileView(TitledAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    """The civil servant contests their own stored period result."""

    template_name = "ratings/period_complaint_file.html"
    page_title = gettext_lazy("Kiến nghị kết quả theo dõi, đánh giá tháng/quý")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        self.score = get_object_or_404(
            PeriodScore.objects.select_related("civil_servant", "period", "agency"),
            pk=kwargs["pk"],
        )
        person = self.score.civil_servant
        if person.user_id is None or person.user_id != request.user.pk:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        # The person too: two people's complaints of one month are two pages (issue 44).
        return f"{self.score.civil_servant.full_name} · {self.score.period.label}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        first, last = service.filing_window(self.score)
        context.update(
            score=self.score,
            form=kwargs.get("form") or PeriodComplaintForm(score=self.score),
            refusal=service.filing_refusal(self.request.user, self.score),
            window_first=first,
            window_last=last,
            errors=kwargs.get("errors", []),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = PeriodComplaintForm(request.POST, request.FILES, score=self.score)
        if not form.is_valid():
            return self._render(form)
        try:
            complaint = service.file_complaint(
                request.user,
                self.score,
                text=form.cleaned_data["text"],
                lines=list(form.cleaned_data["lines"]),
                criteria=form.cleaned_data["criteria"],
                attachments=form.cleaned_data["attachments"],
            )
        except PermissionDenied as refusal:
            return self._render(form, errors=[str(refusal)])
        except ValidationError as error:
            return self._render(form, errors=_errors(error))
        messages.success(request, _("Đã gửi kiến nghị; người đánh giá đã được thông báo."))
        return redirect("ratings_period_complaint", pk=complaint.pk)

    def _render(self, form, errors=()):
        if form.errors:
            # The red banner at the top, as on every other form (review 2026-11-25, ux M4).
            messages.error(self.request, error_summary(form))
        response = self.render_to_response(self.get_context_data(form=form, errors=list(errors)))
        response.status_code = 400
        return response


class PeriodComplaintListView(TitledAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ratings/period_complaint_list.html"
    page_title = gettext_lazy("Kiến nghị kết quả tháng/quý")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        waiting = list(service.waiting_for(user).filter(pk__in=self._visible().values("pk")))
        rows = self._visible().select_related("civil_servant", "period", "agency")
        status = self.request.GET.get("status", "")
        if status:
            rows = rows.filter(status=status)
        context.update(
            waiting=waiting,
            rows=list(rows.order_by("-filed_at", "-id")[:PAGE_SIZE]),
            status=status,
            statuses=PeriodComplaint._meta.get_field("status").choices,
        )
        return context

    def _visible(self):
        return service.visible_period_complaints(self.request.user)


class PeriodComplaintDetailView(TitledAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ratings/period_complaint_detail.html"
    page_title = gettext_lazy("Kiến nghị kết quả tháng/quý")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        self.complaint = get_object_or_404(
            PeriodComplaint.objects.select_related(
                "civil_servant", "period", "agency", "score", "evaluator"
            ),
            pk=kwargs["pk"],
        )
        if not service.can_view(request.user, self.complaint):
            raise PermissionDenied
        self.actions = service.actions_for(request.user, self.complaint)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.complaint.civil_servant.full_name} · {self.complaint.period.label}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        complaint = self.complaint
        forms = kwargs.get("forms", {})
        if "answer" in self.actions or "recheck" in self.actions:
            forms.setdefault("answer", PeriodComplaintAnswerForm(complaint=complaint))
        if "recheck_request" in self.actions:
            forms.setdefault("recheck_request", RecheckRequestForm())
        events = [
            {"event": event, "label": service.event_label(event.action)}
            for event in complaint.events.select_related("user").order_by("at", "id")
        ]
        context.update(
            complaint=complaint,
            actions=self.actions,
            forms=forms,
            events=events,
            lines=list(complaint.lines.select_related("item")),
            attachments=list(complaint.attachments.all()),
            recheck_last_day=service.recheck_last_day(complaint),
            errors=kwargs.get("errors", []),
            status_label=complaint.shown_status,
            rechecking_body=complaint.rechecking_body,
            person_label=service.person_label(complaint),
        )
        record_read(
            self.request,
            ReadKind.INSPECT,
            objects=[complaint],
            subjects=[complaint.civil_servant_id],
            agency=complaint.agency_id,
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        if action not in self.actions:
            raise PermissionDenied
        if action == "recheck_request":
            form = RecheckRequestForm(request.POST)
        else:
            form = PeriodComplaintAnswerForm(request.POST, complaint=self.complaint)
        if not form.is_valid():
            return self._render({"answer" if action != "recheck_request" else action: form})
        answered = None
        try:
            if action == "recheck_request":
                text = form.cleaned_data["text"]
                service.request_recheck(request.user, self.complaint, text=text)
            else:
                step = service.answer if action == "answer" else service.recheck
                answered = step(
                    request.user,
                    self.complaint,
                    upheld=form.cleaned_data["decision"] == "upheld",
                    text=form.cleaned_data["text"],
                    corrections=form.corrections(),
                )
        except PermissionDenied as refusal:
            return self._render({}, errors=[str(refusal)])
        except ValidationError as error:
            key = "answer" if action != "recheck_request" else action
            return self._render({key: form}, errors=_errors(error))
        messages.success(request, _("Đã ghi nhận lúc %(at)s.") % {"at": _now()})
        if note := getattr(answered, "leaders_note", ""):
            messages.info(request, note)
        return redirect("ratings_period_complaint", pk=self.complaint.pk)

    def _render(self, forms, errors=()):
        for form in forms.values():
            if form.errors:
                messages.error(self.request, error_summary(form))
        response = self.render_to_response(self.get_context_data(forms=forms, errors=list(errors)))
        response.status_code = 400
        return response


def _now() -> str:
    return timezone.localtime().strftime("%d/%m/%Y %H:%M")


class PeriodComplaintAttachmentView(View):
    def get(self, request, pk):
        attachment = get_object_or_404(
            PeriodComplaintAttachment.objects.select_related("complaint"), pk=pk
        )
        complaint = attachment.complaint
        if not service.can_view(request.user, complaint):
            raise PermissionDenied
        response = serve_private(attachment.file, attachment.original_name)
        record_read(
            request,
            ReadKind.FILE_DOWNLOAD,
            format=ReadFormat.FILE,
            objects=[attachment],
            subjects=[complaint.civil_servant_id],
            agency=complaint.agency_id,
            label=attachment.original_name,
        )
        return response
