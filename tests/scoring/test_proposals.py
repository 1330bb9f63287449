"""Agencies propose their own criteria framework; Sở Nội vụ appraises, approves or rejects it
(docs/scoring.md §13.7): each step and who may take it, the allowed changes on both sides of
each bound, assignment of approved variants only, the resolver, the admin page."""

import copy
import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse

from wagtail.models import ModelLogEntry

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from scoring.models import (
    CriteriaFramework,
    FrameworkAssignment,
    ProposalStatus,
    VariantPolicy,
)
from scoring.services import proposals
from scoring.services.frameworks import FrameworkResolver
from tests.factories import (
    AgencyAccessFactory,
    AgencyFactory,
    ProvinceFactory,
    UserFactory,
    framework_proposal,
)

pytestmark = pytest.mark.django_db

S = ProposalStatus
DAY = datetime.date(2026, 3, 1)


@pytest.fixture
def world():
    province = ProvinceFactory(code="TINH", name="UBND tỉnh")
    agency = AgencyFactory(parent=province, code="STP", name="Sở Tư pháp")
    other = AgencyFactory(parent=province, code="SYT", name="Sở Y tế")
    unit = AgencyFactory(parent=agency, code="STP-VP", name="Văn phòng Sở Tư pháp")
    admin = UserFactory(username="qt.stp", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=agency)
    outsider = UserFactory(username="qt.syt", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=outsider, agency=other)
    home = UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    return {
        "province": province,
        "agency": agency,
        "other": other,
        "unit": unit,
        "admin": admin,
        "outsider": outsider,
        "home": home,
    }


def reworded(rules=None):
    """The default rules with I.1 reworded and one criterion added to group I (I.1, I.2 give
    1 point to the new I.3): within the default allowed changes."""
    rules = copy.deepcopy(rules or proposals_base_rules())
    general = rules["components"][0]
    general["criteria"][0]["label"] = "Chấp hành kỷ luật, kỷ cương tại Sở Tư pháp"
    general["criteria"][0]["max_points"] = "4.5"
    general["criteria"][1]["max_points"] = "4.5"
    general["criteria"].insert(
        2,
        {
            "code": "I.3",
            "label": "Văn hóa công vụ tại bộ phận một cửa",
            "max_points": "1",
            "group": "I",
        },
    )
    return rules


def proposals_base_rules():
    base = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    from scoring.services.frameworks import live_framework

    return live_framework(base).rules.to_dict()


def approve(proposal, home, effective_from=DAY, decision_date=DAY):
    proposals.apply(proposal, proposals.RECOMMEND, home, "Đạt")
    return proposals.apply(
        proposal,
        proposals.APPROVE,
        home,
        "",
        proposals.Decision("15/QĐ-UBND", decision_date, effective_from),
    )


# --- the path ---------------------------------------------------------------------------------


def test_start_copies_the_province_framework_into_an_unpublished_variant(world):
    proposal = framework_proposal(world["agency"], world["admin"])
    assert proposal.status == S.DRAFT
    assert proposal.rules == proposals_base_rules()
    assert proposal.base_revision_id == proposal.base.live_revision_id
    assert proposal.framework is not None and not proposal.framework.live
    assert list(proposal.transitions.values_list("to_status", "by")) == [
        (S.DRAFT, world["admin"].pk)
    ]


