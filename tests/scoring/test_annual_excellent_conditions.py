"""M4 for the YEAR (legal review 2026-11-25 F5, case L36; docs/scoring.md §14): under
``individual.excellent_conditions`` = ``qd366`` QĐ 366 Art. 11's conditions (100 % of the
products on time, at least 30 % exceeded) hold for the annual rating, measured over every
assigned line of the year's periods. A year whose lines fail them is banded below "excellent"
(its band, its rating before the quota, the quota's candidates, the decision ceiling), and the
explanation says why; a year whose lines meet them stays excellent. Under the default option
nothing changes."""

from decimal import Decimal as D

import pytest

from django.utils import translation

from ratings.models import RatingCase
from ratings.services.cases import open_cases
from ratings.services.ceilings import civil_servant_ceiling
from scoring.explain import render_steps
from scoring.models import AnnualScore, AssignmentLine, PeriodScore, StaleFigure, StaleKind
from scoring.services import freshness, score_period, score_year
from scoring.services.half_year import half_years
from tests.scoring.helpers import build_world, individual_option

pytestmark = pytest.mark.django_db

WITHHELD = "Chưa đạt nên không xếp mức hoàn thành xuất sắc"


@pytest.fixture
def world():
    return build_world()


def month_of(world, name, *, exceeded, plain, marks=25):
    """A person whose month has ``exceeded`` lines done 2/1 and ``plain`` lines 1/1: with
    general marks 25 the month scores 95.00 whatever the share exceeded."""
    person = world.person(name)
    for _ in range(exceeded):
        world.line(person, "X", 1, 2)
    for _ in range(plain):
        world.line(person, "X", 1, 1)
    world.marks(person, marks)
    return person


def annual_lines(annual) -> list[str]:
    with translation.override("vi"):
        return render_steps(annual.explanation["steps"])


def test_l36_a_year_of_demoted_months_is_not_excellent_nor_a_quota_candidate(world):
    individual_option("excellent_conditions", "qd366")
    plain = month_of(world, "Trần Văn Không Vượt", exceeded=0, plain=10)
    meets = month_of(world, "Lê Thị Vượt Mức", exceeded=3, plain=7)
    score_period(world.period)
    month = PeriodScore.objects.get(civil_servant=plain, period=world.period)
    assert (month.total, month.rating) == (D("95.00"), "good")
    assert month.excellent_counts == [10, 10, 0]

    score_year(2026)
    annual = AnnualScore.objects.get(civil_servant=plain, year=2026)
    assert annual.score == D("95.00")
    assert annual.score_rating == "good"
    assert annual.rating_before_quota == "good"
    assert annual.rating == "good"
    assert annual.explanation["inputs"]["excellent_conditions"] == {
        "passed": False,
        "lines": 10,
        "on_time": 10,
        "exceeded": 0,
        "unmeasured": 0,
        "rating": "good",
    }
    shown = " ".join(annual_lines(annual))
    assert "0/10 dòng vượt số giao (0,00%, cần từ 30%)" in shown
    assert WITHHELD in shown and "xếp mức Hoàn thành tốt nhiệm vụ" in shown
    # The quota counts only the year that meets the conditions as an excellent candidate.
    assert annual.explanation["quota"]["candidates"] == 1
    other = AnnualScore.objects.get(civil_servant=meets, year=2026)
    assert other.rating_before_quota == "excellent"
    assert other.explanation["quota"]["candidates"] == 1

    # The decision ceiling follows the demoted band, and says why.
    open_cases(2026, world.department)
    ceiling = civil_servant_ceiling(RatingCase.objects.get(civil_servant=plain))
    assert ceiling.level == "good"
    with translation.override("vi"):
        reasons = " ".join(ceiling.reasons)
    assert "Chưa đạt điều kiện thêm của mức hoàn thành xuất sắc cả năm" in reasons
    assert "10/10 dòng sản phẩm đúng hạn, 0/10 dòng vượt số giao" in reasons
    assert civil_servant_ceiling(RatingCase.objects.get(civil_servant=meets)).level == "excellent"
    # The six-month view is computed as the year is (scoring.services.half_year).
    assert half_years(plain.pk, 2026)[0].result.rating == "good"
    assert half_years(meets.pk, 2026)[0].result.rating == "excellent"


