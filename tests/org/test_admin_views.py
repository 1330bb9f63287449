"""The org snippets in the Wagtail admin: listings, search, export and row-level access by URL."""

import pytest

from django.urls import reverse

from org.access import HOME_AFFAIRS_GROUP
from tests.factories import JobPositionFactory, UserFactory, agency_admin, post, two_agencies

pytestmark = pytest.mark.django_db


def url(model, action, *args):
    return reverse(f"wagtailsnippets_org_{model}:{action}", args=args)


@pytest.fixture
def world():
    agencies = two_agencies()
    return {
        "own": agencies.own,
        "other": agencies.other,
        "own_unit": agencies.own_unit,
        "other_unit": agencies.other_unit,
        "own_person": post(agencies.own_unit, full_name="Lê Thị Thu Hà"),
        "other_person": post(agencies.other_unit, full_name="Phạm Quốc Bảo"),
        "agency_admin": agency_admin(agencies.own),
        "home_affairs": UserFactory(groups=[HOME_AFFAIRS_GROUP]),
    }


def test_home_affairs_lists_all_agencies_in_vietnamese(client, world):
    client.force_login(world["home_affairs"])
    response = client.get(url("agency", "list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sở Tư pháp" in html and "Sở Y tế" in html
    assert 'lang="vi"' in html


def test_agency_admin_listing_is_scoped(client, world):
    client.force_login(world["agency_admin"])
    html = client.get(url("agency", "list")).content.decode()
    assert "Sở Tư pháp" in html and "Sở Y tế" not in html
    html = client.get(url("civilservant", "list")).content.decode()
    assert "Lê Thị Thu Hà" in html and "Phạm Quốc Bảo" not in html


@pytest.mark.parametrize("action", ["edit", "inspect", "history", "usage"])
def test_agency_admin_cannot_open_another_agency_by_url(client, world, action):
    client.force_login(world["agency_admin"])
    own = client.get(url("agency", action, world["own_unit"].pk))
    other = client.get(url("agency", action, world["other_unit"].pk))
    assert own.status_code == 200
    assert world["own_unit"].name in own.content.decode()
    assert other.status_code in (302, 403)
    assert world["other_unit"].name not in other.content.decode()


def test_nobody_outside_the_scope_can_delete(client, world):
    world["agency_admin"].groups.add(*world["home_affairs"].groups.none())
    client.force_login(world["agency_admin"])
    response = client.post(url("agency", "delete", world["other_unit"].pk))
    assert response.status_code in (302, 403)
    assert type(world["other_unit"]).objects.filter(pk=world["other_unit"].pk).exists()


def test_agency_admin_cannot_edit_another_agencys_civil_servant(client, world):
    client.force_login(world["agency_admin"])
    assert client.get(url("civilservant", "edit", world["own_person"].pk)).status_code == 200
    assert client.get(url("civilservant", "edit", world["other_person"].pk)).status_code in (
        302,
        403,
    )
    response = client.post(url("civilservant", "edit", world["other_person"].pk), {})
    assert response.status_code in (302, 403)
    world["other_person"].refresh_from_db()
    assert world["other_person"].full_name == "Phạm Quốc Bảo"


def test_search_is_diacritics_insensitive(client, world):
    client.force_login(world["home_affairs"])
    html = client.get(url("civilservant", "list"), {"q": "pham quoc"}).content.decode()
    assert "Phạm Quốc Bảo" in html


def test_spreadsheet_export(client, world):
    client.force_login(world["home_affairs"])
    response = client.get(url("agency", "list"), {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert "Sở Tư pháp" in body
    response = client.get(url("civilservant", "list"), {"export": "xlsx"})
    assert response.status_code == 200


def test_civil_servant_with_overlapping_postings_is_refused(client, world):
    client.force_login(world["home_affairs"])
    position = JobPositionFactory()
    unit = world["own_unit"]
    data = {
        "official_id": "CC-NEW",
        "full_name": "Võ Minh Tâm",
        "gender": "male",
        "is_active": "on",
        "postings-TOTAL_FORMS": "2",
        "postings-INITIAL_FORMS": "0",
        "postings-MIN_NUM_FORMS": "0",
        "postings-MAX_NUM_FORMS": "1000",
    }
    for i, start in enumerate(["2026-01-01", "2026-03-01"]):
        data.update(
            {
                f"postings-{i}-agency": unit.pk,
                f"postings-{i}-job_position": position.pk,
                f"postings-{i}-role": "staff",
                f"postings-{i}-category": "civil_servant",
                f"postings-{i}-start_date": start,
                f"postings-{i}-ORDER": str(i),
            }
        )
    response = client.post(url("civilservant", "add"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "chồng thời gian" in str(form.non_field_errors()), form.errors
    data["postings-0-end_date"] = "2026-02-28"
    response = client.post(url("civilservant", "add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
