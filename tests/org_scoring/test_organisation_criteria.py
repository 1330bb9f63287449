"""Agencies propose their organisation criteria — key tasks (nhiệm vụ trọng tâm) and their
weights — through the framework-proposal path (coverage D8; Gia Lai §V.1.b–c, §V.2.b–c;
docs/organisation-scoring.md §1a): drafted by the agency's admin, appraised and approved by
Sở Nội vụ, in force from 1 January of the next evaluation year, named in the explanation of
the agency's organisation score. What each person sees is asserted."""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse
from django.utils import timezone

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org_scoring.frameworks import organisation_framework
from org_scoring.models import OrganisationScore, OrganisationTask
from org_scoring.services import score_organisations
from scoring.models import CriteriaFramework, FrameworkAssignment, FrameworkProposal
from scoring.services import proposals
from tests.clock import on_the_day
from tests.factories import AgencyAccessFactory, UserFactory
from tests.factories.org_scoring import OrganisationTaskFactory, marks

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NEXT = TODAY.year + 1


@pytest.fixture(autouse=True)
def _clock():
    with on_the_day(TODAY):  # TODAY is read at collection (tests/clock.py)
        yield


@pytest.fixture
def people(world):
    admin = UserFactory(username="qt.stn", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.department)
    outsider = UserFactory(username="qt.skh", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=outsider, agency=world.other)
    home = UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    return {"admin": admin, "outsider": outsider, "home": home}


def base():
    return CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")


