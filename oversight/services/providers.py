"""Where an agency's milestone dates come from when the software holds the real records.

A provider takes a milestone and the ids of the agencies it binds and returns ``{agency id:
Dates}`` in a fixed number of queries, whatever the number of agencies. ``PROVIDERS`` maps a
milestone kind to its provider; a kind without one (job descriptions until their versioned model
exists, "other") is recorded by hand only (``MilestoneRecord``).

To plug in a new source (e.g. the job descriptions being built as a versioned model on
``org.JobPosition``), add a function here and register it for its kind::

    @register(MilestoneKind.JOB_DESCRIPTION)
    def job_descriptions(milestone, agency_ids):
        ...  # one query: first submission / approval per agency since milestone.starts
        return {agency_id: Dates(submitted_on=…, approved_on=…, decision_ref=…)}

(``oversight`` sits above ``org``, ``catalog_pages`` and ``scoring`` in the layers, so it may read
their models; they never import it.)
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min
from django.utils import timezone

from wagtail.models import Page, TaskState, WorkflowState

from catalog_pages.models import AgencyCatalogPage, CatalogVersion
from oversight.models import MilestoneKind
from scoring.models import FrameworkAssignment


@dataclass(frozen=True)
class Dates:
    submitted_on: datetime.date | None = None
    appraised_on: datetime.date | None = None
    appraised_by: str = ""
    approved_on: datetime.date | None = None
    decision_ref: str = ""


Provider = Callable[..., dict[int, Dates]]
PROVIDERS: dict[str, Provider] = {}


def register(kind: str):
    def decorator(function: Provider) -> Provider:
        PROVIDERS[str(kind)] = function
        return function

    return decorator


def dates_for(milestone, agency_ids) -> dict[int, Dates]:
    provider = PROVIDERS.get(milestone.kind)
    if provider is None or not agency_ids:
        return {}
    return provider(milestone, list(agency_ids))


def _start(milestone) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(milestone.starts, datetime.time.min))


def _day(moment) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _user_name(user) -> str:
    if user is None:
        return ""
    return getattr(user, "full_name", "") or user.get_full_name() or user.get_username()


@register(MilestoneKind.CATALOG)
def catalogs(milestone, agency_ids) -> dict[int, Dates]:
    """Submitted: the first time since the milestone opened that the agency's catalog page was
    sent to the Sở Nội vụ appraisal workflow (a catalog published directly by Sở Nội vụ counts
    as submitted when it was approved). Appraised: the workflow task approved (by whom). Approved:
    the first catalog version frozen since then, with its decision number. Four queries."""
    start = _start(milestone)
    page_agency = dict(
        AgencyCatalogPage.objects.filter(agency_id__in=agency_ids).values_list("pk", "agency_id")
    )
    page_type = ContentType.objects.get_for_model(Page)
    object_ids = [str(pk) for pk in page_agency]
    submitted = {
        page_agency[int(row["object_id"])]: row["first"]
        for row in WorkflowState.objects.filter(
            base_content_type=page_type, object_id__in=object_ids, created_at__gte=start
        )
        .values("object_id")
        .annotate(first=Min("created_at"))
    }
    appraised: dict[int, tuple] = {}
    states = (
        TaskState.objects.filter(
            workflow_state__base_content_type=page_type,
            workflow_state__object_id__in=object_ids,
            status=TaskState.STATUS_APPROVED,
            finished_at__gte=start,
        )
        .select_related("finished_by", "workflow_state")
        .order_by("finished_at")
    )
    for state in states:
        agency_id = page_agency[int(state.workflow_state.object_id)]
        appraised.setdefault(agency_id, (state.finished_at, _user_name(state.finished_by)))
    approved: dict[int, tuple] = {}
    versions = (
        CatalogVersion.objects.filter(agency_id__in=agency_ids, approved_at__gte=start)
        .order_by("approved_at")
        .values_list("agency_id", "approved_at", "approval_ref")
    )
    for agency_id, moment, ref in versions:
        approved.setdefault(agency_id, (moment, ref))
    found = {}
    for agency_id in set(submitted) | set(appraised) | set(approved):
        approved_at, ref = approved.get(agency_id, (None, ""))
        appraised_at, by = appraised.get(agency_id, (None, ""))
        sent = submitted.get(agency_id) or appraised_at or approved_at
        found[agency_id] = Dates(
            submitted_on=_day(sent),
            appraised_on=_day(appraised_at or approved_at),
            appraised_by=by,
            approved_on=_day(approved_at),
            decision_ref=ref,
        )
    return found


@register(MilestoneKind.CRITERIA_FRAMEWORK)
def criteria_frameworks(milestone, agency_ids) -> dict[int, Dates]:
    """Approved: the first criteria framework assigned to the agency itself from the day the
    milestone opened (its ``effective_from`` and decision number). The software has no record
    of the draft being sent or appraised: those dates are recorded by hand
    **[giả định — tỉnh cần xác nhận]**: the date it applies from stands for the decision's
    date. One query."""
    found: dict[int, Dates] = {}
    rows = (
        FrameworkAssignment.objects.filter(
            agency_id__in=agency_ids, effective_from__gte=milestone.starts
        )
        .order_by("effective_from")
        .values_list("agency_id", "effective_from", "decision_ref")
    )
    for agency_id, day, ref in rows:
        found.setdefault(agency_id, Dates(approved_on=day, decision_ref=ref))
    return found
