"""Whether the score a rating case reads is being recomputed (issue 28; legal review D2): the
person's annual score, or for an agency its organisation score, marked stale by a change of
its inputs (``scoring.services.freshness``). The case page and Form 02 say so, and a decision
waits (``ratings.workflow.guards.scores_are_fresh``)."""

from django.utils.translation import gettext as _

from scoring.services import freshness


def case_stale_since(case):
    """When the inputs of the case's score changed, while it is being recomputed; else None."""
    if case.is_agency_case:
        if not case.subject_agency_id:
            return None
        return freshness.organisation_stale_since(case.subject_agency_id, case.year)
    if not case.civil_servant_id:
        return None
    return freshness.annual_stale_since(case.civil_servant_id, case.year)


def case_stale_label(case) -> str:
    since = case_stale_since(case)
    return freshness.label(since) if since else ""


def case_refusal(case, what: str | None = None) -> str | None:
    """The reason a decision (or another use of the case's score) must wait, or None."""
    what = what or _("quyết định xếp loại")
    if case.is_agency_case:
        if not case.subject_agency_id:
            return None
        return freshness.organisation_refusal(case.subject_agency_id, case.year, what)
    if not case.civil_servant_id:
        return None
    # At the moment of use (issue 42): a year only marked (its months current) is recomputed
    # on the spot; one whose months a run still owes refuses with the reason.
    try:
        freshness.ensure_fresh(case.civil_servant_id, case.year, what)
    except freshness.StaleFigureError as error:
        return error.reason
    return None
