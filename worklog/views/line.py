"""One assignment line: its facts, evidence and reviews, and the actions the user may take.

The civil servant updates progress, adds evidence and reports completion; their evaluator
accepts or returns the report. Every action is a POST to ``…/<action>/`` handled by a service.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext, gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from cms import seen as cms_seen
from cms.form_errors import error_summary
from org import write_gate
from scoring.models import DeductionKind
from worklog.access import can_review, is_assignee
from worklog.conf import warning_working_days
from worklog.forms import (
    AcceptForm,
    EvidenceForm,
    ProgressForm,
    ReturnForm,
    ShareForm,
    SubmitForm,
)
from worklog.models import OPEN_STATUSES, WorkStatus
from worklog.services import coordination, progress, review
from worklog.services import seen as line_seen
from worklog.services.holidays import load_calendar
from worklog.services.tracking import row_state
from worklog.services.work import status_of, work_of
from worklog.views.common import WorklogPageMixin, get_line, today


def _evidence_input(data) -> progress.EvidenceInput:
    return progress.EvidenceInput(
        file=data.get("file"),
        url=data.get("url") or "",
        document_number=data.get("document_number") or "",
        description=data.get("description") or "",
    )


def line_forms(request, line, day, bound=None) -> dict:
    """The forms shown to this user for this line (``bound`` replaces one by its name)."""
    status = status_of(line)
    work = work_of(line)
    shown = line_seen.token(line)  # what this page shows, checked again on each action
    forms = {}
    if is_assignee(request.user, line):
        if status in OPEN_STATUSES:
            forms["progress"] = ProgressForm(
                initial={"percent": work.progress if work else 0, "kpi_seen": shown}
            )
            forms["submit"] = SubmitForm(
                initial={"quantity": line.assigned_quantity.normalize(), "completed_on": day}
            )
        if status != WorkStatus.ACCEPTED:
            forms["evidence"] = EvidenceForm()
    if status == WorkStatus.SUBMITTED and can_review(request.user, line, day):
        reported = review.reported_products(work)
        forms["accept"] = AcceptForm(
            initial={
                "round": work.round,
                "confirmed_on": work.claimed_completed_on,
                "late": reported,
                "kpi_seen": shown,
            }
        )
        forms["return"] = ReturnForm(
            initial={"round": work.round, "returned": reported, "kpi_seen": shown}
        )
    if bound is not None:
        forms.update(bound)
    return forms


def product_events(line) -> list[str]:
    """The line's events per product in words (Art. 14 b, c: 25 % of *that product's*
    points), e.g. "sản phẩm 2: 2 lần đánh giá chưa đạt"."""
    texts = []
    for field, label in (
        ("failed_by_product", gettext("lần đánh giá chưa đạt")),
        ("delays_by_product", gettext("lần chậm tiến độ")),
    ):
        for number, count in enumerate(getattr(line, field) or [], start=1):
            if count:
                texts.append(
                    gettext("sản phẩm %(p)d: %(n)d %(events)s")
                    % {"p": number, "n": count, "events": label}
                )
    return texts


def _coordination_rows(line):
    rows = coordination.rows_of(line)
    for row in rows:
        row.unit_name = coordination.unit_label(row.agency)
    return rows


class LineView(WorklogPageMixin, TemplateView):
    template_name = "worklog/line.html"
    page_title = gettext_lazy("Chi tiết việc được giao")
    bound_forms = None

    def _line(self):
        if not hasattr(self, "_the_line"):
            self._the_line = get_line(self.request, self.kwargs["pk"])
        return self._the_line

    def get_page_subtitle(self):
        """Which line: each line's page has its own title (review 2026-11-25 L12; the crawl
        found every line titled "Chi tiết việc được giao")."""
        line = self._line()
        deadline = f", {line.deadline:%d/%m/%Y}" if line.deadline else ""
        return f"{line.item.name} — {line.civil_servant.full_name}, {line.period.label}{deadline}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        line = self._line()
        day = today()
        status = status_of(line)
        work = work_of(line)
        forms = line_forms(self.request, line, day, self.bound_forms)
        # The evaluator names the related units of a shared task (issue 33 item 3); its own
        # section, apart from the line's actions.
        share_form = forms.pop("share", None)
        if (
            share_form is None
            and line.period.accepts_inputs_for(line.unit)
            and can_review(self.request.user, line, day)
        ):
            share_form = ShareForm(line=line)
        calendar = load_calendar(min(day, line.deadline or day), max(day, line.deadline or day))
        context.update(
            line=line,
            work=work,
            status=status,
            status_label=WorkStatus(status).label,
            state=row_state(line, status, day, calendar, warning_working_days()),
            evidence=line.evidence.select_related("added_by"),
            reviews=work.reviews.select_related("decided_by", "deduction") if work else [],
            deductions=line.deductions.select_related("recorded_by", "exempt_by"),
            delay_kind=DeductionKind.DELAY,
            product_events=product_events(line),
            coordination_rows=_coordination_rows(line),
            forms=forms,
            share_form=share_form,
            is_late_claim=bool(
                work
                and line.deadline
                and work.claimed_completed_on
                and work.claimed_completed_on > line.deadline
            ),
        )
        return context


ACTIONS = {
    "progress": ProgressForm,
    "evidence": EvidenceForm,
    "submit": SubmitForm,
    "accept": AcceptForm,
    "return": ReturnForm,
    "share": ShareForm,
}


class LineActionView(View):
    def post(self, request, pk, action):
        if action not in ACTIONS:
            raise Http404
        line = get_line(request, pk)
        form = ACTIONS[action](request.POST, request.FILES)
        if form.is_valid():
            try:
                message = getattr(self, f"do_{action}")(request, line, form.cleaned_data)
            except write_gate.Refused as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                _add_errors(form, exc)
                if isinstance(exc, line_seen.StaleLine):
                    cms_seen.refresh(form, exc.now)  # a second click is made knowing
            else:
                messages.success(request, message)
                return redirect("worklog_line", pk=line.pk)
        # The line page again, with the bound form (what was typed) and its errors, under a red
        # banner that says what to fix; a 400 with the page as its body.
        messages.error(request, error_summary(form))
        view = LineView(bound_forms={action: form})
        view.setup(request, pk=pk)
        response = view.get(request, pk=pk)
        response.status_code = 400
        return response

    def do_share(self, request, line, data):
        row = coordination.share(request.user, line, data["agency"], today=today())
        return gettext("Đã ghi %(unit)s là đơn vị phối hợp của việc này.") % {
            "unit": coordination.unit_label(row.agency)
        }

    def do_progress(self, request, line, data):
        progress.update_progress(
            request.user,
            line,
            percent=data["percent"],
            note=data["note"],
            seen=data.get("kpi_seen"),
        )
        return gettext("Đã cập nhật tiến độ.")

    def do_evidence(self, request, line, data):
        progress.add_evidence(request.user, line, _evidence_input(data))
        return gettext("Đã thêm minh chứng.")

    def do_submit(self, request, line, data):
        progress.submit_completion(
            request.user,
            line,
            quantity=data["quantity"],
            completed_on=data["completed_on"],
            today=today(),
            evidence=_evidence_input(data),
            note=data["note"],
        )
        return gettext("Đã báo cáo hoàn thành; chờ lãnh đạo nghiệm thu.")

    def do_accept(self, request, line, data):
        review.accept(
            request.user,
            line,
            round_number=data["round"],
            confirmed_on=data["confirmed_on"],
            today=today(),
            comment=data["comment"],
            delay_exemption=review.Exemption(data["delay_exempt"], data["delay_reason"]),
            late=data["late"],
            seen=data.get("kpi_seen"),
        )
        return gettext("Đã nghiệm thu sản phẩm.")

    def do_return(self, request, line, data):
        review.return_for_rework(
            request.user,
            line,
            round_number=data["round"],
            comment=data["comment"],
            today=today(),
            exemption=review.Exemption(data["exempt"], data["reason"]),
            returned=data["returned"],
            seen=data.get("kpi_seen"),
        )
        return gettext("Đã trả lại sản phẩm để làm lại.")


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)
