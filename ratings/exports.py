"""The ratings' long exports, built in the background by the export kit when they are long
(``cms.exports``, issue 47): the payroll coefficients and the Party-member/emulation review of
an agency; the multi-year results, the six-month results and the competency gaps of the people
one reaches. Registered when the app starts (``ratings.apps``); the views and the task call the
same builders (the listings': ``ratings.listings``), and the kinds ask the views' own access
rules again."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils.translation import gettext as _

from audit import record_read
from audit.models import ReadFormat, ReadKind
from cms import exports
from org.access import can_access_agency
from org.models import Agency
from ratings import listings
from ratings.access import can_list_hr_history, can_manage_cases
from ratings.services.bonus import payroll_xlsx
from ratings.services.party_review import review_xlsx
from scoring.models import Period

BONUS = "ratings.bonus"
PARTY_REVIEW = "ratings.party_review"
HR_HISTORY = "ratings.hr_history"
HALF_YEARS = "ratings.half_years"
COMPETENCY_GAPS = "ratings.competency_gaps"


# --- the payroll coefficients and the Party-member review (``views.bonus.AgencyExportView``) --


def bonus_title(agency, period) -> str:
    return _("Hệ số thu nhập tăng thêm — %(agency)s — %(period)s") % {
        "agency": agency.name,
        "period": period.label,
    }


def bonus_file_name(agency, period) -> str:
    return f"he-so-{agency.code}-{period.code}.xlsx"


def bonus_workbook(agency, period, progress=None) -> tuple[bytes, str]:
    return payroll_xlsx(agency, period, progress=progress), bonus_file_name(agency, period)


def party_review_title(agency, year: int) -> str:
    return _("Kết quả xếp loại năm %(year)d cho xếp loại đảng viên, thi đua — %(agency)s") % {
        "year": year,
        "agency": agency.name,
    }


def party_review_file_name(agency, year: int) -> str:
    return f"xep-loai-dang-vien-thi-dua-{agency.code}-{year}.xlsx"


def party_review_workbook(agency, year: int, progress=None) -> tuple[bytes, str]:
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


# --- the HR listings: the people the person asking reaches, filtered by the query -----------


def listing_params(request, **fixed) -> dict:
    """Who asked (the rows are theirs: the row-scope registry) and the listing's query; a value
    the query left to a default of the day (``fixed``, e.g. the year) is written in, so the job
    builds what the person was shown."""
    query = {key: request.GET.getlist(key) for key in request.GET if key != "p"}
    for key, value in fixed.items():
        if not any(query.get(key, [])):
            query[key] = [str(value)]
    return {"user": request.user.pk, "query": query}


def _user(params: dict):
    return get_user_model().objects.get(pk=params["user"])


def _query(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params["query"].items():
        query.setlist(key, values)
    return query


def record_listing(request, *, label, subjects, agency=None, count=None) -> None:
    """The read log of a listing's xlsx, whichever path built it."""
    record_read(
        request,
        ReadKind.LISTING_EXPORT,
        format=ReadFormat.XLSX,
        model="org.civilservant",
        label=label,
        subjects=subjects,
        count=len(subjects) if count is None else count,
        **({"agency": agency} if agency is not None else {}),
    )


def _record_noted(request, params: dict) -> None:
    """At the download: what the build noted (the people the filters ended up with)."""
    record_listing(request, **params[exports.READ])


def _listing_allowed(user, params: dict) -> bool:
    """The listings' rule (``can_list_hr_history``), for the person who asked; their rows are
    the same while their reach is (``cms.exports.scope_key``, asked by the kit)."""
    return user.pk == params.get("user") and can_list_hr_history(user)


def _builder(name: str):
    """The listing's ``*_export(user, query, progress)`` (``ratings.listings``)."""

    def build(params: dict, progress) -> bytes:
        export = {
            HR_HISTORY: listings.history_export,
            HALF_YEARS: listings.half_year_export,
            COMPETENCY_GAPS: listings.gaps_export,
        }[name]
        content, _name, read = export(_user(params), _query(params), progress)
        params[exports.READ] = read
        return content

    return build


def _file_name(name: str):
    def file_name(params: dict) -> str:
        query = _query(params)
        if name == HR_HISTORY:
            years = listings.history_scope(_user(params), query)[1]
            return f"ket-qua-nhieu-nam-{years[0]}-{years[-1]}.xlsx"
        if name == HALF_YEARS:
            _form, year, half, _people, _scope = listings.half_year_selection(_user(params), query)
            return f"ket-qua-6-thang-{year}{f'-{half}' if half else ''}.xlsx"
        return "khoang-cach-nang-luc.xlsx"

    return file_name


for _name, _title in (
    (HR_HISTORY, lambda params: _("Kết quả nhiều năm phục vụ công tác cán bộ")),
    (HALF_YEARS, lambda params: _("Kết quả đánh giá 6 tháng")),
    (COMPETENCY_GAPS, lambda params: _("Khoảng cách năng lực")),
):
    exports.register(
        exports.ExportKind(
            name=_name,
            title=_title,
            build=_builder(_name),
            allowed=_listing_allowed,
            file_name=_file_name(_name),
            record=_record_noted,
        )
    )
