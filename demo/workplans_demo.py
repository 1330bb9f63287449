"""Work plans for the demo (issue 45): the demo civil servant's unit gets its quarterly work
plan of five items — drafted and submitted by the unit's head (``lanhdao.phong``), approved by
the head of the agency (``giamdoc.stp``: a plan is the agency's own decision), four items drawn
into assignments through the worklog's assignment service — and the fifth item, the one the
document system assigns, is matched to the received edXML task "Rà soát thủ tục hành chính quý IV"
(``connectors.plan_matching``), so the unit's board shows the plan's fulfilment with the
document counted.

Run by ``load_demo_edxml`` after the document feed (the demo's scored months are untouched:
the lines fall in the plan's quarter, as the feed's do). Idempotent: the plan is found by its
unit and quarter, the items are drawn once, the match is kept.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog_pages.models import CatalogVersion
from connectors import plan_matching
from connectors.models import Package, PackageKind
from org.authority import head_posting
from org.models import CivilServant
from workplans.models import PlanKind, PlanStatus, WorkPlan, WorkPlanItem
from workplans.services import flow, writes

STAFF, LEADER, HOME_AFFAIRS = "congchuc", "lanhdao.phong", "sonoivu"
MATCHED_SUBJECT = "Rà soát thủ tục hành chính quý IV"

ITEMS = (
    # (name, owner: staff or leader or None, quantity)
    ("Tham mưu báo cáo kết quả công tác quý", STAFF, Decimal(1)),
    ("Thẩm định hồ sơ theo phân công", STAFF, Decimal(3)),
    ("Tổng hợp số liệu phục vụ sơ kết", STAFF, Decimal(2)),
    ("Rà soát hồ sơ lưu trữ của phòng", STAFF, Decimal(1)),
    # The fifth comes from the document system: no owner here, the received task fills it.
    (MATCHED_SUBJECT, None, Decimal(1)),
)


def _user(username):
    return get_user_model().objects.get(username=username)


def _person(username) -> CivilServant:
    return CivilServant.objects.get(user=_user(username))


def load_workplans_demo(today: datetime.date | None = None) -> WorkPlan:
    today = today or timezone.localdate()
    staff = _person(STAFF)
    unit = staff.primary_posting_on(today).agency
    agency = unit.owning_agency
    package = (
        Package.objects.filter(
            source__agency=agency,
            kind=PackageKind.DOCUMENT,
            data__subject=MATCHED_SUBJECT,
        )
        .order_by("received_at")
        .first()
    )
    # The plan of the quarter the received task falls in (its deadline's month).
    month = package.month if package is not None else today.replace(day=1)
    quarter = (month.month - 1) // 3 + 1
    plan = WorkPlan.objects.filter(
        agency=unit, kind=PlanKind.QUARTER, year=month.year, number=quarter
    ).first()
    head, sonoivu = _user(LEADER), _user(HOME_AFFAIRS)
    director = head_posting(agency, today)
    if plan is None:
        plan = WorkPlan(
            agency=unit,
            kind=PlanKind.QUARTER,
            year=month.year,
            number=quarter,
            title=f"Kế hoạch công tác quý {quarter}/{month.year} của {unit.name}",
        )
        writes.save(head, plan, action="add")
        product = CatalogVersion.objects.in_force(agency, today).items.order_by(
            "sort_order", "code"
        )[0]
        deadline = max(today, min(plan.end_date, month.replace(day=28)))
        owners = {STAFF: staff}
        for order, (name, owner, quantity) in enumerate(ITEMS, start=1):
            WorkPlanItem.objects.create(
                plan=plan,
                name=name,
                owner=owners.get(owner) if owner else None,
                deadline=deadline,
                product=product,
                quantity=quantity,
                sort_order=order,
            )
    if plan.status == PlanStatus.DRAFT:
        plan = flow.take(plan, "submit", head)
    if plan.status == PlanStatus.SUBMITTED:
        plan = flow.take(plan, "approve", director.civil_servant.user)
    flow.assign_plan(head, plan, today)
    if package is not None and not hasattr(package, "plan_match"):
        item = plan.items.get(name=MATCHED_SUBJECT)
        plan_matching.confirm(sonoivu, package, item)
    return plan
