"""``cms.ids.AnyId``: a column equal to one of many ids gives the rows of ``__in``, with the ids
sent as one array parameter on PostgreSQL (issue 48: a chairman's board at 100,000 people
spent about 150 ms preparing, sending and planning the 6,412 ids of one ``IN`` list)."""

import pytest

from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from cms.ids import AnyId
from org.models import CivilServant
from tests.factories import post, two_agencies

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    agencies = two_agencies()
    return [post(agencies.own_unit, full_name=f"Người thứ {n:02d}") for n in range(12)]


def _ids(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


def test_the_rows_are_those_of_in(people):
    every = CivilServant.objects.all()
    chosen = [p.pk for p in people[::3]] + [people[0].pk, 10**9]  # a repeat, an id of no row
    assert _ids(every.filter(AnyId("pk", chosen))) == _ids(every.filter(pk__in=chosen))
    assert _ids(every.exclude(AnyId("id", chosen))) == _ids(every.exclude(pk__in=chosen))
    either = Q(AnyId("id", chosen[:1])) | Q(full_name="Người thứ 05")
    assert _ids(every.filter(either)) == sorted([people[0].pk, people[5].pk])


def test_a_foreign_key_column_and_no_ids(people):
    postings = people[0].postings.model.objects.all()
    mine = [people[1].pk, people[2].pk]
    got = _ids(postings.filter(AnyId("civil_servant_id", mine)))
    assert got == _ids(postings.filter(civil_servant__in=mine)) and len(got) == 2
    assert list(postings.filter(AnyId("civil_servant_id", []))) == []
    assert postings.exclude(AnyId("civil_servant_id", [])).count() == postings.count()


def test_an_empty_column_none_and_a_queryset_as_with_in(people):
    """A column that may be empty (an agency's rating case has no person): its negation keeps
    the empty rows, as ``exclude(…__in=…)`` does; ``None`` among the ids equals no row; a
    queryset is refused (it would be read whole here)."""
    from ratings.models import RatingCase
    from tests.factories import rating_case

    mine = rating_case(people[0])
    theirs = rating_case(people[1])
    agency_case = rating_case(mine.agency.parent or mine.agency)
    assert agency_case.civil_servant_id is None
    cases = RatingCase.objects.all()
    ids = [people[0].pk]
    kept = _ids(cases.exclude(AnyId("civil_servant_id", ids)))
    assert kept == _ids(cases.exclude(civil_servant__in=ids))
    assert theirs.pk in kept and mine.pk not in kept
    assert _ids(cases.exclude(AnyId("civil_servant_id", [*ids, None]))) == kept
    assert _ids(cases.filter(AnyId("civil_servant_id", [*ids, None]))) == [mine.pk]
    with pytest.raises(TypeError, match="not a queryset"):
        AnyId("pk", CivilServant.objects.all())


def test_one_parameter_on_postgresql_however_many_ids(people):
    ids = [p.pk for p in people] + list(range(10**8, 10**8 + 5000))
    with CaptureQueriesContext(connection) as captured:
        found = _ids(CivilServant.objects.filter(AnyId("pk", ids)))
    assert found == sorted(p.pk for p in people)
    sql = captured[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and "::bigint[]" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql
