"""The answers as the scoring's input (``scoring.services.feeds``): per civil servant, the
number of answers of each level for results returned during the period."""

from __future__ import annotations

from django.db.models import Count

from feedback.models import SatisfactionCode


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
