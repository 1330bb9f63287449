"""Case list, case page, workflow actions and opening the cases of a year."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from org.access import visible_agencies
from ratings.access import can_manage_cases, visible_cases
from ratings.forms import OpenCasesForm, form_for
from ratings.models import CaseKind, CaseState
from ratings.services.calendars import DeadlineBook
from ratings.services.case_page import STATUS_CLASSES, case_context
from ratings.services.cases import open_cases
from ratings.services.hierarchy import heads_above
from ratings.services.labels import level_label
from ratings.services.waiting import cases_waiting_for
from ratings.views.common import TitledPageMixin, get_case
from ratings.workflow.actors import resolve_actors
from ratings.workflow.machine import Forbidden, NotAllowed, Refused, perform
from ratings.workflow.transitions import TRANSITIONS


class CaseListView(TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ratings/case_list.html"
    page_title = gettext_lazy("Hồ sơ xếp loại chất lượng")
    header_icon = "tasks"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        cases = visible_cases(self.request.user).select_related(
            "civil_servant", "subject_agency", "agency"
        )
        years = sorted(set(cases.values_list("year", flat=True)), reverse=True)
        year = params.get("year") or (str(years[0]) if years else "")
        if year.isdigit():
            cases = cases.filter(year=int(year))
        if params.get("state") in CaseState.values:
            cases = cases.filter(state=params["state"])
        if params.get("kind") in CaseKind.values:
            cases = cases.filter(kind=params["kind"])
        if params.get("q"):
            cases = cases.filter(civil_servant__name_folded__icontains=params["q"].lower()) | (
                cases.filter(subject_agency__name_folded__icontains=params["q"].lower())
            )
        cases = cases.order_by("agency__path", "kind", "civil_servant__full_name", "id")
        if params.get("mine"):
            waiting = [item.case.pk for item in cases_waiting_for(self.request.user)]
            cases = cases.filter(pk__in=waiting)
        page = Paginator(cases, 50).get_page(params.get("p"))
        book = DeadlineBook()
        rows = []
        for case in page:
            status = book.status(case)
            rows.append(
                {
                    "case": case,
                    "deadline": book.deadline(case),
                    "status": status,
                    "status_class": STATUS_CLASSES[status],
                    "decision": level_label(case.decision_level),
                }
            )
        context.update(
            page=page,
            rows=rows,
            years=years,
            year=year,
            states=CaseState.choices,
            kinds=CaseKind.choices,
            params=params,
            can_manage=can_manage_cases(self.request.user),
            open_form=OpenCasesForm(
                initial={"year": int(year) if year.isdigit() else timezone.localdate().year},
                agencies=visible_agencies(self.request.user).exclude(parent=None),
            ),
        )
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
            return render_case(request, case, 400, bound_action=action, bound_form=form)
        data = dict(form.cleaned_data)
        comment = data.pop("comment", "") or ""
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
            from org.access import is_home_affairs

            roots = (
                [None]
                if is_home_affairs(request.user)
                else list(visible_agencies(request.user).filter(accesses__user=request.user))
            )
        created, existing, skipped = 0, 0, []
        for root in roots:
            report = open_cases(form.cleaned_data["year"], root, user=request.user)
            created += len(report.created)
            existing += report.existing
            skipped += report.skipped
        messages.success(
            request,
            _(
                "Đã tạo %(created)d hồ sơ; %(existing)d hồ sơ đã có; %(skipped)d người chưa đủ "
                "dữ liệu để xếp loại."
            )
            % {"created": created, "existing": existing, "skipped": len(skipped)},
        )
        return redirect(f"{reverse('ratings_cases')}?year={form.cleaned_data['year']}")
