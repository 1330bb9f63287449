"""Facts for the method page: frameworks in force with their rules and citations, catalog
versions in force, and how recent the published figures are."""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils import timezone

from catalog_pages.models import AgencyCatalogPage, CatalogVersion
from dashboards.models.snapshot import PublicSnapshot
from dashboards.snapshots import public_tables
from ratings.models import CaseKind, CaseState, RatingCase
from ratings.services.labels import level_label
from scoring.framework_display import rules_context
from scoring.models import AppliesTo, FrameworkAssignment
from scoring.services.frameworks import live_framework


def frameworks_in_force(day: datetime.date) -> list[dict]:
    """Live civil-servant frameworks assigned on ``day``: province-wide ones first, each with
    its scope, rules (with citations) and the date its live revision was published."""
    assignments = (
        FrameworkAssignment.objects.filter(
            framework__applies_to=AppliesTo.CIVIL_SERVANT,
            framework__live=True,
            effective_from__lte=day,
        )
        .select_related("framework__live_revision", "agency")
        .order_by("agency__path", "-effective_from")
    )
    result: dict[int, dict] = {}
    for assignment in assignments:
        framework = assignment.framework
        entry = result.get(framework.pk)
        if entry is None:
            resolved = live_framework(framework)
            if resolved is None:
                continue
            entry = result[framework.pk] = {
                "framework": framework,
                "published_at": framework.live_revision.created_at,
                "version": resolved.rules.version,
                "province_wide": False,
                "agencies": [],
                "assignments": [],
                **rules_context(resolved.rules.to_dict()),
            }
        entry["assignments"].append(assignment)
        agency = assignment.agency  # None (no query) when the assignment is province-wide
        if agency is None:
            entry["province_wide"] = True
        else:
            entry["agencies"].append(agency.name)
    return sorted(result.values(), key=lambda e: (not e["province_wide"], e["framework"].name))


def catalogs_in_force(day: datetime.date) -> list[dict]:
    """The catalog version of each agency that applies on ``day`` (one query for all)."""
    versions = (
        CatalogVersion.objects.filter(effective_from__lte=day)
        .select_related("agency")
        .order_by("agency__path", "-effective_from", "-number")
    )
    pages = {
        page.agency_id: page
        for page in AgencyCatalogPage.objects.live().only("id", "url_path", "agency_id")
    }
    result, seen = [], set()
    for version in versions:
        if version.agency_id in seen:
            continue
        seen.add(version.agency_id)
        page = pages.get(version.agency_id)
        result.append({"version": version, "url": page.url if page else ""})
    return result


def lifted_ceilings(periods) -> list[dict]:
    """Organisation decisions above the computed ceiling for force majeure (Gia Lai plan
    §III.3.d), for the agencies whose organisation result of that year is public — recorded in
    the snapshot of a published period of the year. Each with the decided level, the ceiling it
    went above, the decision and the recorded circumstances (the decision is the authority's
    public act; nothing about any person)."""
    if not periods:
        return []
    tables = public_tables(periods)
    public = {
        (period.year, agency_id)
        for period in periods
        if period.pk in tables
        for agency_id in tables[period.pk].organisation
    }
    if not public:
        return []
    cases = (
        RatingCase.objects.filter(
            kind=CaseKind.AGENCY,
            year__in={year for year, _agency in public},
            subject_agency_id__in={agency for _year, agency in public},
        )
        .exclude(state=CaseState.CANCELLED)
        .exclude(ceiling_lifted_from="")
        .select_related("subject_agency")
        .order_by("-year", "subject_agency__path")
    )
    return [
        {
            "agency": case.subject_agency.name,
            "year": case.year,
            "decided": level_label(case.decision_level),
            "ceiling": level_label(case.ceiling_lifted_from),
            "decision_ref": case.decision_ref,
            "decision_date": case.decision_date,
            "reason": case.force_majeure_reason,
        }
        for case in cases
        if case.subject_agency is not None and (case.year, case.subject_agency_id) in public
    ]


def data_cut_off(periods) -> dict:
    """When the published figures' scores were last computed, and the last published period."""
    computed = PublicSnapshot.objects.filter(period__in=[p.pk for p in periods]).aggregate(
        at=Max("scores_computed_at")
    )["at"]
    latest = max(periods, key=lambda p: p.end_date) if periods else None
    return {"computed_at": computed, "latest_period": latest, "rendered_at": timezone.now()}
