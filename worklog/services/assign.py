"""Assigning catalog products to civil servants (giao việc) — the lines scoring reads.

Only the person's evaluator on the day (``org.authority``) may assign, for every person and
every target period; this is checked here, whatever the form offered, so a forged POST fails
the same way. A unit is assigned as its members (one line per member). A recurring assignment
repeats the product in each of the next N monthly periods with the same day of the month (the
last day of a shorter month). Each line comes from the catalog version in force for the
person's agency in its period (the same item by ``uid`` when a newer version took effect).

A form token makes the operation idempotent: each line's ``external_id`` is derived from it,
so a double-submitted form finds its lines instead of creating them twice.
"""

import calendar
import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from catalog_pages.models import CatalogVersion, CatalogVersionItem
from org.access import civil_servant_of
from org.models import Agency, CivilServant
from scoring.models import AssignmentLine, LineSource, Period, PeriodKind
from scoring.models.guards import ensure_period_open
from scoring.services import lines
from scoring.services.scope import CategoryScope
from worklog.access import evaluated_people, evaluated_units, is_evaluator
from worklog.conf import max_recurring_months
from worklog.models import WorkItem

EXTERNAL_PREFIX = "worklog"


@dataclass
class Assignment:
    people: list[CivilServant]
    item: CatalogVersionItem
    quantity: Decimal
    deadline: datetime.date
    months: int = 1
    note: str = ""
    token: str = field(default_factory=lambda: str(uuid.uuid4()))


@dataclass
class AssignResult:
    created: list[AssignmentLine] = field(default_factory=list)
    existing: list[AssignmentLine] = field(default_factory=list)


def monthly_deadlines(first: datetime.date, months: int) -> list[datetime.date]:
    """``first`` and the same day of the following months (month ends stay month ends)."""
    last_of_month = first.day == calendar.monthrange(first.year, first.month)[1]
    result = []
    for shift in range(months):
        index = first.month - 1 + shift
        year, month = first.year + index // 12, index % 12 + 1
        last = calendar.monthrange(year, month)[1]
        result.append(datetime.date(year, month, last if last_of_month else min(first.day, last)))
    return result


def unit_members(user, unit: Agency, day: datetime.date) -> list[CivilServant]:
    """The people of ``unit`` (and its sub-units) that ``user`` evaluates on ``day``."""
    units = evaluated_units(user, day)
    inside = set(
        Agency.objects.filter(pk__in=set(units.values()), path__startswith=unit.path).values_list(
            "pk", flat=True
        )
    )
    return evaluated_people(user, day, ids=[p for p, agency in units.items() if agency in inside])


def assignable_units(user, day: datetime.date) -> list[Agency]:
    """The units of the people ``user`` evaluates on ``day`` (their governing postings')."""
    agencies = Agency.objects.filter(pk__in=set(evaluated_units(user, day).values()))
    return sorted(agencies, key=lambda a: a.path)


def assignable_items(user, day: datetime.date) -> list[tuple[Agency, list[CatalogVersionItem]]]:
    """Items of the catalog versions in force on ``day`` for the agencies of the assignees."""
    agencies = {}
    for unit in assignable_units(user, day):
        owner = unit.owning_agency
        if owner is not None:
            agencies[owner.pk] = owner
    result = []
    for agency in sorted(agencies.values(), key=lambda a: a.path):
        version = CatalogVersion.objects.in_force(agency, day)
        if version is not None:
            result.append((agency, list(version.items.order_by("sort_order", "code"))))
    return result


def item_for(agency: Agency, uid, day: datetime.date) -> CatalogVersionItem | None:
    version = CatalogVersion.objects.in_force(agency, day)
    if version is None:
        return None
    return version.items.filter(uid=uid).first()


def _external_id(token: str, person: CivilServant, period: Period) -> str:
    return f"{EXTERNAL_PREFIX}:{token}:{person.pk}:{period.code}"


def _plan(user, request: Assignment, today: datetime.date) -> list[dict]:
    rows, errors, scope = [], [], CategoryScope()
    for deadline in monthly_deadlines(request.deadline, request.months):
        period = Period.for_date(deadline, PeriodKind.MONTH, create=True)
        ensure_period_open(period)
        day = max(today, period.start_date)
        for person in request.people:
            if day != today and not is_evaluator(user, person, day):
                errors.append(
                    gettext("%(name)s: bạn không phải người đánh giá vào ngày %(day)s.")
                    % {"name": person.full_name, "day": day.strftime("%d/%m/%Y")}
                )
                continue
            posting = person.primary_posting_on(day)
            # A person this software does not evaluate (a contract worker whose agency has not
            # switched them on, docs/scope.md §2) gets no line, with the reason.
            reason = scope.refusal(posting) if posting else None
            if reason:
                errors.append(f"{person.full_name}: {reason}")
                continue
            if posting is not None:
                ensure_period_open(period, posting.agency)
            owner = posting.agency.owning_agency if posting else None
            item = item_for(owner, request.item.uid, day) if owner else None
            if item is None:
                errors.append(
                    gettext("%(name)s: “%(item)s” không có trong danh mục áp dụng kỳ %(period)s.")
                    % {"name": person.full_name, "item": request.item.name, "period": period.label}
                )
                continue
            rows.append(
                {
                    "person": person,
                    "period": period,
                    "item": item,
                    "unit": posting.agency,
                    "deadline": deadline,
                }
            )
    if errors:
        raise ValidationError(errors)
    return rows


def check_request(user, request: Assignment, today: datetime.date) -> None:
    if civil_servant_of(user) is None:
        raise PermissionDenied(gettext("Tài khoản chưa được liên kết với hồ sơ công chức."))
    refused = [p.full_name for p in request.people if not is_evaluator(user, p, today)]
    if refused:
        raise PermissionDenied(
            gettext("Bạn không phải người theo dõi, đánh giá của: %(names)s.")
            % {"names": ", ".join(refused)}
        )
    if not request.people:
        raise ValidationError(gettext("Chưa chọn công chức hoặc đơn vị được giao."))
    if request.quantity <= 0:
        raise ValidationError(gettext("Số lượng được giao phải lớn hơn 0."))
    if not 1 <= request.months <= max_recurring_months():
        raise ValidationError(
            gettext("Số tháng lặp lại phải từ 1 đến %(n)d.") % {"n": max_recurring_months()}
        )


@transaction.atomic
def assign(user, request: Assignment, today: datetime.date) -> AssignResult:
    """Create (or find, on a repeated token) one line per person and period."""
    check_request(user, request, today)
    result = AssignResult()
    for row in _plan(user, request, today):
        # The one write service of lines (its lock order, open period, validation, history);
        # who may assign was decided above (the evaluator of the day).
        line, created = lines.add_once(
            AssignmentLine(
                source=LineSource.MANUAL,
                external_id=_external_id(request.token, row["person"], row["period"]),
                civil_servant=row["person"],
                period=row["period"],
                item=row["item"],
                unit=row["unit"],
                assigned_quantity=request.quantity,
                deadline=row["deadline"],
                note=request.note,
                created_by=user,
            ),
            user=user,
        )
        if created:
            WorkItem.objects.create(line=line, batch=uuid.UUID(request.token))
            result.created.append(line)
        else:
            result.existing.append(line)
    return result
