from audit.history import track
from catalog_pages.models.adoption import (
    AdoptedCommonItem,
    AdoptionStatus,
    CommonCatalogAdoption,
)
from catalog_pages.models.appraisal import BlocAppraisalTask
from catalog_pages.models.common import CommonProduct, CommonProductMapping
from catalog_pages.models.pages import AgencyCatalogPage, CatalogIndexPage, CatalogItem
from catalog_pages.models.versions import CatalogVersion, CatalogVersionItem, ImmutableError

__all__ = [
    "AdoptedCommonItem",
    "AdoptionStatus",
    "AgencyCatalogPage",
    "BlocAppraisalTask",
    "CatalogIndexPage",
    "CatalogItem",
    "CatalogVersion",
    "CatalogVersionItem",
    "CommonCatalogAdoption",
    "CommonProduct",
    "CommonProductMapping",
    "ImmutableError",
]

# Who recorded and adopted each decision putting the common catalog in force, and when
# (its adopted items are frozen with it).
track(CommonCatalogAdoption)
