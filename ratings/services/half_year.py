"""Six-month results (H1/H2) for everyone who uses them (issue 44 item 3; coverage M4/E2; Gia Lai
plan §IV.4.1.a, §V.1.d): the person's own page, the leader's and HR's listing, Sở Nội vụ's
province-wide listing, the API and the xlsx export all read these rows.

The figure itself has one place: ``scoring.services.half_year.half_years`` (the annual
computation over the stored period scores of the half). It is checked at the moment of use: while
a scoring run still owes one of the half's period scores the row says "Đang tính lại (…)" and
carries no figure (screens, exports and the API alike), as an annual figure older than its inputs
is never used (``scoring.services.freshness``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.xlsx import DECIMAL_2, column_widths, header_row, table_book, title_row, to_bytes
from org.models import Agency, CivilServant
from ratings.services.hr_history import people_in, people_posted
from ratings.services.labels import level_label
from scoring.models import PeriodScore
from scoring.services import freshness
from scoring.services.half_year import HalfYear, half_years_many

HALVES = (1, 2)


@dataclass(frozen=True)
class HalfYearRow:
    person: CivilServant
    year: int
    half: int
    label: str
    agency_id: int | None
    agency_name: str
    #: The figure, only when usable (scored and not being recomputed).
    score: Decimal | None
    level: str  # the band's code ("" without a usable figure)
    months: int
    periods: int
    recomputing_since: datetime.datetime | None

    @property
    def scored(self) -> bool:
        return self.score is not None

    @property
    def rating(self) -> str:
        return str(level_label(self.level)) if self.level else ""

    @property
    def status(self) -> str:
        """What stands in place of a figure: being recomputed, or none yet."""
        if self.recomputing_since is not None:
            return freshness.label(self.recomputing_since)
        if self.score is None:
            return _("chưa có điểm")
        return ""


def _row(person, item: HalfYear, names: dict[int, str]) -> HalfYearRow:
    result = item.result
    usable = item.usable
    return HalfYearRow(
        person=person,
        year=item.year,
        half=item.half,
        label=item.label,
        agency_id=item.agency_id,
        agency_name=names.get(item.agency_id, "") if item.agency_id else "",
        score=result.score if usable and result is not None else None,
        level=(result.rating or "") if usable and result is not None else "",
        months=result.months_worked if result is not None else 0,
        periods=result.periods_counted if result is not None else 0,
        recomputing_since=item.recomputing_since,
    )


def _names(items) -> dict[int, str]:
    ids = {item.agency_id for item in items if item.agency_id}
    return dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def scored_years(person) -> list[int]:
    """The years with a stored period score of the person, newest first."""
    return sorted(
        set(
            PeriodScore.objects.filter(civil_servant=person).values_list("period__year", flat=True)
        ),
        reverse=True,
    )


def person_rows(person, years=None) -> list[HalfYearRow]:
    """H1 and H2 of each of ``years`` (default: the years with a stored period score, newest
    first) for one person."""
    if years is None:
        years = scored_years(person)
    items = [item for year in years for item in half_years_many([person.pk], year)[person.pk]]
    names = _names(items)
    return [_row(person, item, names) for item in items]


def rows_for(people, year: int, half: int | None = None) -> list[HalfYearRow]:
    """The rows of ``year`` (one half, or both) for each of ``people`` (a page of them)."""
    halves = (half,) if half else HALVES
    people = list(people)
    computed = half_years_many([person.pk for person in people], year)
    items = [
        (person, item) for person in people for item in computed[person.pk] if item.half in halves
    ]
    names = _names([item for _person, item in items])
    return [_row(person, item, names) for person, item in items]


def people_of(people: QuerySet, agency: Agency | None, year: int) -> QuerySet:
    """``people`` (already in the viewer's reach) posted in ``year`` — in ``agency``'s subtree
    when given (an agency, a unit, or a bloc's root) — ordered by name."""
    posted = people_in(agency, year, year) if agency is not None else people_posted(year, year)
    return people.filter(pk__in=posted.values("pk")).order_by("full_name", "pk")


def half_label(half: int | None) -> str:
    if half == 1:
        return _("6 tháng đầu năm")
    if half == 2:
        return _("6 tháng cuối năm")
    return _("Cả hai kỳ 6 tháng")


def half_year_xlsx(rows: list[HalfYearRow], *, scope: str, year: int, half: int | None) -> bytes:
    """The listing as a workbook (the one workbook kit): one row per person and half, the figure
    a number with two decimals (Excel shows the reader's decimal comma), the status beside."""
    book, sheet = table_book(_("Kết quả 6 tháng"))
    title_row(sheet, _("KẾT QUẢ ĐÁNH GIÁ 6 THÁNG"))
    sheet.append(
        [
            _("%(scope)s; năm %(year)s; %(half)s; xuất ngày %(day)s")
            % {
                "scope": scope,
                "year": year,
                "half": half_label(half).lower(),
                "day": timezone.localdate().strftime("%d/%m/%Y"),
            }
        ]
    )
    header_row(
        sheet,
        [
            _("STT"),
            _("Mã số"),
            _("Họ và tên"),
            _("Cơ quan, đơn vị"),
            _("Kỳ 6 tháng"),
            _("Số tháng được tính"),
            _("Số kỳ được tính"),
            _("Điểm 6 tháng"),
            _("Mức theo điểm"),
            _("Ghi chú"),
        ],
        freeze=True,
    )
    for number, row in enumerate(rows, start=1):
        sheet.append(
            [
                number,
                row.person.official_id,
                row.person.full_name,
                row.agency_name,
                row.label,
                row.months,
                row.periods,
                float(row.score) if row.score is not None else None,
                row.rating,
                row.status,
            ]
        )
        sheet.cell(sheet.max_row, 8).number_format = DECIMAL_2
    column_widths(sheet, [6, 14, 28, 36, 24, 10, 10, 12, 30, 44])
    return to_bytes(book)
