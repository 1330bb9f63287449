"""Template-ready shapes (labels, shares, chart markup) of the public tables."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards import charts
from dashboards.publication import TOTAL_KEY, PublicRow, PublicTable
from org.models import AgencyKind
from scoring.aggregates import BANDS, TWO_PLACES
from scoring.models import Period, PeriodKind, Rating

#: Band → label; a row without a rating (None) finds none.
BAND_LABELS: dict[str | None, str | Promise] = dict(Rating.choices)
BAND_SHORT = {
    "excellent": gettext_lazy("Xuất sắc"),
    "good": gettext_lazy("Tốt"),
    "completed": gettext_lazy("Hoàn thành"),
    "not_completed": gettext_lazy("Không hoàn thành"),
}
KIND_LABELS = dict(AgencyKind.choices)

# The public groups of agencies, in display order: the state administration first, then the
# Party and the Front trees (docs/scope.md §3), then public-service units standing directly
# under the province. One group's figures are never compared with another's.
PUBLIC_GROUPS = (
    (AgencyKind.DEPARTMENT.label, (AgencyKind.DEPARTMENT,)),
    (AgencyKind.COMMUNE.label, (AgencyKind.COMMUNE,)),
    (gettext_lazy("Cơ quan Đảng"), (AgencyKind.PARTY, AgencyKind.PARTY_BODY)),
    (
        gettext_lazy("Mặt trận Tổ quốc và các tổ chức chính trị - xã hội"),
        (AgencyKind.FRONT, AgencyKind.SOCIO_POLITICAL),
    ),
    (AgencyKind.PUBLIC_SERVICE.label, (AgencyKind.PUBLIC_SERVICE,)),
)


def public_groups(nodes) -> list[tuple[str, list]]:
    """``nodes`` (public agencies, in display order) split into the public groups."""
    result = []
    for label, kinds in PUBLIC_GROUPS:
        members = [n for n in nodes if n.kind in kinds]
        if members:
            result.append((str(label), members))
    return result


def categories_note() -> str:
    """Who the published figures count (org.categories ``public_statistics``)."""
    return _(
        "Số liệu công khai chỉ tính cán bộ, công chức. Viên chức và người lao động hợp đồng được "
        "đánh giá theo quy định riêng nên không được tính vào số liệu này."
    )


def band_legend() -> list[dict]:
    return [
        {"code": band, "label": str(BAND_LABELS[band]), "short": str(BAND_SHORT[band])}
        for band in BANDS
    ]


def kind_label(kind: str) -> str:
    if kind == TOTAL_KEY:
        return _("Toàn tỉnh")
    return str(KIND_LABELS.get(kind, kind))


def mean_label(period) -> str:
    """What the staff mean measures, and when."""
    return _("Điểm trung bình của công chức, %(period)s") % {"period": period.label}


def organisation_label(period) -> str:
    """What the organisation score measures, and when: the whole year of ``period``."""
    return _("Điểm đánh giá tổ chức năm %(year)s") % {"year": period.year}


def row_view(row: PublicRow, url: str = "") -> dict:
    return {
        "name": row.name or _("Toàn tỉnh"),
        "code": row.code,
        "url": url,
        "kind": kind_label(row.kind),
        "rated": row.rated,
        "below": row.below,
        "mean": row.mean,
        "organisation_score": row.organisation_score,
        "organisation_rating": BAND_LABELS.get(row.organisation_rating, ""),
        "cells": [
            {
                "band": band,
                "label": BAND_LABELS[band],
                "short": BAND_SHORT[band],
                "count": count,
                "share": share,
            }
            for band, count, share in row.shares()
        ],
        "hidden": row.hidden_bands,
        "bar": charts.stacked_bar(row.bands, row.rated),
    }


def table_view(table: PublicTable, agency_url) -> dict:
    """``organisation``: whether any agency has its own score of the year (the column shows)."""
    return {
        "rows": [row_view(row, agency_url(row.code)) for row in table.rows],
        "province": row_view(table.province),
        "organisation": bool(table.organisation),
    }


def organisation_view(table: PublicTable, agency_id: int) -> dict | None:
    """The agency's own stored result of the period's year, if the snapshot has one."""
    found = table.organisation.get(agency_id)
    if found is None:
        return None
    score, rating = found
    return {"score": score, "code": rating, "rating": BAND_LABELS.get(rating, rating)}


def _average(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return (sum(values) / len(values)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def kind_comparisons(table: PublicTable, agency_url) -> list[dict]:
    """Agencies of each kind ranked by one measure, the mean of their civil servants' scores in
    the period (an organisation's own score is a whole-year figure and is not compared with
    it); the reference is the plain average of the means shown (computed from published numbers
    only, so it reveals nothing hidden)."""
    by_kind: dict[str, list[PublicRow]] = defaultdict(list)
    for row in table.rows:
        by_kind[row.kind].append(row)
    result = []
    groups = [*PUBLIC_GROUPS, (AgencyKind.PROVINCE.label, (AgencyKind.PROVINCE,))]
    for label, kinds in groups:
        rows = [row for kind in kinds for row in by_kind.get(kind, [])]
        if not rows:
            continue
        # Highest mean first; equal means keep their order (``reverse`` keeps the sort stable).
        shown = sorted(
            (r for r in rows if r.mean is not None), key=attrgetter("mean"), reverse=True
        )
        hidden = [r for r in rows if r.mean is None]
        average = _average(r.mean for r in shown)
        result.append(
            {
                "kind": str(label),
                "average": average,
                "rows": [
                    {
                        "name": r.name,
                        "url": agency_url(r.code),
                        "mean": r.mean,
                        "bar": charts.value_bar(r.mean, 100, average),
                    }
                    for r in shown + hidden
                ],
            }
        )
    return result


def short_label(period) -> str:
    """Axis label: 01/2026, Q1/2026, H1/2026, 2026."""
    if period.kind == PeriodKind.MONTH:
        return f"{period.number:02d}/{period.year}"
    prefix = {PeriodKind.QUARTER: "Q", PeriodKind.HALF_YEAR: "H"}.get(period.kind)
    return f"{prefix}{period.number}/{period.year}" if prefix else str(period.year)


def _fmt(value) -> str:
    return "—" if value is None else number_format(value, decimal_pos=2)


def trend_view(items: list[tuple[Period, PublicRow | None, PublicRow]], name: str) -> dict:
    """Score and band history; ``items`` are (period, this agency's row or None, province row).
    With ``name`` empty the history is the province's own."""
    labels = [period.label for period, _row, _province in items]
    axis = [short_label(period) for period, _row, _province in items]
    own = [row for _period, row, _province in items]
    province = [p for _period, _row, p in items]
    series = [charts.Series(_("Toàn tỉnh"), [p.mean for p in province])]
    if name:
        series.insert(0, charts.Series(name, [r.mean if r else None for r in own]))
    subject = own if name else province
    first, last = items[0], items[-1]
    first_row = first[1] if name else first[2]
    last_row = last[1] if name else last[2]
    summary = _(
        "Điểm trung bình của %(who)s qua %(n)d kỳ: %(first)s (%(from)s), %(last)s (%(to)s)."
    ) % {
        "who": name or _("toàn tỉnh"),
        "n": len(items),
        "first": _fmt(first_row.mean if first_row else None),
        "from": labels[0],
        "last": _fmt(last_row.mean if last_row else None),
        "to": labels[-1],
    }
    columns = [((row.bands, row.rated) if row else ((), 0)) for row in subject]
    band_summary = _(
        "Cơ cấu xếp loại của %(who)s qua %(n)d kỳ; số liệu chi tiết trong bảng bên cạnh."
    ) % {"who": name or _("toàn tỉnh"), "n": len(items)}
    return {
        "series": [s.name for s in series],
        "rows": [
            {
                "period": period,
                "own": row_view(row) if row else None,
                "province": row_view(p),
            }
            for period, row, p in items
        ],
        "line_chart": charts.line_chart(axis, series, summary),
        "line_summary": summary,
        "band_chart": charts.stacked_columns(axis, columns, band_summary),
        "band_summary": band_summary,
    }


def products_view(products) -> dict:
    known = [value for _group, value in products if value is not None]
    top = max(known) if known else 0
    return {
        "rows": [
            {"group": f"N{group}", "value": value, "bar": charts.value_bar(value, top)}
            for group, value in products
        ],
        "any": any(value for value in known),
    }
