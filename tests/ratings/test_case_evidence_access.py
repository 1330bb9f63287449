"""Review 2026-11-22 (ux #4): the director could not open the Form 01 and the score explanation
of the case she decides ("no access"). Whoever holds a role on a case — the head who evaluates,
rates or gives an opinion — reads the records it rests on: a head reaches the agency they head
(``org.access``), as an agency grant does."""

import datetime

import pytest

from django.urls import reverse

from scoring.models import Period
from tests.factories import period_score

pytestmark = pytest.mark.django_db


def test_the_deciding_director_opens_the_staff_members_form01_and_explanation(client, world):
    person = world.staff("Nguyễn Văn Nhân", score=82)
    march = Period.for_date(datetime.date(2026, 3, 1), create=True)
    score = period_score(person, march, 82, world.unit)
    client.force_login(world.users["giamdoc"])
    assert client.get(reverse("ratings_form01", args=[score.pk])).status_code == 200
    assert client.get(reverse("scoring_explain", args=[score.pk])).status_code == 200
    # The head of another department still reads nothing of it.
    client.force_login(world.users["giamdockhac"])
    assert client.get(reverse("ratings_form01", args=[score.pk])).status_code in (302, 403, 404)
    assert client.get(reverse("scoring_explain", args=[score.pk])).status_code in (302, 403, 404)


def test_a_unit_head_reads_only_their_own_unit(client, world):
    own = world.staff("Lê Thị Một", score=80)
    other = world.staff("Trần Văn Hai", score=80, unit=world.unit2)
    march = Period.for_date(datetime.date(2026, 3, 1), create=True)
    own_score = period_score(own, march, 80, world.unit)
    other_score = period_score(other, march, 80, world.unit2)
    client.force_login(world.users["truongphong"])
    assert client.get(reverse("scoring_explain", args=[own_score.pk])).status_code == 200
    assert client.get(reverse("scoring_explain", args=[other_score.pk])).status_code in (302, 403)
