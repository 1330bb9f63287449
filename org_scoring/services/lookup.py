"""Reading stored organisation scores (used by ``ratings`` and ``dashboards``)."""

from org_scoring.models import OrganisationScore


def stored_score(agency, year: int) -> OrganisationScore | None:
    """The stored, scored row of ``agency`` for ``year`` (``None`` when there is none or the
    agency could not be scored)."""
    if agency is None:
        return None
    return (
        OrganisationScore.objects.filter(agency=agency, year=year, scored=True)
        .select_related("framework")
        .first()
    )


def scores_by_agency(year: int, agency_ids=None) -> dict[int, OrganisationScore]:
    """Scored rows of ``year`` keyed by agency id (one query)."""
    rows = OrganisationScore.objects.filter(year=year, scored=True)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=list(agency_ids))
    return {row.agency_id: row for row in rows}
