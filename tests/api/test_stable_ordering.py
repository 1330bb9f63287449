"""A list ordered by a figure that ties (``?ordering=-total``) comes in the same order on every
request and every page: ties follow the row's id. PostgreSQL returns ties in whatever order
its plan gives (a paging client could see a row twice and miss another); CI runs this file
there too."""

import json
from decimal import Decimal

import pytest

from scoring.models import PeriodScore

pytestmark = pytest.mark.django_db


def _page(client, address):
    response = client.get(address)
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    return [row["id"] for row in body["results"]], body["next"]


def test_ties_follow_the_id_on_every_page(world):
    client = world.client_for("province-hr")
    PeriodScore.objects.update(total=Decimal("90.00"))
    everyone, _next = _page(client, "/api/v1/period-scores/?ordering=-total&page_size=1000")
    assert len(everyone) >= 3
    assert everyone == sorted(everyone)
    paged, address = [], "/api/v1/period-scores/?ordering=-total&page_size=1"
    while address:
        ids, address = _page(client, address)
        paged += ids
    assert paged == everyone
    # An order that already ends in the id is kept as asked.
    again, _next = _page(client, "/api/v1/period-scores/?ordering=-id&page_size=1000")
    assert again == everyone[::-1]
