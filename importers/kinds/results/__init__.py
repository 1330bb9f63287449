"""Period results (being split into spec, rules, diff and kind)."""

from importers.kinds.results.rules import (
    COLUMNS,
    MAX_COUNT,
    MAX_QUANTITY,
    SHEET,
    SHEET_SPEC,
    ResultsKind,
    _text_row_hashes,
    version_for,
)

__all__ = [
    "COLUMNS",
    "MAX_COUNT",
    "MAX_QUANTITY",
    "SHEET",
    "SHEET_SPEC",
    "ResultsKind",
    "_text_row_hashes",
    "version_for",
]
