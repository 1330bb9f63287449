"""What the lead body of a bloc runs for its bloc, on its report page (coverage A8, review
2026-11-25 H2): the period's state for the bloc's bodies (open, closed by the bloc, closed
province-wide) with the close and reopen pages, the complaints waiting for its re-check
(phúc tra), and its inspections of the bloc's evaluation work.

Who may read is the bloc report's rule (``dashboards.bloc_report.readable_leads``); who may
close is ``dashboards.closing.closable_leads`` (the same people).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dashboards import closing
from org.models import BlocLead
from oversight.models import Inspection
from ratings.models import PeriodComplaint, PeriodComplaintStatus
from scoring.models import Period, PeriodKind, PeriodStatus

#: How many of the latest months the page lists.
MONTHS_SHOWN = 6


@dataclass
class PeriodRow:
    period: Period
    state: str
    closed_by_bloc: bool
    close_url: str = ""
    reopen_url: str = ""


@dataclass
class Desk:
    periods: list[PeriodRow]
    latest: PeriodRow | None
    rechecks: int
    rechecks_url: str
    inspections: int
    inspections_url: str
    add_inspection_url: str


def state_of(period: Period, lead: BlocLead) -> str:
    """The period's state for the bloc's bodies, in words."""
    if period.status != PeriodStatus.OPEN:
        return _("%(status)s (toàn tỉnh)") % {"status": period.get_status_display()}
    closed = period.bloc_close(lead.root)
    if closed is None:
        return str(PeriodStatus.OPEN.label)
    at = closed["at"]
    if at is None:
        return _("Đã khóa sổ cho khối")
    return _("Đã khóa sổ cho khối lúc %(at)s") % {
        "at": date_format(timezone.localtime(at), "d/m/Y H:i")
    }


def _row(period: Period, lead: BlocLead, may_close: bool) -> PeriodRow:
    closed = period.bloc_close(lead.root) is not None
    province_open = period.status == PeriodStatus.OPEN
    row = PeriodRow(period, state_of(period, lead), closed)
    if may_close and province_open:
        if closed:
            row.reopen_url = reverse("dashboards_period_bloc_reopen", args=[period.pk, lead.pk])
        else:
            row.close_url = reverse("dashboards_period_bloc_close", args=[period.pk, lead.pk])
    return row


def build(lead: BlocLead, user, today: datetime.date | None = None) -> Desk:
    """The desk of ``lead``'s bloc as ``user`` sees it (a fixed number of queries)."""
    today = today or timezone.localdate()
    may_close = closing.may_close_bloc(user, lead)
    months = list(
        Period.objects.filter(kind=PeriodKind.MONTH, start_date__lte=today).order_by("-start_date")[
            :MONTHS_SHOWN
        ]
    )
    rows = [_row(period, lead, may_close) for period in months]
    root = lead.root
    return Desk(
        periods=rows,
        latest=rows[0] if rows else None,
        rechecks=PeriodComplaint.objects.filter(
            status=PeriodComplaintStatus.RECHECK, agency__path__startswith=root.path
        ).count(),
        rechecks_url=reverse("ratings_period_complaints"),
        inspections=Inspection.objects.filter(agency__path__startswith=root.path).count(),
        inspections_url=reverse("wagtailsnippets_oversight_inspection:list"),
        add_inspection_url=reverse("wagtailsnippets_oversight_inspection:add"),
    )
