"""The catalog page's editor: its form and panels, put on the page models when the app starts.

Wagtail reads a page's edit form (``base_form_class``) and panels (``content_panels``, an
inline model's ``panels``) from the model class. Those of ``AgencyCatalogPage`` ask the rules
that sit above the page models — the duties a product serves (``catalog_pages.duties``), the
changes against the version in force (``versioning``), the coefficient the score uses
(``presentation``), the decision number (``models.appraisal``) — so they are set here, from
``CatalogPagesConfig.ready``, instead of being imported by the models. Wagtail builds the edit
handler on first use, after every app is ready.
"""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Page

from catalog_pages.forms import CatalogPageForm
from catalog_pages.models import AgencyCatalogPage, CatalogItem
from catalog_pages.panels import CatalogChangesPanel, DutyCoveragePanel, ScoredCoefficientPanel
from cms.backlinks import BacklinksPanel


def page_panels() -> list:
    return [
        BacklinksPanel(),
        CatalogChangesPanel(),
        DutyCoveragePanel(),
        *Page.content_panels,
        FieldPanel("agency"),
        FieldRowPanel([FieldPanel("effective_from"), FieldPanel("approval_ref")]),
        FieldPanel("intro"),
        InlinePanel("items", heading=_("Sản phẩm/công việc"), label=_("Sản phẩm/công việc")),
    ]


def item_panels() -> list:
    return [
        FieldRowPanel([FieldPanel("code"), FieldPanel("output_unit")]),
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("complexity_group"),
                        FieldPanel("coefficient"),
                        FieldPanel("standard_minutes"),
                        FieldPanel("is_standard"),
                    ]
                ),
                ScoredCoefficientPanel(),
                FieldPanel("job_positions"),
                FieldPanel("duties"),
                FieldPanel("evidence_required"),
            ],
            heading=_("Quy đổi"),
        ),
    ]


def attach() -> None:
    """Called once by ``CatalogPagesConfig.ready``."""
    AgencyCatalogPage.base_form_class = CatalogPageForm
    AgencyCatalogPage.content_panels = page_panels()
    CatalogItem.panels = item_panels()
