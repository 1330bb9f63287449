"""The catalog kind: the context checks (the page exists, is not in appraisal, not locked by
someone else), the rules and the difference in order (``analyse``), the write (a new draft
revision of the page), the template."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog_pages.models import AgencyCatalogPage, CatalogItem
from cms.lazy import lazy_module
from importers.builders.catalog import build
from importers.issues import Issue, one_error_per_cell
from importers.kinds.base import Context, Counts, KindResult, TemplateKind, with_stored
from importers.kinds.catalog.diff import CatalogDiff, as_decimal
from importers.kinds.catalog.rules import CatalogRules
from importers.kinds.catalog.spec import SHEET, SHEET_SPEC, catalog_page
from importers.kinds.common import catalog_importer, edits_pages, in_workflow_page_ids
from importers.reading.frame import ParsedSheet
from org.models import JobPosition

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_module("numpy")


class CatalogKind(CatalogRules, CatalogDiff, TemplateKind):
    code = "catalog"
    label = gettext_lazy("Danh mục sản phẩm/công việc")
    sheets = (SHEET_SPEC,)

    def can_import(self, user, agency) -> bool:
        return catalog_importer(user, agency)

    def importable_among(self, user, agencies: list) -> set[int]:
        # Whether the user may edit each agency's catalog page reads the page and its workflow
        # state: both read here for every agency at once. ``specific()`` matters: without it
        # Wagtail prefetches the states by the base page type and finds none for a subclass's
        # queryset, so a page in appraisal would look idle to its reviewers.
        pages = AgencyCatalogPage.objects.specific().prefetch_workflow_states()
        prefetch_related_objects(agencies, Prefetch("catalog_page", queryset=pages))
        return super().importable_among(user, agencies)

    def imports_any(self, user, agencies) -> bool:
        # Wagtail lets a user without a "change" or "add" page permission edit a page only as
        # a reviewer of its workflow's current task (``PagePermissionTester.can_edit``): for
        # them only the agencies whose catalog is in a workflow are asked (none, mostly).
        if not edits_pages(user):
            agencies = agencies.filter(catalog_page__in=in_workflow_page_ids())
        return super().imports_any(user, agencies)

    def context_issues(self, context: Context) -> list[Issue]:
        page = catalog_page(context.agency)
        if page is None:
            return [
                Issue(
                    _("%(agency)s chưa có trang danh mục sản phẩm/công việc; liên hệ Sở Nội vụ.")
                    % {"agency": context.agency.name}
                )
            ]
        context.extra["page"] = page
        if page.workflow_in_progress:
            return [
                Issue(
                    _(
                        "Danh mục của %(agency)s đang chờ Sở Nội vụ thẩm định; chỉ nhập tệp mới "
                        "sau khi có kết quả thẩm định (hoặc rút lại yêu cầu)."
                    )
                    % {"agency": context.agency.name}
                )
            ]
        user = context.user
        if page.locked and (user is None or page.locked_by_id != user.pk):
            return [
                Issue(
                    _("Danh mục của %(agency)s đang bị khoá để chỉnh sửa bởi người khác.")
                    % {"agency": context.agency.name}
                )
            ]
        return []

    def template_issues(self, context: Context) -> list[Issue]:
        if catalog_page(context.agency) is None:
            return [
                Issue(
                    _("%(agency)s chưa có trang danh mục sản phẩm/công việc; liên hệ Sở Nội vụ.")
                    % {"agency": context.agency.name}
                )
            ]
        return []

    def analyse(self, context: Context, sheets: dict[str, ParsedSheet]) -> KindResult:
        """The rules in order, each a method: the job positions named, the catalog's own rules;
        on a file without errors, implausible coefficients and the difference with the page's
        latest revision."""
        parsed = sheets[SHEET]
        frame = parsed.frame
        positions = {position.code: position for position in JobPosition.objects.all()}
        issues = list(parsed.issues)
        issues += self._position_issues(parsed, positions)
        issues += self._catalog_issues(parsed)
        issues = one_error_per_cell(issues)
        counts = Counts(total=len(frame))
        if any(issue.is_error for issue in issues):
            return KindResult(issues=issues, counts=counts)

        page = context.extra.get("page") or catalog_page(context.agency)
        current = {item.code: item for item in page.get_latest_revision_as_object().items.all()}
        issues += self._implausible_coefficients(parsed, current)
        changes, unchanged = self._differences(frame, current, counts)
        payload = {"frame": frame, "positions": positions, "unchanged": unchanged}
        result = KindResult(issues=issues, counts=counts, payload=payload, changes=changes)
        return with_stored(result, self._compared(current))

    def write(self, context: Context, result: KindResult) -> Counts:
        if result.payload["unchanged"]:
            return result.counts  # re-importing the same catalog adds no draft revision
        page = AgencyCatalogPage.objects.get(pk=context.extra["page"].pk)
        draft = page.get_latest_revision_as_object()
        uids = {item.code: item.uid for item in draft.items.all()}
        positions = result.payload["positions"]
        new_items = []
        for order, record in enumerate(result.payload["frame"].itertuples(index=False)):
            item = CatalogItem(
                uid=uids.get(record.code, uuid.uuid4()),
                code=record.code,
                name=record.name,
                output_unit=record.output_unit,
                complexity_group=int(record.complexity_group),
                coefficient=as_decimal(record.coefficient, 4),
                standard_minutes=None
                if np.isnan(record.standard_minutes)
                else int(record.standard_minutes),
                evidence_required=record.evidence_required,
                is_standard=bool(record.is_standard),
                sort_order=order,
            )
            item.job_positions = [positions[code] for code in record.job_positions]
            new_items.append(item)
        draft.items = new_items
        draft.save_revision(user=context.user, log_action=True)
        return result.counts

    def build_template(self, context: Context):
        return build(self, context)

    def template_rows(self, context: Context) -> int:
        """The catalog's items (its latest revision: what the template lists)."""
        page = catalog_page(context.agency)
        return page.get_latest_revision_as_object().items.count() if page else 0
