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
from org.access import is_home_affairs
from org.blocs import appraised_roots
from org.models import BlocLead, Posting
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
        # In no order: the model's (the period, the person's name) made DISTINCT join and
        # sort every mark of the month (2.4 s of the page at 100,000 people, issue 48).
        .order_by()
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
        final = _final_run(
            locked, user, _("Khóa sổ %(period)s: tính điểm cuối kỳ") % {"period": locked.label}
        )
    return _scored(locked, final)


def _final_run(locked, user, reason: str, agency=None):
    """The final scoring of the close, a ``ScoringRun`` written in the close's transaction
    (reliability review M3): queued in the same transaction on the database queue, found again
    by the sweep if its enqueue is lost, and put back in the queue if its worker dies. With
    ``agency``, that agency's subtree only (a bloc's close). None for a kind not scored."""
    if locked.kind not in _scorable_kinds():
        return None
    final = ScoringRun.objects.create(
        period=locked,
        agency=agency,
        final=True,
        reason=reason,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if rescoring.database_queue():
        rescoring.enqueue_run(final.pk)
    return final


def _scored(locked, final) -> CloseResult:
    """After the close committed: the final run's outcome (in-process, it runs now)."""
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


# --- a bloc's own close (coverage A8, review 2026-11-25 H2) ---------------------------------
#
# The lead body of a bloc (``org.BlocLead``: Ban Tổ chức Tỉnh ủy for the Party, the Front's
# standing committee for the Front) closes a period for its bloc's bodies while the province's
# period stays open for the others. The state is the period's ``closed_blocs`` (one entry per
# bloc root), written under the period's lock — the same lock every input door takes
# (``scoring.services.input_locks``) — so a write and a close of the same month run one after
# the other. Every door asks ``Period.accepts_inputs_for(agency)`` (the write services, the
# model guard ``scoring.models.guards``), answering with the province close's own sentence.

BLOC_CLOSE_ACTION = "dashboards.period_bloc_close"
BLOC_REOPEN_ACTION = "dashboards.period_bloc_reopen"


def closable_leads(user):
    """The blocs whose period ``user`` may close and reopen: the appraisers of a bloc's lead
    body their bloc (``org.blocs.appraised_roots``), Sở Nội vụ (and a superuser) every bloc."""
    leads = BlocLead.objects.select_related("root", "lead_agency").order_by("root__path")
    if user is None or not getattr(user, "is_authenticated", False):
        return leads.none()
    if user.is_superuser or is_home_affairs(user):
        return leads
    roots = [root.pk for root in appraised_roots(user)]
    return leads.filter(root__in=roots) if roots else leads.none()


def may_close_bloc(user, lead) -> bool:
    return lead is not None and closable_leads(user).filter(pk=lead.pk).exists()


def bloc_backlog(period, lead):
    """:func:`backlog` of the bloc's bodies only."""
    tree = Tree.load()
    prefix = lead.root.path
    return [
        row
        for row in backlog(period, tree=tree)
        if tree.nodes[row.agency_id].path.startswith(prefix)
    ]


def _closer(user) -> str:
    if user is None:
        return ""
    return (getattr(user, "get_full_name", lambda: "")() or user.get_username()).strip()


def _bloc_locked(period):
    return Period.objects.select_for_update().get(pk=period.pk)


def close_bloc(period, lead, user) -> CloseResult:
    """Close ``period`` for the bodies of ``lead``'s bloc (refused when the province closed it
    already or the bloc did), log it, then score the bloc's people for the last time (the
    month-end figures, as a province close does for everyone)."""
    key = Period.bloc_key(lead.root)
    with transaction.atomic():
        locked = _bloc_locked(period)
        if locked.status != PeriodStatus.OPEN:
            raise ValidationError(
                _("%(period)s đã khóa sổ toàn tỉnh (%(status)s): không cần khóa sổ riêng khối.")
                % {"period": locked.label, "status": locked.get_status_display()}
            )
        if key in (locked.closed_blocs or {}):
            raise ValidationError(
                _("%(period)s đã khóa sổ cho khối %(bloc)s: không khóa sổ lại.")
                % {"period": locked.label, "bloc": lead.root.name}
            )
        locked.closed_blocs = {
            **(locked.closed_blocs or {}),
            key: {"at": timezone.now().isoformat(), "by": _closer(user)},
        }
        locked.save(update_fields=["closed_blocs"])
        log(
            instance=locked,
            action=BLOC_CLOSE_ACTION,
            user=user,
            data={"period": locked.code, "bloc": lead.root.name, "bloc_id": lead.root_id},
        )
        final = _final_run(
            locked,
            user,
            _("Khóa sổ %(period)s cho khối %(bloc)s: tính điểm cuối kỳ")
            % {"period": locked.label, "bloc": lead.root.name},
            agency=lead.root,
        )
    return _scored(locked, final)


def reopen_bloc(period, lead, user, reason: str = ""):
    """Reopen ``period`` for ``lead``'s bloc (refused unless the bloc closed it), logged with
    the reason; the bloc's people are rescored (their scores provisional again) and their
    years' annual scores marked stale, as a province reopening does for everyone."""
    key = Period.bloc_key(lead.root)
    with transaction.atomic():
        locked = _bloc_locked(period)
        if key not in (locked.closed_blocs or {}):
            raise ValidationError(
                _("%(period)s không ở trạng thái đã khóa sổ cho khối %(bloc)s: không mở lại được.")
                % {"period": locked.label, "bloc": lead.root.name}
            )
        locked.closed_blocs = {k: v for k, v in locked.closed_blocs.items() if k != key}
        locked.save(update_fields=["closed_blocs"])
        log(
            instance=locked,
            action=BLOC_REOPEN_ACTION,
            user=user,
            data={
                "period": locked.code,
                "bloc": lead.root.name,
                "bloc_id": lead.root_id,
                "reason": reason,
            },
        )
        if not locked.is_final and locked.kind in _scorable_kinds():
            rescoring.request_rescore(
                locked,
                agency=lead.root,
                reason=_("Mở lại %(period)s cho khối %(bloc)s")
                % {"period": locked.label, "bloc": lead.root.name},
            )
    return locked


def bloc_states(period) -> list[dict]:
    """Each bloc with a lead body, and whether it closed ``period`` (when, by whom): what Sở
    Nội vụ sees on the period's close page."""
    rows = []
    for lead in BlocLead.objects.select_related("root", "lead_agency").order_by("root__path"):
        rows.append({"lead": lead, "closed": period.bloc_close(lead.root)})
    return rows
