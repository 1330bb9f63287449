"""The work item's flow on the workflow kit (``cms.workflow``): the assignee reports the line
done (``submit``; a document-management system's report, ``report``), the evaluator returns
it for rework or accepts it; progress moves an assigned item into work (``start``).

The roles are asked by the doors (``worklog.access``: the assignee, the evaluator of the day),
so the transitions name none; each review step appends its ``ReviewEvent`` (the flow's log:
round, outcome, comment, deduction, who decided) through :meth:`cms.workflow.Flow.record`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from cms import workflow
from worklog.models import OPEN_STATUSES, ReviewEvent, ReviewOutcome, WorkItem, WorkStatus

S = WorkStatus


def _not_open(_transition, work: WorkItem) -> str:
    return gettext("Việc đang ở trạng thái “%(status)s”: không thể cập nhật.") % {
        "status": work.get_status_display()
    }


def _not_pending(_transition, _work) -> str:
    return gettext("Báo cáo này đã thay đổi hoặc chưa được gửi; vui lòng tải lại trang.")


_OUTCOME = {"return": ReviewOutcome.RETURNED, "accept": ReviewOutcome.ACCEPTED}


def _record(move: workflow.Move, **fields) -> ReviewEvent | None:
    outcome = _OUTCOME.get(move.transition.action)
    if outcome is None:
        return None
    return ReviewEvent.objects.create(
        work=move.context.obj,
        outcome=outcome,
        comment=move.context.comment,
        decided_by=move.context.user,
        **fields,
    )


FLOW = workflow.Flow(
    (
        # Progress is written while the item is open; it moves an assigned item into work.
        workflow.Transition(
            "progress", gettext_lazy("Cập nhật tiến độ"), frozenset(OPEN_STATUSES), None
        ),
        workflow.Transition(
            "start", gettext_lazy("Bắt đầu thực hiện"), frozenset({S.ASSIGNED}), S.IN_PROGRESS
        ),
        workflow.Transition(
            "submit", gettext_lazy("Báo cáo hoàn thành"), frozenset(OPEN_STATUSES), S.SUBMITTED
        ),
        # A connector's report: while not accepted (a pending report is replaced).
        workflow.Transition(
            "report",
            gettext_lazy("Báo cáo hoàn thành từ phần mềm nguồn"),
            frozenset({*OPEN_STATUSES, S.SUBMITTED}),
            S.SUBMITTED,
        ),
        workflow.Transition(
            "return",
            gettext_lazy("Trả lại để làm lại"),
            frozenset({S.SUBMITTED}),
            S.RETURNED,
            wrong_state=_not_pending,
        ),
        workflow.Transition(
            "accept",
            gettext_lazy("Nghiệm thu"),
            frozenset({S.SUBMITTED}),
            S.ACCEPTED,
            wrong_state=_not_pending,
        ),
    ),
    record=_record,
    wrong_state=_not_open,
)


def check(work: WorkItem, action: str, user=None, *, comment: str = "") -> workflow.Move:
    """The step ``action`` from the item's state, or the page's ``ValidationError``."""
    try:
        return FLOW.check(work, action, user, comment=comment)
    except workflow.TransitionError as exc:
        raise ValidationError(str(exc.reasons[0])) from exc
