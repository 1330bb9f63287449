"""The per-agency milestones of the five provincial plans read for this project, ready to load
for a year (``manage.py load_plan_milestones GL 2026``; the demo province loads Gia Lai's).

Only obligations that bind each agency (sở, ban, ngành; UBND xã, phường) with a date are here;
Sở Nội vụ's own tasks, the software's and the recurring dates (ratings before 15/12, the national
database within 5 days) are in docs/calendar.md with where the software handles them. "Hoàn
thành trước ngày X" is entered as due date X (the plans' wording; whether X itself is still in
time is **[giả định — tỉnh cần xác nhận]**: the software counts a submission on X as on time).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import transaction

from org.models import AgencyKind
from oversight.models import Milestone, MilestoneKind


@dataclass(frozen=True)
class PlanMilestone:
    code: str
    name: str
    kind: str
    month: int
    day: int
    source: str
    responsible: str = "Các sở, ban, ngành; UBND các xã, phường"
    #: The kinds of agency bound (None: the model's default, departments and communes).
    agency_kinds: tuple[str, ...] | None = None


#: The whole political system (Nghệ An): the state bloc and the Party and Front bodies, which
#: their blocs' lead bodies follow (org.blocs).
POLITICAL_SYSTEM_KINDS = (
    AgencyKind.DEPARTMENT.value,
    AgencyKind.COMMUNE.value,
    AgencyKind.PARTY.value,
    AgencyKind.PARTY_BODY.value,
    AgencyKind.FRONT.value,
    AgencyKind.SOCIO_POLITICAL.value,
)


PLANS: dict[str, tuple[PlanMilestone, ...]] = {
    # Gia Lai (seed 001).
    "GL": (
        PlanMilestone(
            "danh-muc-nop",
            "Gửi Danh mục nhiệm vụ gắn với sản phẩm/công việc (đã quy đổi) về Sở Nội vụ",
            MilestoneKind.CATALOG,
            3,
            5,
            "GL §V.1.a",
        ),
        PlanMilestone(
            "khung-tieu-chi-de-xuat",
            "Phối hợp rà soát, đề xuất khung tiêu chí cụ thể đánh giá, xếp loại cơ quan",
            MilestoneKind.CRITERIA_FRAMEWORK,
            3,
            5,
            "GL §V.1.b",
        ),
    ),
    # Đắk Lắk (seed 000).
    "DL": (
        PlanMilestone(
            "quan-triet",
            "Quán triệt, phổ biến, triển khai kế hoạch đến công chức",
            MilestoneKind.OTHER,
            4,
            6,
            "ĐL §III.1",
        ),
        PlanMilestone(
            "danh-muc-nop",
            "Xây dựng Danh mục sản phẩm/công việc, gửi Sở Nội vụ thẩm định",
            MilestoneKind.CATALOG,
            4,
            20,
            "ĐL §III.2.2, §IV.4",
        ),
    ),
    # Plan 002 (seed 002): job descriptions are "thường xuyên" (no date), so not here.
    "P2": (
        PlanMilestone(
            "danh-muc-nop",
            "Xây dựng Danh mục sản phẩm/công việc, đơn vị sản phẩm chuẩn, danh mục quy đổi",
            MilestoneKind.CATALOG,
            5,
            10,
            "P2 §II.3.a",
        ),
    ),
    # Lào Cai (seed 003).
    "LC": (
        PlanMilestone(
            "quan-triet",
            "Quán triệt, phổ biến, triển khai Nghị định 335 và kế hoạch",
            MilestoneKind.OTHER,
            2,
            28,
            "LC §II.1",
        ),
        PlanMilestone(
            "danh-muc-nop",
            "Xây dựng Danh mục sản phẩm/công việc, đơn vị sản phẩm chuẩn, danh mục quy đổi",
            MilestoneKind.CATALOG,
            3,
            10,
            "LC §II.2.2",
        ),
    ),
    # Nghệ An (seed 004): the agencies supply the data of §IV.1.1 (job descriptions, catalog,
    # standard product, coefficients) — "hoàn thành trước ngày 15/5/2026" — to the Ban Tổ chức
    # Tỉnh ủy (§V.5); the whole political system, not only state agencies.
    "NA": (
        PlanMilestone(
            "mo-ta-cong-viec",
            "Khảo sát, thống kê mô tả công việc của các vị trí việc làm",
            MilestoneKind.JOB_DESCRIPTION,
            5,
            15,
            "NA §IV.1.1, §V.5",
            "Các cơ quan, đơn vị trong hệ thống chính trị",
            POLITICAL_SYSTEM_KINDS,
        ),
        PlanMilestone(
            "danh-muc-nop",
            "Cung cấp danh mục sản phẩm/công việc, sản phẩm chuẩn, hệ số quy đổi",
            MilestoneKind.CATALOG,
            5,
            15,
            "NA §IV.1.1, §V.5",
            "Các cơ quan, đơn vị trong hệ thống chính trị",
            POLITICAL_SYSTEM_KINDS,
        ),
    ),
}


#: Who issued each plan, as a milestone's "căn cứ" names it for the people who read it (the
#: plan codes "GL", "NA"… are this project's shorthand, never shown).
ISSUERS = {"NA": "Kế hoạch của Ban Thường vụ Tỉnh ủy"}
DEFAULT_ISSUER = "Kế hoạch của UBND tỉnh"


def source_in_words(source: str) -> str:
    """ "GL §V.1.a" → "Kế hoạch của UBND tỉnh, mục V.1.a" (review 2026-11-23 C15)."""
    plan, _sep, _rest = source.partition(" ")
    sections = re.findall(r"§\s*([^\s,;]+)", source)
    if not sections:
        return source
    issuer = ISSUERS.get(plan, DEFAULT_ISSUER)
    return ", ".join([issuer, *(f"mục {section}" for section in sections)])


@transaction.atomic
def load_plan(plan: str, year: int) -> list[Milestone]:
    """Create (or bring up to date) the milestones of ``plan`` for ``year``; idempotent."""
    rows = []
    for item in PLANS[plan]:
        milestone, _created = Milestone.objects.update_or_create(
            year=year,
            code=item.code,
            defaults={
                "name": item.name,
                "kind": item.kind,
                "due_date": datetime.date(year, item.month, item.day),
                "source": source_in_words(item.source),
                "responsible": item.responsible,
                **({"agency_kinds": list(item.agency_kinds)} if item.agency_kinds else {}),
            },
        )
        rows.append(milestone)
    return rows