def test_the_whole_path_records_each_step_and_publishes_on_approval(world):
    proposal = framework_proposal(world["agency"], world["admin"], rules=reworded())
    proposals.apply(proposal, proposals.SUBMIT, world["admin"], "Xin thẩm định")
    proposal = proposals.apply(proposal, proposals.RETURN, world["home"], "Sửa I.3")
    assert proposal.status == S.RETURNED
    proposal = proposals.apply(proposal, proposals.SUBMIT, world["admin"], "Đã sửa")
    proposal = approve(proposal, world["home"])
    assert proposal.status == S.APPROVED
    assert proposal.decision_number == "15/QĐ-UBND"
    assert proposal.effective_from == DAY and proposal.approved_by == world["home"]
    framework = proposal.framework
    framework.refresh_from_db()
    assert framework.live and framework.live_revision.content["rules"] == proposal.rules
    steps = list(proposal.transitions.values_list("from_status", "to_status", "comment"))
    assert steps == [
        ("", S.DRAFT, ""),
        (S.DRAFT, S.SUBMITTED, "Xin thẩm định"),
        (S.SUBMITTED, S.RETURNED, "Sửa I.3"),
        (S.RETURNED, S.SUBMITTED, "Đã sửa"),
        (S.SUBMITTED, S.RECOMMENDED, "Đạt"),
        (S.RECOMMENDED, S.APPROVED, ""),
    ]
    logged = ModelLogEntry.objects.filter(
        object_id=str(proposal.pk), action__startswith="scoring.proposal."
    )
    assert logged.count() == 6


def test_reject_needs_a_comment_and_ends_the_path(world):
    proposal = framework_proposal(world["agency"], world["admin"])
    proposals.apply(proposal, proposals.SUBMIT, world["admin"])
    with pytest.raises(proposals.ProposalError) as error:
        proposals.apply(proposal, proposals.REJECT, world["home"], "  ")
    assert "Ý kiến" in error.value.problems[0]
    proposal = proposals.apply(proposal, proposals.REJECT, world["home"], "Không phù hợp")
    assert proposal.status == S.REJECTED
    assert proposals.steps_for(world["home"], proposal) == []
    assert proposals.steps_for(world["admin"], proposal) == []


@pytest.mark.parametrize(
    ("step", "who", "status"),
    [
        (proposals.SUBMIT, "outsider", S.DRAFT),
        (proposals.SUBMIT, "admin", S.SUBMITTED),
        (proposals.RECOMMEND, "admin", S.SUBMITTED),
        (proposals.RETURN, "admin", S.SUBMITTED),
        (proposals.APPROVE, "admin", S.RECOMMENDED),
        (proposals.REJECT, "admin", S.SUBMITTED),
        (proposals.APPROVE, "home", S.SUBMITTED),
        (proposals.RECOMMEND, "home", S.DRAFT),
    ],
)
def test_who_may_take_which_step(world, step, who, status):
    proposal = framework_proposal(world["agency"], world["admin"])
    proposal.status = status
    proposal.save(update_fields=["status"])
    assert not proposals.may_take(world[who], step, proposal)
    with pytest.raises(proposals.ProposalError):
        proposals.apply(proposal, step, world[who], "ý kiến", proposals.Decision("1/QĐ", DAY, DAY))
    proposal.refresh_from_db()
    assert proposal.status == status


def test_the_agency_and_home_affairs_may_take_their_own_steps(world):
    proposal = framework_proposal(world["agency"], world["admin"])
    assert proposals.steps_for(world["admin"], proposal) == [proposals.SUBMIT]
    assert proposals.steps_for(world["home"], proposal) == [proposals.SUBMIT]
    proposals.apply(proposal, proposals.SUBMIT, world["admin"])
    proposal.refresh_from_db()
    assert proposals.steps_for(world["admin"], proposal) == []
    assert proposals.steps_for(world["home"], proposal) == [
        proposals.RETURN,
        proposals.RECOMMEND,
        proposals.REJECT,
    ]


def test_approval_needs_a_decision_and_is_never_retroactive(world):
    proposal = framework_proposal(world["agency"], world["admin"])
    proposals.apply(proposal, proposals.SUBMIT, world["admin"])
    proposals.apply(proposal, proposals.RECOMMEND, world["home"])
    with pytest.raises(proposals.ProposalError) as error:
        proposals.apply(
            proposal,
            proposals.APPROVE,
            world["home"],
            decision=proposals.Decision("", None, DAY - datetime.timedelta(days=1)),
        )
    text = " ".join(error.value.problems)
    assert "Số quyết định phê duyệt: bắt buộc" in text and "Ngày quyết định" in text
    with pytest.raises(proposals.ProposalError) as error:
        proposals.apply(
            proposal,
            proposals.APPROVE,
            world["home"],
            decision=proposals.Decision("15/QĐ", DAY, DAY - datetime.timedelta(days=1)),
        )
    assert "hồi tố" in error.value.problems[0]
    proposal.refresh_from_db()
    assert proposal.status == S.RECOMMENDED and not proposal.framework.live


