"""Reviews count events per product — Decree 335 Art. 14 b, c [confirmed]: each failed review
and each delay removes 25 % of *that product's* points, floored at 0 per product (review
2026-11-22, W3 and W8; cases C07, C25, C26)."""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError

from scoring.models import AssignmentLine, Deduction
from tests.worklog.helpers import TODAY
from worklog.services.preview import period_preview
from worklog.services.review import Exemption, accept, return_for_rework

pytestmark = pytest.mark.django_db
D = datetime.date


def fresh(line):
    return AssignmentLine.objects.get(pk=line.pk)


def preview(world, line):
    return period_preview(world.people["nhan"], line.period, TODAY).result


def test_c26_ten_products_accepted_late_are_ten_delays_art14c(world):
    """C26, Art. 14 c [confirmed]: 10 products, all completed after the deadline: each is one
    delay (not one per line): c = 75 %."""
    leader = world.users["truong"]
    line = world.line(quantity=10, deadline=D(2026, 3, 5))
    world.submit(line, completed_on=D(2026, 3, 9))
    accept(leader, line, round_number=1, confirmed_on=D(2026, 3, 9), today=TODAY)
    stored = fresh(line)
    assert (stored.delays, stored.delays_by_product) == (10, [1] * 10)
    assert Deduction.objects.get(line=line).products == 10
    assert preview(world, line)["timeliness"] == "75.00"


def test_the_leader_counts_the_products_completed_late_art14c(world):
    """Art. 14 c [confirmed]: 3 of 10 products late → 3 delays → c = 92.5 %."""
    leader = world.users["truong"]
    line = world.line(quantity=10, deadline=D(2026, 3, 5))
    world.submit(line, completed_on=D(2026, 3, 9))
    accept(leader, line, round_number=1, confirmed_on=D(2026, 3, 9), today=TODAY, late=3)
    assert fresh(line).delays_by_product == [0] * 7 + [1] * 3
    assert preview(world, line)["timeliness"] == "92.50"


def test_late_count_must_be_within_the_accepted_products(world):
    leader = world.users["truong"]
    line = world.line(quantity=2, deadline=D(2026, 3, 5))
    world.submit(line, completed_on=D(2026, 3, 9))
    with pytest.raises(ValidationError) as caught:
        accept(leader, line, round_number=1, confirmed_on=D(2026, 3, 9), today=TODAY, late=3)
    assert "late" in caught.value.message_dict
    assert fresh(line).delays == 0


def test_a_return_counts_every_reported_product_by_default_art14b(world):
    """Art. 14 b [confirmed]: returning a report of 4 products is 4 failed reviews."""
    leader = world.users["truong"]
    line = world.line(quantity=4)
    world.submit(line)
    return_for_rework(leader, line, round_number=1, comment="Sai số liệu", today=TODAY)
    assert (fresh(line).failed_reviews, fresh(line).failed_by_product) == (4, [1, 1, 1, 1])


def test_c07_one_product_returned_five_times_floors_at_that_product_art14b(world):
    """C07, Art. 14 b [confirmed]: a line of 2; one product returned 5 times, then both
    accepted → b = 50 % (not 37.5 %)."""
    leader = world.users["truong"]
    line = world.line(quantity=2)
    for round_number in range(1, 6):
        world.submit(line)
        return_for_rework(
            leader, line, round_number=round_number, comment="Sai", today=TODAY, returned=1
        )
    world.submit(line)
    accept(leader, line, round_number=6, confirmed_on=TODAY, today=TODAY)
    assert fresh(line).failed_by_product == [0, 5]
    assert preview(world, line)["quality"] == "50.00"


def test_c25_failures_of_a_product_never_accepted_cost_nothing_more_art14b(world):
    """C25, Art. 14 b [confirmed]: 2 products; one returned twice and not redone, the other
    accepted alone → b = 50 % (not 25 %)."""
    leader = world.users["truong"]
    line = world.line(quantity=2)
    for round_number in (1, 2):
        world.submit(line)
        return_for_rework(
            leader, line, round_number=round_number, comment="Sai", today=TODAY, returned=1
        )
    world.submit(line, quantity=1)
    accept(leader, line, round_number=3, confirmed_on=TODAY, today=TODAY)
    stored = fresh(line)
    assert (stored.completed_quantity, stored.failed_by_product) == (Decimal(1), [0, 2])
    result = preview(world, line)
    assert (result["quantity"], result["quality"]) == ("50.00", "50.00")


def test_returned_count_must_be_within_the_report(world):
    leader = world.users["truong"]
    line = world.line(quantity=2)
    world.submit(line)
    for returned in (0, 3):
        with pytest.raises(ValidationError) as caught:
            return_for_rework(
                leader, line, round_number=1, comment="x", today=TODAY, returned=returned
            )
        assert "returned" in caught.value.message_dict
    assert fresh(line).failed_reviews == 0


def test_an_exempted_return_exempts_each_returned_product_art14b(world):
    """Art. 14 b exception [confirmed]: the exemption covers every product of the return."""
    leader = world.users["truong"]
    line = world.line(quantity=2)
    world.submit(line)
    return_for_rework(
        leader,
        line,
        round_number=1,
        comment="Đổi biểu mẫu",
        today=TODAY,
        exemption=Exemption(True, "Văn bản hướng dẫn thay đổi"),
    )
    world.submit(line)
    accept(leader, line, round_number=2, confirmed_on=TODAY, today=TODAY)
    assert fresh(line).failed_reviews == 2
    assert preview(world, line)["quality"] == "100.00"
