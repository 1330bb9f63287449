"""Opening the year's cases for a whole province (issue 48, the season at 20,000 people: 9 ms a
case, most of it the same authority read again for every person).

Within ``open_cases`` the active authority rules and each agency's heads on the case's day are
read once (``org.authority.remembered``); every case records the same rater as one opened by
itself, and outside the batch nothing is remembered."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from org import authority
from org.models import AuthorityRule
from ratings.models import RatingCase
from ratings.services.cases import open_cases
from tests.ratings.world import YEAR


def _reads(queries, table: str) -> int:
    return sum(1 for q in queries.captured_queries if f'FROM "{table}"' in q["sql"])


def test_the_rules_and_heads_are_read_once_and_every_case_names_its_rater(world):
    names = [f"Nhân viên {i}" for i in range(6)]
    for i, name in enumerate(names):
        world.staff(name, unit=world.unit if i % 2 else world.unit2)
    with CaptureQueriesContext(connection) as queries:
        report = open_cases(YEAR, world.department)
    people = RatingCase.objects.filter(year=YEAR, kind="civil_servant")
    assert people.count() >= len(names)
    assert _reads(queries, AuthorityRule._meta.db_table) == 1
    # Each case records the agency whose head rates, as a case opened alone would.
    for case in people.select_related("civil_servant"):
        alone = authority.resolve_authority(
            case.civil_servant, authority.year_day(case.civil_servant, YEAR)
        )
        assert case.rater_agency_id == alone.rater.agency.pk
    assert len(report.created) == people.count() + RatingCase.objects.filter(kind="agency").count()


def test_outside_a_batch_nothing_is_remembered(world):
    world.staff("Nhân viên A")
    rules = authority.active_rules()
    AuthorityRule.objects.filter(pk=rules[0].pk).update(is_active=False)
    assert len(authority.active_rules()) == len(rules) - 1
    with authority.remembered():
        first = authority.active_rules()
        AuthorityRule.objects.filter(pk=rules[1].pk).update(is_active=False)
        assert authority.active_rules() is first
    assert len(authority.active_rules()) == len(rules) - 2


def test_a_head_is_not_their_own_head_in_a_batch(world):
    head = world.unit.postings.get(role="head")
    with authority.remembered():
        own = authority.head_posting(world.unit, authority.year_day(head.civil_servant, YEAR))
        other = authority.head_posting(
            world.unit, authority.year_day(head.civil_servant, YEAR), exclude=head.civil_servant
        )
    assert own.pk == head.pk
    assert other is None or other.civil_servant_id != head.civil_servant_id


def test_agency_cases_opened_together_as_each_alone(world):
    """The agencies and units are opened many at once: each case names the nearest agency
    above it as its rater (``rater_agency_of``), has its "open" log row, and what saving it
    would record of its decided level is recorded (none: a stale record goes); an agency that
    already has a case keeps it."""
    from org.authority import rater_agency_of
    from org.models import Agency
    from org_scoring.models import DecidedRating
    from ratings.models import CaseTransition
    from ratings.services.cases import open_agency_case

    kept, _created = open_agency_case(world.unit2, YEAR)
    DecidedRating.objects.create(agency=world.unit, year=YEAR, level="excellent")
    report = open_cases(YEAR, world.department, user=None)
    cases = RatingCase.objects.filter(year=YEAR, kind="agency").select_related("subject_agency")
    expected = Agency.objects.filter(path__startswith=world.department.path, is_active=True)
    assert {c.subject_agency_id for c in cases} == set(expected.values_list("pk", flat=True))
    for case in cases:
        assert case.rater_agency == rater_agency_of(case.subject_agency), case.subject_agency
        assert case.agency_id == case.subject_agency_id and case.state == "draft"
    assert cases.get(subject_agency=world.unit2).pk == kept.pk
    assert report.existing >= 1
    assert not DecidedRating.objects.filter(agency=world.unit, year=YEAR).exists()
    opened = set(CaseTransition.objects.filter(action="open").values_list("case_id", flat=True))
    assert set(cases.values_list("pk", flat=True)) <= opened
