"""A listing counts its rows up to ``cms.listing.COUNT_CAP`` (issue 48: the admin at 100,000
people, where ``COUNT(*)`` over a year of lines in a leader's reach took seconds): past it the
page says "more than", its pages stop at the cap, and below it nothing changes."""

import pytest

from django.urls import reverse

from cms.listing import CappedPaginator
from org.access import HOME_AFFAIRS_GROUP
from tests.factories import UserFactory, post, two_agencies

pytestmark = pytest.mark.django_db


@pytest.fixture
def seventy(monkeypatch):
    agencies = two_agencies()
    for number in range(70):
        post(agencies.own_unit, full_name=f"Người thứ {number:02d}")
    monkeypatch.setattr(CappedPaginator, "cap", 60)
    return UserFactory(groups=[HOME_AFFAIRS_GROUP])


def _listing(client, **params):
    response = client.get(reverse("wagtailsnippets_org_civilservant:list"), params)
    assert response.status_code == 200
    return response


def test_past_the_cap_the_page_says_more_than_and_its_pages_stop_there(client, seventy):
    client.force_login(seventy)
    first = _listing(client)
    html = first.content.decode()
    assert "Hơn 60 công chức" in html
    assert "Trang 1 / hơn 2" in html
    assert len(first.context["page_obj"].object_list) == 50
    last = _listing(client, p=2)
    page = last.context["page_obj"]
    # Rows 51–60: the pages end at the cap, not at the row counted past it.
    assert len(page.object_list) == 10 and page.end_index() == 60 and not page.has_next()
    assert "Trang 2 / hơn 2" in last.content.decode()
    # A search past the cap: "more than 60 matches", never the number counted (61).
    searched = _listing(client, q="Người").content.decode()
    assert "Hơn 60 kết quả khớp" in searched and "61 kết quả" not in searched


def test_below_the_cap_the_count_is_exact(client, seventy, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 10_000)
    client.force_login(seventy)
    html = _listing(client).content.decode()
    assert "Hơn" not in html
    assert "Trang 1 / 2" in html or "Page 1 of 2" in html
