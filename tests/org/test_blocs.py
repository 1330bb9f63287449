"""Blocs that administer themselves (issue 32 item 4; Nghệ An §V.1–V.4; org.blocs): Ban Tổ chức
Tỉnh ủy appraises the Party bloc's catalogs, framework proposals and milestones, the Front's
standing committee its bloc's; Sở Nội vụ keeps the state bloc and still reads every bloc."""

import datetime

import pytest

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from catalog_pages.models import AgencyCatalogPage, CatalogVersion
from catalog_pages.setup import editor_group_name, setup_catalogs
from org import access, blocs
from org.access import AGENCY_ADMIN_GROUP, BLOC_APPRAISER_GROUP, HOME_AFFAIRS_GROUP
from org.models import AccessRole, AgencyAccess, AgencyKind, BlocLead
from oversight.models import Milestone
from oversight.plans import load_plan
from scoring.models import ProposalStatus
from scoring.services import proposals
from tests.factories import (
    AgencyAccessFactory,
    AgencyFactory,
    FrontFactory,
    JobPositionFactory,
    PartyCommitteeFactory,
    ProvinceFactory,
    UserFactory,
    basic_items,
    framework_proposal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    province = ProvinceFactory()
    justice = AgencyFactory(parent=province, code="STP", name="Sở Tư pháp")
    party = PartyCommitteeFactory()
    btc = AgencyFactory(
        parent=party, code="TU-BTC", name="Ban Tổ chức Tỉnh ủy", kind=AgencyKind.PARTY_BODY
    )
    propaganda = AgencyFactory(
        parent=party, code="TU-BTG", name="Ban Tuyên giáo Tỉnh ủy", kind=AgencyKind.PARTY_BODY
    )
    front = FrontFactory()
    women = AgencyFactory(
        parent=front,
        code="HLHPN",
        name="Hội Liên hiệp Phụ nữ tỉnh",
        kind=AgencyKind.SOCIO_POLITICAL,
    )
    BlocLead.objects.create(root=party, lead_agency=btc, reports_to="Ban Thường vụ Tỉnh ủy")
    BlocLead.objects.create(root=front, lead_agency=front, reports_to="Ban Thường vụ Tỉnh ủy")
    home = UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    party_appraiser = UserFactory(username="thamdinh.btc", groups=[BLOC_APPRAISER_GROUP])
    AgencyAccessFactory(user=party_appraiser, agency=btc, role=AccessRole.BLOC_APPRAISER)
    front_appraiser = UserFactory(username="thamdinh.mttq", groups=[BLOC_APPRAISER_GROUP])
    AgencyAccessFactory(user=front_appraiser, agency=front, role=AccessRole.BLOC_APPRAISER)
    admins = {}
    for agency in (justice, propaganda, women):
        admin = UserFactory(username=f"qt.{agency.code.lower()}", groups=[AGENCY_ADMIN_GROUP])
        AgencyAccessFactory(user=admin, agency=agency)
        admins[agency.code] = admin
    return {
        "province": province,
        "justice": justice,
        "party": party,
        "btc": btc,
        "propaganda": propaganda,
        "front": front,
        "women": women,
        "home": home,
        "party_appraiser": party_appraiser,
        "front_appraiser": front_appraiser,
        "admins": admins,
    }


# --- who appraises, and what they reach -----------------------------------------------------


def test_each_bloc_is_appraised_by_its_lead_body_and_the_state_bloc_by_home_affairs(world):
    w = world
    assert blocs.appraises(w["party_appraiser"], w["propaganda"])
    assert not blocs.appraises(w["party_appraiser"], w["women"])
    assert not blocs.appraises(w["party_appraiser"], w["justice"])
    assert blocs.appraises(w["front_appraiser"], w["women"])
    assert not blocs.appraises(w["front_appraiser"], w["propaganda"])
    assert blocs.appraises(w["home"], w["justice"])
    assert not blocs.appraises(w["home"], w["propaganda"])
    assert blocs.lead_name(w["propaganda"]) == "Ban Tổ chức Tỉnh ủy"
    assert blocs.lead_name(w["justice"]) == "Sở Nội vụ"


def test_someone_appraising_no_bloc_is_answered_from_their_grants(world, django_assert_num_queries):
    """An agency's administrator, neither a bloc's appraiser nor Sở Nội vụ, appraises nothing
    whatever the agency's bloc: once the request has read their grants and groups, no bloc is
    read to say so (a catalog in appraisal asked this for every admin page's menu)."""
    from accounts.models import User

    w = world
    admin = User.objects.get(pk=w["admins"]["STP"].pk)  # a fresh user object: a request's
    access.is_home_affairs(admin)
    blocs.appraised_roots(admin)
    with django_assert_num_queries(0):
        for agency in (w["justice"], w["propaganda"], w["women"], w["party"], w["front"]):
            assert not blocs.appraises(admin, agency)
    # The others are answered as before: by the bloc's lead body, or Sở Nội vụ without one.
    assert blocs.appraises(w["party_appraiser"], w["propaganda"])
    assert not blocs.appraises(w["party_appraiser"], w["justice"])
    assert blocs.appraises(w["home"], w["justice"])
    assert not blocs.appraises(w["home"], w["women"])


def test_the_lead_body_reads_its_bloc_only_and_home_affairs_reads_all(world):
    w = world
    party_codes = set(access.visible_agencies(w["party_appraiser"]).values_list("code", flat=True))
    assert party_codes == {"TU", "TU-BTC", "TU-BTG"}
    front_codes = set(access.visible_agencies(w["front_appraiser"]).values_list("code", flat=True))
    assert front_codes == {"MTTQ", "HLHPN"}
    assert (
        access.visible_agencies(w["home"]).filter(code__in=["TU-BTG", "HLHPN", "STP"]).count() == 3
    )


def test_moving_the_lead_moves_the_reach(world):
    """The bloc's lead is data: given to another body, the old body's appraisers lose the bloc."""
    w = world
    BlocLead.objects.filter(root=w["party"]).update(lead_agency=w["propaganda"])
    appraiser = type(w["party_appraiser"]).objects.get(pk=w["party_appraiser"].pk)
    assert not blocs.appraises(appraiser, w["propaganda"])
    assert set(access.visible_agencies(appraiser).values_list("code", flat=True)) == {"TU-BTC"}


# --- framework proposals ----------------------------------------------------------------


def test_a_party_proposal_is_appraised_and_approved_by_ban_to_chuc_not_home_affairs(world, client):
    w = world
    sender = w["admins"]["TU-BTG"]
    proposal = framework_proposal(w["propaganda"], sender)
    proposal = proposals.apply(proposal, proposals.SUBMIT, sender, "Kính gửi Ban Tổ chức")
    assert proposals.steps_for(w["home"], proposal) == []
    with pytest.raises(proposals.ProposalError) as refused:
        proposals.apply(proposal, proposals.RECOMMEND, w["home"], "Đạt")
    assert refused.value.problems == ["Bạn không có quyền thực hiện bước này."]
    assert proposals.steps_for(w["front_appraiser"], proposal) == []

    client.force_login(w["party_appraiser"])
    page = client.get(reverse("scoring_proposal_steps", args=[proposal.pk]))
    body = page.content.decode()
    assert "Ban Tổ chức Tỉnh ủy" in body and "Thẩm định đạt, đề nghị phê duyệt" in body
    client.post(
        reverse("scoring_proposal_steps", args=[proposal.pk]),
        {"step": proposals.RECOMMEND, "comment": "Đúng phạm vi cho phép."},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.RECOMMENDED
    proposal = proposals.apply(
        proposal,
        proposals.APPROVE,
        w["party_appraiser"],
        "",
        proposals.Decision("05-QĐ/TU", datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)),
    )
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.approved_by == w["party_appraiser"]
    assert list(proposal.transitions.values_list("to_status", "by__username"))[-2:] == [
        (ProposalStatus.RECOMMENDED, "thamdinh.btc"),
        (ProposalStatus.APPROVED, "thamdinh.btc"),
    ]


def test_the_agency_sends_its_proposal_to_its_blocs_lead_body(world, client):
    w = world
    proposal = framework_proposal(w["women"], w["admins"]["HLHPN"])
    client.force_login(w["admins"]["HLHPN"])
    body = client.get(reverse("scoring_proposal_steps", args=[proposal.pk])).content.decode()
    assert f"Gửi {w['front'].name} thẩm định" in body
    state = framework_proposal(w["justice"], w["admins"]["STP"], name="Khung STP")
    client.force_login(w["admins"]["STP"])
    body = client.get(reverse("scoring_proposal_steps", args=[state.pk])).content.decode()
    assert "Gửi Sở Nội vụ thẩm định" in body


def test_the_lead_body_cannot_open_or_appraise_a_state_proposal(world, client):
    w = world
    proposal = framework_proposal(w["justice"], w["admins"]["STP"])
    proposal = proposals.apply(proposal, proposals.SUBMIT, w["admins"]["STP"], "")
    assert proposals.steps_for(w["party_appraiser"], proposal) == []
    client.force_login(w["party_appraiser"])
    response = client.get(reverse("scoring_proposal_steps", args=[proposal.pk]))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert proposals.steps_for(w["home"], proposal) == [
        proposals.RETURN,
        proposals.RECOMMEND,
        proposals.REJECT,
    ]


# --- catalogs -------------------------------------------------------------------------


def test_a_party_catalog_is_approved_by_ban_to_chuc_and_not_by_home_affairs(world):
    w = world
    setup_catalogs()
    page = AgencyCatalogPage.objects.get(agency=w["propaganda"])
    editor = UserFactory(username="bientap.btg")
    editor.groups.add(Group.objects.get(name=editor_group_name(w["propaganda"])))
    page.items = basic_items(JobPositionFactory(code="CV-DANG"))
    page.effective_from = datetime.date(2026, 2, 1)
    page.approval_ref = "12-QĐ/TU"
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    page = AgencyCatalogPage.objects.get(pk=page.pk)
    state = page.current_workflow_state.current_task_state
    task = state.task.specific
    assert task.get_actions(page, w["home"]) == []
    assert not task.user_can_access_editor(page, w["front_appraiser"])
    assert [label for _a, label, _c in task.get_actions(page, w["party_appraiser"])] == [
        "Yêu cầu chỉnh sửa",
        "Phê duyệt",
        "Phê duyệt kèm ý kiến",
    ]
    assert list(task.get_task_states_user_can_moderate(w["party_appraiser"])) == [state]
    assert not task.get_task_states_user_can_moderate(w["home"]).exists()
    landing = task.on_action(state, w["party_appraiser"], "approve", comment="Đồng ý.")
    version = CatalogVersion.objects.get(agency=w["propaganda"])
    assert version.approved_by == w["party_appraiser"]
    assert version.approval_ref == "12-QĐ/TU"
    # ux H4: the approver landed on the page explorer, "Bạn không có quyền truy cập"; now on
    # the version approved, which Ban Tổ chức may open, told what it approved.
    assert landing.endswith(f"/catalog-versions/{version.pk}/?da-phe-duyet=1")
    client = Client()
    client.force_login(w["party_appraiser"])
    html = client.get(landing).content.decode()
    assert "Đã phê duyệt danh mục của" in html and "quyết định số 12-QĐ/TU" in html
    assert "không có quyền" not in html


def test_a_state_catalog_stays_with_home_affairs(world):
    w = world
    setup_catalogs()
    page = AgencyCatalogPage.objects.get(agency=w["justice"])
    editor = UserFactory(username="bientap.stp")
    editor.groups.add(Group.objects.get(name=editor_group_name(w["justice"])))
    page.items = basic_items(JobPositionFactory(code="CV-PC"))
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    page = AgencyCatalogPage.objects.get(pk=page.pk)
    task = page.current_workflow_state.current_task_state.task.specific
    assert task.get_actions(page, w["party_appraiser"]) == []
    assert [label for _a, label, _c in task.get_actions(page, w["home"])][1] == "Phê duyệt"


# --- milestones and dashboards ------------------------------------------------------


def test_nghe_an_milestones_bind_the_party_and_front_bodies(world, client):
    w = world
    rows = load_plan("NA", 2027)
    for milestone in rows:
        assert {"party", "party_body", "front", "socio_political"} <= set(milestone.agency_kinds)
        assert {"department", "commune"} <= set(milestone.agency_kinds)
    client.force_login(w["party_appraiser"])
    body = client.get(reverse("oversight_milestones") + "?nam=2027").content.decode()
    assert "Ban Tuyên giáo Tỉnh ủy" in body
    assert "Sở Tư pháp" not in body and "Hội Liên hiệp Phụ nữ tỉnh" not in body
    client.force_login(w["home"])
    body = client.get(reverse("oversight_milestones") + "?nam=2027").content.decode()
    assert "Ban Tuyên giáo Tỉnh ủy" in body and "Sở Tư pháp" in body
    assert Milestone.objects.filter(year=2027).count() == 2


def test_the_lead_body_starts_its_statistics_from_its_bloc(world, client):
    w = world
    client.force_login(w["party_appraiser"])
    response = client.get(reverse("dashboards_index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards_node", args=[w["party"].pk])
    assert client.get(reverse("dashboards_node", args=[w["province"].pk])).status_code in (
        302,
        403,
        404,
    )


# --- granting the role ---------------------------------------------------------------


def test_home_affairs_grants_bloc_appraisal_on_a_lead_body_only(world):
    w = world
    person = UserFactory(username="chuyenvien.btc")
    with pytest.raises(ValidationError) as refused:
        account_services.grant(w["home"], person, "bloc_appraiser", w["propaganda"])
    assert "cơ quan chủ trì khối" in str(refused.value)
    account_services.grant(w["home"], person, "bloc_appraiser", w["btc"])
    assert AgencyAccess.objects.get(user=person).role == AccessRole.BLOC_APPRAISER
    assert person.groups.filter(name=BLOC_APPRAISER_GROUP).exists()
    with pytest.raises(PermissionDenied):
        account_services.grant(w["admins"]["TU-BTG"], person, "bloc_appraiser", w["btc"])
    account_services.revoke(w["home"], person, "bloc_appraiser", w["btc"])
    assert not AgencyAccess.objects.filter(user=person).exists()
    assert not person.groups.filter(name=BLOC_APPRAISER_GROUP).exists()


# --- authority across trees, as data ------------------------------------------------------------


def test_a_commune_party_secretary_evaluates_the_commune_front_chairman_where_the_rules_say_so():
    from org.authority import evaluated_ids, resolve_authority
    from org.models import LeadershipRole
    from tests.factories import across_trees, front_chairman_across_trees, post

    day = datetime.date(2026, 5, 15)
    trees = across_trees()
    commune_party, front, commune_front = trees.commune_party, trees.front, trees.commune_front
    secretary = post(commune_party, LeadershipRole.HEAD)
    post(front, LeadershipRole.HEAD)
    chairman = post(commune_front, LeadershipRole.HEAD)
    rule = front_chairman_across_trees()
    rule.full_clean()
    rule.save()
    found = resolve_authority(chairman, day)
    assert found.evaluator.agency == commune_party and found.evaluator.person == secretary
    assert found.rater.person == secretary
    assert chairman.pk in evaluated_ids(secretary, day)
    assert chairman.pk in evaluated_ids(secretary, day, as_rater=True)

    # A rule naming a body "cùng địa bàn" without its kind is refused with the field named.
    rule.evaluator_kind = ""
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert refused.value.message_dict["evaluator_kind"] == ["Hãy chọn loại cơ quan."]


def test_home_affairs_grants_the_right_from_the_accounts_page(world, client):
    from tests.factories import post, with_user

    w = world
    person = post(w["btc"])
    user = with_user(person, "chuyenvien2.btc")
    client.force_login(w["home"])
    page = client.get(reverse("accounts_index") + f"?agency={w['btc'].pk}").content.decode()
    assert "Thẩm định khối (cơ quan chủ trì khối)" in page
    other = client.get(reverse("accounts_index") + f"?agency={w['propaganda'].pk}")
    assert 'value="bloc_appraiser"' not in other.content.decode()
    client.post(
        reverse("accounts_user_action", args=[user.pk, "grant"]),
        {"role": "bloc_appraiser", "grant_agency": w["btc"].pk, "agency": w["btc"].pk},
    )
    access_row = AgencyAccess.objects.get(user=user)
    assert (access_row.agency, access_row.role) == (w["btc"], AccessRole.BLOC_APPRAISER)
    fresh = type(user).objects.get(pk=user.pk)
    assert blocs.appraises(fresh, w["propaganda"]) and not blocs.appraises(fresh, w["justice"])
