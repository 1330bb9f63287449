"""A received task matched to an item of an approved work plan (issue 45; Đắk Lắk §III.3
"trên cơ sở … kế hoạch công tác (tháng, quý, năm)").

:func:`suggestions` ranks the items of the approved plans of the source's agency (and its units)
whose span covers the package's month, by the catalog's name matcher
(``catalog_pages.consolidation.matching.similarity``, the one used to find the same product
written differently) between the document's subject and the item's name, with a small bonus when
the item's owner is the document's handling officer or its product the document type's product.
:func:`confirm` records the clerk's choice (who may: ``org.access`` on the match row — the
connectors' clerks of the source's agency, Sở Nội vụ — and the plan read by them) and applies a
waiting package again through the one gate (``connectors.ingest.apply``: the import rules, the
lines' write service): a package waiting for its officer or its document type takes the item's
owner and product; its line then counts for the item's fulfilment (``WorkPlanItem.lines``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog_pages.consolidation.matching import similarity
from org import access
from workplans.models import PlanStatus, WorkPlan, WorkPlanItem

from .ingest import apply, attach, find_person, find_product
from .models import Package, PackageKind, PackageState, PlanItemMatch

#: The score from which an item is offered as "gợi ý" (below it the item is still listed, so the
#: clerk can pick it, but not preselected).
SUGGEST_FROM = 0.5
#: Added when the item's owner is the document's officer, or its product the document type's.
BONUS = 0.1
LIMIT = 8


@dataclass
class Candidate:
    item: WorkPlanItem
    score: float

    @property
    def suggested(self) -> bool:
        return self.score >= SUGGEST_FROM

    @property
    def percent(self) -> int:
        return round(100 * min(self.score, 1.0))


def plans_for(package: Package):
    """The approved plans of the package's agency (and its units) whose span covers the month
    the package belongs to."""
    agency = package.source.agency
    month = package.month
    plans = WorkPlan.objects.filter(
        agency__path__startswith=agency.path, status=PlanStatus.APPROVED, year=month.year
    ).select_related("agency")
    return [p for p in plans if p.start_date <= month <= p.end_date]


def candidates(package: Package) -> list[Candidate]:
    """Every item of :func:`plans_for`, best first (the name matcher, then the bonuses)."""
    plans = plans_for(package)
    if not plans:
        return []
    facts = package.data or {}
    subject = facts.get("subject") or ""
    person = find_person(package.source, facts.get("staff") or {})
    product = find_product(package.source, facts)
    items = (
        WorkPlanItem.objects.filter(plan__in=plans)
        .select_related("plan", "plan__agency", "owner", "product")
        .order_by("plan__agency__path", "sort_order", "pk")
    )
    ranked = []
    for item in items:
        score = similarity(subject, item.name) if subject else 0.0
        if person is not None and item.owner_id == person.pk:
            score += BONUS
        if product and item.product_id and item.product.code == product:
            score += BONUS
        ranked.append(Candidate(item, score))
    ranked.sort(key=lambda c: (-c.score, c.item.plan.agency.path, c.item.sort_order, c.item.pk))
    return ranked[:LIMIT]


def _check(user, package: Package, item: WorkPlanItem) -> PlanItemMatch:
    if package.kind != PackageKind.DOCUMENT or package.state not in (
        PackageState.APPLIED,
        PackageState.WAITING,
    ):
        raise ValidationError(
            _(
                "Chỉ văn bản giao việc đã ghi hoặc đang chờ ánh xạ mới khớp được với kế hoạch "
                "(gói tin này: %(state)s)."
            )
            % {"state": package.get_state_display().lower()}
        )
    plan = item.plan
    if plan.pk not in {p.pk for p in plans_for(package)}:
        raise ValidationError(
            _(
                "Mục “%(item)s” không thuộc kế hoạch đã phê duyệt của %(agency)s cho tháng "
                "%(month)s: chọn một mục trong danh sách gợi ý."
            )
            % {
                "item": item.name,
                "agency": package.source.agency.name,
                "month": package.month.strftime("%m/%Y"),
            }
        )
    match = getattr(package, "plan_match", None) if package.pk else None
    row = match or PlanItemMatch(package=package)
    row.item = item
    action = access.CHANGE if match is not None else access.ADD
    reason = access.refusal(user, action, row) or access.refusal(user, access.VIEW, plan)
    if reason:
        raise PermissionDenied(reason)
    return row


def confirm(user, package: Package, item: WorkPlanItem) -> tuple[PlanItemMatch, str]:
    """Match ``package`` to ``item`` as ``user`` and apply the package again; returns the match
    and what applying it did ("created", "updated", "unchanged", "waiting", "refused")."""
    with transaction.atomic():
        package = (
            Package.objects.select_for_update().select_related("source__agency").get(pk=package.pk)
        )
        row = _check(user, package, item)
        old_item_id = (
            PlanItemMatch.objects.filter(pk=row.pk).values_list("item_id", flat=True).first()
            if row.pk
            else None
        )
        chosen = next((c for c in candidates(package) if c.item.pk == item.pk), None)
        row.score = Decimal(str(round(min(chosen.score if chosen else 0.0, 1.0), 2)))
        row.matched_by = user
        row.matched_at = timezone.now()
        row.save()
        if old_item_id and old_item_id != item.pk and package.line_id:
            WorkPlanItem.objects.get(pk=old_item_id).lines.remove(package.line_id)
        if package.state == PackageState.APPLIED and package.line_id:
            # Already written: its line only starts counting for the item (never written again,
            # so a package of a month since closed stays as it is).
            attach(package)
            return row, "unchanged"
    status = apply(package)
    return row, status
