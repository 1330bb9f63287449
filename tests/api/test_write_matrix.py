"""The API's write doors as an action matrix (issue 27): every write URL × every token scope ×
a person's history — posted in the token's agency now, posted there only before a transfer,
never posted there — with a body that succeeds for the authorised system, asserting what is
stored afterwards, not only the status.

The transferee led Sở Nội vụ until 28/02/2026 and leads Sở Tài chính from 01/03/2026: for March,
only Sở Tài chính's system writes their lines and their đ, e.
"""

import datetime
from decimal import Decimal

import pytest

from org.models import LeadershipRole
from scoring.models import AssignmentLine, LeaderMark, LineSource
from tests.factories import post

pytestmark = pytest.mark.django_db

LINES = "/api/v1/integration/assignment-lines/"
BULK = "/api/v1/integration/assignment-lines/bulk/"
LEADER = "/api/v1/integration/leader-marks/"
TRANSFER = datetime.date(2026, 3, 1)


@pytest.fixture
def world(shared_world):
    world = shared_world
    moved = post(
        world.snv_unit,
        role=LeadershipRole.HEAD,
        full_name="Phạm Văn Chuyển",
        end=TRANSFER - datetime.timedelta(days=1),
    )
    post(world.stc_unit, role=LeadershipRole.HEAD, start=TRANSFER, person=moved)
    world.people["moved"] = moved
    return world


#: person → the agency whose catalogue their March line uses (where they work in March).
HOME = {"alice": ("SNV", "X"), "moved": ("STC", "Z"), "binh": ("STC", "Z")}

#: (token, person) → may the token write the person's March inputs?
ALLOWED = {
    ("snv-docs", "alice"): True,  # posted here now
    ("snv-docs", "moved"): False,  # posted here only before the transfer
    ("snv-docs", "binh"): False,  # never posted here
    ("stc-docs", "alice"): False,
    ("stc-docs", "moved"): True,
    ("stc-docs", "binh"): True,
    ("province-hr", "alice"): False,  # read-only token
    ("province-hr", "moved"): False,
    ("province-hr", "binh"): False,
}


def line_body(world, person, token):
    """The body an authorised system sends: the person's agency in March, or — for a system
    trying its own agency — its own catalogue (an old posting's agency, the usual mistake)."""
    agency, product = HOME[person]
    if token == "snv-docs" and agency != "SNV":
        agency, product = "SNV", "X"
    if token == "stc-docs" and agency != "STC":
        agency, product = "STC", "Z"
    return {
        "external_id": f"M-{person}",
        "agency": agency,
        "period": "2026-03",
        "official_id": world.people[person].official_id,
        "product_code": product,
        "assigned": 4,
        "completed": 4,
    }


def api_lines(world, person):
    return AssignmentLine.objects.filter(
        source=LineSource.API, civil_servant=world.people[person]
    ).count()


@pytest.mark.parametrize(("token", "person"), sorted(ALLOWED))
@pytest.mark.parametrize("url", [LINES, BULK])
def test_lines(world, token, person, url):
    body = line_body(world, person, token)
    client = world.client_for(token)
    response = client.post(url, {"items": [body]} if url == BULK else body, format="json")
    if ALLOWED[(token, person)]:
        assert response.status_code in (200, 201), response.content
        assert api_lines(world, person) == 1
    else:
        assert response.status_code in (400, 403), response.content
        assert api_lines(world, person) == 0


#: leader-mark subject → the one token that may send their March đ, e (None: nobody; Bình is
#: staff, so he has no đ, e at all).
LEADS_FOR = {"hung": "snv-docs", "moved": "stc-docs", "binh": None}


@pytest.mark.parametrize("token", ["snv-docs", "stc-docs", "province-hr"])
@pytest.mark.parametrize("subject", sorted(LEADS_FOR))
def test_leader_marks(world, token, subject):
    """đ, e: only for a leader, by the system of the agency they lead in the period."""
    from cms import seen

    person = world.people[subject]
    marks = LeaderMark.objects.filter(civil_servant=person, period=world.march)
    before = list(marks.values_list("organising", "cohesion"))
    body = {"period": "2026-03", "official_id": person.official_id, "organising": 50,
            "cohesion": 50}  # fmt: skip
    if marks.exists():
        body["version"] = seen.version(marks.get())  # what an informed system would send
    response = world.client_for(token).post(LEADER, body, format="json")
    after = list(marks.values_list("organising", "cohesion"))
    if LEADS_FOR[subject] == token:
        assert response.status_code in (200, 201), response.content
        assert after == [(Decimal(50), Decimal(50))]
    else:
        assert response.status_code in (400, 403), response.content
        assert after == before
