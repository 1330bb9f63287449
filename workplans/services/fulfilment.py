"""How far a plan is carried out, read from the lines its items produced (a fixed number of
queries per plan): each item is *chưa giao* (no line yet), *đang thực hiện*, *hoàn thành*
(every line completed at least its assigned quantity) or *quá hạn* (past its deadline and not
completed); the plan's figure is the share of items completed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from scoring.engine import PlanFulfilment
from workplans.models import PlanKind, PlanStatus, WorkPlan, WorkPlanItem


@dataclass
class ItemState:
    item: object
    assigned: Decimal
    completed: Decimal
    state: str
    label: str
    #: The received documents (edXML tasks) the clerk matched to this item, by "số, ký hiệu".
    documents: list[str] = field(default_factory=list)


@dataclass
class Fulfilment:
    plan: WorkPlan
    items: list[ItemState] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.state == "done")

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.items)) if self.items else 0

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.state == "overdue")


def _state(item, lines, today) -> tuple[str, str]:
    if not lines:
        if item.deadline < today:
            return "overdue", _("Quá hạn, chưa giao")
        return "unassigned", _("Chưa giao")
    complete = all(
        line.completed_quantity is not None and line.completed_quantity >= line.assigned_quantity
        for line in lines
    )
    if complete:
        return "done", _("Hoàn thành")
    if item.deadline < today:
        return "overdue", _("Quá hạn")
    return "ongoing", _("Đang thực hiện")


#: An item's states (:func:`_state`), in the order the plan's page explains them.
ITEM_STATES = (
    ("unassigned", _lazy("Chưa giao")),
    ("ongoing", _lazy("Đang thực hiện")),
    ("done", _lazy("Hoàn thành")),
    ("overdue", _lazy("Quá hạn")),
)


@dataclass(frozen=True)
class Summary:
    """A plan's fulfilment in figures: its items, those completed and those overdue."""

    items: int
    done: int
    overdue: int
    as_of: datetime.date

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.items) if self.items else 0


def read_states(plan: WorkPlan, today: datetime.date) -> Summary:
    """Each item's state on ``today`` from its lines, set on the item (``fulfilment_state``,
    ``assigned_total``, ``completed_total``), and the plan's summary. Reads ``plan.items`` and
    each item's ``lines`` as they are: no query when the caller prefetched ``items__lines``
    (the API's list, a few queries for a page of plans)."""
    done = overdue = 0
    items = list(plan.items.all())
    for item in items:
        lines = list(item.lines.all())
        item.fulfilment_state = _state(item, lines, today)[0]
        item.assigned_total = sum((line.assigned_quantity for line in lines), Decimal(0))
        item.completed_total = sum(
            (line.completed_quantity or Decimal(0) for line in lines), Decimal(0)
        )
        done += item.fulfilment_state == "done"
        overdue += item.fulfilment_state == "overdue"
    return Summary(items=len(items), done=done, overdue=overdue, as_of=today)


def fulfilment(plan: WorkPlan, today: datetime.date) -> Fulfilment:
    result = Fulfilment(plan)
    # ``matched_packages``: the document feed's matches to this item (``connectors``, an app
    # above this one, adds the relation); their lines are among the item's lines.
    items = plan.items.select_related("owner", "product").prefetch_related(
        "lines", "matched_packages__package"
    )
    for item in items.order_by("sort_order", "pk"):
        lines = list(item.lines.all())
        state, label = _state(item, lines, today)
        result.items.append(
            ItemState(
                item=item,
                assigned=sum((line.assigned_quantity for line in lines), Decimal(0)),
                completed=sum(
                    (line.completed_quantity or Decimal(0) for line in lines), Decimal(0)
                ),
                state=state,
                label=label,
                documents=[
                    (m.package.data or {}).get("code") or m.package.document_id
                    for m in item.matched_packages.all()
                ],
            )
        )
    return result


def unit_plans(unit, today: datetime.date) -> list[Fulfilment]:
    """The approved plans of ``unit`` whose span covers ``today`` (month, quarter, year)."""
    plans = WorkPlan.objects.filter(
        agency=unit, status=PlanStatus.APPROVED, year=today.year
    ).select_related("agency")
    return [fulfilment(plan, today) for plan in plans if plan.start_date <= today <= plan.end_date]


