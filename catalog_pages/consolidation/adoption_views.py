"""Admin views of the common catalog in force: the province decisions adopting it (Sở Nội vụ
records and adopts them) and, per agency, what the adopted catalog changes for its items.

Who may do what is decided in ``catalog_pages.access``; the work is in
``catalog_pages.common_catalog``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import TemplateView

from catalog_pages import common_catalog
from catalog_pages.access import can_record_adoption, common_changes_agencies
from catalog_pages.consolidation.forms import AdoptionForm
from catalog_pages.models import CommonCatalogAdoption
from cms.admin_views import TitledAdminMixin


class AdoptionOnlyMixin:
    """403 (answered, not raised: see ``views.HomeAffairsOnlyMixin``) for anyone who may not
    record the decisions."""

    def dispatch(self, request, *args, **kwargs):
        if not can_record_adoption(request.user):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)


class AdoptionListView(AdoptionOnlyMixin, TitledAdminMixin, TemplateView):
    """Every decision on the common catalog, newest first, and the form to record a draft."""

    template_name = "catalog_pages/consolidation/adoptions.html"
    page_title = gettext_lazy("Quyết định ban hành danh mục dùng chung")
    header_icon = "doc-full"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            adoptions=CommonCatalogAdoption.objects.select_related("adopted_by"),
            form=form or AdoptionForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = AdoptionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        adoption = form.save(commit=False)
        adoption.recorded_by = request.user
        adoption._change_reason = _("Ghi nhận quyết định ban hành danh mục dùng chung")
        adoption.save()
        messages.success(request, _("Đã ghi nhận dự thảo %(number)s.") % {"number": adoption})
        return redirect("catalog_common_adoption", pk=adoption.pk)


class AdoptionDetailView(AdoptionOnlyMixin, TitledAdminMixin, TemplateView):
    """One decision: edit it while a draft, adopt it, and what it changes for each agency."""

    template_name = "catalog_pages/consolidation/adoption.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return _("Quyết định %(number)s") % {"number": self.adoption.decision_number}

    def dispatch(self, request, *args, **kwargs):
        self.adoption = get_object_or_404(CommonCatalogAdoption, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        adoption = self.adoption
        context.update(
            adoption=adoption,
            form=None if adoption.is_adopted else (form or AdoptionForm(instance=adoption)),
            items=adoption.items.select_related("agency").order_by("code", "agency__code")
            if adoption.is_adopted
            else [],
        )
        return context

    def post(self, request, *args, **kwargs):
        adoption = self.adoption
        if adoption.is_adopted:
            messages.error(
                request,
                _(
                    "Quyết định đã ban hành không sửa được; hãy ghi nhận một quyết định mới, "
                    "quyết định mới thay thế từ ngày áp dụng của nó."
                ),
            )
            return redirect("catalog_common_adoption", pk=adoption.pk)
        if request.POST.get("action") == "adopt":
            # Irreversible and long: the officer ticks that they checked it (review 2026-11-23
            # C16); the button shows Wagtail's progress spinner while it runs.
            if request.POST.get("confirm") != "yes":
                messages.error(
                    request,
                    _(
                        "Chưa ban hành: hãy đánh dấu ô “Tôi đã kiểm tra; ban hành không sửa "
                        "được” rồi bấm Ban hành."
                    ),
                )
                return redirect("catalog_common_adoption", pk=adoption.pk)
            try:
                common_catalog.adopt(adoption, request.user)
            except common_catalog.AdoptionError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Đã ban hành danh mục dùng chung theo Quyết định %(number)s, áp dụng từ "
                        "ngày %(day)s. Các kỳ đang mở từ ngày đó sẽ được tính lại điểm."
                    )
                    % {
                        "number": adoption.decision_number,
                        "day": adoption.effective_from.strftime("%d/%m/%Y"),
                    },
                )
            return redirect("catalog_common_adoption", pk=adoption.pk)
        form = AdoptionForm(request.POST, instance=adoption)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        with transaction.atomic():
            saved = form.save(commit=False)
            saved._change_reason = _("Sửa dự thảo quyết định ban hành danh mục dùng chung")
            saved.save()
        messages.success(request, _("Đã lưu dự thảo."))
        return redirect("catalog_common_adoption", pk=adoption.pk)


class CommonChangesView(TitledAdminMixin, TemplateView):
    """For one agency (``?agency=<id>``, among those the user may read): its items whose
    coefficient or output unit the adopted common catalog changes, old → new, from which day,
    by which decision."""

    template_name = "catalog_pages/consolidation/changes.html"
    page_title = gettext_lazy("Thay đổi do danh mục dùng chung")
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        self.agencies = list(common_changes_agencies(request.user).order_by("path"))
        if not self.agencies:
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        wanted = self.request.GET.get("agency", "")
        by_pk = {str(agency.pk): agency for agency in self.agencies}
        agency = by_pk.get(wanted) or self.agencies[0]
        context.update(
            agencies=self.agencies,
            agency=agency,
            changes=common_catalog.changes_for_agency(agency),
            adoptions_url=reverse("catalog_common_adoptions")
            if can_record_adoption(self.request.user)
            else "",
        )
        return context
