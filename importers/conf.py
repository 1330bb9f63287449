"""Limits and switches of the Excel importer, each overridable in Django settings.

| setting | default | meaning |
|---|---|---|
| ``KPI_IMPORT_MAX_BYTES`` | 20 MB | largest accepted upload |
| ``KPI_IMPORT_MAX_UNCOMPRESSED_BYTES`` | 400 MB | sum of the zip members once inflated |
| ``KPI_IMPORT_MAX_COMPRESSION_RATIO`` | 200 | inflated/compressed size of any large member |
| ``KPI_IMPORT_MAX_ROWS`` | 250,000 | rows of one sheet (declared or actual) |
| ``KPI_IMPORT_MAX_CELLS`` | 6,000,000 | rows × columns of one sheet (what the reader allocates) |
| ``KPI_IMPORT_COMPLETED_OVER_ASSIGNED`` | ``"warning"`` | ``"error"``: completed > assigned fails |
| ``KPI_IMPORT_MAX_STORED_ISSUES`` | 2,000 | issues kept on an ImportJob (all are counted) |
| ``KPI_IMPORT_MAX_STORED_CHANGES`` | 2,000 | changed/removed rows kept for the preview |
| ``KPI_IMPORT_MAX_RENAMES`` | 3 | people a file may rename without an explicit confirmation |
| ``KPI_IMPORT_MAX_SCOPE_ROWS`` | 20,000 | stored rows kept to list what changed since a preview |
| ``KPI_IMPORT_CREATES_SIGN_INS`` | ``False`` | the personnel import gives sign-ins (below) |

With ``KPI_IMPORT_CREATES_SIGN_INS`` on, confirming a personnel file gives a sign-in to each
person of the file posted in the agency who has none, when the importer administers that
agency's sign-ins (``accounts.services.provision_imported``); the preview says how many.
"""

from django.conf import settings

DEFAULTS = {
    "KPI_IMPORT_MAX_BYTES": 20 * 1024 * 1024,
    "KPI_IMPORT_MAX_UNCOMPRESSED_BYTES": 400 * 1024 * 1024,
    "KPI_IMPORT_MAX_COMPRESSION_RATIO": 200,
    "KPI_IMPORT_MAX_ROWS": 250_000,
    "KPI_IMPORT_MAX_CELLS": 6_000_000,
    "KPI_IMPORT_COMPLETED_OVER_ASSIGNED": "warning",
    "KPI_IMPORT_MAX_STORED_ISSUES": 2_000,
    "KPI_IMPORT_MAX_STORED_CHANGES": 2_000,
    "KPI_IMPORT_MAX_RENAMES": 3,
    "KPI_IMPORT_MAX_SCOPE_ROWS": 20_000,
    "KPI_IMPORT_CREATES_SIGN_INS": False,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


def max_bytes() -> int:
    return int(setting("KPI_IMPORT_MAX_BYTES"))


def max_uncompressed_bytes() -> int:
    return int(setting("KPI_IMPORT_MAX_UNCOMPRESSED_BYTES"))


def max_compression_ratio() -> float:
    return float(setting("KPI_IMPORT_MAX_COMPRESSION_RATIO"))


def max_rows() -> int:
    return int(setting("KPI_IMPORT_MAX_ROWS"))


def max_cells() -> int:
    return int(setting("KPI_IMPORT_MAX_CELLS"))


def completed_over_assigned_severity() -> str:
    value = str(setting("KPI_IMPORT_COMPLETED_OVER_ASSIGNED")).lower()
    return "error" if value == "error" else "warning"


def max_stored_issues() -> int:
    return int(setting("KPI_IMPORT_MAX_STORED_ISSUES"))


def max_stored_changes() -> int:
    return int(setting("KPI_IMPORT_MAX_STORED_CHANGES"))


def max_renames() -> int:
    return int(setting("KPI_IMPORT_MAX_RENAMES"))


def max_scope_rows() -> int:
    return int(setting("KPI_IMPORT_MAX_SCOPE_ROWS"))


def creates_sign_ins() -> bool:
    """Whether the personnel import creates sign-ins (the province turns it on)."""
    return bool(setting("KPI_IMPORT_CREATES_SIGN_INS"))
