"""The answers as the scoring's input (``scoring.services.feeds``): per civil servant, the
number of answers of each level for results returned during the period."""

from __future__ import annotations

from django.db.models import Count

from feedback.models import SURVEY_LEVELS, SatisfactionCode, SurveyTally


def satisfaction_counts(period, people=None) -> dict[int, dict[str, int]]:
    rows = SatisfactionCode.objects.filter(
        answered_at__isnull=False,
        completed_on__gte=period.start_date,
        completed_on__lte=period.end_date,
    )
    if people is not None:
        rows = rows.filter(person_id__in=people)
    result: dict[int, dict[str, int]] = {}
    for person, rating, count in (
        rows.values_list("person_id", "rating").annotate(n=Count("id")).order_by()
    ):
        result.setdefault(person, {})[str(rating)] = count
    return result


def survey_counts(period, people=None) -> dict[int, dict[str, int]]:
    """The one-stop survey's answers of the periods inside ``period`` (a month's survey counts
    in its month, its quarter and its year), per civil servant and level."""
    rows = SurveyTally.objects.filter(
        period__start_date__gte=period.start_date, period__end_date__lte=period.end_date
    )
    if people is not None:
        rows = rows.filter(person_id__in=people)
    fields = [field for field, _level in SURVEY_LEVELS]
    result: dict[int, dict[str, int]] = {}
    for person, *counts in rows.values_list("person_id", *fields).order_by():
        mine = result.setdefault(person, {})
        for (_field, level), count in zip(SURVEY_LEVELS, counts, strict=True):
            if count:
                key = str(int(level))
                mine[key] = mine.get(key, 0) + count
    return {person: levels for person, levels in result.items() if levels}
