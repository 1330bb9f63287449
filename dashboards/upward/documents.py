"""The two annual reports owed upward, as one document structure (the xlsx and the printable
page both render it).

* **province** — Sở Nội vụ's report to the province People's Committee on the year's decided
  ratings (Đắk Lắk §IV.1 "Báo cáo Ủy ban nhân dân tỉnh về tình hình, kết quả triển khai thực
  hiện", Gia Lai §V.2.đ "tổng hợp, báo cáo kết quả thực hiện … về Ủy ban nhân dân tỉnh", Lào Cai
  §III.1): issued by Sở Nội vụ (number ``…/BC-SNV``), addressed to the People's Committee, with
  every figure, the figures per agency and the list of decided agencies.
* **ministry** — the province's report to the Ministry of Home Affairs (plan 002 §III.1.c:
  Sở Nội vụ "tham mưu Ủy ban nhân dân tỉnh báo cáo kết quả triển khai về Bộ Nội vụ"): issued by
  the People's Committee (``…/BC-UBND``), signed on its behalf, province-wide totals only — per
  level, per person category, per agency kind and the quota; no agency or person is named.

Neither plan gives a form: the layout follows Decree 30/2020 (Quốc hiệu, tiêu ngữ, number, place
and date left blank to fill in, "Kính gửi", signature block and "Nơi nhận"); which figures go
to the Ministry is an assumption **[giả định — tỉnh cần xác nhận]**. The issuer of the province
report is ``KPI_UPWARD_REPORT_ISSUER`` (default "Sở Nội vụ").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.formats.values import shown
from org.models import Agency
from ratings.printing.common import Header, Signature
from scoring.models import Rating

from .figures import LEVELS, Distribution, Figures

PROVINCE, MINISTRY = "province", "ministry"
KINDS = (PROVINCE, MINISTRY)


@dataclass
class Table:
    title: str
    first_column: str
    rows: list[Distribution]
    total: Distribution | None = None


@dataclass
class Report:
    kind: str
    header: Header
    number: str
    recipient: str
    intro: list[str]
    tables: list[Table]
    organisation_list: list[tuple[str, str, str]] = field(default_factory=list)
    quota_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)

    year: int = 0

    @property
    def file_name(self) -> str:
        return f"bao-cao-xep-loai-{self.kind}-{self.year}"


def level_headings() -> list[str]:
    return [str(label) for label in Rating.labels]


def issuer() -> str:
    return getattr(settings, "KPI_UPWARD_REPORT_ISSUER", "") or _("Sở Nội vụ")


def kind_label(kind: str) -> str:
    return {
        PROVINCE: _("Báo cáo gửi Ủy ban nhân dân tỉnh"),
        MINISTRY: _("Báo cáo gửi Bộ Nội vụ"),
    }[kind]


def _percent(value: Decimal) -> str:
    return shown(value, exact=True)


def build(kind: str, figures: Figures) -> Report:
    province = Agency.objects.filter(parent__isnull=True).order_by("id").first()
    province_name = province.name if province else ""
    year = figures.year
    title = _("BÁO CÁO")
    subtitle = _(
        "Kết quả đánh giá, xếp loại chất lượng cơ quan, tổ chức, đơn vị và cán bộ, công "
        "chức năm %(year)d"
    ) % {"year": year}
    if figures.scope is not None and figures.scope != province:
        subtitle += " — " + figures.scope.name
    if kind == PROVINCE:
        header = Header(
            upper_body=province_name.upper(),
            agency=issuer().upper(),
            title=title,
            subtitle=subtitle,
        )
        number = _("Số: ……/BC-SNV")
        recipient = _("Ủy ban nhân dân tỉnh")
        signatures = [
            Signature(_("Nơi nhận:"), _("- Như trên; - Lưu: VT."), ""),
            Signature(_("GIÁM ĐỐC"), _("(Ký, ghi rõ họ tên, đóng dấu)"), ""),
        ]
    else:
        header = Header(upper_body="", agency=province_name.upper(), title=title, subtitle=subtitle)
        number = _("Số: ……/BC-UBND")
        recipient = _("Bộ Nội vụ")
        signatures = [
            Signature(_("Nơi nhận:"), _("- Như trên; - Sở Nội vụ; - Lưu: VT."), ""),
            Signature(_("TM. ỦY BAN NHÂN DÂN — CHỦ TỊCH"), _("(Ký, ghi rõ họ tên, đóng dấu)"), ""),
        ]
    people, orgs = figures.people, figures.organisations
    intro = [
        _(
            "Số liệu tính đến ngày %(day)s, chỉ gồm các trường hợp đã có quyết định xếp loại "
            "(đã quyết định hoặc đã thông báo kết quả)."
        )
        % {"day": timezone.localdate().strftime("%d/%m/%Y")},
        _(
            "Cán bộ, công chức, viên chức, người lao động đã được xếp loại: %(people)d; chưa có "
            "quyết định (không tính): %(pending)d."
        )
        % {"people": people.total, "pending": figures.people_not_decided},
        _(
            "Cơ quan, tổ chức, đơn vị đã được xếp loại: %(orgs)d; chưa có quyết định (không "
            "tính): %(pending)d."
        )
        % {"orgs": orgs.total, "pending": figures.organisations_not_decided},
    ]
    tables = [
        Table(
            _("1. Kết quả xếp loại cán bộ, công chức, viên chức, người lao động theo đối tượng"),
            _("Đối tượng"),
            figures.people_by_category,
            people,
        ),
        Table(
            _("2. Kết quả xếp loại cán bộ, công chức theo loại cơ quan"),
            _("Loại cơ quan"),
            figures.people_by_kind,
            people,
        ),
        Table(
            _("3. Kết quả xếp loại chất lượng cơ quan, tổ chức, đơn vị theo loại"),
            _("Loại cơ quan"),
            figures.organisations_by_kind,
            orgs,
        ),
    ]
    organisation_list = []
    if kind == PROVINCE:
        tables.append(
            Table(
                _("4. Kết quả xếp loại cán bộ, công chức theo cơ quan, đơn vị"),
                _("Cơ quan, đơn vị"),
                figures.people_by_agency,
                people,
            )
        )
        labels = dict(Rating.choices)
        organisation_list = [
            (str(index), agency.name, str(labels.get(level, level)))
            for index, (agency, level) in enumerate(figures.organisation_levels, start=1)
        ]
    quota = figures.quota
    quota_lines = [
        _(
            "Tỷ lệ hoàn thành xuất sắc nhiệm vụ (Điều 20 khoản 5 Nghị định 335/2025/NĐ-CP), "
            "tính trên cán bộ, công chức thuộc đối tượng áp dụng: %(excellent)d người hoàn "
            "thành xuất sắc / %(good)d người hoàn thành tốt = %(share)s%%."
        )
        % {"excellent": quota.excellent, "good": quota.good, "share": _percent(quota.share)}
    ]
    notes = [
        _(
            "Tỷ lệ (%%) tính trên tổng số của từng dòng. Hồ sơ đang xử lý, đang tạm dừng để "
            "giải quyết kiến nghị hoặc đã hủy không được tính."
        ),
    ]
    if kind == MINISTRY:
        notes.append(
            _(
                "Báo cáo gửi Bộ Nội vụ chỉ nêu số liệu tổng hợp toàn tỉnh, không nêu tên cơ quan, "
                "cá nhân."
            )
        )
    return Report(
        kind=kind,
        header=header,
        number=number,
        recipient=recipient,
        intro=intro,
        tables=tables,
        organisation_list=organisation_list,
        quota_lines=quota_lines,
        notes=notes,
        signatures=signatures,
        year=year,
    )


def row_cells(row: Distribution) -> list:
    """Total, then (count, share) per level: the cells after the row's label."""
    cells: list = [row.total]
    for level in LEVELS:
        cells += [row.count(level), row.share(level)]
    return cells


def shown_cells(row: Distribution) -> list[str]:
    """``row_cells`` as text: whole counts, shares with a decimal comma ("33,33")."""
    return [shown(value, exact=isinstance(value, Decimal)) for value in row_cells(row)]


def shown_tables(report: Report) -> list[dict]:
    """The tables of ``report`` with every cell as text, for the printable page."""
    return [
        {
            "title": table.title,
            "first_column": table.first_column,
            "rows": [(row.label, shown_cells(row)) for row in table.rows],
            "total": shown_cells(table.total) if table.total is not None else None,
        }
        for table in report.tables
    ]
