"""Issue 48: Sở Nội vụ's "Kết quả theo kỳ" listing at 100,000 people took 1.3–3.8 s a page on
PostgreSQL (the model's order joins and sorts every stored score first), and during the
month-end rehearsal with 200 people browsing it was most of the web server's work. Its default
order is now the one an index gives: the newest period first, each agency's people by name
(agencies newest first). What the person sees is checked here; the time is measured in
``benchmarks/province_year.py --browse`` (docs/operations.md §10)."""

import datetime
import re
from html import unescape

import pytest

from django.test import Client

from scoring.models import Period, PeriodScore
from tests.factories import period_score, post
from tests.ratings.world import build_rating_world

pytestmark = pytest.mark.django_db

LISTING = "/admin/snippets/scoring/periodscore/"


def listing_rows(html: str) -> str:
    """The listing's table body (the page has others: the keyboard shortcuts' dialog)."""
    bodies = [part.split("</tbody>", 1)[0] for part in html.split("<tbody")[1:]]
    return next(body for body in bodies if "bulk-action-checkbox" in body)


def names_in_order(html: str, names: list[str]) -> list[str]:
    text = unescape(re.sub(r"<[^>]+>", " ", listing_rows(html)))
    found = sorted((text.find(name), name) for name in names if name in text)
    return [name for _position, name in found]


def test_the_listing_shows_the_newest_period_first_and_an_agencys_people_by_name():
    world = build_rating_world()
    january = Period.for_date(datetime.date(2026, 1, 1), create=True)
    february = Period.for_date(datetime.date(2026, 2, 1), create=True)
    # Created in the order Zung, An, Minh: by name they are An, Minh, Zung.
    people = [post(world.unit, full_name=name) for name in ("Ông Zung", "Bà An", "Cô Minh")]
    # The world's own scores left out: the page shows these six.
    PeriodScore.objects.all().delete()
    for person in people:
        period_score(person, january, 80, world.unit)
        period_score(person, february, 90, world.unit)
    assert february.pk > january.pk or january.pk > february.pk  # ids: the newest opened first
    newer, older = sorted([january, february], key=lambda period: -period.pk)
    client = Client()
    client.force_login(world.users["sonoivu"])
    response = client.get(LISTING)
    assert response.status_code == 200
    html = response.content.decode()
    rows = listing_rows(html)
    # The period opened last comes first (its three rows, then the other's).
    labels = re.findall(r"Tháng \d\d/2026", rows)
    assert labels == [newer.label] * 3 + [older.label] * 3, labels
    assert names_in_order(html, ["Bà An", "Cô Minh", "Ông Zung"]) == [
        "Bà An",
        "Cô Minh",
        "Ông Zung",
    ]
    # A column's header still sorts by it: the total, lowest first, puts January's 80s first.
    by_total = client.get(LISTING, {"ordering": "total"}).content.decode()
    body = listing_rows(by_total)
    assert body.find("80,00") < body.find("90,00")
