"""The importer's exports the kit builds in the background when they are long (``cms.exports``,
issue 47): Form 01 of an agency, and the templates clerks fill in (a template of more than
``KPI_TEMPLATE_INLINE_ROWS`` rows: the Form 01 marks of an agency of tens of thousands of people
took longer than the web server's timeout and gave an error page, issue 48). Registered when the
app starts (``importers.apps``); the views (``importers.views.ExportForm01View``,
``TemplateDownloadView``) and the task call the same builder."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from audit import record_read
from audit.models import ReadFormat, ReadKind
from cms import exports
from importers.access import can_use_importer, importable_agencies
from importers.builders.base import template_filename
from importers.kinds import KINDS
from importers.kinds.base import Context
from importers.kinds.people import members_of
from org.access import can_access_agency
from org.models import Agency
from scoring.models import Period

FORM01 = "importers.form01"
TEMPLATE = "importers.template"


def _agency_period(params: dict) -> tuple[Agency, Period]:
    return Agency.objects.get(pk=params["agency"]), Period.objects.get(pk=params["period"])


def form01_title(agency, period) -> str:
    return _("Mẫu 01 của %(agency)s, %(period)s") % {
        "agency": agency.name,
        "period": period.label,
    }


def form01_file_name(agency, period) -> str:
    return f"mau-01-{agency.code.lower()}-{period.code}.xlsx"


def record_form01(request, agency, period, people: list) -> None:
    """The read log of Form 01, whichever path built it."""
    record_read(
        request,
        ReadKind.FORM01,
        format=ReadFormat.XLSX,
        model="scoring.periodscore",
        label=form01_title(agency, period),
        subjects=people,
        count=len(people),
        agency=agency,
    )


def _record(request, params: dict) -> None:
    agency, period = _agency_period(params)
    members = members_of(agency, period.start_date, period.end_date)
    record_form01(request, agency, period, [member.person_id for member in members.values()])


def _build(params: dict, progress) -> bytes:
    # openpyxl is loaded when a file is built, not when the app starts (a web worker that only
    # routes URLs does not pay for it: tests/importers/test_structure.py).
    from importers.exports.form01 import build_form01

    return build_form01(*_agency_period(params), progress=progress)


def _allowed(user, params: dict) -> bool:
    agency = Agency.objects.filter(pk=params.get("agency")).first()
    return agency is not None and can_access_agency(user, agency)


exports.register(
    exports.ExportKind(
        name=FORM01,
        title=lambda params: form01_title(*_agency_period(params)),
        build=_build,
        allowed=_allowed,
        file_name=lambda params: form01_file_name(*_agency_period(params)),
        record=_record,
    )
)


# --- the templates -----------------------------------------------------------------------------


def template_inline_rows() -> int:
    """Up to this many rows a template is built inside the request (``KPI_TEMPLATE_INLINE_ROWS``,
    default 40,000: about three seconds since the templates are written with XlsxWriter; a
    template is built many times faster a row than a listing, so the kit's
    ``KPI_EXPORT_INLINE_ROWS`` would send an agency of 40 people to a waiting page)."""
    return int(getattr(settings, "KPI_TEMPLATE_INLINE_ROWS", 40_000))


def template_params(kind, context) -> dict:
    return {
        "kind": kind.code,
        "agency": context.agency.pk,
        "period": context.period.pk if context.period is not None else None,
        "period_code": context.period_code,
    }


def template_context(params: dict, progress=None):
    """The template's kind and its :class:`~importers.kinds.base.Context` from ``params``."""
    period = Period.objects.get(pk=params["period"]) if params.get("period") else None
    context = Context(
        agency=Agency.objects.get(pk=params["agency"]),
        period=period,
        period_code=params.get("period_code", ""),
        progress=progress,
    )
    return KINDS[params["kind"]], context


def template_title(kind, context) -> str:
    if context.period is None:
        return _("Mẫu “%(kind)s” của %(agency)s") % {
            "kind": kind.label,
            "agency": context.agency.name,
        }
    return _("Mẫu “%(kind)s” của %(agency)s, %(period)s") % {
        "kind": kind.label,
        "agency": context.agency.name,
        "period": context.period.label,
    }


def _build_template(params: dict, progress) -> bytes:
    kind, context = template_context(params, progress)
    return kind.build_template(context)


def _template_allowed(user, params: dict) -> bool:
    """The template door's own check, asked again: the importer, the agency among those the
    person imports for, and the kind for that agency."""
    kind = KINDS.get(params.get("kind", ""))
    if kind is None or not can_use_importer(user):
        return False
    agency = importable_agencies(user).filter(pk=params.get("agency")).first()
    return agency is not None and kind.can_import(user, agency)


def _template_file_name(params: dict) -> str:
    return template_filename(*template_context(params))


exports.register(
    exports.ExportKind(
        name=TEMPLATE,
        title=lambda params: template_title(*template_context(params)),
        build=_build_template,
        allowed=_template_allowed,
        file_name=_template_file_name,
        inline_rows=template_inline_rows,
    )
)
