"""No accepted framework can produce a total above its maximum (Decree 335 Art. 12), and a
score that somehow exceeds it (a framework published before this check) never stops the
annual batch."""

import copy
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.core.management import call_command

from scoring.engine import DECREE_335_DEFAULT
from scoring.models import AnnualScore, CriteriaFramework, PeriodScore
from scoring.services import score_period, score_year
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


def test_a_framework_without_a_cap_cannot_be_saved():
    rules = copy.deepcopy(DECREE_335_DEFAULT.to_dict())
    rules["task_method"]["cap_percent"] = None
    framework = CriteriaFramework(name="Khung thử", code="khung-khong-tran", rules=rules)
    with pytest.raises(ValidationError) as exc:
        framework.full_clean()
    assert "framework.task_method.cap_percent" in str(exc.value.message_dict["rules"])


def test_a_stored_total_above_the_maximum_is_reported_not_raised(capsys):
    world = build_world()
    good, bad = world.person("Người bình thường"), world.person("Người vượt trần")
    world.full_month(good)
    world.full_month(bad)
    score_period(world.period)
    PeriodScore.objects.filter(civil_servant=bad).update(total=Decimal("135.00"))
    report = score_year(2026)
    assert AnnualScore.objects.filter(civil_servant=good).exists()
    assert not AnnualScore.objects.filter(civil_servant=bad).exists()
    assert "periods[0]" in report.errors[bad.pk]
    call_command("score_year", "2026")
    out = capsys.readouterr().out
    assert "Người vượt trần" in out and "không tính được điểm năm" in out
