"""Cases at risk or overdue, per agency, for the HR roles."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.admin_views import TitledAdminMixin
from ratings.access import can_manage_cases, visible_cases
from ratings.deadlines import AT_RISK, OVERDUE
from ratings.models.choices import DONE_STATES
from ratings.services.calendars import DeadlineBook


class DeadlinesView(TitledAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ratings/deadlines.html"
    page_title = gettext_lazy("Hồ sơ sắp đến hạn, quá hạn")
    header_icon = "time"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_cases(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        book = DeadlineBook()
        cases = (
            visible_cases(self.request.user)
            .exclude(state__in=DONE_STATES)
            .select_related("civil_servant", "subject_agency", "agency")
        )
        year = self.request.GET.get("year", "")
        if year.isdigit():
            cases = cases.filter(year=int(year))
        groups = defaultdict(lambda: {"rows": [], "overdue": 0, "at_risk": 0})
        for case in cases.order_by("agency__path", "id"):
            status = book.status(case)
            if status not in (AT_RISK, OVERDUE):
                continue
            owner = case.agency.owning_agency or case.agency
            group = groups[owner]
            group["rows"].append(
                {
                    "case": case,
                    "status": status,
                    "deadline": book.deadline(case),
                    "days_left": book.days_left(case),
                }
            )
            group["overdue" if status == OVERDUE else "at_risk"] += 1
        context.update(
            groups=sorted(groups.items(), key=lambda item: item[0].path),
            today=timezone.localdate(),
            year=year,
        )
        return context
