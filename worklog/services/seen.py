"""What the reviewer (or the assignee) saw on the line page: the fingerprint of the review
steps (accept, return, progress).

The page shows the report under review — its status and round, the quantity and date claimed,
the progress, the evidence, the line's deadline, quantity and events. Each action form carries
a signed snapshot of those facts (``cms.seen``'s token). On POST the services compare it, under
the work item's lock, with what is stored now: when someone else acted in between (a second
reviewer accepted, the assignee re-reported or added evidence, an import changed the line),
the action is refused with each difference named ("lúc bạn mở trang là …, nay là …") and the
page comes back with a fresh snapshot — nothing written. A second click, made knowing, goes
through; the same reviewer's double-submitted form still returns the first decision.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cms import seen as cms_seen
from worklog.models import WorkStatus
from worklog.services.work import derived_status, work_of

FIELD = cms_seen.FIELD


def _labels() -> dict[str, str]:
    return {
        "status": _("trạng thái"),
        "round": _("lần báo cáo"),
        "progress": _("tiến độ (%)"),
        "claimed_quantity": _("số lượng báo cáo hoàn thành"),
        "claimed_completed_on": _("ngày báo cáo hoàn thành"),
        "evidence": _("số minh chứng"),
        "assigned_quantity": _("số lượng được giao"),
        "deadline": _("hạn hoàn thành"),
        "failed_reviews": _("số lần đánh giá chưa đạt"),
        "delays": _("số lần chậm tiến độ"),
    }


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _number(value) -> str:
    return "" if value is None else f"{value.normalize():f}".replace(".", ",")


def state(line, work=None) -> dict[str, str]:
    """The facts of ``line`` and its work item the line page shows, as text (codes, not
    labels: the language of the page does not change the snapshot). A line without a work
    item yet reads as the item ``locked_work`` creates for it (its derived status, round 0,
    progress 0), so the first action on a fresh line is not taken for a stale page."""
    work = work if work is not None else work_of(line)
    return {
        "status": work.status if work else derived_status(line),
        "round": str(work.round) if work else "0",
        "progress": str(work.progress) if work else "0",
        "claimed_quantity": _number(work.claimed_quantity) if work else "",
        "claimed_completed_on": _date(work.claimed_completed_on) if work else "",
        "evidence": str(line.evidence.count()),
        "assigned_quantity": _number(line.assigned_quantity),
        "deadline": _date(line.deadline),
        "failed_reviews": str(line.failed_reviews),
        "delays": str(line.delays),
    }


def _shown(key: str, value: str | None) -> str:
    """A snapshot value as the page shows it (a status by its label)."""
    if key == "status" and value in WorkStatus.values:
        return str(WorkStatus(value).label)
    return value or "—"


def token(line) -> str:
    return cms_seen.token(state(line))


class StaleLine(ValidationError):
    """The line changed since the page was shown; ``now`` is what is stored (for the fresh
    snapshot the page carries back)."""

    def __init__(self, lines: list[str], now: dict):
        super().__init__(cms_seen.conflict_message(lines))
        self.now = now


def check(seen_token: str | None, line, work) -> None:
    """Raise :class:`StaleLine` when what ``seen_token`` says the page showed differs from what
    is stored now (a form without a token — an older page, a script — is not checked)."""
    shown = cms_seen.read(seen_token)
    if shown is None:
        return
    now = state(line, work)
    if shown == now:
        return
    labels = _labels()
    lines = [
        _("%(field)s: lúc bạn mở trang là “%(was)s”, nay là “%(now)s”.")
        % {
            "field": labels.get(key, key),
            "was": _shown(key, shown.get(key)),
            "now": _shown(key, now.get(key)),
        }
        for key in labels
        if shown.get(key) != now.get(key)
    ]
    raise StaleLine(lines, now)
