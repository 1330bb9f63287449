"""The common catalog's export (Excel or CSV), built in the background by the export kit when
it has more rows than ``KPI_EXPORT_INLINE_ROWS`` (``cms.exports``, issue 47). Registered when
the app starts (``catalog_pages.apps``); the view and the task call the same
``common_products_file``, and the kinds ask the view's own rule again (Sở Nội vụ only)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from catalog_pages.consolidation import services
from cms import exports
from cms.xlsx import XLSX as XLSX_TYPE
from org.access import is_home_affairs

XLSX = "catalog_pages.common_products"
CSV = "catalog_pages.common_products_csv"
CSV_TYPE = "text/csv; charset=utf-8"


def file_name(fmt: str, stamp: str) -> str:
    return f"danh-muc-dung-chung-{stamp}.{'csv' if fmt == 'csv' else 'xlsx'}"


def common_products_file(fmt: str, stamp: str, progress=None) -> bytes:
    """The whole common catalog with its mappings (``fmt`` "csv" or Excel) — the one builder
    of the download at once and of the background job."""
    if fmt == "csv":
        return services.export_csv(progress)
    return services.export_xlsx(progress)


def _allowed(user, params: dict) -> bool:
    """``HomeAffairsOnlyMixin``'s rule."""
    return is_home_affairs(user)


for _kind, _format, _type in ((XLSX, "xlsx", XLSX_TYPE), (CSV, "csv", CSV_TYPE)):
    exports.register(
        exports.ExportKind(
            name=_kind,
            title=lambda params: _("Danh mục dùng chung"),
            build=lambda params, progress: common_products_file(
                params["format"], params["stamp"], progress
            ),
            allowed=_allowed,
            file_name=lambda params: file_name(params["format"], params["stamp"]),
            content_type=_type,
        )
    )
