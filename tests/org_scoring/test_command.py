"""``manage.py score_organisations --year YYYY [--agency CODE]``."""

import io

import pytest

from django.core.management import CommandError, call_command

from org_scoring.models import OrganisationScore
from tests.factories.org_scoring import YEAR

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("score_organisations", *args, stdout=out)
    return out.getvalue()


def test_the_whole_province_then_nothing_to_rewrite(world):
    world.complete(world.unit)
    text = run("--year", str(YEAR))
    assert (
        "Năm 2026: 4 cơ quan, đơn vị (1 được chấm điểm, 3 chưa đủ dữ liệu); ghi 4 kết quả" in text
    )
    assert "ghi 0 kết quả, 4 không đổi" in run("--year", str(YEAR))


def test_one_agency_with_its_sub_units_and_the_agencies_above(world):
    world.complete(world.unit)
    text = run("--year", str(YEAR), "--agency", "stn-p1")
    assert "Năm 2026: 2 cơ quan, đơn vị (1 được chấm điểm" in text
    assert set(OrganisationScore.objects.values_list("agency__code", flat=True)) == {
        "STN-P1",
        "STN",
    }


def test_an_unknown_agency_is_an_error(world):
    with pytest.raises(CommandError, match="Không tìm thấy cơ quan, đơn vị có mã KHONGCO"):
        run("--year", str(YEAR), "--agency", "KHONGCO")
