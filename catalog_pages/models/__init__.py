from catalog_pages.models.common import CommonProduct, CommonProductMapping
from catalog_pages.models.pages import AgencyCatalogPage, CatalogIndexPage, CatalogItem
from catalog_pages.models.versions import CatalogVersion, CatalogVersionItem, ImmutableError

__all__ = [
    "AgencyCatalogPage",
    "CatalogIndexPage",
    "CatalogItem",
    "CatalogVersion",
    "CatalogVersionItem",
    "CommonProduct",
    "CommonProductMapping",
    "ImmutableError",
]