def add_proposal(client, world, name="Tiêu chí đánh giá Sở Thử nghiệm năm sau"):
    response = client.post(
        reverse("wagtailsnippets_scoring_frameworkproposal:add"),
        {
            "agency": world.department.pk,
            "base": base().pk,
            "scope": "organisation",
            "name": name,
            "explanation": "Nhiệm vụ trọng tâm theo kế hoạch của tỉnh",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return FrameworkProposal.objects.get(name=name)


def key_task_rows(*rows):
    data = {
        "form-TOTAL_FORMS": str(len(rows) + 1),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, (code, label, weight) in enumerate([*rows, ("", "", "")]):
        data.update({f"form-{i}-code": code, f"form-{i}-label": label, f"form-{i}-weight": weight})
    return data


def refused(response) -> bool:
    """The admin's refusal: 403, or the redirect to the admin home with its message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"].rstrip("/") == "/admin"
    )


def step(client, proposal, name, comment="", **decision):
    data = {"step": name, "comment": comment, **decision}
    return client.post(reverse("scoring_proposal_steps", args=[proposal.pk]), data, follow=True)


def test_the_agency_proposes_key_tasks_sở_nội_vụ_approves_and_next_years_score_names_them(
    client, world, people
):
    client.force_login(people["admin"])
    proposal = add_proposal(client, world)
    assert proposal.is_organisation and proposal.framework.applies_to == "organisation"
    page = reverse("scoring_proposal_key_tasks", args=[proposal.pk])
    response = client.post(
        page,
        key_task_rows(
            ("NV.1", "Chuyển đổi số thủ tục hành chính", "3"),
            ("NV.2", "Sắp xếp tổ chức bộ máy", "1,5"),
        ),
        follow=True,
    )
    text = response.content.decode()
    assert "Đã lưu 2 nhiệm vụ trọng tâm." in text
    steps_page = client.get(reverse("scoring_proposal_steps", args=[proposal.pk]))
    text = steps_page.content.decode()
    assert "Tiêu chí đánh giá tổ chức (nhiệm vụ trọng tâm)" in text
    assert "Chuyển đổi số thủ tục hành chính" in text and "1,5" in text
    assert "Không có vấn đề." in text
    assert (
        "Đã ghi nhận: Gửi Sở Nội vụ thẩm định." in step(client, proposal, "submit").content.decode()
    )

    client.force_login(people["home"])
    assert "Đã ghi nhận" in step(client, proposal, "recommend", "Đạt").content.decode()
    decided = {
        "decision_number": "31/QĐ-UBND",
        "decision_date": TODAY.strftime("%d/%m/%Y"),
        "effective_from": f"01/01/{NEXT}",
    }
    text = step(client, proposal, "approve", **decided).content.decode()
    assert "Đã ghi nhận: Phê duyệt." in text
    assert f"áp dụng từ ngày 01/01/{NEXT}" in text
    proposal.refresh_from_db()
    assert proposal.status == "approved"
    # In force for the agency from the next evaluation year, with nobody's hand needed.
    assignment = FrameworkAssignment.objects.get(framework=proposal.framework)
    assert assignment.agency == world.department
    assert assignment.effective_from == datetime.date(NEXT, 1, 1)
    assert organisation_framework(world.department, NEXT).framework_id == proposal.framework_id
    assert organisation_framework(world.department, TODAY.year).framework_id != (
        proposal.framework_id
    )
    # Other systems read the approved criteria: the framework, its kind and its key tasks.
    listed = client.get(f"/api/v1/frameworks/{proposal.framework_id}/").json()
    assert listed["applies_to"] == "organisation"
    assert listed["approval"]["scope"] == "organisation"
    assert [(k["code"], k["weight"]) for k in listed["rules"]["organisation"]["key_tasks"]] == [
        ("NV.1", "3"),
        ("NV.2", "1.5"),
    ]

    # Next year's tasks: one linked to NV.1 (weight 3), one not done, one other on time.
    marks(world.department, year=NEXT)
    done = OrganisationTaskFactory(
        agency=world.department, year=NEXT, deadline=datetime.date(NEXT, 6, 30), key_task="NV.1"
    )
    OrganisationTaskFactory(
        agency=world.department,
        year=NEXT,
        deadline=datetime.date(NEXT, 6, 30),
        outcome="not_done",
    )
    OrganisationTaskFactory(agency=world.department, year=NEXT, deadline=datetime.date(NEXT, 7, 30))
    score_organisations(NEXT, world.department)
    stored = OrganisationScore.objects.get(agency=world.department, year=NEXT)
    assert stored.task_percent == Decimal("80.00")  # (3 × 100 + 0 + 100) / 5
    client.force_login(people["admin"])
    page = client.get(reverse("org_scoring_agency_year", args=[world.department.pk, NEXT]))
    text = page.content.decode()
    assert (
        f"Nhiệm vụ 1 ({done.document_ref}): đúng hạn → 100,00%. Nhiệm vụ trọng tâm "
        "“Chuyển đổi số thủ tục hành chính” (tiêu chí của cơ quan đã được phê duyệt), hệ số 3,00."
    ) in text
    assert (
        "trung bình có trọng số (nhiệm vụ trọng tâm theo hệ số của tiêu chí cơ quan đã được phê "
        "duyệt, nhiệm vụ khác hệ số 1) = 80,00%."
    ) in text


def test_approval_effective_mid_year_is_refused_with_the_reason(client, world, people):
    client.force_login(people["admin"])
    proposal = add_proposal(client, world)
    client.post(
        reverse("scoring_proposal_key_tasks", args=[proposal.pk]),
        key_task_rows(("NV.1", "Chuyển đổi số", "2")),
    )
    step(client, proposal, "submit")
    client.force_login(people["home"])
    step(client, proposal, "recommend", "Đạt")
    response = step(
        client,
        proposal,
        "approve",
        decision_number="31/QĐ-UBND",
        decision_date=TODAY.strftime("%d/%m/%Y"),
        effective_from=f"01/07/{NEXT}",
    )
    assert response.status_code == 400
    assert (
        "Áp dụng từ ngày: tổ chức được đánh giá theo năm, nên tiêu chí đánh giá tổ chức áp dụng "
        f"từ ngày 01/01 của năm đánh giá sau (ví dụ 01/01/{NEXT + 1})."
    ) in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "recommended"
    assert not FrameworkAssignment.objects.filter(framework=proposal.framework).exists()


def test_organisation_criteria_change_only_the_key_tasks(client, world, people):
    client.force_login(people["admin"])
    proposal = add_proposal(client, world)
    # Nothing proposed yet: submitting is refused, naming what is missing.
    text = step(client, proposal, "submit").content.decode()
    assert "cần ít nhất một nhiệm vụ trọng tâm (tên nhiệm vụ và hệ số)." in text
    # The province's parts stay (the one weight of flagged key tasks, the 30/70 split).
    rules = dict(proposal.rules)
    rules["organisation"] = {
        **rules["organisation"],
        "key_task_weight": {"value": "4"},
        "key_tasks": [{"code": "NV.1", "label": "Chuyển đổi số", "weight": "2"}],
    }
    proposals.update_rules(proposal, rules, people["admin"])
    text = step(client, proposal, "submit").content.decode()
    assert (
        "framework.organisation.key_task_weight: không được thay đổi so với khung của tỉnh"
    ) in text
    proposal.refresh_from_db()
    assert proposal.status == "draft"


@pytest.mark.parametrize(
    "row, message",
    [
        (("NV.1", "Chuyển đổi số", "11"), "Hệ số: phải từ 1 đến 10."),
        (("NV.1", "Chuyển đổi số", "0,5"), "Hệ số: phải từ 1 đến 10."),
        (("NV.1", "Chuyển đổi số", "ba"), "Hệ số: phải là một số, ví dụ 1,5."),
        (("", "Chuyển đổi số", "2"), "Mã: bắt buộc, ví dụ NV.1."),
        (("NV.1", "", "2"), "Nhiệm vụ trọng tâm: bắt buộc (nội dung nhiệm vụ)."),
    ],
)
def test_a_bad_key_task_row_is_refused_naming_the_field(client, world, people, row, message):
    client.force_login(people["admin"])
    proposal = add_proposal(client, world)
    response = client.post(
        reverse("scoring_proposal_key_tasks", args=[proposal.pk]), key_task_rows(row)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    proposal.refresh_from_db()
    assert proposals.key_tasks_of(proposal) == []


def test_two_key_tasks_with_one_code_are_refused(client, world, people):
    client.force_login(people["admin"])
    proposal = add_proposal(client, world)
    response = client.post(
        reverse("scoring_proposal_key_tasks", args=[proposal.pk]),
        key_task_rows(("NV.1", "Chuyển đổi số", "2"), ("NV.1", "Sắp xếp bộ máy", "2")),
    )
    assert response.status_code == 400
    assert "framework.organisation.key_tasks: mã &#x27;NV.1&#x27; bị trùng" in (
        response.content.decode()
    )


def test_another_agency_neither_reads_nor_writes_the_key_tasks(client, world, people):
    client.force_login(people["admin"])
    proposal = add_proposal(client, world)
    url = reverse("scoring_proposal_key_tasks", args=[proposal.pk])
    client.force_login(people["outsider"])
    assert refused(client.get(url))
    assert refused(client.post(url, key_task_rows(("NV.9", "Việc khác", "9"))))
    proposal.refresh_from_db()
    assert proposals.key_tasks_of(proposal) == []


def test_sở_nội_vụ_reads_the_key_tasks_but_does_not_edit_the_agencys_draft_after_submission(
    client, world, people
):
    client.force_login(people["admin"])
    proposal = add_proposal(client, world)
    url = reverse("scoring_proposal_key_tasks", args=[proposal.pk])
    client.post(url, key_task_rows(("NV.1", "Chuyển đổi số", "2")))
    step(client, proposal, "submit")
    text = client.get(url).content.decode()
    assert "Chuyển đổi số" in text and "Lưu nhiệm vụ trọng tâm" not in text
    assert refused(client.post(url, key_task_rows(("NV.1", "Khác", "9"))))
    proposal.refresh_from_db()
    assert [row["label"] for row in proposals.key_tasks_of(proposal)] == ["Chuyển đổi số"]
    client.force_login(people["home"])
    text = client.get(url).content.decode()
    assert "Chuyển đổi số" in text and "Lưu nhiệm vụ trọng tâm" not in text


def test_a_task_naming_a_key_task_not_in_force_is_refused_in_the_form(client, world, people):
    client.force_login(people["admin"])
    response = client.post(
        reverse("wagtailsnippets_org_scoring_organisationtask:add"),
        {
            "agency": world.department.pk,
            "year": TODAY.year,
            "document_ref": "77/QĐ-UBND",
            "document_title": "Quyết định giao nhiệm vụ",
            "description": "Hoàn thành đề án",
            "key_task": "NV.1",
            "deadline": f"30/12/{TODAY.year}",
            "outcome": "pending",
            "delays": 0,
            "completed_on": "",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert (
        "Tiêu chí nhiệm vụ trọng tâm của cơ quan: Sở Thử nghiệm chưa có tiêu chí đánh giá tổ "
        f"chức được phê duyệt áp dụng cho năm {TODAY.year}"
    ) in response.content.decode()
    assert not OrganisationTask.objects.filter(document_ref="77/QĐ-UBND").exists()


def test_an_individual_proposal_cannot_start_from_an_organisation_framework(client, world, people):
    organisation = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    organisation.pk = None
    organisation.id = None
    organisation.code = "to-chuc-tinh"
    organisation.applies_to = "organisation"
    organisation.live = True
    organisation.save()
    client.force_login(people["admin"])
    response = client.post(
        reverse("wagtailsnippets_scoring_frameworkproposal:add"),
        {
            "agency": world.department.pk,
            "base": organisation.pk,
            "scope": "individual",
            "name": "Khung công chức",
            "explanation": "",
        },
    )
    assert response.status_code == 200
    assert (
        "Khung của tỉnh: tiêu chí đánh giá công chức phải lập từ khung đánh giá công chức"
    ) in response.content.decode()
