"""The "changes against the version in force" section at the top of a catalog page's edit view.

Review 2026-11-22 (ux #6): the approver saw only Wagtail's raw comparison (every product,
``True``/``None``/``1.0000``, the one real change at the bottom of 10,000 px). This section says,
before anyone approves, what the draft (the latest revision, as edited) changes against the
agency's latest approved version: products added, removed, renamed, coefficient changed, other
changes, the effective date, and the decision of the version in force.

With the item's scored coefficient and the duties' coverage, these panels sit above the page
models and the rules they show; ``catalog_pages.edit_handler`` puts them on the page at start-up.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel

from catalog_pages.duties import coverage
from catalog_pages.presentation import scored_by_uid
from catalog_pages.versioning import draft_changes
from org.models import Agency


class CatalogChangesPanel(Panel):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Thay đổi so với phiên bản đang áp dụng"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "catalog_pages/admin/changes_panel.html"

        @property
        def id_for_label(self):
            return "catalog-changes"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["changes"] = draft_changes(self.instance)
            return context


class ScoredCoefficientPanel(Panel):
    """Under an item's coefficient in the catalog editor: the coefficient this month's score
    actually uses, and where it comes from (review 2026-11-23 C3, issue 30 item 4: STP-006
    shown at 12 in the editor, scored at 10 under the common catalog).

    Shown when the item is in the common catalog adopted by a decision in force (the number
    typed here is then not used for scoring), or when the draft's coefficient differs from the
    version in force (the new one applies only once approved). The numbers are those of
    ``catalog_pages.presentation.scored_by_uid``, the scorer's own resolution, read once per
    request and agency."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "catalog_pages/admin/scored_coefficient.html"

        def _scored(self):
            item = self.instance
            agency_id = getattr(getattr(item, "page", None), "agency_id", None)
            if agency_id is None or self.request is None:
                return None, None
            cache = self.request.__dict__.setdefault("_kpi_scored_coefficients", {})
            if agency_id not in cache:
                cache[agency_id] = scored_by_uid(
                    Agency.objects.get(pk=agency_id), timezone.localdate()
                )
            version, scored = cache[agency_id]
            return version, scored.get(item.uid)

        def is_shown(self):
            _version, scored = self._scored()
            if scored is None:
                return False
            return scored.from_common or scored.coefficient != self.instance.coefficient

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["version"], context["scored"] = self._scored()
            return context


class DutyCoveragePanel(Panel):
    """At the top of a catalog page's editor: the duties of the job descriptions in force that
    no product serves yet, and the products that serve no duty (``catalog_pages.duties``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Sản phẩm và nhiệm vụ trong bản mô tả công việc"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "catalog_pages/admin/duty_coverage_panel.html"

        @property
        def id_for_label(self):
            return "duty-coverage"

        def is_shown(self):
            return bool(getattr(self.instance, "pk", None))

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["coverage"] = coverage(self.instance)
            return context
