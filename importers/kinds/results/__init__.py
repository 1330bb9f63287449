"""Period results: assignment lines (giao việc) per civil servant — the large, fast path.

One sheet, one row per line. Rows are validated as whole columns with pandas (lookups by
``Series.map``, duplicates by ``duplicated``), compared with the lines already stored for the same
submission (agency + period, source Excel) by one merge on ``external_id``, then written with
:mod:`importers.lines.store` (the writer the integration API shares: COPY/executemany, one
``UPDATE … FROM``, chunked deletes).

A submission is the set of lines with source ``excel`` in the period whose unit lies in the
agency's subtree. Re-uploading replaces it: new rows are inserted, changed rows updated in
place (their evidence and deductions stay attached), rows no longer in the file deleted — unless
evidence or deductions hang on them, which refuses the file. Lines entered by hand or through
the API are never touched.

Line identity (``external_id``): ``xl:<agency id>:<period id>:#<line code>`` when the optional
"Mã dòng" column is filled, else
``xl:<agency id>:<period id>:<person id>:<product code>:<deadline>``.
Two rows with the same identity are duplicates (error on the later one).

The package: ``spec`` (the sheet, its columns and limits, the catalog version in force — what
the template builder reads), ``rules`` (each rule a row must pass, a named method),
``diff`` (the comparison with the stored submission, the preview's changes, the fingerprint),
``kind`` (``ResultsKind``: context, the rules and the diff in order, the write, the template).
"""

from importers.kinds.results.kind import ResultsKind
from importers.kinds.results.spec import (
    COLUMNS,
    MAX_COUNT,
    MAX_QUANTITY,
    SHEET,
    SHEET_SPEC,
    version_for,
)

__all__ = [
    "COLUMNS",
    "MAX_COUNT",
    "MAX_QUANTITY",
    "SHEET",
    "SHEET_SPEC",
    "ResultsKind",
    "version_for",
]
