"""M4 on the Django side (legal review §3; docs/scoring.md §14): under the framework option
``individual.excellent_conditions`` = ``qd366`` (QĐ 366 Art. 11 [secondary]) a period banded
"excellent" also needs every assigned line done on time and at least 30 % of them exceeded —
counted on the person's **own lines** as stored, whatever the batch's exact pre-merging of
lines does for speed. Both sides of the 30 % boundary, through the batch and the one-person
door; the default (``score_only``) bands by the score alone."""

from decimal import Decimal as D

import pytest

from django.utils import translation

from scoring.explain import render_steps
from scoring.models import PeriodScore
from scoring.services import score_period, score_person
from tests.scoring.helpers import build_world, individual_option

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def person_with_lines(world, exceeded, plain):
    person = world.person("Nguyễn Văn Vượt")
    for _ in range(exceeded):
        world.line(person, "X", 1, 2)
    for _ in range(plain):
        world.line(person, "X", 1, 1)
    world.marks(person, 30)
    return person


def batch(person, period):
    score_period(period)
    return PeriodScore.objects.get(civil_servant=person, period=period)


def one_person(person, period):
    return score_person(person, period)


@pytest.mark.parametrize("door", [batch, one_person], ids=["batch", "one_person"])
def test_by_default_excellent_is_by_score_only(world, door):
    person = person_with_lines(world, exceeded=0, plain=10)
    score = door(person, world.period)
    assert score.total >= 90 and score.rating == "excellent"
    assert "excellent_conditions" not in [s["code"] for s in score.explanation["steps"]]


@pytest.mark.parametrize("door", [batch, one_person], ids=["batch", "one_person"])
@pytest.mark.parametrize(
    ("exceeded", "rating", "shown"),
    [(3, "excellent", "3/10 dòng vượt số giao (30,00%"), (2, "good", "2/10 dòng vượt số giao")],
    ids=["30%_excellent", "20%_good"],
)
def test_qd366_counts_the_stored_lines_on_both_sides_of_30_percent(
    world, door, exceeded, rating, shown
):
    individual_option("excellent_conditions", "qd366")
    person = person_with_lines(world, exceeded=exceeded, plain=10 - exceeded)
    score = door(person, world.period)
    assert score.total >= 90 and score.rating == rating
    step = next(s for s in score.explanation["steps"] if s["code"] == "excellent_conditions")
    assert (step["lines"], step["exceeded"], step["on_time"]) == (10, exceeded, 10)
    with translation.override("vi"):
        assert any(shown in line for line in render_steps(score.explanation["steps"]))
    assert score.total == D("100.00")
