"""Production seed of org_scoring, called by migration 0006 and by ``demo.base_data``: the default
quarterly rule (docs/organisation-scoring.md §9): from 2026, tasks done late count 50 %, levels
from 90 / 70 / 50 points, confirmed quarters' tasks join the annual organisation tasks [giả định
— tỉnh cần xác nhận]. Kept if the province has already set one."""

from decimal import Decimal

CITATION = (
    "Kế hoạch UBND tỉnh Gia Lai, mục V.3 (Văn phòng UBND tỉnh rà soát, thống kê tiến độ thực "
    "hiện nhiệm vụ UBND tỉnh giao từ ngày 05 đến ngày 10 tháng cuối quý) và mục IV.4.1.a (theo "
    "dõi, đánh giá theo quý, 06 tháng và năm); ngưỡng điểm theo mục III.3. Tỷ lệ 50 % cho "
    "nhiệm vụ hoàn thành quá hạn: giả định — tỉnh cần xác nhận."
)


def create_quarterly_default_rule(apps, schema_editor=None):
    QuarterlyRule = apps.get_model("org_scoring", "QuarterlyRule")
    QuarterlyRule.objects.get_or_create(
        effective_year=2026,
        defaults={
            "late_credit": Decimal("50"),
            "excellent_min": Decimal("90"),
            "good_min": Decimal("70"),
            "completed_min": Decimal("50"),
            "annual_use": "province_tasks",
            "citation": CITATION,
        },
    )
