"""Closing a period (khóa sổ) as a guided step for Sở Nội vụ.

Before closing, :func:`backlog` says per agency what is still open in the period: work lines
not finished (and how many of those are past their deadline), lines reported done and awaiting
the leader's review, and people without the evaluator's general-criteria marks (Form 01). It is
information, not a lock: a province may close with work left open, and the confirmation says
so. :func:`close` then shuts the period (its inputs are frozen from that moment,
``scoring.models.guards``) and runs the final scoring of the period through the existing batch,
as a final ``ScoringRun`` written in the close's own transaction (forced because the period is
now closed; unchanged people are skipped). With the in-process task backend the scores are there
when the page returns; with the database queue of production a worker computes them, and a
worker killed meanwhile leaves a run the next worker (or the sweep) queues again (issue 28,
reliability review M3).

The status field of the period stays editable in the period's own form for corrections (for
example reopening a period closed by mistake).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from dashboards.submissions import agency_owner
from org.models import Posting
from scoring.aggregates import Tree
from scoring.models import (
    AssignmentLine,
    GeneralCriteriaMark,
    Period,
    PeriodStatus,
    RunStatus,
    ScoringRun,
)
from scoring.services import rescoring
from scoring.services.period_batch import SCORABLE_KINDS
from worklog.models import OPEN_STATUSES, WorkStatus

CLOSE_ACTION = "dashboards.period_close"
REOPEN_ACTION = "dashboards.period_reopen"


@dataclass
class AgencyBacklog:
    agency_id: int
    name: str
    open_lines: int = 0
    overdue_lines: int = 0
    awaiting_review: int = 0
    people: int = 0
    without_marks: int = 0

    @property
    def clear(self) -> bool:
        return not (self.open_lines or self.awaiting_review or self.without_marks)


def _agencies(tree: Tree) -> list[int]:
    """The agencies the province evaluates as a whole (and the province's own office)."""
    return [node.id for node in tree.top_agencies() if node.is_active]


def backlog(period, today: datetime.date | None = None, tree: Tree | None = None):
    """Per agency, what is still open in ``period`` (agencies with something open first);
    a fixed number of queries whatever the size of the province."""
    today = today or timezone.localdate()
    tree = tree or Tree.load()
    agency_ids = _agencies(tree)
    owner = agency_owner(agency_ids, tree.nodes)
    rows = {
        agency_id: AgencyBacklog(agency_id, tree.nodes[agency_id].name) for agency_id in agency_ids
    }
    # A line without a tracking record is done when its completion is recorded in full
    # (worklog.services.work.derived_status); with one, its status says.
    untracked_done = Q(
        work__isnull=True,
        completed_on__isnull=False,
        completed_quantity__gte=F("assigned_quantity"),
    )
    still_open = Q(work__status__in=OPEN_STATUSES) | (Q(work__isnull=True) & ~untracked_done)
    lines = (
        AssignmentLine.objects.filter(period=period)
        .order_by()
        .values("unit_id")
        .annotate(
            open=Count("id", filter=still_open),
            overdue=Count("id", filter=still_open & Q(deadline__lt=today)),
            awaiting=Count("id", filter=Q(work__status=WorkStatus.SUBMITTED)),
        )
    )
    for line in lines:
        agency_id = owner(line["unit_id"])
        if agency_id is None:
            continue
        row = rows[agency_id]
        row.open_lines += line["open"]
        row.overdue_lines += line["overdue"]
        row.awaiting_review += line["awaiting"]
    marked = set(
        GeneralCriteriaMark.objects.filter(period=period, evaluator_mark__isnull=False)
        .values_list("civil_servant_id", flat=True)
        .distinct()
    )
    # Each person once, with the main posting they held last in the period.
    placed: dict[int, int] = {}
    postings = (
        Posting.objects.filter(start_date__lte=period.end_date, is_concurrent=False)
        .exclude(end_date__lt=period.start_date)
        .order_by("start_date")
        .values_list("civil_servant_id", "agency_id")
    )
    for person_id, agency_id in postings:
        placed[person_id] = agency_id
    for person_id, agency_id in placed.items():
        target = owner(agency_id)
        if target is None:
            continue
        rows[target].people += 1
        if person_id not in marked:
            rows[target].without_marks += 1
    ordered = sorted(
        (row for row in rows.values() if row.people or not row.clear),
        key=lambda row: (row.clear, -row.open_lines - row.awaiting_review, row.name),
    )
    return ordered


@dataclass
class CloseResult:
    period: Period
    scored: bool
    summary: dict | None
    error: str = ""


def _move(period, source, target, refusal, action, user, **data):
    """Lock ``period``, refuse unless it is ``source`` (``refusal`` names the state found),
    set ``target`` and log ``action``: the one step closing and reopening share. Inside the
    caller's transaction."""
    locked = Period.objects.select_for_update().get(pk=period.pk)
    if locked.status != source:
        raise ValidationError(
            refusal % {"period": locked.label, "status": locked.get_status_display()}
        )
    locked.status = target
    locked.save()
    log(instance=locked, action=action, user=user, data={"period": locked.code, **data})
    return locked


def close(period, user) -> CloseResult:
    """Close ``period`` (refused unless it is open), log it, then run its final scoring."""

    with transaction.atomic():
        locked = _move(
            period,
            PeriodStatus.OPEN,
            PeriodStatus.CLOSED,
            _("%(period)s không ở trạng thái đang mở (%(status)s): không khóa sổ lại."),
            CLOSE_ACTION,
            user,
        )
        final = None
        if locked.kind in _scorable_kinds():
            # The final scoring is a ScoringRun written with the close (reliability review M3):
            # queued in the same transaction on the database queue, found again by the sweep
            # if its enqueue is lost, and put back in the queue if its worker dies.
            final = ScoringRun.objects.create(
                period=locked,
                final=True,
                reason=_("Khóa sổ %(period)s: tính điểm cuối kỳ") % {"period": locked.label},
                requested_by=user if getattr(user, "is_authenticated", False) else None,
            )
            if rescoring.database_queue():
                rescoring.enqueue_run(final.pk)
    if final is None:
        return CloseResult(locked, scored=False, summary=None)
    if not rescoring.database_queue():
        rescoring.enqueue_run(final.pk)  # in-process: runs now, after the close committed
    final.refresh_from_db()
    if final.status == RunStatus.DONE:
        return CloseResult(
            locked,
            scored=True,
            summary={
                "people": final.people_count,
                "written": final.written,
                "unchanged": final.people_count - final.written,
                "with_errors": final.with_errors,
            },
        )
    if final.status == RunStatus.FAILED:
        return CloseResult(locked, scored=False, summary=None, error=_("tính điểm cuối kỳ gặp lỗi"))
    return CloseResult(locked, scored=False, summary=None)


def _scorable_kinds():
    return SCORABLE_KINDS


def reopen(period, user, reason: str = ""):
    """Reopen a closed ``period`` (issue 30 item 11: from its confirmation page, not a
    dropdown), logged; the status change rescores the whole period and marks its year's annual
    scores stale (``scoring.signals``). A period whose results are locked stays locked."""
    with transaction.atomic():
        return _move(
            period,
            PeriodStatus.CLOSED,
            PeriodStatus.OPEN,
            _("%(period)s không ở trạng thái đã khóa sổ (%(status)s): không mở lại được."),
            REOPEN_ACTION,
            user,
            reason=reason,
        )
