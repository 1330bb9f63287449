"""The frameworks API lists an agency's own framework only once approved, with its decision
(docs/scoring.md §13.7)."""

import datetime

import pytest

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org.models import Agency
from scoring.services import proposals
from tests.factories import AgencyAccessFactory, UserFactory, framework_proposal

pytestmark = pytest.mark.django_db


def test_only_approved_variants_are_listed_with_their_decision(world):
    client = world.client_for("home_affairs")
    home = UserFactory(username="snv.duyet", groups=[HOME_AFFAIRS_GROUP])
    agency = Agency.objects.get(code="STC")
    proposal = framework_proposal(agency, home, name="Khung Sở Tài chính")
    # Published by hand, not approved: not listed.
    proposal.framework.save_revision().publish()
    codes = [f["code"] for f in client.get("/api/v1/frameworks/").json()["results"]]
    assert proposal.framework.code not in codes
    assert client.get(f"/api/v1/frameworks/{proposal.framework.pk}/").status_code == 404

    # The agency sends it (nobody appraises what they sent themselves); Sở Nội vụ approves.
    admin = UserFactory(username="qt.stc", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=agency)
    proposals.apply(proposal, proposals.SUBMIT, admin)
    proposals.apply(proposal, proposals.RECOMMEND, home)
    day = datetime.date(2026, 6, 1)
    proposals.apply(
        proposal, proposals.APPROVE, home, decision=proposals.Decision("7/QĐ-UBND", day, day)
    )
    listed = {f["code"]: f for f in client.get("/api/v1/frameworks/").json()["results"]}
    assert listed[proposal.framework.code]["approval"] == {
        "agency": "STC",
        "scope": "individual",
        "decision_number": "7/QĐ-UBND",
        "decision_date": "2026-06-01",
        "effective_from": "2026-06-01",
    }
    assert listed["nghi-dinh-335-mac-dinh"]["approval"] is None
