"""Case list (a Wagtail index view with its filters), case page, workflow actions and opening
the cases of a year."""

import django_filters

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.form_errors import error_summary
from cms.models import JobStatus
from org.access import is_home_affairs, visible_agencies
from org.text import fold_for_search
from ratings.access import can_manage_cases, visible_cases
from ratings.actors import resolve_actors
from ratings.case_reads.case_page import STATUS_CLASSES, case_context
from ratings.case_reads.waiting import cases_waiting_for
from ratings.forms import OpenCasesForm, form_for
from ratings.models import CaseKind, CaseOpening, CaseState, RatingCase
from ratings.services.calendars import DeadlineBook
from ratings.services.hierarchy import heads_above
from ratings.services.labels import level_label
from ratings.tasks import AlreadyOpening, opening_result, opening_state, start_opening
from ratings.views.common import get_case
from ratings.workflow.machine import Forbidden, NotAllowed, Refused, perform
from ratings.workflow.transitions import TRANSITIONS

_ALL = gettext_lazy("Tất cả")


def _years(user) -> list[int]:
    return list(visible_cases(user).order_by("-year").values_list("year", flat=True).distinct())


class CaseFilterSet(WagtailFilterSet):
    """The filters of the case list; the year defaults to the latest with a visible case."""

    year = django_filters.ChoiceFilter(label=gettext_lazy("Năm"), empty_label=None)
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("Trạng thái"), choices=CaseState.choices, empty_label=_ALL
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Đối tượng"), choices=CaseKind.choices, empty_label=_ALL
    )
    q = django_filters.CharFilter(label=gettext_lazy("Tìm tên"), method="filter_name")
    mine = django_filters.BooleanFilter(
        label=gettext_lazy("Chỉ hồ sơ đang chờ tôi"),
        widget=forms.CheckboxInput,
        initial=False,
        method="filter_mine",
    )

    class Meta:
        model = RatingCase
        fields = []

    def __init__(self, data=None, *args, request=None, **kwargs):
        years = _years(request.user)
        if data is not None and not data.get("year") and years:
            data = data.copy()
            data["year"] = str(years[0])
        super().__init__(data, *args, request=request, **kwargs)
        self.filters["year"].extra["choices"] = [(str(year), year) for year in years]
        if years:  # the default year is no filter of the user's (no "remove filter" pill)
            self.filters["year"].extra["initial"] = str(years[0])

    def filter_name(self, queryset, name, value):
        folded = fold_for_search(value)
        return queryset.filter(
            Q(civil_servant__name_folded__icontains=folded)
            | Q(subject_agency__name_folded__icontains=folded)
        )

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        # The same answer as the home panel, in a fixed number of queries.
        waiting = [item.case.pk for item in cases_waiting_for(self.request.user)]
        return queryset.filter(pk__in=waiting)


class SubjectColumn(Column):
    cell_template_name = "ratings/includes/case_subject_cell.html"


class ScoreColumn(Column):
    empty_value_display = "—"


class DeadlineColumn(Column):
    cell_template_name = "ratings/includes/case_deadline_cell.html"


class CaseIndexView(generic.IndexView):
    """The rating cases the user may see (``ratings.access.visible_cases``), filtered by year,
    state, kind, name and "waiting on me", 50 a page, with each case's deadline."""

    model = RatingCase
    template_name = "ratings/case_list.html"
    page_title = gettext_lazy("Hồ sơ xếp loại chất lượng")
    header_icon = "tasks"
    index_url_name = "ratings_cases"
    index_results_url_name = "ratings_cases_results"
    filterset_class = CaseFilterSet
    paginate_by = 50
    columns = [
        SubjectColumn("subject", label=gettext_lazy("Đối tượng")),
        Column("agency", label=gettext_lazy("Cơ quan, đơn vị"), accessor="agency.name"),
        Column("year", label=gettext_lazy("Năm")),
        ScoreColumn("score", label=gettext_lazy("Điểm")),
        Column("state", label=gettext_lazy("Trạng thái"), accessor="get_state_display"),
        Column("decision", label=gettext_lazy("Kết quả"), accessor="decision_label"),
        DeadlineColumn("deadline", label=gettext_lazy("Hạn")),
    ]

    def get_base_queryset(self):
        return (
            visible_cases(self.request.user)
            .select_related("civil_servant", "subject_agency", "agency")
            .order_by("agency__path", "kind", "civil_servant__full_name", "id")
        )

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        book = DeadlineBook()
        rows = list(rows)
        for case in rows:
            case.deadline = book.deadline(case)
            case.deadline_status = book.status(case)
            case.deadline_class = STATUS_CLASSES[case.deadline_status]
            case.decision_label = level_label(case.decision_level)
        page.object_list = rows
        return paginator, page, rows, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.results_only and can_manage_cases(self.request.user):
            year = getattr(self.filters.form, "cleaned_data", {}).get("year")
            context["open_form"] = OpenCasesForm(
                initial={"year": int(year) if year else timezone.localdate().year},
                agencies=visible_agencies(self.request.user).exclude(parent=None),
            )
            context["openings"] = [
                (job, opening_state(job))
                for job in CaseOpening.objects.filter(requested_by=self.request.user)[:5]
            ]
        return context


