"""Extra-income coefficients per person for payroll (Đắk Lắk plan §IV.4: the agency's
regulation ties extra income and bonuses to the monthly/quarterly tracking and the annual
rating).

* Month or quarter: the band of the stored period total (``PeriodScore.rating``) →
  ``period_<level>``; a period not scored gets no coefficient.
* Year: the DECIDED level of the person's rating case → ``annual_<level>``; no decision yet →
  no coefficient (the annual score's provisional rating is never paid on).
The regulation is the one in force on the period's first day for the person's agency/unit, or
the nearest agency above it that has one.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.xlsx import DECIMAL_2, column_widths, header_row, table_book, title_row, to_bytes
from ratings.models import BonusRegulation, CaseKind, CaseState, RatingCase
from ratings.services.labels import level_label
from scoring.explain import num
from scoring.models import AnnualScore, PeriodKind, PeriodScore, RunStatus, ScoringRun
from scoring.services import freshness


@dataclass
class PayrollRow:
    official_id: str
    full_name: str
    agency: str
    basis: str
    level: str
    coefficient: Decimal | None
    regulation: str
    note: str = ""


class RegulationBook:
    """Regulations in force on ``day``, looked up per agency with one query."""

    def __init__(self, day):
        self.day = day
        self.by_agency: dict[int, BonusRegulation] = {}
        for regulation in BonusRegulation.objects.filter(effective_from__lte=day).order_by(
            "agency_id", "effective_from"
        ):
            self.by_agency[regulation.agency_id] = regulation  # the latest start wins

    def for_agency(self, agency) -> BonusRegulation | None:
        for agency_id in reversed([*agency.ancestor_ids(), agency.pk]):
            if agency_id in self.by_agency:
                return self.by_agency[agency_id]
        return None


def regulation_for(agency, day) -> BonusRegulation | None:
    return RegulationBook(day).for_agency(agency)


def _row(person, agency, basis, level, book, scope, note="") -> PayrollRow:
    regulation = book.for_agency(agency)
    coefficient = regulation.coefficient(scope, level) if regulation and level else None
    if regulation is None:
        note = note or _("Chưa có quy chế chi thu nhập tăng thêm áp dụng")
    return PayrollRow(
        official_id=person.official_id,
        full_name=person.full_name,
        agency=agency.name,
        basis=basis,
        level=level_label(level) if level else "—",
        coefficient=coefficient,
        regulation=str(regulation) if regulation else "—",
        note=note,
    )


def annual_export_refusal(agency, year: int) -> str | None:
    """An export of ``agency``'s annual scores of ``year`` (the payroll of a year, the
    Party-member and emulation review) waits while one of them is marked stale (issue 28)."""
    people = AnnualScore.objects.filter(year=year, agency__path__startswith=agency.path).values(
        "civil_servant_id"
    )
    stale = freshness.stale_annual_people(year, people)
    owed = freshness.agency_pending_run_since(agency, year)
    if owed is not None:
        # A period run still owes one of the year's months (legal review F1).
        return _(
            "Chưa xuất được: điểm năm %(year)d của %(agency)s đang được tính lại sau thay đổi "
            "lúc %(at)s. Hệ thống tự tính lại trong ít phút, hãy thử lại sau."
        ) % {
            "year": year,
            "agency": agency.name,
            "at": timezone.localtime(min([owed, *stale.values()])).strftime("%d/%m/%Y %H:%M"),
        }
    if not stale:
        return None
    return _(
        "Chưa xuất được: %(count)d điểm năm của %(agency)s đang được tính lại vì dữ "
        "liệu đầu vào đã thay đổi (từ %(at)s). Hệ thống tự tính lại trong ít phút, hãy "
        "thử lại sau."
    ) % {
        "count": len(stale),
        "agency": agency.name,
        "at": timezone.localtime(min(stale.values())).strftime("%d/%m/%Y %H:%M"),
    }


def payroll_refusal(agency, period) -> str | None:
    """Issue 28: the payroll export waits while a figure it reads is being recomputed — a
    period's scores of the agency while a scoring run for them is waiting or running, a year's
    annual scores while one of them is marked stale (``scoring.services.freshness``)."""
    if period.kind == PeriodKind.YEAR:
        return annual_export_refusal(agency, period.year)
    above = [int(part) for part in agency.path.strip("/").split("/") if part]
    pending = ScoringRun.objects.filter(
        period=period, status__in=[RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.FAILED]
    ).order_by("created_at")
    candidates = [
        pending.filter(leaders=False)
        .filter(Q(agency__path__startswith=agency.path) | Q(agency_id__in=above) | Q(agency=None))
        .first(),
        # A leaders' run owes its named leaders only: the agency waits when one works there.
        next(
            (
                run
                for run in pending.filter(leaders=True)
                if freshness.named_posted_within(
                    run.people, agency, period.start_date, period.end_date
                )
            ),
            None,
        ),
    ]
    found = [run for run in candidates if run is not None]
    waiting = min(found, key=lambda run: run.created_at) if found else None
    if waiting is None:
        return None
    return _(
        "Chưa xuất được: điểm %(period)s của %(agency)s đang được tính lại (yêu cầu lúc "
        "%(at)s: %(reason)s). Hệ thống tự tính lại trong ít phút, hãy thử lại sau."
    ) % {
        "period": period.label,
        "agency": agency.name,
        "at": timezone.localtime(waiting.created_at).strftime("%d/%m/%Y %H:%M"),
        "reason": waiting.reason,
    }


def payroll_count(agency, period) -> int:
    """How many rows the payroll of ``agency`` has (one query; ``cms.exports`` reads it to
    choose between the download at once and the background job)."""
    within = {"agency__path__startswith": agency.path}
    if period.kind == PeriodKind.YEAR:
        return AnnualScore.objects.filter(year=period.year, **within).count()
    return PeriodScore.objects.filter(period=period, **within).count()


def payroll_rows(agency, period) -> list[PayrollRow]:
    book = RegulationBook(period.start_date)
    if period.kind == PeriodKind.YEAR:
        return _annual_rows(agency, period.year, book)
    rows = []
    scores = (
        PeriodScore.objects.filter(period=period, agency__path__startswith=agency.path)
        .select_related("civil_servant", "agency")
        .order_by("agency__path", "civil_servant__full_name")
    )
    for score in scores:
        if score.scored:
            rows.append(
                _row(
                    score.civil_servant,
                    score.agency,
                    _("%(total)s điểm") % {"total": num(score.total)},
                    score.rating,
                    book,
                    "period",
                )
            )
        else:
            rows.append(
                _row(
                    score.civil_servant,
                    score.agency,
                    _("không chấm điểm"),
                    "",
                    book,
                    "period",
                    note=_("Kỳ không được chấm điểm"),
                )
            )
    return rows


def _annual_rows(agency, year, book) -> list[PayrollRow]:
    cases = {
        case.civil_servant_id: case
        for case in RatingCase.objects.filter(
            kind=CaseKind.CIVIL_SERVANT, year=year, agency__path__startswith=agency.path
        ).exclude(state=CaseState.CANCELLED)
    }
    rows = []
    annuals = AnnualScore.objects.filter(year=year, agency__path__startswith=agency.path)
    for annual in annuals.select_related("civil_servant", "agency").order_by(
        "agency__path", "civil_servant__full_name"
    ):
        case = cases.get(annual.civil_servant_id)
        if case is not None and case.decision_level:
            basis = _("Quyết định số %(ref)s") % {"ref": case.decision_ref}
            rows.append(
                _row(
                    annual.civil_servant, annual.agency, basis, case.decision_level, book, "annual"
                )
            )
        else:
            rows.append(
                _row(
                    annual.civil_servant,
                    annual.agency,
                    _("chưa có quyết định"),
                    "",
                    book,
                    "annual",
                    note=_("Chưa có quyết định xếp loại"),
                )
            )
    return rows


def payroll_xlsx(agency, period, progress=None) -> bytes:
    """The payroll workbook; ``progress(rows)``, when given, hears how many rows are written
    (the background path of ``cms.exports``)."""
    book, sheet = table_book(_("Hệ số"))
    title_row(
        sheet,
        _("Hệ số thu nhập tăng thêm — %(agency)s — %(period)s")
        % {"agency": agency.name, "period": period.label},
    )
    headings = [
        _("Mã số công chức"),
        _("Họ và tên"),
        _("Cơ quan, đơn vị"),
        _("Căn cứ"),
        _("Mức"),
        _("Hệ số"),
        _("Quy chế áp dụng"),
        _("Ghi chú"),
    ]
    header_row(sheet, headings)
    for written, row in enumerate(payroll_rows(agency, period), start=1):
        if progress is not None:
            progress(written)
        sheet.append(
            [
                row.official_id,
                row.full_name,
                row.agency,
                row.basis,
                row.level,
                row.coefficient,
                row.regulation,
                row.note,
            ]
        )
        sheet.cell(row=sheet.max_row, column=6).number_format = DECIMAL_2
    column_widths(sheet, (16, 28, 30, 22, 28, 8, 36, 30))
    return to_bytes(book)
