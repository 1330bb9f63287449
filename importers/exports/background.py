"""The importer's exports the kit builds in the background when they are long (``cms.exports``,
issue 47): Form 01 of an agency. Registered when the app starts (``importers.apps``); the view
(``importers.views.ExportForm01View``) and the task call the same builder."""

from __future__ import annotations

from django.utils.translation import gettext as _

from audit import record_read
from audit.models import ReadFormat, ReadKind
from cms import exports
from importers.kinds.people import members_of
from org.access import can_access_agency
from org.models import Agency
from scoring.models import Period

FORM01 = "importers.form01"


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
