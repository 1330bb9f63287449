"""Catalog submission (being split into spec, rules, diff and kind)."""

from importers.kinds.catalog.kind import SHEET, SHEET_SPEC, CatalogKind, catalog_page

__all__ = ["SHEET", "SHEET_SPEC", "CatalogKind", "catalog_page"]
