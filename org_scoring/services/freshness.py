"""The organisation scores' part of the refresh of stale figures (``scoring.services.freshness``,
which cannot import this app): every year with marked agencies is rescored — each marked
agency with its subtree and the agencies above it (``score_organisations(year, agency)``), or
the whole province when a mark names no agency or many agencies are marked. Registered in
``OrgScoringConfig.ready``."""

from org.models import Agency
from org_scoring.services.scorer import score_organisations
from scoring.models import StaleFigure, StaleKind
from scoring.services import freshness

#: Beyond this many marked agencies in a year, the whole province is rescored at once.
WHOLE_PROVINCE_FROM = 20


def drain() -> dict:
    summary = {}
    for year in freshness.stale_years(StaleKind.ORGANISATION):
        subjects = set(
            StaleFigure.objects.filter(kind=StaleKind.ORGANISATION, year=year).values_list(
                "subject_id", flat=True
            )
        )
        written = 0
        if None in subjects or len(subjects) > WHOLE_PROVINCE_FROM:
            written += score_organisations(year).written
        else:
            agencies = Agency.objects.filter(pk__in=subjects).order_by("-depth", "path")
            for agency in agencies:
                written += score_organisations(year, agency).written
            missing = subjects - set(agencies.values_list("pk", flat=True))
            # Marks of agencies deleted since: nothing left to score.
            freshness.clear(
                list(
                    StaleFigure.objects.filter(
                        kind=StaleKind.ORGANISATION, year=year, subject_id__in=missing
                    ).values_list("pk", flat=True)
                )
            )
        summary[str(year)] = written
    return summary
