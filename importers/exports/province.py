"""Province summary of a period for Sở Nội vụ: one row per agency, totals last.

Counts and averages are computed in SQL (one GROUP BY over the stored period scores), so the
summary of a whole province never loads individual scores into Python.
"""

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from importers.exports.workbook import ExportBook, number
from org.models import AGENCY_KINDS, Agency
from scoring.models import PeriodScore, Rating


def build_province_summary(period) -> bytes:
    agencies = list(Agency.objects.filter(kind__in=AGENCY_KINDS).order_by("path"))
    owner_of = {}
    for agency in agencies:
        owner_of[agency.path] = agency
    # Scores are stored per unit; attribute each to the deepest agency above it.
    rows = (
        PeriodScore.objects.filter(period=period)
        .values("agency__path")
        .annotate(
            n_people=Count("id"),
            n_scored=Count("id", filter=Q(scored=True)),
            avg_total=Avg("total", filter=Q(scored=True)),
            **{
                f"n_{rating}": Count("id", filter=Q(rating=rating, scored=True))
                for rating in Rating.values
            },
        )
    )
    totals: dict[int, dict] = {}
    for row in rows:
        owner = _owner(row["agency__path"], owner_of)
        if owner is None:
            continue
        total = totals.setdefault(owner.pk, {"people": 0, "scored": 0, "sum": 0.0,
                                             **dict.fromkeys(Rating.values, 0)})  # fmt: skip
        total["people"] += row["n_people"]
        total["scored"] += row["n_scored"]
        total["sum"] += float(row["avg_total"] or 0) * row["n_scored"]
        for rating in Rating.values:
            total[rating] += row[f"n_{rating}"]

    book = ExportBook()
    labels = dict(Rating.choices)
    sheet = book.sheet(
        _("Tổng hợp"),
        _("TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI — %(period)s") % {"period": period.label},
        [_("STT"), _("Mã cơ quan"), _("Cơ quan"), _("Số công chức có kết quả"),
         _("Số được chấm điểm"), _("Điểm bình quân"),
         *[str(labels[rating]) for rating in Rating.values],
         _("Tỷ lệ hoàn thành xuất sắc, %")],
        [6, 12, 40],
    )  # fmt: skip
    grand = {"people": 0, "scored": 0, "sum": 0.0, **dict.fromkeys(Rating.values, 0)}
    index = 0
    for agency in agencies:
        total = totals.get(agency.pk)
        if total is None:
            continue
        index += 1
        sheet.append(_summary_row(index, agency.code, agency.name, total))
        for key in grand:
            grand[key] += total[key]
    sheet.append(_summary_row(None, "", _("Toàn tỉnh"), grand))
    return book.bytes()


def _owner(path: str, owner_of: dict):
    parts = [part for part in path.strip("/").split("/") if part]
    for depth in range(len(parts), 0, -1):
        owner = owner_of.get("/" + "/".join(parts[:depth]) + "/")
        if owner is not None:
            return owner
    return None


def _summary_row(index, code, name, total):
    scored = total["scored"]
    average = round(total["sum"] / scored, 2) if scored else None
    excellent = round(100 * total[Rating.EXCELLENT] / scored, 2) if scored else None
    return [index, code, name, total["people"], scored, number(average),
            *[total[rating] for rating in Rating.values], number(excellent)]  # fmt: skip
