"""The dashboards in the Wagtail admin: province → agency → unit → person.

Every URL checks the node against ``org.access`` (listing links are not the only guard). A page
that names people and every table export leave a row in the read log of personal data
(``audit.record_read``); exports of the people table are also written to Wagtail's log.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from audit import record_read
from audit.models import ReadFormat, ReadKind
from cms.admin_views import TitledAdminMixin
from cms.exports import deliver
from dashboards import admin_tables, dashboard, xlsx
from dashboards.exports import EXPORT_ACTION as EXPORT_ACTION  # its test reads it here
from dashboards.exports import (
    PEOPLE,
    people_export,
    people_params,
    record_people_export,
)
from dashboards.presenters import band_legend
from org.access import (
    can_access_agency,
    granted_agencies,
    grants,
    headed_agencies,
    is_home_affairs,
)
from org.blocs import appraised_roots
from org.models import Agency
from oversight.access import can_see_milestones, visible_inspections
from oversight.services.milestones import agency_milestones
from scoring.models import Period, PeriodScore


def can_use_dashboards(user) -> bool:
    """Sở Nội vụ, agency grants, and the heads (directors, commune chairmen, Party
    secretaries…) who read their own agency's statistics (review 2026-11-23 coverage 2)."""
    if user is None or not user.is_authenticated:
        return False
    return bool(is_home_affairs(user) or grants(user) or headed_agencies(user))


def dashboard_roots(user) -> list[Agency]:
    """The top nodes the user's statistics start from: for Sở Nội vụ every tree of the
    political system (UBND tỉnh, Tỉnh ủy, Ủy ban MTTQ…); otherwise the granted and headed
    agencies and, for the appraisers of a bloc's lead body, their bloc's root, without those
    inside another of them."""
    if is_home_affairs(user):
        return list(Agency.objects.filter(parent__isnull=True).order_by("path"))
    nodes = {agency.pk: agency for agency in granted_agencies(user)}
    if nodes:
        # The appraisers of a bloc's lead body (a grant on it) start from their bloc's root.
        nodes.update({agency.pk: agency for agency in appraised_roots(user)})
    nodes.update({agency.pk: agency for agency in headed_agencies(user)})
    found = sorted(nodes.values(), key=lambda agency: agency.path)
    return [
        agency
        for agency in found
        if not any(agency.path.startswith(other.path) and other.pk != agency.pk for other in found)
    ]


def _period(request):
    code = request.GET.get("ky", "").strip()
    if code:
        try:
            found = Period.objects.for_code(code)
        except ValueError:
            found = None
        if found is not None:
            return found
    # The latest period that has begun and has a scored result (issue 28, UX review C11: not
    # an empty future month that a batch filled with "not scored" rows).
    begun = Period.objects.filter(start_date__lte=timezone.localdate())
    with_scores = begun.filter(
        Exists(PeriodScore.objects.filter(period=OuterRef("pk"), scored=True))
    )
    return (
        with_scores.order_by("-end_date").first()
        or begun.order_by("-end_date").first()
        or Period.objects.order_by("end_date").first()
    )


class IndexView(TitledAdminMixin, TemplateView):
    template_name = "dashboards/admin/index.html"
    page_title = _("Thống kê, giám sát")
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        user = request.user
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        roots = dashboard_roots(user)
        if not roots:
            if is_home_affairs(user):
                return super().get(request, *args, **kwargs)
            raise PermissionDenied
        if len(roots) == 1:
            return redirect(reverse("dashboards_node", args=[roots[0].pk]) + query)
        self.roots = roots
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roots"] = getattr(self, "roots", [])
        return context


class NodeView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "dashboards/admin/node.html"
    header_icon = "table"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.node = get_object_or_404(Agency, pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not can_access_agency(request.user, self.node):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.node.name

    def get_page_subtitle(self):
        return self.period.label if self.period else ""

    def get_breadcrumbs_items(self):
        """Home › Thống kê › province › … › this node (only the levels the user may open)."""
        ancestors = [
            {"url": url, "label": ancestor.name}
            for ancestor, url in self.data.get("breadcrumbs", [])
        ]
        return [
            *self.breadcrumbs_items,
            {"url": reverse("dashboards_index"), "label": IndexView.page_title},
            *ancestors,
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get(self, request, *args, **kwargs):
        self.period = _period(request)
        slug = request.GET.get("xuat")
        if slug == "people":
            return self.export_people()
        self.data = dashboard.build(self.node, self.period, request.user) if self.period else {}
        if slug:
            return self.export(slug)
        people = self._people(self.data.get("tables", []))
        if people:
            self._record(ReadFormat.HTML, people, len(people))
        return super().get(request, *args, **kwargs)

    @staticmethod
    def _people(tables) -> list:
        """The civil servants named in ``tables`` (only the people table names anyone)."""
        return [row["_person"] for table in tables for row in table.rows if row.get("_person")]

    def _record(self, fmt, people, count, label="") -> None:
        record_read(
            self.request,
            ReadKind.DASHBOARD,
            format=fmt,
            model="scoring.periodscore",
            label=label or f"{self.node.name} — {self.period.label}",
            subjects=people,
            count=count,
            agency=self.node,
        )

    def export(self, slug: str) -> HttpResponse:
        table = next((t for t in self.data.get("tables", []) if t.slug == slug), None)
        if table is None:
            raise PermissionDenied
        heading = f"{self.node.name} — {self.period.label}"
        self._record(ReadFormat.XLSX, self._people([table]), len(table.rows), table.title)
        response = HttpResponse(xlsx.table_workbook(table, heading), content_type=xlsx.XLSX)
        filename = f"thong-ke-{self.node.code.lower()}-{self.period.code}-{slug}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def export_people(self) -> HttpResponse:
        """The people table alone (not the whole dashboard): at once, or built in the background
        when it lists more people than ``KPI_EXPORT_INLINE_ROWS`` (``cms.exports``; the same
        ``people_export``); logged, with Wagtail's ``dashboards.export`` entry, at download."""
        request, node, period = self.request, self.node, self.period
        if period is None or not dashboard.people_shown(node, period):
            raise PermissionDenied

        def inline():
            content, filename, read = people_export(node, period, request.user)
            record_people_export(request, node, period, read)
            response = HttpResponse(content, content_type=xlsx.XLSX)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response

        rows = admin_tables.people_scores(node, period, request.user)[0].count()
        params = people_params(request.user, node, period)
        return deliver(request, PEOPLE, params, rows, inline)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.data)
        context.update(
            {
                "node": self.node,
                "period": self.period,
                "periods": Period.objects.order_by("-end_date", "kind"),
                "legend": band_legend(),
            }
        )
        context.update(self.oversight())
        return context

    def oversight(self) -> dict:
        """The agency's own milestones of this year and its inspections (``oversight``)."""
        user = self.request.user
        if not can_see_milestones(user):
            return {}
        return {
            "milestones": agency_milestones(self.node),
            "inspections": list(visible_inspections(user).filter(agency=self.node)[:20]),
        }
