"""Failed reviews and delays stored and scored per product — Decree 335 Art. 14 b, c
[confirmed]: each event removes 25 % of *that product's* points, floored at 0 per product.
Review 2026-11-22, W3 and W8 (cases C07, C25, C26)."""

from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError

from scoring.models import AssignmentLine, DeductionKind, PeriodScore
from scoring.services import grant_exemption, record_deduction, remove_deduction
from scoring.services.loading import LineRow, load_lines
from scoring.services.person import score_person
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def rows(line):
    return list(map(LineRow._make, load_lines(line.period).line_rows(line.civil_servant_id)))


def stored(world, person) -> PeriodScore:
    world.marks(person, 30)
    return score_person(person, world.period)


def test_c07_stored_line_one_product_failed_five_times_art14b(world):
    """C07, Art. 14 b [confirmed]: line of 2, one product failed review 5 times → b = 50 %."""
    person = world.person("Lê Văn Bảy")
    world.line(person, "X", 2, 2, failed_reviews=5, failed_by_product=[5])
    score = stored(world, person)
    assert score.quality == Decimal("50.00")
    assert score.explanation["lines"][0][8:] == [[5], None]


def test_c25_stored_line_failures_of_the_unfinished_product_art14b(world):
    """C25, Art. 14 b [confirmed]: 1 accepted, the other returned twice and unfinished."""
    person = world.person("Trần Thị Hai Lăm")
    world.line(person, "X", 2, 1, failed_reviews=2, failed_by_product=[0, 2])
    assert stored(world, person).quality == Decimal("50.00")


def test_line_without_breakdown_keeps_the_line_formula_art14b(world):
    """Art. 14 b [confirmed]: older lines (no breakdown) spread their events: 2 products,
    5 failures → 2 - 1.25 = 0.75 → 37.5 %, as before."""
    person = world.person("Phạm Cũ")
    world.line(person, "X", 2, 2, failed_reviews=5)
    assert stored(world, person).quality == Decimal("37.50")


def test_c26_ten_late_products_recorded_as_ten_delays_art14c(world):
    """C26, Art. 14 c [confirmed]: one delay on each of 10 products: c = 75 %, total 94.17."""
    person = world.person("Ngô Mười")
    line = world.line(person, "X", 10, 10)
    deduction = record_deduction(
        line, DeductionKind.DELAY, products=10, first_product=1, decided_by="test-setup"
    )
    line.refresh_from_db()
    assert (line.delays, line.delays_by_product, deduction.products) == (10, [1] * 10, 10)
    score = stored(world, person)
    assert (score.timeliness, score.total) == (Decimal("75.00"), Decimal("94.17"))


def test_returns_on_the_same_product_accumulate_and_removal_undoes_art14b(world):
    """Art. 14 b [confirmed]: two returns of product 2 → [0, 2]; removing one → [0, 1]."""
    person = world.person("Vũ Trả Lại")
    line = world.line(person, "X", 2, 2)
    record_deduction(line, DeductionKind.REVIEW, first_product=2, decided_by="test-setup")
    second = record_deduction(line, DeductionKind.REVIEW, first_product=2, decided_by="test-setup")
    assert (line.failed_reviews, line.failed_by_product) == (2, [0, 2])
    remove_deduction(second, decided_by="test-setup")
    line.refresh_from_db()
    assert (line.failed_reviews, line.failed_by_product) == (1, [0, 1])


def test_exemption_removes_the_events_of_its_products_only_art14b(world):
    """Art. 14 b exception [confirmed]: an exempt row of products 1–2 takes one event off each."""
    person = world.person("Đỗ Miễn Trừ")
    line = world.line(person, "X", 3, 3)
    first = record_deduction(
        line, DeductionKind.REVIEW, products=2, first_product=1, decided_by="test-setup"
    )
    record_deduction(
        line, DeductionKind.REVIEW, products=1, first_product=1, decided_by="test-setup"
    )
    grant_exemption(first, reason="Văn bản cấp trên thay đổi", decided_by="test-setup")
    [row] = rows(line)
    assert (row.failed_reviews, row.exempt_reviews, row.failed_by_product) == (3, 2, [1, 0])


def test_an_event_without_products_drops_the_breakdown(world):
    """An event whose products are unknown: the line falls back to spreading its events."""
    person = world.person("Hoàng Không Rõ")
    line = world.line(person, "X", 2, 2)
    record_deduction(line, DeductionKind.REVIEW, first_product=1, decided_by="test-setup")
    record_deduction(line, DeductionKind.REVIEW, decided_by="test-setup")
    assert (line.failed_reviews, line.failed_by_product) == (2, [])
    assert rows(line)[0].failed_by_product is None


def test_a_breakdown_must_add_up_to_the_line_counter(world):
    person = world.person("Mai Sai Tổng")
    line = world.line(person, "X", 2, 2, failed_reviews=3, failed_by_product=[1, 1])
    with pytest.raises(ValidationError) as caught:
        line.full_clean()
    assert "failed_reviews" in caught.value.message_dict
    line.failed_by_product = [2, 1]
    line.full_clean()
    assert AssignmentLine.objects.filter(pk=line.pk).exists()
