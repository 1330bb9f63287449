"""The ratings demo on the demo province: idempotent, and the demo flow's people can act."""

import pytest

from django.core.management import call_command

from demo.ratings_demo import load_ratings_demo
from ratings.actors import resolve_actors
from ratings.models import AgencySchedule, BonusRegulation, RatingCalendar, RatingCase
from ratings.services.calendars import is_special

pytestmark = pytest.mark.django_db


def test_ratings_demo_is_idempotent_and_wires_the_demo_sign_ins():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = load_ratings_demo()
    # load_demo already opened them: at least the agency cases of Sở Tư pháp exist.
    assert first.cases_created + first.cases_existing > 0
    # The two raters, then a sign-in for every other role holder of the demo cases.
    assert [u for u, _ in first.users][:2] == ["giamdoc.stp", "chutich.tinh"]
    counts = (
        RatingCase.objects.count(),
        RatingCalendar.objects.count(),
        AgencySchedule.objects.count(),
        BonusRegulation.objects.count(),
    )
    second = load_ratings_demo()
    assert second.cases_created == 0
    assert second.cases_existing == first.cases_created + first.cases_existing
    assert counts == (
        RatingCase.objects.count(),
        RatingCalendar.objects.count(),
        AgencySchedule.objects.count(),
        BonusRegulation.objects.count(),
    )
    schedule = AgencySchedule.objects.get()
    assert is_special(schedule.agency)
    unit_case = RatingCase.objects.filter(subject_agency__code__startswith="STP-").first()
    actors = resolve_actors(unit_case)
    assert actors.rater.person.user.username == "giamdoc.stp"
