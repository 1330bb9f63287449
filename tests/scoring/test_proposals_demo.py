"""The demo's agency frameworks (demo/proposals_demo.py): one approved and assigned, one
returned; loading twice changes nothing. The whole demo province loads it too
(tests/test_access_matrix.py walks its proposal pages)."""

import datetime

import pytest

from demo.proposals_demo import APPROVED, RETURNED, load_proposals_demo
from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from scoring.models import FrameworkAssignment, FrameworkProposal, ProposalStatus
from scoring.services.frameworks import FrameworkResolver
from tests.factories import AgencyAccessFactory, AgencyFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_proposals_approved_and_returned_idempotent():
    province = ProvinceFactory(code="TA", name="UBND tỉnh Thanh An")
    snnmt = AgencyFactory(parent=province, code="SNNMT", name="Sở Nông nghiệp và Môi trường")
    stp = AgencyFactory(parent=province, code="STP", name="Sở Tư pháp")
    UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP])
    admin = UserFactory(username="quantri.stp", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=stp)

    assert load_proposals_demo() == 2
    assert load_proposals_demo() == 0

    approved = FrameworkProposal.objects.get(agency=snnmt, name=APPROVED["name"])
    assert approved.status == ProposalStatus.APPROVED
    assert approved.decision_number == "25/QĐ-UBND"
    assert approved.effective_from == datetime.date(2027, 1, 1)
    assert approved.framework.live
    assignment = FrameworkAssignment.objects.get(framework=approved.framework)
    assert assignment.agency == snnmt and assignment.effective_from == approved.effective_from
    resolver = FrameworkResolver()
    assert resolver.resolve(snnmt.path, "month", datetime.date(2026, 12, 1)).code == (
        "nghi-dinh-335-mac-dinh"
    )
    assert resolver.resolve(snnmt.path, "month", datetime.date(2027, 1, 1)).code == (
        approved.framework.code
    )

    returned = FrameworkProposal.objects.get(agency=stp, name=RETURNED["name"])
    assert returned.status == ProposalStatus.RETURNED
    last = returned.transitions.last()
    assert last.comment == RETURNED["comment"] and last.by.username == "sonoivu"
    assert returned.transitions.first().by == admin
    assert not returned.framework.live
