"""Wagtail admin views of the common catalog: duplicate review and merge, listing, export.

Sở Nội vụ only (403 for everyone else). The work is done in ``services``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.defaults import permission_denied
from django.views.generic import TemplateView

from catalog_pages.consolidation import exports, services
from catalog_pages.consolidation.forms import EXISTING, NEW, MergeForm
from catalog_pages.consolidation.matching import DEFAULT_THRESHOLD
from catalog_pages.models import CommonProduct
from cms.admin_views import TitledAdminMixin
from cms.exports import deliver
from cms.xlsx import XLSX
from org.access import is_home_affairs

GROUPS_PER_PAGE = 20
PRODUCTS_PER_PAGE = 50
MIN_THRESHOLD = 0.5


class HomeAffairsOnlyMixin:
    """403 for anyone but Sở Nội vụ; a breadcrumb with the page title.

    Returned rather than raised: Wagtail's admin wrapper turns a raised ``PermissionDenied``
    into a redirect to the dashboard, and these pages must answer a plain 403.
    """

    def dispatch(self, request, *args, **kwargs):
        if not is_home_affairs(request.user):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)


def _threshold(request) -> float:
    try:
        value = float(request.GET.get("threshold", DEFAULT_THRESHOLD))
    except ValueError:
        return DEFAULT_THRESHOLD
    return min(1.0, max(MIN_THRESHOLD, value))


class DuplicateReviewView(HomeAffairsOnlyMixin, TitledAdminMixin, TemplateView):
    """Candidate duplicate groups across all live catalogs, each with a merge form."""

    template_name = "catalog_pages/consolidation/review.html"
    page_title = gettext_lazy("Rà soát trùng lặp")
    header_icon = "copy"

    def get_context_data(self, bound_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        threshold = _threshold(self.request)
        include_resolved = self.request.GET.get("resolved") == "1"
        groups = services.candidate_groups(threshold, include_resolved=include_resolved)
        page = Paginator(groups, GROUPS_PER_PAGE).get_page(self.request.GET.get("p"))
        next_code = services.next_common_code()
        products = list(CommonProduct.objects.order_by("code"))
        shown_bound = False
        for group in page:
            if bound_form is not None and bound_form.data.get("group") == group.key:
                group.form, shown_bound = bound_form, True
                group.checked = {str(pk) for pk in bound_form.data.getlist("items")}
            else:
                group.form = self._initial_form(group, next_code)
                group.checked = {str(m.item.pk) for m in group.unmapped}
        context.update(
            page=page,
            group_count=len(groups),
            threshold=threshold,
            include_resolved=include_resolved,
            products=products,
            stray_form=bound_form if bound_form is not None and not shown_bound else None,
        )
        return context

    @staticmethod
    def _initial_form(group, next_code):
        mapped = group.mapped_products
        initial = {"group": group.key, "code": next_code, **group.defaults}
        if len(mapped) == 1:
            initial.update(target=EXISTING, product=mapped[0].pk)
        else:
            initial["target"] = NEW
        return MergeForm(initial=initial, auto_id=f"id_{group.key}_%s")

    def post(self, request, *args, **kwargs):
        form = MergeForm(request.POST, auto_id=f"id_{request.POST.get('group', '')}_%s")
        if form.is_valid():
            try:
                product, mappings = services.merge_items(
                    [item.pk for item in form.cleaned_data["items"]],
                    user=request.user,
                    product=form.existing_product(),
                    new_product=form.new_product_data(),
                )
            except services.MergeError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Đã gộp %(n)d sản phẩm/công việc vào %(product)s.")
                    % {"n": len(mappings), "product": product},
                )
                query = request.GET.urlencode()
                return redirect(f"{reverse('catalog_consolidation_review')}?{query}")
        return self.render_to_response(self.get_context_data(bound_form=form))


class CommonProductListView(HomeAffairsOnlyMixin, TitledAdminMixin, TemplateView):
    """The common catalog: each product with the agency items mapped to it."""

    template_name = "catalog_pages/consolidation/common_products.html"
    page_title = gettext_lazy("Sản phẩm dùng chung")
    header_icon = "list-ul"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        products = services.common_products(query)
        page = Paginator(products, PRODUCTS_PER_PAGE).get_page(self.request.GET.get("p"))
        context.update(page=page, query=query)
        return context


class CommonProductExportView(HomeAffairsOnlyMixin, View):
    """The whole common catalog with its mappings, as Excel (default) or CSV: at once, or built
    in the background when it has more rows than ``KPI_EXPORT_INLINE_ROWS`` (``cms.exports``;
    the same ``exports.common_products_file``)."""

    def get(self, request, *args, **kwargs):
        stamp = timezone.localdate().strftime("%Y%m%d")
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"

        def inline():
            response = HttpResponse(
                exports.common_products_file(fmt, stamp),
                content_type=exports.CSV_TYPE if fmt == "csv" else XLSX,
            )
            filename = exports.file_name(fmt, stamp)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response

        kind = exports.CSV if fmt == "csv" else exports.XLSX
        params = {"format": fmt, "stamp": stamp}
        rows = services.export_row_count()
        return deliver(request, kind, params, rows, inline)
