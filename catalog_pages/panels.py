"""The "changes against the version in force" section at the top of a catalog page's edit view.

Review 2026-11-22 (ux #6): the approver saw only Wagtail's raw comparison (every product,
``True``/``None``/``1.0000``, the one real change at the bottom of 10,000 px). This section says,
before anyone approves, what the draft (the latest revision, as edited) changes against the
agency's latest approved version: products added, removed, renamed, coefficient changed, other
changes, the effective date, and the decision of the version in force.
"""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel


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
            from catalog_pages.versioning import draft_changes  # models import this module

            context = super().get_context_data(parent_context)
            context["changes"] = draft_changes(self.instance)
            return context
