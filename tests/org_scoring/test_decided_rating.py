"""A sub-unit's decided level reaches the organisation scoring without it importing ``ratings``:
``ratings`` records it as ``org_scoring.DecidedRating`` whenever an agency case is saved."""

import pytest

from django.urls import reverse

from org.access import HOME_AFFAIRS_GROUP
from org_scoring.models import DecidedRating
from org_scoring.services.decisions import decided_levels
from ratings.services.cases import open_agency_case
from tests.factories import UserFactory
from tests.factories.org_scoring import YEAR

pytestmark = pytest.mark.django_db


def test_a_decision_is_recorded_and_follows_the_case(world):
    case, _created = open_agency_case(world.unit2, YEAR)
    assert decided_levels(YEAR, [world.unit2.pk]) == {}

    case.decision_level, case.state = "good", "decided"
    case.save()
    assert decided_levels(YEAR, [world.unit2.pk]) == {world.unit2.pk: "good"}

    case.decision_level = "completed"
    case.save()
    assert DecidedRating.objects.get(agency=world.unit2, year=YEAR).level == "completed"

    case.state = "cancelled"
    case.save()
    assert decided_levels(YEAR, [world.unit2.pk]) == {}


def test_the_agency_year_page_links_the_agencys_case_through_the_ratings_hook(client, world):
    case, _created = open_agency_case(world.unit, YEAR)
    client.force_login(UserFactory(groups=[HOME_AFFAIRS_GROUP]))
    html = client.get(reverse("org_scoring_agency_year", args=[world.unit.pk, YEAR]))
    assert html.status_code == 200
    assert reverse("ratings_case", args=[case.pk]) in html.content.decode()


def test_the_recognitions_keep_their_admin_address(client, world):
    """``OutstandingRecognition`` moved to ``scoring``; its admin stayed where it was."""
    client.force_login(UserFactory(groups=[HOME_AFFAIRS_GROUP]))
    url = reverse("wagtailsnippets_org_scoring_outstandingrecognition:list")
    assert url.endswith("/snippets/org_scoring/outstandingrecognition/")
    assert client.get(url).status_code == 200
