"""A bloc's report to the Party standing committee (Ban Thường vụ Tỉnh ủy), Nghệ An §V.1–V.4.

The lead body of a bloc (``org.BlocLead``: Ban Tổ chức Tỉnh ủy for the Party bloc, the Front's
standing committee for its bloc) reports on its bloc's agencies: whose catalog is appraised,
waiting for appraisal or missing; each agency's organisation score and level of the year
(``org_scoring.OrganisationScore``, the level decided by the competent person when there is
one); the decided ratings of people and organisations per level (the same figures as the upward
reports, ``dashboards.upward.figures.compute`` limited to the bloc's tree).

Who may read which bloc is :func:`readable_leads`: the appraisers of the lead body (their bloc
only, ``org.blocs.appraised_roots``) and Sở Nội vụ (every bloc). The report names agencies,
never a person. The layout is assumed (the plans give no form).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from catalog_pages.models import AgencyCatalogPage
from dashboards.upward.figures import LEVELS, Figures, compute
from org.access import is_home_affairs
from org.blocs import appraised_roots
from org.models import AGENCY_KINDS, Agency, BlocLead
from org_scoring.models import DecidedRating, OrganisationScore
from scoring.models import Rating


def readable_leads(user) -> QuerySet:
    """The blocs whose report ``user`` may read."""
    leads = BlocLead.objects.select_related("root", "lead_agency").order_by("root__path")
    if user is None or not getattr(user, "is_authenticated", False):
        return leads.none()
    if user.is_superuser or is_home_affairs(user):
        return leads
    roots = [root.pk for root in appraised_roots(user)]
    return leads.filter(root__in=roots) if roots else leads.none()


def can_read_bloc_reports(user) -> bool:
    return readable_leads(user).exists()


CATALOG_APPRAISED = "appraised"
CATALOG_PENDING = "pending"
CATALOG_NONE = "none"


def catalog_labels() -> dict[str, str]:
    return {
        CATALOG_APPRAISED: _("Đã thẩm định, phê duyệt"),
        CATALOG_PENDING: _("Đang chờ thẩm định"),
        CATALOG_NONE: _("Chưa có danh mục được phê duyệt"),
    }


@dataclass
class AgencyRow:
    agency: Agency
    catalog: str
    catalog_version: int | None
    score: Decimal | None
    level: str  # a Rating value or ""
    decided: bool

    @property
    def catalog_label(self) -> str:
        return catalog_labels()[self.catalog]

    @property
    def level_label(self) -> str:
        return str(dict(Rating.choices).get(self.level, "—")) if self.level else "—"


@dataclass
class BlocReport:
    lead: BlocLead
    year: int
    rows: list[AgencyRow]
    figures: Figures

    def catalog_count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.catalog == state)

    @property
    def appraised(self) -> int:
        return self.catalog_count(CATALOG_APPRAISED)

    @property
    def pending(self) -> int:
        return self.catalog_count(CATALOG_PENDING)

    @property
    def missing(self) -> int:
        return self.catalog_count(CATALOG_NONE)

    def level_counts(self) -> list[tuple[str, int]]:
        """Organisations of the bloc per level of their score (decided level first)."""
        labels = dict(Rating.choices)
        return [
            (str(labels[level]), sum(1 for row in self.rows if row.level == level))
            for level in LEVELS
        ]


def _catalog_state(agency: Agency) -> tuple[str, int | None]:
    page = AgencyCatalogPage.objects.filter(agency=agency).first()
    if page is None:
        return CATALOG_NONE, None
    if page.workflow_in_progress:
        return CATALOG_PENDING, None
    latest = page.versions.order_by("-number").first()
    if latest is None:
        return CATALOG_NONE, None
    return CATALOG_APPRAISED, latest.number


def build(lead: BlocLead, year: int) -> BlocReport:
    root = lead.root
    agencies = list(
        Agency.objects.filter(path__startswith=root.path, kind__in=AGENCY_KINDS).order_by("path")
    )
    scores = {
        score.agency_id: score
        for score in OrganisationScore.objects.filter(year=year, agency__in=agencies)
    }
    decided = {
        row.agency_id: row.level
        for row in DecidedRating.objects.filter(year=year, agency__in=agencies)
    }
    rows = []
    for agency in agencies:
        catalog, version = _catalog_state(agency)
        score = scores.get(agency.pk)
        level = decided.get(agency.pk) or (score.rating if score and score.scored else "")
        rows.append(
            AgencyRow(
                agency=agency,
                catalog=catalog,
                catalog_version=version,
                score=score.score if score and score.scored else None,
                level=level,
                decided=agency.pk in decided,
            )
        )
    return BlocReport(lead=lead, year=year, rows=rows, figures=compute(year, scope=root))


def report_xlsx(report: BlocReport) -> bytes:
    """The same report as a workbook: one sheet per table."""
    # Deferred: importers.exports.workbook loads openpyxl, which a web worker that only routes
    # URLs does not (tests/importers/test_structure.py); this module is routed to.
    from importers.exports.workbook import ExportBook

    book = ExportBook()
    heading = _("BÁO CÁO KẾT QUẢ ĐÁNH GIÁ KHỐI %(bloc)s NĂM %(year)s GỬI BAN THƯỜNG VỤ TỈNH ỦY") % {
        "bloc": report.lead.root.name.upper(),
        "year": report.year,
    }
    sheet = book.sheet(
        _("Cơ quan trong khối"),
        heading,
        [_("STT"), _("Cơ quan, đơn vị"), _("Danh mục sản phẩm/công việc"), _("Phiên bản"),
         _("Điểm tổ chức"), _("Mức xếp loại"), _("Đã quyết định")],
        [6, 44, 30, 10, 12, 26, 14],
    )  # fmt: skip
    for number, row in enumerate(report.rows, start=1):
        sheet.append(
            [
                number,
                row.agency.name,
                row.catalog_label,
                row.catalog_version or "",
                float(row.score) if row.score is not None else "",
                row.level_label if row.level else "",
                _("Có") if row.decided else _("Chưa"),
            ]
        )
    labels = dict(Rating.choices)
    levels = book.sheet(
        _("Xếp loại theo mức"),
        heading,
        [_("Nội dung"), *[str(labels[level]) for level in LEVELS], _("Tổng cộng")],
        [44, 16, 16, 16, 16, 12],
    )
    for label, distribution in (
        (_("Cá nhân (đã quyết định)"), report.figures.people),
        (_("Cơ quan, tổ chức, đơn vị (đã quyết định)"), report.figures.organisations),
    ):
        levels.append([label, *[distribution.count(level) for level in LEVELS], distribution.total])
    return book.bytes()