# --- the engine's checks and the allowed changes -----------------------------------------------


def problems_of(world, rules, **policy):
    proposal = framework_proposal(world["agency"], world["admin"], rules=rules)
    if policy:
        VariantPolicy.objects.update_or_create(base=proposal.base, defaults=policy)
    return proposals.proposal_problems(proposal)


def test_within_the_defaults_there_is_no_problem(world):
    assert problems_of(world, reworded()) == []


def test_the_engine_checks_run_first(world):
    rules = reworded()
    rules["components"][0]["criteria"][0]["max_points"] = "5.5"
    problems = problems_of(world, rules)
    assert any("framework.components[0]" in p and "phải bằng" in p for p in problems)


def test_submit_refuses_with_the_problems_and_keeps_the_draft(world):
    rules = reworded()
    rules["components"][1]["max_points"] = "60"
    rules["components"][0]["max_points"] = "40"
    proposal = framework_proposal(world["agency"], world["admin"], rules=rules)
    with pytest.raises(proposals.ProposalError) as error:
        proposals.apply(proposal, proposals.SUBMIT, world["admin"])
    assert error.value.problems
    proposal.refresh_from_db()
    assert proposal.status == S.DRAFT


@pytest.mark.parametrize(
    ("part", "value"),
    [
        ("bands", None),
        ("quota", None),
        ("task_method", None),
        ("annual", None),
    ],
)
def test_fixed_parts_may_not_change(world, part, value):
    rules = reworded()
    if part == "bands":
        rules["bands"][0]["min_score"] = "85"
    elif part == "quota":
        rules["quota"]["ratio"]["value"] = "0.3"
    elif part == "task_method":
        rules["task_method"]["review_deduction"]["value"] = "0.2"
    else:
        rules["annual"]["min_months"]["value"] = "3"
    problems = problems_of(world, rules)
    assert any(p.startswith(f"framework.{part}: không được thay đổi") for p in problems), problems


def test_the_30_70_split_may_not_move_even_when_it_sums_to_100(world):
    rules = reworded()
    general = rules["components"][0]
    general["max_points"] = "35"
    general["groups"][0]["max_points"] = "15"
    general["criteria"][0]["max_points"] = "9.5"
    rules["components"][1]["max_points"] = "65"
    problems = problems_of(world, rules)
    assert any("framework.components[0].max_points" in p for p in problems), problems
    assert any("Điều 12" in p for p in problems)


@pytest.mark.parametrize(("allowed", "ok"), [(True, True), (False, False)])
def test_rewording_bound(world, allowed, ok):
    problems = problems_of(world, reworded(), may_reword=allowed)
    assert (not any(".label:" in p for p in problems)) is ok


@pytest.mark.parametrize(("allowed", "ok"), [(True, True), (False, False)])
def test_points_bound(world, allowed, ok):
    problems = problems_of(world, reworded(), may_change_points=allowed)
    assert (not any("điểm tiêu chí thành phần" in p for p in problems)) is ok


@pytest.mark.parametrize(("maximum", "ok"), [(1, True), (0, False)])
def test_number_of_added_criteria_bound(world, maximum, ok):
    problems = problems_of(world, reworded(), max_added_criteria=maximum)
    assert (problems == []) is ok
    if not ok:
        assert "tối đa 0" in problems[0]


def test_adding_may_be_forbidden(world):
    problems = problems_of(world, reworded(), may_add_criteria=False)
    assert any("không cho phép thêm" in p and "I.3" in p for p in problems)


