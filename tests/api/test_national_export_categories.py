"""The national civil-servant database never receives a public employee or a contract worker
as a civil servant (issue 18, docs/scope.md): neither a period result nor an annual rating
enters the outbox for them, and the daily batch carries none."""

import datetime
import json

import pytest

from django.utils import timezone

from api.models import OutboxKind, OutboxRecord
from api.national_export import export
from api.outbox import collect_final_results, record_annual_rating, record_period
from org.models import PersonCategory, Posting
from ratings.models import RatingCase
from ratings.models.choices import CaseState
from scoring.models import Period, PeriodStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    return shared_world


def categorise(person, category):
    Posting.objects.filter(civil_servant=person).update(category=category)


def close_march(world):
    Period.objects.filter(pk=world.march.pk).update(
        status=PeriodStatus.CLOSED, closed_at=timezone.now()
    )


def march_people(world):
    return set(
        OutboxRecord.objects.filter(kind=OutboxKind.PERIOD_RESULT, period=world.march).values_list(
            "civil_servant_id", flat=True
        )
    )


@pytest.mark.parametrize(
    "category", [PersonCategory.PUBLIC_EMPLOYEE, PersonCategory.CONTRACT_WORKER]
)
def test_period_results_of_other_categories_stay_out_of_the_outbox(world, category):
    categorise(world.people["binh"], category)
    close_march(world)
    assert collect_final_results() == 2
    assert march_people(world) == {world.people["alice"].pk, world.people["hung"].pk}
    # Not "missing" either: the next export does not go through the period again.
    assert collect_final_results() == 0
    assert record_period(Period.objects.get(pk=world.march.pk)) == 0


def test_a_cadre_is_exported(world):
    categorise(world.people["binh"], PersonCategory.CADRE)
    close_march(world)
    assert collect_final_results() == 3


@pytest.mark.parametrize(
    ("category", "exported"),
    [
        (PersonCategory.CIVIL_SERVANT, True),
        (PersonCategory.CADRE, True),
        (PersonCategory.PUBLIC_EMPLOYEE, False),
        (PersonCategory.CONTRACT_WORKER, False),
    ],
)
def test_annual_ratings_follow_the_category_of_the_year(world, category, exported):
    binh = world.people["binh"]
    categorise(binh, category)
    case = RatingCase.objects.get(civil_servant=binh, year=2026)
    RatingCase.objects.filter(pk=case.pk).update(
        state=CaseState.DECIDED, decision_level="good", decision_date=datetime.date(2026, 12, 21)
    )
    OutboxRecord.objects.filter(rating_case=case).delete()
    case.refresh_from_db()
    assert (record_annual_rating(case) is not None) is exported
    assert OutboxRecord.objects.filter(rating_case=case).exists() is exported


def test_the_batch_never_carries_a_public_employee(world, tmp_path, settings):
    settings.KPI_NATIONAL_DB_DROP_DIR = str(tmp_path)
    OutboxRecord.objects.all().delete()
    categorise(world.people["binh"], PersonCategory.PUBLIC_EMPLOYEE)
    close_march(world)
    result = export(datetime.date(2099, 12, 31))
    assert result.count > 0
    doc = json.loads(next(tmp_path.glob("*.json")).read_text())
    sent = {record["civil_servant"]["official_id"] for record in doc["records"]}
    assert world.people["binh"].official_id not in sent
    assert world.people["alice"].official_id in sent
