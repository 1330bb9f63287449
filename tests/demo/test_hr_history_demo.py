"""The demo province shows the multi-year view's flags (docs/hr-decisions.md): a person with two
consecutive years "not completed", one with consecutive excellent years; loading twice adds
nothing."""

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo.ratings_demo import load_ratings_demo
from org.models import Agency
from ratings.models import RatingCase
from ratings.services.hr_history import histories, people_in

pytestmark = pytest.mark.django_db


def test_the_demo_shows_the_flags():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    cases = RatingCase.objects.count()
    summary = load_ratings_demo()
    assert RatingCase.objects.count() == cases  # idempotent
    assert len(summary.hr_history) == 3
    stp = Agency.objects.get(code="STP")
    rows = {row.person.full_name: row for row in histories(people_in(stp, 2022, 2026), 2026)}
    failing, star, _training = (rows[name] for name, _text in summary.hr_history)
    assert {f.code: f.years for f in failing.flags}["dismissal_review"] == (2024, 2025)
    assert {f.code: f.years for f in star.flags}["recognition_streak"] == (2023, 2024, 2025)
    client = Client()
    client.force_login(get_user_model().objects.get(username="quantri.stp"))
    page = client.get(reverse("ratings_hr_history"), {"agency": stp.pk, "flag": "dismissal_review"})
    assert page.status_code == 200
    assert failing.person.full_name in page.content.decode()