@pytest.mark.parametrize(("minimum", "ok"), [(Decimal("1"), True), (Decimal("1.01"), False)])
def test_minimum_points_bound(world, minimum, ok):
    problems = problems_of(world, reworded(), min_criterion_points=minimum)
    assert (problems == []) is ok
    if not ok:
        assert problems[0].startswith("framework.components[0].criteria[2].max_points")


@pytest.mark.parametrize(("allowed", "ok"), [(True, True), (False, False)])
def test_removing_bound(world, allowed, ok):
    rules = reworded()
    criteria = rules["components"][0]["criteria"]
    criteria.pop(2)  # I.3 again
    criteria[0]["max_points"] = criteria[1]["max_points"] = "5"
    # Remove II.4 and give its points to II.3.
    codes = [c["code"] for c in criteria]
    criteria[codes.index("II.3")]["max_points"] = "5"
    criteria.pop(codes.index("II.4"))
    problems = problems_of(world, rules, may_remove_criteria=allowed, may_add_criteria=True)
    assert (problems == []) is ok, problems
    if not ok:
        assert "II.4" in problems[0]


def test_the_default_policy_is_shipped_by_migration():
    policy = VariantPolicy.objects.get(base__code="nghi-dinh-335-mac-dinh")
    assert policy.may_reword and policy.may_change_points and policy.may_add_criteria
    assert policy.max_added_criteria == 3 and not policy.may_remove_criteria
    assert "giả định" in policy.note


# --- assignment and the resolver ---------------------------------------------------------------


def test_assignment_refuses_a_variant_not_approved(world):
    proposal = framework_proposal(world["agency"], world["admin"], rules=reworded())
    assignment = FrameworkAssignment(
        framework=proposal.framework, agency=world["agency"], effective_from=DAY
    )
    with pytest.raises(ValidationError) as error:
        assignment.full_clean()
    assert "chưa được phê duyệt" in " ".join(error.value.message_dict["framework"])


def test_assignment_of_an_approved_variant_only_in_its_subtree_and_from_its_date(world):
    proposal = framework_proposal(world["agency"], world["admin"], rules=reworded())
    proposals.apply(proposal, proposals.SUBMIT, world["admin"])
    approve(proposal, world["home"])
    framework = CriteriaFramework.objects.get(pk=proposal.framework_id)
    FrameworkAssignment(framework=framework, agency=world["unit"], effective_from=DAY).full_clean()
    with pytest.raises(ValidationError) as error:
        FrameworkAssignment(
            framework=framework, agency=world["other"], effective_from=DAY
        ).full_clean()
    assert "agency" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        FrameworkAssignment(
            framework=framework,
            agency=world["agency"],
            effective_from=DAY - datetime.timedelta(days=1),
        ).full_clean()
    assert "01/03/2026" in error.value.message_dict["effective_from"][0]


def test_the_resolver_uses_a_variant_only_once_approved_and_from_its_effective_date(world):
    proposal = framework_proposal(world["agency"], world["admin"], rules=reworded())
    # A Sở Nội vụ user publishing the variant's snippet directly does not make it count.
    proposal.framework.save_revision().publish()
    FrameworkAssignment.objects.create(
        framework=proposal.framework, agency=world["agency"], effective_from=DAY
    )
    path = world["unit"].path
    resolved = FrameworkResolver().resolve(path, "month", datetime.date(2026, 6, 1))
    assert resolved.code == "nghi-dinh-335-mac-dinh"
    proposals.apply(proposal, proposals.SUBMIT, world["admin"])
    approve(proposal, world["home"], effective_from=datetime.date(2026, 5, 1))
    resolver = FrameworkResolver()
    assert resolver.resolve(path, "month", datetime.date(2026, 4, 1)).code == (
        "nghi-dinh-335-mac-dinh"
    )
    assert resolver.resolve(path, "month", datetime.date(2026, 5, 1)).code == (
        proposal.framework.code
    )
    assert resolver.resolve(world["other"].path, "month", datetime.date(2026, 6, 1)).code == (
        "nghi-dinh-335-mac-dinh"
    )


# --- the admin --------------------------------------------------------------------------------


