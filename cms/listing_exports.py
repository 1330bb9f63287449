"""Wagtail listings' own exports (``?export=xlsx`` / ``?export=csv``) through the export kit.

Every listing of the admin with an export (the snippet viewsets, the model viewsets, Wagtail's
reports) goes through :class:`cms.spreadsheets.SafeSpreadsheetExportMixin`. Up to
``KPI_EXPORT_INLINE_ROWS`` rows the file is built in the request, as Wagtail builds it. Above
that, the request only records the ask: an export job (``cms.exports``) of the kind
:data:`KIND` keeps the listing's path and query string — its filters, its search, its order —
and the worker builds the file by calling **the same view** for the person who asked (a request
made in the worker, with their account and language), so the columns, the values shown, the
rows their reach allows and the formula guard are those of the file built at once.

The job's page, its file and its retry are the kit's; the kind's access check asks the listing's
own permission policy again, and the kit compares the person's reach with the reach they had.

The read log: the inline path records a read of personal data before the file is built
(``cms.read_audit.AuditedExportMixin``). For a job, nothing is read in the request; the build
notes what the file holds (the rows' ids, their people, their number: ``read_audit.describe``)
and the read is recorded, with those, when the person downloads the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponseBase
from django.shortcuts import redirect
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

from wagtail.admin.views import generic

from cms import exports, read_audit
from cms.listing import ShownValuesMixin
from cms.spreadsheets import csv_safe

KIND = "cms.listing"
#: The content types of the two formats (Wagtail's).
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
_BUILD = "_kpi_listing_build"


@dataclass
class _Build:
    """What the worker's request carries for the view: the kit's progress, and the read."""

    progress: exports.Progress
    rows: int = 0
    read: dict[str, Any] = field(default_factory=dict)


def _build_of(request) -> _Build | None:
    return getattr(request, _BUILD, None)


def building(request) -> bool:
    """True inside the worker's build of a listing export."""
    return _build_of(request) is not None


def _count(rows) -> int:
    try:
        return int(rows.count())
    except TypeError:  # a list (a report that filters in Python)
        return len(rows)


def goes_to_background(view, rows) -> bool:
    """Whether ``view``'s export of ``rows`` is asked of the worker rather than built now."""
    if building(view.request):
        return False
    count = view.__dict__.get("_kpi_export_rows")
    if count is None:
        count = view._kpi_export_rows = _count(rows)
    return count > exports.inline_rows()


def ask(view, rows, spreadsheet_format: str):
    """Start the job for ``view``'s export and send the person to its page."""
    request = view.request
    query = request.GET.copy()
    query["export"] = spreadsheet_format
    params = {
        "user": request.user.pk,
        "path": request.path_info,
        "query": query.urlencode(),
        "format": spreadsheet_format,
        "language": translation.get_language(),
        "title": str(_export_title(view)),
        "file_name": f"{view.get_filename()}.{spreadsheet_format}",
    }
    job = exports.start(request.user, KIND, params, view.__dict__["_kpi_export_rows"])
    return redirect("cms_export_job", job.pk)


def _export_title(view) -> str:
    try:
        title = view.get_page_title()
    except AttributeError:
        title = getattr(view, "page_title", "") or view.get_filename()
    return _("Danh sách: %(title)s") % {"title": title}


def row_written(request) -> None:
    """A row of the file was written (called by the mixin for each row): the job's progress."""
    build = _build_of(request)
    if build is not None:
        build.rows += 1
        build.progress(build.rows)


def note_read(request, rows, spreadsheet_format: str) -> bool:
    """Inside a build: note what the file holds for the read log written at download (and
    return True: nothing is recorded now). Outside: False."""
    build = _build_of(request)
    if build is None:
        return False
    build.read = {"format": spreadsheet_format, **read_audit.describe(rows, request)}
    return True


# --- the views ---------------------------------------------------------------------------------


if TYPE_CHECKING:
    from wagtail.admin.views.mixins import SpreadsheetExportMixin as _ExportBase
else:
    _ExportBase = object


