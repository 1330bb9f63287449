"""The quarterly assessment's admin pages (docs/organisation-scoring.md §9): the Office's entry
list of a quarter, the task form, and the chairman's board. Who may do what is
``org_scoring.access``; the window, the late marks and the arithmetic are
``org_scoring.services.quarterly``."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from cms.admin_views import TitledAdminMixin
from org_scoring import quarters
from org_scoring.access import (
    editable_province_tasks,
    may_confirm_quarter,
    may_enter_late,
    may_enter_province_tasks,
    may_recompute_quarter,
    may_view_quarterly_board,
    quarterly_agencies,
)
from org_scoring.models import ProvinceTask, ProvinceTaskStatus, QuarterlyAssessment
from org_scoring.services import quarterly

#: Typed and shown as dd/mm/yyyy whatever the browser's language (``DATE_INPUT_FORMATS``).
DATE = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "size": 10})


def _year_quarter(request) -> tuple[int, int]:
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else request.GET
    year, quarter = data.get("year", ""), data.get("quarter", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else today.year
    quarter = int(quarter) if quarter in ("1", "2", "3", "4") else quarters.quarter_of(today)
    return year, quarter


def _quarter_context(year: int, quarter: int) -> dict:
    window = quarterly.window_for(year, quarter)
    today = timezone.localdate()
    return {
        "year": year,
        "quarter": quarter,
        "years": range(today.year - 2, today.year + 2),
        "quarter_choices": quarters.QUARTERS,
        "window": window,
        "window_state": window.state(today),
        "confirmed": quarterly.is_confirmed(year, quarter),
    }


class ProvinceTaskForm(forms.ModelForm):
    class Meta:
        model = ProvinceTask
        fields = [
            "agency",
            "year",
            "quarter",
            "title",
            "document_number",
            "document_date",
            "deadline",
            "status",
            "note",
            "carried_from",
        ]
        widgets = {
            "document_date": DATE,
            "deadline": DATE,
            "title": forms.Textarea({"rows": 2}),
            "note": forms.Textarea({"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = quarterly_agencies(user)
        self.fields["carried_from"].queryset = editable_province_tasks(user).select_related(
            "agency"
        )


class QuarterEntryView(TitledAdminMixin, TemplateView):
    """A quarter's tasks of every department and commune, with the window and the late marks."""

    template_name = "org_scoring/quarterly/entry.html"
    page_title = gettext_lazy("Nhập nhiệm vụ UBND tỉnh giao theo quý")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not may_enter_province_tasks(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, quarter = _year_quarter(self.request)
        agencies = list(quarterly_agencies(self.request.user))
        tasks = {}
        for task in ProvinceTask.objects.filter(
            year=year, quarter=quarter, agency__in=agencies
        ).select_related("entered_by", "updated_by"):
            tasks.setdefault(task.agency_id, []).append(task)
        context.update(_quarter_context(year, quarter))
        context.update(
            rows=[(agency, tasks.get(agency.pk, [])) for agency in agencies],
            late_count=sum(t.late for rows in tasks.values() for t in rows),
            decision=quarterly.entry_decision(
                year,
                quarter,
                timezone.localdate(),
                may_enter_late=may_enter_late(self.request.user),
            ),
        )
        return context


class ProvinceTaskView(TitledAdminMixin, TemplateView):
    """Add (no ``pk``) or change one province task; POST ``action=delete`` deletes it."""

    template_name = "org_scoring/quarterly/task.html"
    page_title = gettext_lazy("Nhiệm vụ UBND tỉnh giao")
    header_icon = "tasks"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.task = None
        if "pk" in kwargs:
            self.task = get_object_or_404(
                editable_province_tasks(request.user).select_related("agency"), pk=kwargs["pk"]
            )

    def dispatch(self, request, *args, **kwargs):
        if not may_enter_province_tasks(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None):
        initial = {}
        if self.task is None:
            year, quarter = _year_quarter(self.request)
            initial = {"year": year, "quarter": quarter, "agency": self.request.GET.get("agency")}
        return ProvinceTaskForm(data, instance=self.task, initial=initial, user=self.request.user)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        form = form or self._form()
        task = self.task
        year = task.year if task else form.initial.get("year")
        quarter = task.quarter if task else form.initial.get("quarter")
        context.update(_quarter_context(year, quarter))
        context.update(form=form, task=task)
        return context

    def _back(self, year, quarter):
        return redirect(f"{reverse('org_scoring_quarter_entry')}?year={year}&quarter={quarter}")

    def post(self, request, *args, **kwargs):
        late_ok = may_enter_late(request.user)
        if self.task is not None and request.POST.get("action") == "delete":
            year, quarter = self.task.year, self.task.quarter
            try:
                quarterly.delete_task(self.task, may_enter_late=late_ok)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("org_scoring_quarter_task_edit", pk=self.task.pk)
            messages.success(request, _("Đã xóa nhiệm vụ."))
            return self._back(year, quarter)
        form = self._form(request.POST)
        if form.is_valid():
            task = form.save(commit=False)
            try:
                decision = quarterly.save_task(task, request.user, may_enter_late=late_ok)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, problems in error.message_dict.items():
                        form.add_error(name if name in form.fields else None, problems)
                else:
                    form.add_error(None, error.messages)
            else:
                if decision.late:
                    messages.warning(request, decision.message)
                else:
                    messages.success(request, _("Đã lưu nhiệm vụ “%(t)s”.") % {"t": task.title})
                return self._back(task.year, task.quarter)
        return self.render_to_response(self.get_context_data(form=form))


class QuarterBoardView(TitledAdminMixin, TemplateView):
    """The chairman's quarterly board: each department and commune and its head, the quarter's
    score and level, the late entries, the six-month results; recompute and confirm."""

    template_name = "org_scoring/quarterly/board.html"
    page_title = gettext_lazy("Đánh giá quý sở, ngành, UBND xã, phường")
    header_icon = "list-ol"

    def dispatch(self, request, *args, **kwargs):
        if not may_view_quarterly_board(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, quarter = _year_quarter(self.request)
        agencies = list(quarterly_agencies(self.request.user))
        assessments = {
            row.agency_id: row
            for row in QuarterlyAssessment.objects.filter(
                year=year, quarter=quarter, agency__in=agencies
            ).select_related("head", "confirmed_by")
        }
        counts: dict[int, dict[str, int]] = {}
        late: dict[int, int] = {}
        for task in ProvinceTask.objects.filter(year=year, quarter=quarter, agency__in=agencies):
            per = counts.setdefault(task.agency_id, {})
            per[task.status] = per.get(task.status, 0) + 1
            late[task.agency_id] = late.get(task.agency_id, 0) + task.late
        statuses = list(ProvinceTaskStatus)
        rows = [
            {
                "agency": agency,
                "assessment": assessments.get(agency.pk),
                "counts": [
                    (s.label, counts[agency.pk][s])
                    for s in statuses
                    if counts.get(agency.pk, {}).get(s)
                ],
                "late": late.get(agency.pk, 0),
            }
            for agency in agencies
        ]
        half = quarters.half_of(quarter)
        context.update(_quarter_context(year, quarter))
        confirmed_row = next((r for r in assessments.values() if r.confirmed), None)
        context.update(
            rows=rows,
            statuses=statuses,
            rule=quarterly.rule_for(year),
            half=half,
            half_quarters=quarters.HALVES[half],
            half_rows=quarterly.half_year_rows(year, half, agencies),
            confirmed_row=confirmed_row,
            can_recompute=may_recompute_quarter(self.request.user),
            can_confirm=may_confirm_quarter(self.request.user) and confirmed_row is None,
            confirm_open=timezone.localdate() > quarterly.window_for(year, quarter).closes_on,
        )
        return context

    def post(self, request, *args, **kwargs):
        year, quarter = _year_quarter(request)
        action = request.POST.get("action")
        if action == "recompute" and may_recompute_quarter(request.user):
            report = quarterly.assess_quarter(year, quarter)
            messages.success(
                request,
                _(
                    "Đã tính lại quý %(q)d/%(y)d: ghi %(w)d kết quả, %(u)d không đổi, "
                    "%(f)d đã xác nhận."
                )
                % {
                    "q": quarter,
                    "y": year,
                    "w": report.written,
                    "u": report.unchanged,
                    "f": report.frozen,
                },
            )
        elif action == "confirm" and may_confirm_quarter(request.user):
            try:
                count = quarterly.confirm_quarter(
                    year, quarter, request.user, note=request.POST.get("note", "").strip()
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Đã xác nhận kết quả đánh giá quý %(q)d/%(y)d của %(n)d cơ quan.")
                    % {"q": quarter, "y": year, "n": count},
                )
        else:
            raise PermissionDenied
        return redirect(f"{reverse('org_scoring_quarter_board')}?year={year}&quarter={quarter}")