def plans_of_period(agency_id: int, start: datetime.date, end: datetime.date) -> list[WorkPlan]:
    """The approved plans of ``agency_id`` whose span lies inside ``start`` – ``end`` (a
    quarter's period: the quarter's plan and its months' plans), oldest first."""
    plans = WorkPlan.objects.filter(
        agency_id=agency_id,
        status=PlanStatus.APPROVED,
        year__gte=start.year,
        year__lte=end.year,
    ).order_by("year", "kind", "number", "pk")
    return [plan for plan in plans if start <= plan.start_date and plan.end_date <= end]


def period_fulfilment(
    agency_id: int, start: datetime.date, end: datetime.date
) -> PlanFulfilment | None:
    """The unit's plan fulfilment in a scoring period (criterion d under the framework option
    ``plan_fulfilment``, Đắk Lắk §III.3): the approved plans of the period, their items and how
    many are completed (:func:`_state`; a completed item stays completed whatever the day).
    ``None`` when the unit has no approved plan item in the period. ``workplans`` registers it
    with ``scoring`` (``scoring.services.plan_fulfilment``)."""
    plans = plans_of_period(agency_id, start, end)
    if not plans:
        return None
    items = (
        WorkPlanItem.objects.filter(plan__in=plans)
        .prefetch_related("lines")
        .order_by("plan_id", "sort_order", "pk")
    )
    done: dict[int, int] = {}
    total: dict[int, int] = {}
    for item in items:
        total[item.plan_id] = total.get(item.plan_id, 0) + 1
        if _state(item, list(item.lines.all()), end)[0] == "done":
            done[item.plan_id] = done.get(item.plan_id, 0) + 1
    if not total:
        return None
    return PlanFulfilment(
        plans=tuple(f"{plan.title} ({plan.span_label})" for plan in plans if plan.pk in total),
        done=sum(done.values()),
        total=sum(total.values()),
    )


#: The order plans are named in: the year's plan, then the quarters', then the months'.
_KIND_ORDER = {PlanKind.YEAR: 0, PlanKind.QUARTER: 1, PlanKind.MONTH: 2}


def year_fulfilment(
    agency_ids: list[int], year: int, as_of: datetime.date
) -> dict[int, PlanFulfilment]:
    """Each agency's approved work plans of ``year`` (its own: a unit's plans are its unit's)
    on ``as_of``, for a key-task criterion of its organisation score measured from them
    (``organisation.key_tasks[].plan_fulfilment``, Đắk Lắk §III.3): the items completed
    (:func:`_state`), the items counted (completed, or due before ``as_of``) and the items
    neither completed nor due yet, left out like a task not yet due. Three queries whatever
    the number of agencies; an agency with no approved plan item is left out. ``workplans``
    registers it with ``scoring`` (``scoring.services.plan_fulfilment.register_year``)."""
    plans = sorted(
        WorkPlan.objects.filter(agency_id__in=agency_ids, status=PlanStatus.APPROVED, year=year),
        key=lambda plan: (plan.agency_id, _KIND_ORDER.get(plan.kind, 9), plan.number or 0, plan.pk),
    )
    if not plans:
        return {}
    counts: dict[int, list[int]] = {}  # plan id → [done, counted, not due]
    items = WorkPlanItem.objects.filter(plan__in=plans).prefetch_related("lines")
    for item in items:
        state = _state(item, list(item.lines.all()), as_of)[0]
        row = counts.setdefault(item.plan_id, [0, 0, 0])
        if state == "done":
            row[0] += 1
            row[1] += 1
        elif item.deadline < as_of:
            row[1] += 1
        else:
            row[2] += 1
    found: dict[int, PlanFulfilment] = {}
    for agency_id in dict.fromkeys(plan.agency_id for plan in plans):
        own = [plan for plan in plans if plan.agency_id == agency_id and plan.pk in counts]
        if not own:
            continue
        found[agency_id] = PlanFulfilment(
            plans=tuple(f"{plan.title} ({plan.span_label})" for plan in own),
            done=sum(counts[plan.pk][0] for plan in own),
            total=sum(counts[plan.pk][1] for plan in own),
            not_due=sum(counts[plan.pk][2] for plan in own),
        )
    return found
