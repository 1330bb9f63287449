"""The public aggregates as plain data, for the CSV and JSON downloads.

Suppressed values are ``null`` in JSON and empty in CSV; every file states the threshold.
Keys are stable English identifiers; CSV headers are Vietnamese (translated like the pages).
"""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.spreadsheets import csv_safe
from dashboards.presenters import BAND_LABELS
from dashboards.publication import PublicRow
from scoring.aggregates import BANDS


def period_data(period) -> dict:
    return {
        "code": period.code,
        "label": period.label,
        "kind": period.kind,
        "start": period.start_date.isoformat(),
        "end": period.end_date.isoformat(),
    }


def row_data(row: PublicRow, period) -> dict:
    """``mean_score`` is of the period; ``organisation_score`` and ``organisation_rating`` of
    ``organisation_year`` (the period's year), where the agency has them."""
    has_organisation = row.organisation_score is not None
    return {
        "agency_code": row.code,
        "agency_name": row.name or str(_("Toàn tỉnh")),
        "agency_kind": row.kind,
        "rated": row.rated_shown,
        "mean_score": row.mean,
        "organisation_score": row.organisation_score,
        "organisation_rating": row.organisation_rating,
        "organisation_year": period.year if has_organisation else None,
        "bands": {band: {"count": count, "percent": share} for band, count, share in row.shares()},
    }


def envelope(dataset: str, threshold: int, **content) -> dict:
    return {
        "dataset": dataset,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "suppression_threshold": threshold,
        "note": _(
            "Số lượng nhỏ hơn ngưỡng và các ô cần ẩn kèm theo để không suy ra được chúng có giá "
            "trị null. mean_score là điểm trung bình của các công chức được xếp loại trong kỳ; "
            "organisation_score và organisation_rating là điểm và mức xếp loại theo điểm của "
            "chính cơ quan cho cả năm organisation_year (năm của kỳ), null khi cơ quan chưa có; "
            "hai số đo khác nhau, không thay thế cho nhau."
        ),
        "bands": [{"code": band, "label": str(BAND_LABELS[band])} for band in BANDS],
        **content,
    }


def to_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def csv_header() -> list[str]:
    header = [
        _("Mã kỳ"),
        _("Kỳ đánh giá"),
        _("Mã cơ quan"),
        _("Cơ quan"),
        _("Loại"),
        _("Số công chức được xếp loại"),
        _("Điểm trung bình của công chức trong kỳ"),
        _("Điểm đánh giá tổ chức (cả năm)"),
        _("Năm của điểm tổ chức"),
        _("Xếp loại tổ chức theo điểm"),
    ]
    for band in BANDS:
        header += [
            _("%(band)s: số người") % {"band": BAND_LABELS[band]},
            _("%(band)s: tỷ lệ %%") % {"band": BAND_LABELS[band]},
        ]
    return header


def csv_row(period, row: PublicRow, kind_label: str) -> list:
    values = [
        period.code,
        period.label,
        row.code,
        row.name or _("Toàn tỉnh"),
        kind_label,
        "" if row.rated_shown is None else row.rated,
        "" if row.mean is None else row.mean,
    ]
    if row.organisation_score is None:
        values += ["", "", ""]
    else:
        rating = BAND_LABELS.get(row.organisation_rating, row.organisation_rating or "")
        values += [row.organisation_score, period.year, rating]
    for _band, count, share in row.shares():
        values += ["" if count is None else count, "" if share is None else share]
    return values


def to_csv(rows: list[list]) -> str:
    """UTF-8 with BOM so that spreadsheet programs read Vietnamese correctly; empty cells are
    suppressed values."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(csv_header())
    writer.writerows([csv_safe(value) for value in row] for row in rows)
    return buffer.getvalue()
