"""What the admin pages show: the agencies of a year with their stored scores, and one
agency-year's stored score explained (plain functions; the views stay thin).

Numbers and the arithmetic come from the stored row (its inputs document and the engine's
steps, rendered through ``scoring.explain``); the tables of tasks, marks, shortcomings and
conclusions show the current rows, and the current inputs are hashed to warn when they changed
after the computation.
"""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import Agency
from org_scoring.explain import condition_lines
from org_scoring.frameworks import organisation_framework
from org_scoring.models import (
    OrganisationDisqualification,
    OrganisationGeneralMark,
    OrganisationScore,
    OrganisationShortcoming,
    OrganisationTask,
)
from org_scoring.services.inputs import DECISION, overdue_counts_as_not_done
from org_scoring.services.scorer import inputs_changed
from scoring.explain import num, rating_label, render_steps


def year_rows(agencies, year: int) -> list[dict]:
    """One row per agency: its stored score of ``year`` (or none yet) and its task count."""
    agencies = list(agencies.order_by("path"))
    scores = {
        s.agency_id: s for s in OrganisationScore.objects.filter(year=year, agency__in=agencies)
    }
    tasks = dict(
        OrganisationTask.objects.filter(year=year, agency__in=agencies)
        .order_by()
        .values_list("agency_id")
        .annotate(n=Count("id"))
    )
    return [
        {
            "agency": agency,
            "indent": "\u2003" * max(0, agency.depth - 1),
            "score": scores.get(agency.pk),
            "tasks": tasks.get(agency.pk, 0),
            "rating_label": rating_label(scores[agency.pk].rating)
            if agency.pk in scores and scores[agency.pk].rating
            else "",
        }
        for agency in agencies
    ]


def _marks(agency, year, score, organisation) -> list[dict]:
    counted = dict((score.inputs.get("general") if score else None) or {})
    if score is not None and score.inputs.get("rules", {}).get("self_mark_without_evaluator") == (
        "not_scored"
    ):
        # Review U7: a self-mark no appraiser has marked does not count (it waits).
        for code in score.inputs.get("unappraised", ()):
            counted.pop(code, None)
    current = {
        m.criterion: m for m in OrganisationGeneralMark.objects.filter(agency=agency, year=year)
    }
    rows = []
    for criterion in organisation.general.criteria:
        mark = current.get(criterion.code)
        rows.append(
            {
                "code": criterion.code,
                "label": criterion.label,
                "max": num(criterion.max_points),
                "self_mark": mark.self_mark if mark else None,
                "appraised_mark": mark.appraised_mark if mark else None,
                "appraised_by": mark.appraised_by if mark else None,
                "counted": num(counted[criterion.code]) if criterion.code in counted else None,
            }
        )
    return rows


def _subunits(score) -> list[dict]:
    if score is None:
        return []
    entries = score.inputs.get("subunits", {})
    unrated = score.inputs.get("subunits_unrated", [])
    names = Agency.objects.in_bulk([*(int(pk) for pk in entries), *unrated])
    rows = [
        {
            "agency": names.get(int(pk)),
            "label": rating_label(entry["rating"]),
            "not_completed": entry["rating"] == "not_completed",
            "source": _("quyết định xếp loại")
            if entry["source"] == DECISION
            else _("kết quả chấm điểm"),
        }
        for pk, entry in entries.items()
    ]
    rows += [
        {"agency": names.get(pk), "label": "", "not_completed": False, "source": ""}
        for pk in unrated
    ]
    return sorted(rows, key=lambda r: r["agency"].path if r["agency"] else "")


def _unreported(tasks, framework) -> dict:
    """Pending tasks not yet due, and those overdue (counted as not done, or left out, per
    the framework's ``organisation.overdue_unreported``; review U8)."""
    today = timezone.localdate()
    unreported = [t for t in tasks if not t.counts]
    overdue = sum(1 for t in unreported if t.deadline < today)
    return {
        "pending": len(unreported) - overdue,
        "overdue": overdue,
        "overdue_not_done": overdue_counts_as_not_done(framework),
    }


def agency_year_context(agency, year: int) -> dict:
    score = (
        OrganisationScore.objects.filter(agency=agency, year=year)
        .select_related("framework", "agency")
        .first()
    )
    framework = organisation_framework(agency, year)
    organisation = framework.organisation
    tasks = list(
        OrganisationTask.objects.filter(agency=agency, year=year)
        .select_related("certified_by")
        .order_by("deadline", "id")
    )
    counts = (score.result.get("counts") if score and score.scored else None) or {}
    return {
        "agency": agency,
        "year": year,
        "score": score,
        "framework": framework,
        "rating_label": rating_label(score.rating) if score and score.rating else "",
        "score_rating_label": rating_label(score.score_rating)
        if score and score.score_rating
        else "",
        "counts": counts,
        "conditions": condition_lines(score),
        "steps": render_steps(score.explanation) if score else [],
        "input_errors": sorted(score.input_errors.items()) if score else [],
        "inputs_changed": score is not None and inputs_changed(score),
        "tasks": tasks,
        **_unreported(tasks, framework),
        "uncertified": sum(1 for t in tasks if t.counts and not t.is_certified),
        "marks": _marks(agency, year, score, organisation),
        "subunits": _subunits(score),
        "shortcomings": list(OrganisationShortcoming.objects.filter(agency=agency, year=year)),
        "disqualifications": list(
            OrganisationDisqualification.objects.filter(agency=agency, year=year)
        ),
    }