def test_a_year_whose_lines_meet_the_conditions_stays_excellent(world):
    individual_option("excellent_conditions", "qd366")
    person = month_of(world, "Lê Thị Vượt Mức", exceeded=3, plain=7)
    score_period(world.period)
    score_year(2026)
    annual = AnnualScore.objects.get(civil_servant=person, year=2026)
    assert (annual.score, annual.score_rating, annual.rating_before_quota) == (
        D("95.00"),
        "excellent",
        "excellent",
    )
    assert annual.explanation["inputs"]["excellent_conditions"]["passed"] is True
    shown = " ".join(annual_lines(annual))
    assert "3/10 dòng vượt số giao (30,00%" in shown and "Đạt: giữ mức" in shown
    assert WITHHELD not in shown


def test_the_year_is_measured_over_all_its_lines_not_month_by_month(world):
    """Two months of 95.00: March 4/10 exceeded (excellent), April 1/10 (good). Over the year
    5/20 = 25 % < 30 %: the year is not excellent, though one month was."""
    individual_option("excellent_conditions", "qd366")
    person = month_of(world, "Phạm Văn Hai Tháng", exceeded=4, plain=6)
    april = type(world.period).for_date(world.period.end_date.replace(day=1).replace(month=4),
                                        create=True)  # fmt: skip
    for _ in range(1):
        world.line(person, "X", 1, 2, period=april)
    for _ in range(9):
        world.line(person, "X", 1, 1, period=april)
    world.marks(person, 25, period=april)
    score_period(world.period)
    score_period(april)
    ratings = dict(
        PeriodScore.objects.filter(civil_servant=person).values_list("period__number", "rating")
    )
    assert ratings == {3: "excellent", 4: "good"}
    score_year(2026)
    annual = AnnualScore.objects.get(civil_servant=person, year=2026)
    assert annual.score == D("95.00") and annual.rating_before_quota == "good"
    check = annual.explanation["inputs"]["excellent_conditions"]
    assert (check["lines"], check["exceeded"], check["on_time"]) == (20, 5, 20)


def test_a_change_of_a_months_lines_marks_the_year_and_the_refresh_follows_it(world):
    """The month's total stays 95.00 when three lines become exceeded: only the counts move,
    and they are part of what the year was computed from."""
    individual_option("excellent_conditions", "qd366")
    person = month_of(world, "Trần Văn Không Vượt", exceeded=0, plain=10)
    score_period(world.period)
    score_year(2026)
    assert AnnualScore.objects.get(civil_servant=person).rating_before_quota == "good"

    for line in AssignmentLine.objects.filter(civil_servant=person)[:3]:
        line.completed_quantity = 2
        line.save()
    score_period(world.period)
    month = PeriodScore.objects.get(civil_servant=person, period=world.period)
    assert (month.total, month.rating) == (D("95.00"), "excellent")
    assert StaleFigure.objects.filter(
        kind=StaleKind.ANNUAL, subject_id=person.pk, year=2026
    ).exists()
    freshness.refresh_derived()
    annual = AnnualScore.objects.get(civil_servant=person, year=2026)
    assert (annual.score, annual.rating_before_quota) == (D("95.00"), "excellent")
    assert annual.explanation["inputs"]["excellent_conditions"]["exceeded"] == 3


def test_by_default_the_year_is_banded_by_its_score_alone(world):
    person = month_of(world, "Trần Văn Không Vượt", exceeded=0, plain=10)
    score_period(world.period)
    month = PeriodScore.objects.get(civil_servant=person, period=world.period)
    assert month.rating == "excellent" and month.excellent_counts is None
    score_year(2026)
    annual = AnnualScore.objects.get(civil_servant=person, year=2026)
    assert (annual.score_rating, annual.rating_before_quota) == ("excellent", "excellent")
    assert "excellent_conditions" not in annual.explanation["inputs"]
    assert WITHHELD not in " ".join(annual_lines(annual))
