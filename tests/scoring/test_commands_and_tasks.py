"""The management commands and the django-tasks wrappers."""

import io

import pytest

from django.core.management import CommandError, call_command

from scoring.models import AnnualScore, PeriodScore, PeriodStatus
from scoring.tasks import score_period_task, score_person_task, score_year_task
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    for name in ("Tôn Văn Lệnh", "Tôn Thị Lệnh"):
        world.full_month(world.person(name), 27)
    return world


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_score_period_command(world):
    text = run("score_period", "--period", "2026-03")
    assert "Tháng 03/2026: 2 công chức; ghi 2 kết quả, 0 không đổi" in text
    text = run("score_period", "--period", "2026-03", "--agency", world.unit.code)
    assert "ghi 0 kết quả, 2 không đổi" in text
    assert PeriodScore.objects.count() == 2


def test_score_period_command_refuses_a_closed_period_without_force(world):
    world.period.status = PeriodStatus.CLOSED
    world.period.save()
    with pytest.raises(CommandError, match="đã khóa sổ"):
        run("score_period", "--period", "2026-03")
    assert "ghi 2 kết quả" in run("score_period", "--period", "2026-03", "--force")


def test_bad_arguments(world):
    with pytest.raises(CommandError, match="Mã kỳ không hợp lệ"):
        run("score_period", "--period", "03/2026")
    with pytest.raises(CommandError, match="Không tìm thấy"):
        run("score_period", "--period", "2026-03", "--agency", "KHONGCO")


def test_score_year_command(world):
    run("score_period", "--period", "2026-03")
    assert "Năm 2026: 2 công chức; ghi 2 kết quả" in run("score_year", "2026")
    assert AnnualScore.objects.count() == 2


def test_tasks(world):
    result = score_period_task.enqueue("2026-03")
    assert result.return_value["written"] == 2
    person = world.people["Tôn Văn Lệnh"]
    result = score_person_task.enqueue(person.pk, "2026-03")
    assert result.return_value["total"] == "97.00"
    assert score_year_task.enqueue(2026).return_value["written"] == 2