class CaseDetailView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "ratings/case_detail.html"
    page_title = gettext_lazy("Hồ sơ xếp loại chất lượng")
    header_icon = "tasks"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.case = None

    def dispatch(self, request, *args, **kwargs):
        self.case = get_case(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.case.subject_name} · {self.case.year}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("ratings_cases"), "label": _("Hồ sơ xếp loại chất lượng")},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            case_context(
                self.case,
                self.request.user,
                bound_action=kwargs.get("bound_action"),
                bound_form=kwargs.get("bound_form"),
                errors=kwargs.get("errors"),
            )
        )
        return context


def render_case(request, case, status, **extra) -> TemplateResponse:
    view = CaseDetailView()
    view.setup(request, pk=case.pk)
    view.case = case
    response = view.render_to_response(view.get_context_data(**extra))
    response.status_code = status
    return response


class CaseActionView(View):
    """POST one workflow action; 403 for a user without the role, 400 with reasons if refused."""

    http_method_names = ["post"]

    def post(self, request, pk, action):
        case = get_case(request, pk)
        transition = TRANSITIONS.get(action)
        if transition is None:
            raise Http404
        actors = resolve_actors(case)
        if not actors.roles_of(request.user) & transition.actors:
            raise PermissionDenied
        form = form_for(transition, case, request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, error_summary(form))  # at the top (review 2026-11-23 C4)
            return render_case(request, case, 400, bound_action=action, bound_form=form)
        data = dict(form.cleaned_data)
        comment = data.pop("comment", "") or ""
        data.pop("confirm", None)  # the box ticked to say the person means it (ux L11)
        try:
            perform(case, action, request.user, data=data, comment=comment)
        except Forbidden as exc:
            raise PermissionDenied(str(exc)) from exc
        except (NotAllowed, Refused) as exc:
            return render_case(
                request, case, 400, bound_action=action, bound_form=form, errors=exc.reasons
            )
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": transition.label})
        if action == "decide" and case.is_agency_case:
            for head_case in heads_above(case):
                messages.warning(
                    request,
                    _(
                        "%(name)s (người đứng đầu) đã được xếp loại “%(level)s”, cao hơn tổ chức; "
                        "cấp có thẩm quyền cần xem xét hủy và quyết định lại."
                    )
                    % {
                        "name": head_case.subject_name,
                        "level": level_label(head_case.decision_level),
                    },
                )
        return redirect("ratings_case", pk=case.pk)


class OpenCasesView(View):
    http_method_names = ["post"]

    def post(self, request):
        if not can_manage_cases(request.user):
            raise PermissionDenied
        agencies = visible_agencies(request.user).exclude(parent=None)
        form = OpenCasesForm(request.POST, agencies=agencies)
        if not form.is_valid():
            messages.error(request, _("Thông tin tạo hồ sơ chưa hợp lệ."))
            return redirect("ratings_cases")
        roots = [form.cleaned_data["agency"]] if form.cleaned_data["agency"] else None
        if roots is None:
            roots = (
                [None]
                if is_home_affairs(request.user)
                else list(visible_agencies(request.user).filter(accesses__user=request.user))
            )
        year = form.cleaned_data["year"]
        try:
            job = start_opening(request.user, year, roots)
        except AlreadyOpening as refused:
            messages.warning(
                request,
                _(
                    "Lượt lập hồ sơ năm %(year)s bạn yêu cầu lúc %(at)s chưa xong; kết quả hiện "
                    "ở mục “Lập hồ sơ xếp loại” khi xong."
                )
                % {
                    "year": year,
                    "at": timezone.localtime(refused.job.created_at).strftime("%d/%m/%Y %H:%M"),
                },
            )
            return redirect(f"{reverse('ratings_cases')}?year={year}#open-cases")
        job.refresh_from_db()
        if job.status == JobStatus.DONE:  # run at once (no background worker: the demo, tests)
            messages.success(request, opening_result(job))
        else:
            messages.success(
                request,
                _(
                    "Đã nhận yêu cầu lập hồ sơ năm %(year)s (%(scope)s). Hệ thống lập hồ sơ ở "
                    "chế độ nền; tiến độ và kết quả hiện ở mục “Lập hồ sơ xếp loại” của trang này."
                )
                % {"year": year, "scope": job.scope_label},
            )
        return redirect(f"{reverse('ratings_cases')}?year={form.cleaned_data['year']}")
