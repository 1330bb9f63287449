"""How each agency stands against a milestone: submitted, appraised, approved, late.

Dates come from the software's records where it holds them (``providers``) and from what Sở Nội
vụ recorded by hand (``MilestoneRecord``); a date recorded by hand wins (it is the official
register: the dispatch's date when a catalog came on paper, a correction). States:

* **approved** — a decision approved it; **appraised** — appraised, waiting for the decision;
* **submitted** — sent to Sở Nội vụ, not yet appraised;
* **pending** — nothing yet, the date has not passed; **overdue** — nothing yet and it has.

An agency is **late** when it submitted after the due date, or has not submitted and the due
date has passed. A milestone binds the active agencies of its kinds. ``board`` answers for a
milestone and any number of agencies in a fixed number of queries (the provider's plus one).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Agency
from oversight.models import Milestone, MilestoneRecord
from oversight.services.providers import Dates, dates_for

PENDING, OVERDUE, SUBMITTED, APPRAISED, APPROVED = (
    "pending",
    "overdue",
    "submitted",
    "appraised",
    "approved",
)
LABELS = {
    PENDING: _("Chưa nộp, chưa đến hạn"),
    OVERDUE: _("Chưa nộp, quá hạn"),
    SUBMITTED: _("Đã nộp, chờ thẩm định"),
    APPRAISED: _("Đã thẩm định, chờ phê duyệt"),
    APPROVED: _("Đã phê duyệt"),
}
NOT_SUBMITTED = (PENDING, OVERDUE)


@dataclass(frozen=True)
class Status:
    milestone: Milestone
    agency: Agency
    state: str
    late: bool
    days_left: int
    submitted_on: datetime.date | None = None
    submission_ref: str = ""
    appraised_on: datetime.date | None = None
    appraised_by: str = ""
    approved_on: datetime.date | None = None
    decision_ref: str = ""
    #: "software", "hand", "both" or "" — where the dates shown come from.
    source: str = ""
    record_id: int | None = None

    @property
    def label(self) -> str:
        text = str(LABELS[self.state])
        if self.late and self.state not in NOT_SUBMITTED:
            text = _("%(state)s — nộp muộn") % {"state": text}
        return text

    @property
    def submitted(self) -> bool:
        return self.state not in NOT_SUBMITTED


def _state(dates: dict, due: datetime.date, today: datetime.date) -> tuple[str, bool]:
    submitted = dates["submitted_on"]
    if dates["approved_on"]:
        state = APPROVED
    elif dates["appraised_on"]:
        state = APPRAISED
    elif submitted:
        state = SUBMITTED
    else:
        state = OVERDUE if today > due else PENDING
    if state in NOT_SUBMITTED:
        return state, state == OVERDUE
    return state, submitted is not None and submitted > due


FIELDS = (
    "submitted_on",
    "submission_ref",
    "appraised_on",
    "appraised_by",
    "approved_on",
    "decision_ref",
)


def _merge(derived: Dates | None, record: MilestoneRecord | None) -> tuple[dict, str]:
    dates, from_software, from_hand = {}, False, False
    for name in FIELDS:
        by_hand = getattr(record, name, None) if record is not None else None
        found = getattr(derived, name, None) if derived is not None else None
        if by_hand:
            dates[name], from_hand = by_hand, True
        elif found:
            dates[name], from_software = found, True
        else:
            dates[name] = None if name.endswith("_on") else ""
    if dates["submitted_on"] is None and (dates["appraised_on"] or dates["approved_on"]):
        dates["submitted_on"] = dates["appraised_on"] or dates["approved_on"]
    source = {(True, True): "both", (True, False): "software", (False, True): "hand"}.get(
        (from_software, from_hand), ""
    )
    return dates, source


def bound_agencies(milestone: Milestone, agencies=None):
    """The active agencies ``milestone`` binds (among ``agencies`` when given)."""
    rows = Agency.objects.all() if agencies is None else agencies
    return rows.filter(is_active=True, kind__in=milestone.agency_kinds or []).order_by("path")


def board(milestone: Milestone, agencies=None, today: datetime.date | None = None) -> list[Status]:
    """One ``Status`` per agency bound by ``milestone`` (among ``agencies``)."""
    today = today or timezone.localdate()
    rows = list(bound_agencies(milestone, agencies))
    ids = [agency.pk for agency in rows]
    derived = dates_for(milestone, ids)
    records = {
        record.agency_id: record
        for record in MilestoneRecord.objects.filter(milestone=milestone, agency_id__in=ids)
    }
    days_left = (milestone.due_date - today).days
    statuses = []
    for agency in rows:
        record = records.get(agency.pk)
        dates, source = _merge(derived.get(agency.pk), record)
        state, late = _state(dates, milestone.due_date, today)
        statuses.append(
            Status(
                milestone=milestone,
                agency=agency,
                state=state,
                late=late,
                days_left=days_left,
                source=source,
                record_id=record.pk if record else None,
                **dates,
            )
        )
    return statuses


def agency_milestones(agency: Agency, year: int | None = None, today=None) -> list[Status]:
    """The milestones of ``year`` (this year) that bind ``agency``, each with its status."""
    today = today or timezone.localdate()
    year = year or today.year
    found = []
    for milestone in Milestone.objects.filter(year=year).order_by("due_date", "code"):
        if milestone.applies_to(agency):
            found.extend(board(milestone, Agency.objects.filter(pk=agency.pk), today))
    return found
