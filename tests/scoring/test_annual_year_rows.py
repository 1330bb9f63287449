"""The annual step's two readings of the year's stored period scores agree (issue 48).

On PostgreSQL the province's reading (and an agency's) asks the database for one row a
person — the texts of their period rows joined in period id order, and the text of the latest
scored one, which names the framework that rates the year — instead of the year's rows one by
one (1,200,000 at 100,000 people). A targeted run, and SQLite, read the rows and join them
here. Both must give the same text (the sources fingerprint hashes it: a difference would
recompute the whole province at every run, or worse, miss a change), the same latest row and
the same rows for the engine, whatever the rows hold: unscored months without a total,
quarters, halves and the year ending on the same day as December, QĐ 366 counts, a row
without a framework revision."""

import datetime

import pytest

from scoring.models import AnnualScore, Period, PeriodScore, StaleFigure
from scoring.services import annual, score_year
from tests.factories import AgencyFactory, UnitFactory, period_score
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

YEAR = 2026


def _period(kind, day):
    return Period.for_date(day, kind=kind, create=True)


@pytest.fixture
def province():
    world = build_world()
    other = AgencyFactory(parent=world.province, code="STC", name="Sở Tài chính thử nghiệm")
    other_unit = UnitFactory(parent=other, code="STC-P1", name="Phòng Ngân sách")
    december = datetime.date(YEAR, 12, 1)
    longer = [
        _period("quarter", december),
        _period("half_year", december),
        _period("year", december),
        _period("quarter", datetime.date(YEAR, 4, 1)),
    ]
    for index in range(8):
        unit = world.unit if index % 2 else other_unit
        person = world.person(f"Người {index}", agency=unit)
        for number in range(1, 13):
            month = Period.for_date(datetime.date(YEAR, number, 1), create=True)
            scored = (number + index) % 5 != 0
            period_score(person, month, 70 + (number * 7 + index) % 30, unit, scored=scored)
        # Some people with the longer periods too, one of them unscored (the latest scored
        # row is then a month's or another long period's).
        for position, period in enumerate(longer[: index % 5]):
            period_score(person, period, 80 + position, unit, scored=position != index % 3)
    rows = PeriodScore.objects.filter(period__year=YEAR).order_by("id")
    PeriodScore.objects.filter(pk__in=list(rows.values_list("pk", flat=True)[::7])).update(
        excellent_counts=[5, 4, 1]
    )
    world.other_unit = other_unit
    return world


def _row_reading(people=None):
    """The rows one by one, joined here (the targeted runs' and SQLite's reading)."""
    calendar = annual.year_calendar(YEAR)
    return annual._by_person(annual._period_rows_of(sorted(calendar), people), calendar)


def _same(left: dict, right: dict) -> None:
    assert left.keys() == right.keys()
    for person, rows in left.items():
        other = right[person]
        assert rows.text == other.text, person
        assert rows.latest == other.latest, person
        assert rows.rows == other.rows, person


def test_the_province_and_an_agency_read_as_the_rows_do(province):
    calendar = annual.year_calendar(YEAR)
    both = annual._raw_period_rows(YEAR, calendar, None)
    assert len(both) == 8
    _same(both, _row_reading())
    # The joined text, as the fingerprint hashes it: every row, in period id order.
    some = next(iter(both.values()))
    lines = some.text.split("\n")
    assert [int(line.split("|", 1)[0]) for line in lines] == sorted(
        int(line.split("|", 1)[0]) for line in lines
    )
    # The latest scored row by lateness (by last day, the shortest of those ending together
    # last): somebody's is December's, somebody's, with December and the fourth quarter
    # unscored, the second half-year's.
    december = Period.objects.get(kind="month", year=YEAR, number=12)
    half = Period.objects.get(kind="half_year", year=YEAR, number=2)
    latest = [r.latest.split("|", 1)[0] for r in both.values() if r.latest]
    assert str(december.pk) in latest and str(half.pk) in latest
    # An agency's people (a queryset of ids, as an agency's run reads them).
    people = PeriodScore.objects.filter(agency=province.other_unit).values("civil_servant_id")
    agency = annual._raw_period_rows(YEAR, calendar, people)
    assert len(agency) == 4
    _same(agency, _row_reading(people))


def test_a_targeted_run_agrees_with_the_province_run(province):
    """The province's run stores each person's sources from one reading; a targeted run (the
    rows read by id) finds them unchanged: nothing recomputed, nothing written. On
    PostgreSQL the two readings are the database's joined text and this process's."""
    first = score_year(YEAR)
    assert first.written == first.people == 8
    StaleFigure.objects.all().delete()
    assert score_year(YEAR).recomputed == 0

    def fingerprints():
        return list(
            AnnualScore.objects.filter(year=YEAR)
            .order_by("id")
            .values_list("civil_servant_id", "sources_hash", "own_digest", "inputs_hash")
        )

    stored = fingerprints()
    someone = stored[0][0]
    # The marked person's year is computed again from the rows read by id: same sources,
    # same figures — nothing written, no fingerprint moved.
    targeted = score_year(YEAR, people=[someone])
    assert (targeted.written, targeted.sources_updated) == (0, 0)
    assert fingerprints() == stored
    # A change to one row is seen by the province's reading.
    row = PeriodScore.objects.filter(civil_servant_id=someone, scored=True).order_by("id").first()
    PeriodScore.objects.filter(pk=row.pk).update(total=row.total - 1)
    again = score_year(YEAR)
    assert someone in again.recomputed_people
    assert again.written >= 1
