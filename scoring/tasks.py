"""Background tasks (django-tasks) wrapping the scoring services.

Arguments are JSON-serialisable (codes and ids), as a database-backed worker needs; results are
small summaries. With the in-process ImmediateBackend configured by default, ``enqueue()`` runs
the task at once.
"""

from django_tasks import task

from org.models import Agency, CivilServant
from scoring.models import Period
from scoring.services import score_period, score_person, score_year
from scoring.services.rescoring import run_scoring_task  # noqa: F401 - the worker finds it here too


def _agency(code: str | None):
    return Agency.objects.get(code=code) if code else None


@task()
def score_period_task(period_code: str, agency_code: str | None = None, force: bool = False):
    period = Period.from_code(period_code, create=True)
    report = score_period(period, _agency(agency_code), force=force)
    return {
        "period": period.code,
        "refused": report.refused,
        "people": report.people,
        "written": report.written,
        "unchanged": report.unchanged,
        "not_scored": report.not_scored,
        "with_errors": report.with_errors,
        "seconds": round(report.seconds, 3),
    }


@task()
def score_person_task(civil_servant_id: int, period_code: str, force: bool = False):
    period = Period.from_code(period_code)
    person = CivilServant.objects.get(pk=civil_servant_id)
    score = score_person(person, period, force=force) if period else None
    return {
        "score_id": score.pk if score else None,
        "total": str(score.total) if score and score.total is not None else None,
        "rating": score.rating if score else "",
    }


@task()
def score_year_task(year: int, agency_code: str | None = None):
    report = score_year(year, _agency(agency_code))
    return {
        "year": year,
        "people": report.people,
        "written": report.written,
        "unchanged": report.unchanged,
        "with_errors": len(report.errors),
        "seconds": round(report.seconds, 3),
    }
