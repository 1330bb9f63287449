"""Reads of personal data announced by the shared admin pieces below ``audit`` in the layers.

The read log is ``audit.record_read`` (``audit/reads.py``). ``cms`` and ``org`` may not import
``audit`` (``tests/test_layers.py``), yet the snippet viewset base every listing and inspect
page derives from lives in ``org.admin_scope``. So those pieces announce a read here with
:func:`announce_read`, and the ``audit`` app, when it starts, connects the receiver that writes
the row (``audit.apps``). Everything above ``audit`` (scoring, ratings, importers, worklog,
dashboards, api) calls ``audit.record_read`` directly.

An announcement nobody records is an error, never silently dropped: a read of personal data
must leave its trace or not happen. The receiver's own failure (the database refusing the
INSERT) propagates the same way, before the data is sent.
"""

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

#: ``send(sender, request=..., kind=..., details={...})``: the keyword arguments of
#: ``audit.record_read``.
personal_data_read = Signal()

#: The kinds announced from here (values of ``audit.models.ReadKind``).
LISTING_EXPORT = "listing_export"
INSPECT = "inspect"


def announce_read(request, kind: str, **details) -> None:
    """Have the read recorded (see ``audit.record_read`` for ``details``); raises if no read
    log is connected or if it cannot write."""
    if not personal_data_read.has_listeners():
        raise ImproperlyConfigured(
            "No read log is connected to cms.read_audit.personal_data_read: "
            "add 'audit' to INSTALLED_APPS."
        )
    personal_data_read.send(sender=None, request=request, kind=kind, details=details)


#: ``describe(rows, request) -> dict``: what ``audit.record_read`` keeps of an export's rows
#: (model, label, ids, people, count, filter), set by the ``audit`` app when it starts.
_DESCRIBERS: list = []


def set_describer(describe_rows) -> None:
    _DESCRIBERS[:] = [describe_rows]


def describe(rows, request) -> dict:
    """The read log's details of ``rows`` (a queryset or search results) read through
    ``request``, computed now to be recorded later with ``announce_read(…, **details)``."""
    if not _DESCRIBERS:
        raise ImproperlyConfigured(
            "No read log describes rows for cms.read_audit: add 'audit' to INSTALLED_APPS."
        )
    return _DESCRIBERS[0](rows, request)


class _PersonalDataView:
    def reads_personal_data(self) -> bool:
        """Whether this view's rows are personal data (a view may narrow this)."""
        return True


class AuditedExportMixin(_PersonalDataView):
    """For a Wagtail ``IndexView`` with CSV/XLSX export (snippet and model viewsets): every
    export is recorded — the rows exported, their number, the people they are about, the
    filter and search used — before the file is built. An export long enough to be built by
    the worker (``cms.listing_exports``) is recorded when its file is downloaded, with what the
    build noted (:func:`describe`)."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        deferred = getattr(self, "export_read_deferred", None)  # cms.listing_exports
        if self.reads_personal_data() and not (
            deferred is not None and deferred(queryset, spreadsheet_format)
        ):
            announce_read(
                self.request, LISTING_EXPORT, format=spreadsheet_format, queryset=queryset
            )
        return super().as_spreadsheet(queryset, spreadsheet_format)


class AuditedInspectMixin(_PersonalDataView):
    """For a Wagtail ``InspectView``: every page shown is recorded (the row, its person and
    agency), after the view's own permission checks passed."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if 200 <= response.status_code < 300 and self.reads_personal_data():
            announce_read(request, INSPECT, objects=[self.object])
        return response
