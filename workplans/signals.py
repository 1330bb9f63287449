"""A change of a plan's fulfilment asks for its unit's leaders to be rescored (criterion d
under the framework option ``plan_fulfilment``, Đắk Lắk §III.3): a line drawn from a plan item
saved or deleted, lines added to or removed from an item, an item of an approved plan added,
changed or removed, a plan approved (or changed once approved). Each open period that contains
the plan's span is asked for the leaders (heads and deputies) posted in the plan's unit then;
their stored hash covers the fulfilment only when their framework uses it, so anyone else is
skipped unchanged. The same changes mark the organisation score of the plan's agency and year
stale when its framework measures a key-task criterion from the plans
(``org_scoring.services.freshness.work_plans_changed``; the background refresh rescores it)."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils.translation import gettext as _

from org.models import Posting
from org_scoring.services.freshness import work_plans_changed
from scoring.models import AssignmentLine, Period
from scoring.services.period_batch import SCORABLE_KINDS
from scoring.services.rescoring import request_rescore
from workplans.models import PlanStatus, WorkPlan, WorkPlanItem

LEADER_ROLES = ("head", "deputy")


def rescore_plan_leaders(plans) -> None:
    """Ask for the leaders of each plan's unit to be rescored in the open periods holding it,
    and mark the organisation score of its agency's year stale where it reads the plans."""
    plans = list(plans)
    work_plans_changed({(plan.agency_id, plan.year) for plan in plans})
    reason = _("Thay đổi kết quả thực hiện kế hoạch công tác của đơn vị")
    for plan in plans:
        start, end = plan.start_date, plan.end_date
        periods = Period.objects.filter(
            start_date__lte=start, end_date__gte=end, kind__in=SCORABLE_KINDS
        ).order_by("start_date")
        for period in periods:
            if period.is_final:
                continue
            leaders = set(
                Posting.objects.filter(
                    Q(end_date__isnull=True) | Q(end_date__gte=period.start_date),
                    agency_id=plan.agency_id,
                    role__in=LEADER_ROLES,
                    start_date__lte=period.end_date,
                ).values_list("civil_servant_id", flat=True)
            )
            if leaders:
                request_rescore(period, people=leaders, reason=reason)


def _plans_of_line(line_id) -> list[WorkPlan]:
    return list(WorkPlan.objects.filter(items__lines__id=line_id).distinct())


def _line(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    rescore_plan_leaders(_plans_of_line(instance.pk))


def _line_deleting(sender, instance, **kwargs):
    # Before the delete the line still tells which items it belonged to.
    instance._workplans_plans = _plans_of_line(instance.pk)


def _line_deleted(sender, instance, **kwargs):
    rescore_plan_leaders(getattr(instance, "_workplans_plans", ()))


def _item_lines(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # from the line's side: the items named in pk_set
        plans = WorkPlan.objects.filter(items__pk__in=pk_set or ()).distinct()
    else:
        plans = [instance.plan]
    rescore_plan_leaders(plans)


def _item(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    plan = WorkPlan.objects.filter(pk=instance.plan_id).first()
    if plan is not None and plan.is_approved:
        rescore_plan_leaders([plan])


def _plan_before(sender, instance, **kwargs):
    instance._workplans_status_before = (
        WorkPlan.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        if instance.pk
        else None
    )


def _plan(sender, instance, **kwargs):
    """An approved plan, or one no longer approved (a draft saved changes nothing)."""
    if kwargs.get("raw") or not instance.year:
        return
    before = getattr(instance, "_workplans_status_before", None)
    if instance.is_approved or before == PlanStatus.APPROVED:
        rescore_plan_leaders([instance])


def connect() -> None:
    post_save.connect(_line, sender=AssignmentLine, dispatch_uid="workplans_line_saved")
    pre_delete.connect(_line_deleting, sender=AssignmentLine, dispatch_uid="workplans_line_del")
    post_delete.connect(_line_deleted, sender=AssignmentLine, dispatch_uid="workplans_line_gone")
    m2m_changed.connect(
        _item_lines, sender=WorkPlanItem.lines.through, dispatch_uid="workplans_item_lines"
    )
    post_save.connect(_item, sender=WorkPlanItem, dispatch_uid="workplans_item_saved")
    post_delete.connect(_item, sender=WorkPlanItem, dispatch_uid="workplans_item_deleted")
    pre_save.connect(_plan_before, sender=WorkPlan, dispatch_uid="workplans_plan_saving")
    post_save.connect(_plan, sender=WorkPlan, dispatch_uid="workplans_plan_saved")
