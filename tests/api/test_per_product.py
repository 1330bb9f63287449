"""Failed reviews and delays per product through the API — Decree 335 Art. 14 b, c
[confirmed]: each event removes 25 % of *that product's* points, floored at 0 per product
(review 2026-11-22, W3 and W8; cases C07 and C25)."""

import pytest

from scoring.models import AssignmentLine, LineSource

from .conftest import line

pytestmark = pytest.mark.django_db

BULK = "/api/v1/integration/assignment-lines/bulk/"


def test_c25_preview_takes_the_per_product_breakdown_art14b(preview):
    """C25: 2 products, 1 completed; product 2 failed twice and not finished → b = 50 %."""
    response = preview(
        {"role": "staff", "general": 30,
         "lines": [line(1, 2, 1, failed_reviews=2, failed_by_product=[0, 2])]}
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["quality"] == "50.00"


def test_preview_refuses_a_breakdown_that_does_not_add_up(preview):
    response = preview(
        {"role": "staff", "general": 30,
         "lines": [line(1, 2, 2, failed_reviews=4, failed_by_product=[5, 0])]}
    )  # fmt: skip
    assert response.status_code == 400
    assert "failed_by_product" in response.content.decode()


@pytest.fixture
def world(shared_world):
    return shared_world


def test_c07_integration_write_stores_the_breakdown_art14b(world):
    """C07 through the integration API: a line of 2, product 1 failed 5 times."""
    item = {
        "external_id": "PP-1",
        "agency": "SNV",
        "period": "2026-03",
        "official_id": world.people["alice"].official_id,
        "product_code": "X",
        "assigned": 2,
        "completed": 2,
        "failed_reviews": 5,
        "failed_by_product": [5, 0],
    }
    response = world.client_for("snv-docs").post(BULK, {"items": [item]}, format="json")
    assert response.status_code in (200, 201), response.content
    stored = AssignmentLine.objects.get(source=LineSource.API, external_id__endswith="PP-1")
    assert (stored.failed_reviews, stored.failed_by_product) == (5, [5])
    again = world.client_for("snv-docs").post(BULK, {"items": [item]}, format="json")
    assert again.json()["items"][0]["status"] == "unchanged"
