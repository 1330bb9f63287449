"""Issue 42 item 7 (coverage review 2026-11-25 M1): with the Nghệ An framework, whose 30 points
are three groups (satisfaction, coordination, discipline) instead of one "general" component,
the general points are shown — not "—" — on Form 01, its print, the API and the national
record, and they re-add with the task points to the total."""

import datetime
from decimal import Decimal

import pytest

from api.outbox import period_payload
from api.serializers.results import PeriodScoreSerializer
from ratings.printing.form01 import build_form01
from scoring.models import CriteriaFramework, FrameworkAssignment, GeneralCriteriaMark, PeriodScore
from scoring.services import score_person
from tests.scoring.helpers import build_world
from tests.scoring.test_frameworks import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def nghe_an_score():
    world = build_world()
    nghe_an = CriteriaFramework.objects.get(code="nghe-an-bon-nhom-chi-so")
    publish(nghe_an)
    FrameworkAssignment.objects.create(
        framework=nghe_an, agency=world.department, effective_from=datetime.date(2026, 1, 1)
    )
    person = world.person("Võ Thị Nghệ")
    world.line(person, "X", 20, 20)
    marks = {"S.1": 4, "S.2": 4, "C.1": 4.5, "C.2": 4.5, "K.1": 5, "K.2": 5}
    for code, mark in marks.items():
        GeneralCriteriaMark.objects.create(
            civil_servant=person,
            period=world.period,
            component={"S": "satisfaction", "C": "coordination", "K": "discipline"}[code[0]],
            criterion=code,
            self_mark=Decimal(str(mark)),
            evaluator_mark=Decimal(str(mark)),
        )
    return score_person(person, world.period)


def _everywhere(score):
    form = build_form01(score)
    return {
        "form01": form.general_total,
        "api": PeriodScoreSerializer(score).data["general_points"],
        "national": period_payload(score)["result"]["general_points"],
    }


def test_the_groups_outside_the_task_result_are_the_general_points_everywhere(nghe_an_score):
    score = nghe_an_score
    # 60 (tasks) + 12 + 9 + 15 = 96: the three groups give 36 general points.
    assert score.total == Decimal("96.00") and score.task_points == Decimal("60.00")
    assert _everywhere(score) == {"form01": "36,00", "api": "36.00", "national": "36.00"}
    assert score.task_points + score.points_outside_tasks == score.total


def test_a_row_stored_before_the_fix_shows_them_too(nghe_an_score):
    PeriodScore.objects.filter(pk=nghe_an_score.pk).update(general_points=None)
    score = PeriodScore.objects.get(pk=nghe_an_score.pk)
    assert _everywhere(score) == {"form01": "36,00", "api": "36.00", "national": "36.00"}