class SafeSpreadsheetExportMixin(_ExportBase):
    """For every Wagtail listing view with ``list_export`` (put it before Wagtail's view class:
    ``class IndexView(SafeSpreadsheetExportMixin, snippet_views.IndexView)``):

    * the CSV and XLSX files keep every text as text: CSV fields go through
      :func:`cms.spreadsheets.csv_safe`; XLSX cells that openpyxl would make formulas are written
      as text (Wagtail 7.4 does the same; kept here so an upgrade cannot lose it);
    * an export of more than ``KPI_EXPORT_INLINE_ROWS`` rows becomes a job (module docstring).
    """

    request: Any

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if goes_to_background(self, queryset):
            return ask(self, queryset, spreadsheet_format)
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def export_read_deferred(self, queryset, spreadsheet_format) -> bool:
        """Asked by ``cms.read_audit.AuditedExportMixin``: True when the read is recorded at
        the job's download instead of now (a job asked, or the job's own build)."""
        if note_read(self.request, queryset, spreadsheet_format):
            return True
        return goes_to_background(self, queryset)

    def to_row_dict(self, item):
        row_written(self.request)
        return super().to_row_dict(item)

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: csv_safe(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell in super().generate_xlsx_row(worksheet, row_dict, date_format=date_format):
            if cell.data_type == "f":
                cell.data_type = "s"
            yield cell


class SafeIndexView(ShownValuesMixin, SafeSpreadsheetExportMixin, generic.IndexView):
    """Wagtail's model listing with escaped exports, long ones as jobs: every ``ModelViewSet``
    of the project that exports (``list_export``) uses it or a subclass."""


# --- the kind ------------------------------------------------------------------------------


def _match(params: dict):
    try:
        return resolve(params["path"])
    except Resolver404:
        return None


def _request(params: dict, user, build: _Build | None):
    request = RequestFactory().get(f"{params['path']}?{params['query']}")
    request.user = user
    # What the middleware would give the view: a session (not saved) and a message store, for a
    # view that refuses with a message.
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    setattr(request, "_messages", CookieStorage(request))  # noqa: B010
    if build is not None:
        setattr(request, _BUILD, build)
    return request


def _build(params: dict, progress) -> bytes:
    user = get_user_model().objects.get(pk=params["user"])
    match = _match(params)
    if match is None:
        raise LookupError(f"no listing at {params['path']!r}")
    build = _Build(progress=progress)
    with translation.override(params.get("language")):
        response: HttpResponseBase = match.func(
            _request(params, user, build), *match.args, **match.kwargs
        )
        if response.status_code != 200:
            raise PermissionError(f"the listing answered {response.status_code}")
        if response.streaming:
            content = b"".join(
                part if isinstance(part, bytes) else str(part).encode("utf-8")
                for part in response.streaming_content  # type: ignore[attr-defined]
            )
        else:
            content = response.content  # type: ignore[attr-defined]
    params[exports.READ] = build.read
    return content


def _allowed(user, params: dict) -> bool:
    """The listing's own permission policy, asked again for the person who asked."""
    match = _match(params)
    view_class = getattr(getattr(match, "func", None), "view_class", None)
    if view_class is None or not user.is_authenticated or user.pk != params.get("user"):
        return False
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    view = view_class(**getattr(match.func, "view_initkwargs", {}))
    policy = getattr(view, "permission_policy", None)
    if policy is None:
        return True
    required = getattr(view, "any_permission_required", None) or [
        getattr(view, "permission_required", "view")
    ]
    return bool(policy.user_has_any_permission(user, list(required)))


def _record(request, params: dict) -> None:
    """The read noted by the build (nothing when the listing's rows are not about people)."""
    read = params.get(exports.READ)
    if read:
        read_audit.announce_read(request, read_audit.LISTING_EXPORT, **read)


exports.register(
    exports.ExportKind(
        name=KIND,
        title=lambda params: params["title"],
        build=_build,
        allowed=_allowed,
        file_name=lambda params: params["file_name"],
        content_type=lambda params: CONTENT_TYPES[params["format"]],
        record=_record,
    )
)
