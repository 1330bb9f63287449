"""Catalog submission: an agency's product/work catalog in one sheet.

The rows are checked with ``catalog_pages.validation.validate_catalog`` — the very function the
page editor form runs — so Excel and the admin refuse the same things with the same messages.
A valid file becomes a new DRAFT revision of the agency's catalog page (never published here):
the agency then submits it to Sở Nội vụ's appraisal workflow as usual, and page revisions keep
the history. Items keep their stable ``uid`` when their code is unchanged, so version diffs
match them. A catalog that is in the appraisal workflow or locked is refused.

The package: ``spec`` (the sheet, its columns and compared fields, the agency's page — what the
template builder reads), ``rules`` (each rule a file must pass, a named method), ``diff`` (the
comparison with the page's latest revision), ``kind`` (``CatalogKind``: context, the rules and
the diff in order, the write, the template).
"""

from importers.kinds.catalog.kind import CatalogKind
from importers.kinds.catalog.spec import SHEET, SHEET_SPEC, catalog_page

__all__ = ["SHEET", "SHEET_SPEC", "CatalogKind", "catalog_page"]
