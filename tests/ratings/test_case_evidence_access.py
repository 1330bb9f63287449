"""Review 2026-11-22 (ux #4): the director could not open the Form 01 and the score explanation
of the case she decides ("no access"). Whoever holds a role on a case — the head who evaluates,
rates or gives an opinion — reads the records it rests on: a head reaches the agency they head
(``org.access``), as an agency grant does."""

import datetime
from html import unescape

import pytest

from django.urls import reverse

from scoring.models import Period
from tests.factories import period_score

pytestmark = pytest.mark.django_db


def opened(client, url) -> str:
    """The page as the person reads it (status 200 checked)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.content.decode())


def refused(client, url, name) -> None:
    response = client.get(url, follow=True)
    assert response.redirect_chain or response.status_code in (403, 404), url
    assert name not in unescape(response.content.decode()), url


def test_the_deciding_director_opens_the_staff_members_form01_and_explanation(client, world):
    person = world.staff("Nguyễn Văn Nhân", score=82)
    march = Period.for_date(datetime.date(2026, 3, 1), create=True)
    score = period_score(person, march, 82, world.unit)
    client.force_login(world.users["giamdoc"])
    form01 = opened(client, reverse("ratings_form01", args=[score.pk]))
    # The form of this person and this month, with the month's total (decimal comma).
    assert "Nguyễn Văn Nhân" in form01 and "03/2026" in form01 and "82,00" in form01
    explain = opened(client, reverse("scoring_explain", args=[score.pk]))
    assert "Nguyễn Văn Nhân" in explain and "82,00" in explain
    # The head of another department still reads nothing of it.
    client.force_login(world.users["giamdockhac"])
    refused(client, reverse("ratings_form01", args=[score.pk]), "Nguyễn Văn Nhân")
    refused(client, reverse("scoring_explain", args=[score.pk]), "Nguyễn Văn Nhân")


def test_a_unit_head_reads_only_their_own_unit(client, world):
    own = world.staff("Lê Thị Một", score=80)
    other = world.staff("Trần Văn Hai", score=80, unit=world.unit2)
    march = Period.for_date(datetime.date(2026, 3, 1), create=True)
    own_score = period_score(own, march, 80, world.unit)
    other_score = period_score(other, march, 80, world.unit2)
    client.force_login(world.users["truongphong"])
    assert "Lê Thị Một" in opened(client, reverse("scoring_explain", args=[own_score.pk]))
    refused(client, reverse("scoring_explain", args=[other_score.pk]), "Trần Văn Hai")
