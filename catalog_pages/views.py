"""Admin views: the list of catalog versions and one version with its diff to the previous."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from catalog_pages import last_year
from catalog_pages.access import can_view_catalog, viewable_agencies
from catalog_pages.common_catalog import changes_for_agency
from catalog_pages.models import AgencyCatalogPage, CatalogVersion
from catalog_pages.presentation import group_items
from catalog_pages.status import catalog_status, task_catalogs
from catalog_pages.versioning import diff_versions
from cms.admin_views import TitledAdminMixin


class TitledAdminView(TitledAdminMixin, TemplateView):
    pass


class VersionListView(TitledAdminView):
    template_name = "catalog_pages/admin/version_list.html"
    page_title = _("Phiên bản danh mục sản phẩm/công việc")
    header_icon = "history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["versions"] = (
            CatalogVersion.objects.filter(agency__in=viewable_agencies(self.request.user))
            .select_related("agency", "approved_by", "page")
            .order_by("agency__path", "-number")
        )
        return context


class VersionDetailView(TitledAdminView):
    template_name = "catalog_pages/admin/version_detail.html"
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        self.version = get_object_or_404(
            CatalogVersion.objects.select_related("agency", "approved_by"), pk=kwargs["pk"]
        )
        if not can_view_catalog(request.user, self.version.agency):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("%(agency)s — phiên bản %(number)d") % {
            "agency": self.version.agency.name,
            "number": self.version.number,
        }

    def get(self, request, *args, **kwargs):
        if request.GET.get("da-phe-duyet"):
            from django.contrib import messages

            version = self.version
            messages.success(
                request,
                _(
                    "Đã phê duyệt danh mục của %(agency)s: phiên bản %(number)d, quyết định số "
                    "%(ref)s, áp dụng từ %(day)s."
                )
                % {
                    "agency": version.agency.name,
                    "number": version.number,
                    "ref": version.approval_ref,
                    "day": version.effective_from.strftime("%d/%m/%Y"),
                },
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        previous = self.version.previous
        items = self.version.items.prefetch_related("job_positions")
        context.update(
            version=self.version,
            previous=previous,
            diff=diff_versions(previous, self.version),
            groups=group_items(items, day=self.version.effective_from),
            common_changes=changes_for_agency(self.version.agency),
        )
        return context


class AgencyCatalogTaskView(TitledAdminView):
    """ "Danh mục của cơ quan" (issue 30 item 9, review 2026-11-23 C9): the agency's catalog as a
    task — where it stands (the version in force, the next one, the draft's step) and one
    button to edit it; the editor's "Gửi thẩm định" returns here."""

    template_name = "catalog_pages/admin/agency_task.html"
    page_title = _("Danh mục của cơ quan")
    header_icon = "list-ul"

    def get_context_data(self, **kwargs):
        from django.utils import timezone

        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = []
        for page in task_catalogs(self.request.user):
            status = catalog_status(page, today)
            status.can_edit = page.permissions_for_user(self.request.user).can_edit()
            rows.append(status)
        # Sở Nội vụ: those waiting for its appraisal first.
        order = {"waiting": 0, "sent_back": 1, "draft": 2, "up_to_date": 3}
        rows.sort(key=lambda row: order[row.step])
        context.update(rows=rows, today=today)
        return context


class FromLastYearView(TitledAdminView):
    """ "Soạn bản mới từ kết quả năm trước" (issue 45 item 5): the products actually assigned
    and received last year, grouped by the matcher, as a preview the clerk keeps, edits or drops;
    confirming writes the next draft of the catalog (``catalog_pages.last_year``)."""

    template_name = "catalog_pages/admin/from_last_year.html"
    page_title = _("Soạn bản mới từ kết quả năm trước")
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        from django.views.defaults import permission_denied

        self.page = get_object_or_404(
            AgencyCatalogPage.objects.select_related("agency"), pk=kwargs["pk"]
        )
        reason = last_year.refusal(request.user, self.page)
        if reason and not self.page.permissions_for_user(request.user).can_edit():
            return permission_denied(request, PermissionDenied(reason))
        self.blocked = reason
        from django.utils import timezone

        self.year = timezone.localdate().year - 1
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.page.title

    def get_context_data(self, **kwargs):

        context = super().get_context_data(**kwargs)
        rows = kwargs.get("rows")
        if rows is None:
            rows = [
                {
                    "key": p.key,
                    "keep": p.keep,
                    "code": p.code,
                    "name": p.name,
                    "unit": p.unit,
                    "coefficient": str(p.coefficient.normalize()).replace(".", ","),
                    "proposal": p,
                }
                for p in last_year.propose(self.request.user, self.page, self.year)
            ]
        context.update(
            catalog=self.page,
            year=self.year,
            rows=rows,
            blocked=self.blocked,
            errors=kwargs.get("errors", []),
            used=sum(1 for r in rows if r["proposal"] and not r["proposal"].unused),
        )
        return context

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect
        from django.urls import reverse
        from django.utils.translation import gettext

        data = request.POST
        count = int(data.get("rows") or 0)
        rows = [
            last_year.Row(
                key=data.get(f"row-{n}-key", ""),
                keep=bool(data.get(f"row-{n}-keep")),
                code=data.get(f"row-{n}-code", ""),
                name=data.get(f"row-{n}-name", ""),
                unit=data.get(f"row-{n}-unit", ""),
                coefficient=data.get(f"row-{n}-coefficient", ""),
            )
            for n in range(min(count, 2000))
        ]
        try:
            last_year.write_draft(request.user, self.page, self.year, rows)
        except (PermissionDenied, ValidationError) as error:
            errors = getattr(error, "messages", None) or [str(error)]
            shown = [{**vars(r), "proposal": None} for r in rows]
            return self.render_to_response(self.get_context_data(rows=shown, errors=errors))
        messages.success(
            request,
            gettext(
                "Đã soạn bản nháp danh mục từ kết quả năm %(year)s: %(n)d sản phẩm/công việc. "
                "Kiểm tra, gắn nhiệm vụ trong bản mô tả công việc rồi gửi tới Thẩm định."
            )
            % {"year": self.year, "n": sum(1 for r in rows if r.keep)},
        )
        return redirect(reverse("wagtailadmin_pages:edit", args=[self.page.pk]))
