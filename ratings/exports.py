"""The ratings' long exports, built in the background by the export kit when they are long
(``cms.exports``, issue 47): the payroll coefficients and the Party-member/emulation review of
an agency. Registered when the app starts (``ratings.apps``); the views and the task call the
same builders (the functions below), and the kinds ask the views' own access rules again."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cms import exports
from org.access import can_access_agency
from org.models import Agency
from ratings.access import can_manage_cases
from scoring.models import Period

BONUS = "ratings.bonus"
PARTY_REVIEW = "ratings.party_review"


# --- the payroll coefficients and the Party-member review (``views.bonus.AgencyExportView``) --


def bonus_title(agency, period) -> str:
    return _("Hệ số thu nhập tăng thêm — %(agency)s — %(period)s") % {
        "agency": agency.name,
        "period": period.label,
    }


def bonus_file_name(agency, period) -> str:
    return f"he-so-{agency.code}-{period.code}.xlsx"


def bonus_workbook(agency, period, progress=None) -> tuple[bytes, str]:
    from ratings.services.bonus import payroll_xlsx

    return payroll_xlsx(agency, period, progress=progress), bonus_file_name(agency, period)


def party_review_title(agency, year: int) -> str:
    return _("Kết quả xếp loại năm %(year)d cho xếp loại đảng viên, thi đua — %(agency)s") % {
        "year": year,
        "agency": agency.name,
    }


def party_review_file_name(agency, year: int) -> str:
    return f"xep-loai-dang-vien-thi-dua-{agency.code}-{year}.xlsx"


def party_review_workbook(agency, year: int, progress=None) -> tuple[bytes, str]:
    from ratings.services.party_review import review_xlsx

    content = review_xlsx(agency, year, progress=progress)
    return content, party_review_file_name(agency, year)


def _agency(params: dict) -> Agency:
    return Agency.objects.get(pk=params["agency"])


def _period(params: dict) -> Period:
    return Period.objects.get(pk=params["period"])


def _agency_export_allowed(user, params: dict) -> bool:
    """``AgencyExportView``'s rule: who manages rating cases, for an agency they reach."""
    agency = Agency.objects.filter(pk=params.get("agency")).first()
    return can_manage_cases(user) and can_access_agency(user, agency)


exports.register(
    exports.ExportKind(
        name=BONUS,
        title=lambda params: bonus_title(_agency(params), _period(params)),
        build=lambda params, progress: bonus_workbook(_agency(params), _period(params), progress)[
            0
        ],
        allowed=_agency_export_allowed,
        file_name=lambda params: bonus_file_name(_agency(params), _period(params)),
    )
)
exports.register(
    exports.ExportKind(
        name=PARTY_REVIEW,
        title=lambda params: party_review_title(_agency(params), params["year"]),
        build=lambda params, progress: party_review_workbook(
            _agency(params), params["year"], progress
        )[0],
        allowed=_agency_export_allowed,
        file_name=lambda params: party_review_file_name(_agency(params), params["year"]),
    )
)
