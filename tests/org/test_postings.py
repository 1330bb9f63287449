import datetime

import pytest

from org.models import CivilServant, LeadershipRole
from org.postings import PostingSpan, own_overlap_errors, second_head_errors
from tests.factories import CivilServantFactory, PostingFactory, UnitFactory, post

pytestmark = pytest.mark.django_db
D = datetime.date


def test_mid_year_transfer_keeps_both_postings():
    old_unit, new_unit = UnitFactory(), UnitFactory()
    person = CivilServantFactory()
    PostingFactory(
        civil_servant=person, agency=old_unit, start_date=D(2025, 3, 1), end_date=D(2026, 6, 30)
    )
    PostingFactory(civil_servant=person, agency=new_unit, start_date=D(2026, 7, 1))

    assert person.primary_posting_on(D(2026, 6, 30)).agency == old_unit
    assert person.primary_posting_on(D(2026, 7, 1)).agency == new_unit
    assert person.primary_posting_on(D(2025, 1, 1)) is None
    assert person.postings.count() == 2
    assert set(CivilServant.objects.posted_on(D(2026, 5, 1))) == {person}


def test_concurrent_posting_does_not_replace_the_primary_one():
    main_unit, other_unit = UnitFactory(), UnitFactory()
    person = post(main_unit)
    PostingFactory(civil_servant=person, agency=other_unit, is_concurrent=True)
    assert person.primary_posting_on(D(2026, 3, 1)).agency == main_unit
    assert len(person.postings_on(D(2026, 3, 1))) == 2


def test_overlapping_primary_postings_are_reported():
    spans = [
        PostingSpan(1, "staff", D(2026, 1, 1), None),
        PostingSpan(2, "staff", D(2026, 7, 1), None),
    ]
    errors = own_overlap_errors(spans)
    assert len(errors) == 1
    assert "01/01/2026" in errors[0] and "01/07/2026" in errors[0]


def test_back_to_back_and_concurrent_postings_are_fine():
    spans = [
        PostingSpan(1, "staff", D(2026, 1, 1), D(2026, 6, 30)),
        PostingSpan(2, "staff", D(2026, 7, 1), None),
        PostingSpan(3, "deputy", D(2026, 2, 1), None, is_concurrent=True),
    ]
    assert own_overlap_errors(spans) == []


def test_a_unit_cannot_have_two_heads_at_once():
    unit = UnitFactory()
    head = post(unit, LeadershipRole.HEAD, start=D(2026, 1, 1), end=D(2026, 6, 30))
    clash = PostingSpan(unit.pk, LeadershipRole.HEAD, D(2026, 6, 1), None)
    errors = second_head_errors(clash, civil_servant_id=None)
    assert errors and head.full_name in errors[0]
    successor = PostingSpan(unit.pk, LeadershipRole.HEAD, D(2026, 7, 1), None)
    assert second_head_errors(successor, civil_servant_id=None) == []
    assert second_head_errors(clash, civil_servant_id=head.pk) == []