def test_the_agency_sees_only_its_own_proposals(client, world):
    mine = framework_proposal(world["agency"], world["admin"], name="Khung của STP")
    theirs = framework_proposal(world["other"], world["outsider"], name="Khung của SYT")
    client.force_login(world["admin"])
    listing = client.get(reverse("wagtailsnippets_scoring_frameworkproposal:list"))
    assert "Khung của STP" in listing.text and "Khung của SYT" not in listing.text
    steps = client.get(reverse("scoring_proposal_steps", args=[mine.pk]))
    assert steps.status_code == 200 and "Khung của STP" in steps.text
    refused = (302, 403)  # Wagtail turns PermissionDenied into a redirect to the admin home
    assert client.get(reverse("scoring_proposal_steps", args=[theirs.pk])).status_code in refused
    response = client.post(
        reverse("scoring_proposal_steps", args=[theirs.pk]), {"step": proposals.SUBMIT}
    )
    assert response.status_code in refused
    theirs.refresh_from_db()
    assert theirs.status == S.DRAFT


def test_add_form_starts_a_proposal_and_the_page_submits_it(client, world):
    client.force_login(world["admin"])
    base = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    response = client.post(
        reverse("wagtailsnippets_scoring_frameworkproposal:add"),
        {"agency": world["agency"].pk, "base": base.pk, "name": "Khung STP", "explanation": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    proposal = world["agency"].framework_proposals.get()
    assert proposal.framework_id and proposal.rules
    page = client.get(reverse("scoring_proposal_steps", args=[proposal.pk]))
    assert "Gửi Sở Nội vụ thẩm định" in page.text
    response = client.post(
        reverse("scoring_proposal_steps", args=[proposal.pk]),
        {"step": proposals.SUBMIT, "comment": "Xin thẩm định"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    # Submitted: the agency no longer edits it.
    edit = client.post(
        reverse("wagtailsnippets_scoring_frameworkproposal:edit", args=[proposal.pk]),
        {"name": "Khác", "explanation": "", "rules": "{}"},
    )
    assert edit.status_code == 200
    proposal.refresh_from_db()
    assert proposal.name == "Khung STP"


def test_approval_on_the_page_reads_dates_as_dd_mm_yyyy(client, world):
    proposal = framework_proposal(world["agency"], world["admin"], rules=reworded())
    proposals.apply(proposal, proposals.SUBMIT, world["admin"])
    proposals.apply(proposal, proposals.RECOMMEND, world["home"])
    client.force_login(world["home"])
    url = reverse("scoring_proposal_steps", args=[proposal.pk])
    response = client.post(
        url,
        {
            "step": proposals.APPROVE,
            "decision_number": "15/QĐ-UBND",
            "decision_date": "01/03/2026",
            "effective_from": "28/02/2026",
        },
    )
    assert response.status_code == 400
    assert "hồi tố" in response.text
    response = client.post(
        url,
        {
            "step": proposals.APPROVE,
            "decision_number": "15/QĐ-UBND",
            "decision_date": "01/03/2026",
            "effective_from": "01/04/2026",
        },
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.APPROVED
    assert proposal.effective_from == datetime.date(2026, 4, 1)


def test_the_agency_edits_its_draft_rules_in_the_admin(client, world):
    import json

    proposal = framework_proposal(world["agency"], world["admin"])
    client.force_login(world["admin"])
    url = reverse("wagtailsnippets_scoring_frameworkproposal:edit", args=[proposal.pk])
    form = client.get(url)
    # The draft opens in its editor with its own name.
    assert form.status_code == 200 and proposal.name in form.text
    response = client.post(
        url,
        {"name": "Khung STP (sửa)", "explanation": "Lý do", "rules": json.dumps(reworded())},
    )
    assert response.status_code == 302, response.content[:3000]
    proposal.refresh_from_db()
    assert proposal.name == "Khung STP (sửa)"
    assert proposal.rules["components"][0]["criteria"][2]["code"] == "I.3"
    assert proposals.proposal_problems(proposal) == []
