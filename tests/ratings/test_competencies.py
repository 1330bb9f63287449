"""Competencies assessed (issue 45 item 2; Đắk Lắk plan §I.1, §I.2): where the framework weighs
them, Form 01 shows each competency the position's approved description requires with its level,
the evaluator enters the level assessed, the criterion's mark comes from them, the explanation
shows each competency's required and assessed level and its points; nobody assesses their own;
off by default (no score changes)."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from django.urls import reverse

from audit.history import history_model
from org.access import CIVIL_SERVANT_GROUP, UNIT_LEADER_GROUP
from org.models import (
    Competency,
    CompetencyKind,
    DescriptionStatus,
    JobDescription,
    JobDescriptionCompetency,
    LeadershipRole,
)
from org.write_gate import Refused
from scoring.models import CompetencyAssessment, CriteriaFramework, PeriodScore
from scoring.services import competencies
from tests.factories import GENERAL_CODES, UserFactory
from tests.scoring.helpers import MARCH, build_world

pytestmark = pytest.mark.django_db

SOAN_THAO = ("NL-VB", "Soạn thảo văn bản hành chính", 3)
CNTT = ("NL-CNTT", "Ứng dụng công nghệ thông tin", 4)


def weigh_competencies(criteria=("general.II.1",)):
    """Sở Nội vụ publishes the default framework with the ``competency`` rule feeding
    ``criteria`` (what the framework editor writes)."""
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    rules = copy.deepcopy(framework.live_revision.content["rules"])
    rules["competency"] = {
        "criteria": list(criteria),
        "citation": "Kế hoạch của UBND tỉnh Đắk Lắk, mục I.1, I.2",
        "confidence": "inferred",
    }
    framework.rules = rules
    framework.save()
    framework.save_revision().publish()


def require(person, rows=(SOAN_THAO, CNTT), agency=None):
    """An approved description of the person's position, in force since before the month,
    requiring ``rows`` (code, name, level)."""
    position = person.postings.first().job_position
    description = JobDescription.objects.create(
        job_position=position,
        agency=agency,
        status=DescriptionStatus.APPROVED,
        effective_from=MARCH.replace(month=1),
        decision_number="1/QĐ-SNV",
        decision_date=MARCH.replace(month=1),
    )
    for order, (code, name, level) in enumerate(rows):
        competency, _created = Competency.objects.get_or_create(
            code=code, defaults={"name": name, "kind": CompetencyKind.choices[0][0]}
        )
        JobDescriptionCompetency.objects.create(
            description=description, competency=competency, required_level=level, sort_order=order
        )
    return description


@pytest.fixture
def setup():
    world = build_world()
    person = world.person("Lê Thị Năng")
    world.line(person, "X", 2, 2)
    head = world.person("Trần Văn Đánh", role=LeadershipRole.HEAD)
    person.user = UserFactory(username="nang", groups=[CIVIL_SERVANT_GROUP])
    person.save()
    head.user = UserFactory(username="danh", groups=[UNIT_LEADER_GROUP])
    head.save()
    url = reverse("ratings_form01_entry", args=[person.pk, world.period.pk])
    return world, person, head, url


def eval_marks(value="2"):
    return {f"eval_{code.replace('.', '_')}": value for code in GENERAL_CODES}


def levels(**by_code):
    ids = dict(Competency.objects.values_list("code", "pk"))
    return {f"competency_{ids[code.replace('_', '-')]}": str(v) for code, v in by_code.items()}


def test_off_by_default_form01_shows_no_competency_and_the_score_is_unchanged(client, setup):
    world, person, head, url = setup
    require(person)
    client.force_login(head.user)
    page = client.get(url).content.decode()
    assert "form01-competency-title" not in page
    assert "Soạn thảo văn bản hành chính" not in page
    assert client.post(url, eval_marks("2")).status_code == 302
    score = PeriodScore.objects.get(civil_servant=person, period=world.period)
    assert score.general_points == 20
    assert not any(s["code"].startswith("competency") for s in score.explanation["steps"])


def test_the_evaluator_enters_levels_and_the_explanation_shows_each_competency(client, setup):
    world, person, head, url = setup
    weigh_competencies()
    require(person)
    client.force_login(head.user)
    page = client.get(url).content.decode()
    assert "Năng lực theo vị trí việc làm" in page
    assert "Soạn thảo văn bản hành chính" in page and "Cấp độ 3/5" in page
    assert "Ứng dụng công nghệ thông tin" in page and "Cấp độ 4/5" in page
    response = client.post(url, {**eval_marks("2"), **levels(NL_VB=3, NL_CNTT=2)})
    assert response.status_code == 302
    stored = {
        a.competency.code: (a.required_level, a.assessed_level, a.evaluator)
        for a in CompetencyAssessment.objects.filter(civil_servant=person)
    }
    assert stored == {"NL-VB": (3, 3, head.user), "NL-CNTT": (4, 2, head.user)}
    score = PeriodScore.objects.get(civil_servant=person, period=world.period)
    # II.1 (2.5) from the competencies: (100 % + 50 %) / 2 = 75 % → 1.88 instead of 2:
    # 9 × 2 + 1.88 = 19.88
    assert score.general_points == Decimal("19.88")
    explain = client.get(reverse("scoring_explain", args=[score.pk])).content.decode()
    assert (
        "Soạn thảo văn bản hành chính: yêu cầu cấp độ 3, đánh giá cấp độ 3 → 100,00% → 1,25 điểm"
        in explain
    )
    assert (
        "Ứng dụng công nghệ thông tin: yêu cầu cấp độ 4, đánh giá cấp độ 2 → 50,00% → 0,63 điểm"
        in explain
    )
    assert "điểm tiêu chí general.II.1 = 1,88" in explain and "Đắk Lắk" in explain
    # the form shows what was entered
    page = client.get(url).content.decode()
    assert 'value="2" selected' in page
    # history of the input
    history = history_model(CompetencyAssessment).objects.filter(civil_servant_id=person.pk)
    assert history.count() == 2


def test_until_every_competency_is_assessed_the_evaluator_mark_stands(client, setup):
    world, person, head, url = setup
    weigh_competencies()
    require(person)
    client.force_login(head.user)
    assert client.post(url, {**eval_marks("2"), **levels(NL_VB=3)}).status_code == 302
    score = PeriodScore.objects.get(civil_servant=person, period=world.period)
    assert score.general_points == 20
    explain = client.get(reverse("scoring_explain", args=[score.pk])).content.decode()
    assert (
        "người đánh giá chưa đánh giá năng lực Ứng dụng công nghệ thông tin của vị trí việc "
        "làm: giữ điểm của người đánh giá."
    ) in explain


def test_a_level_outside_the_scale_is_refused_naming_the_competency(client, setup):
    _world, person, head, url = setup
    weigh_competencies()
    require(person)
    client.force_login(head.user)
    response = client.post(url, {**eval_marks("2"), **levels(NL_VB=7, NL_CNTT=2)})
    assert response.status_code == 400
    assert (
        "Năng lực “Soạn thảo văn bản hành chính”: cấp độ đánh giá phải là số nguyên từ 1 đến 5."
        in response.content.decode()
    )
    assert not CompetencyAssessment.objects.exists()


def test_nobody_assesses_their_own_competencies(client, setup):
    world, person, _head, url = setup
    weigh_competencies()
    require(person)
    client.force_login(person.user)
    page = client.get(url).content.decode()
    assert "Soạn thảo văn bản hành chính" in page
    # the choice is shown but disabled; a forged post writes nothing
    assert client.post(url, levels(NL_VB=5, NL_CNTT=5)).status_code in (302, 400)
    assert not CompetencyAssessment.objects.exists()
    required = competencies.required_for(person, world.period)
    with pytest.raises(Refused) as refused:
        competencies.save(person.user, person, world.period, {required[0].competency_id: 5})
    assert refused.value.message == (
        "Không ai tự đánh giá năng lực của chính mình: mức năng lực do người đánh giá của bạn "
        "đánh giá."
    )


def test_a_position_without_an_approved_description_says_so(client, setup):
    _world, _person, head, url = setup
    weigh_competencies()
    client.force_login(head.user)
    page = client.get(url).content.decode()
    assert "chưa có bản mô tả công việc được phê duyệt nêu năng lực yêu cầu" in page


def test_the_agency_own_description_is_the_one_in_force(client, setup):
    world, person, _head, _url = setup
    weigh_competencies()
    require(person, rows=(SOAN_THAO,))  # the province's common description
    require(person, rows=(CNTT,), agency=world.department)  # the agency's own
    required = competencies.required_for(person, world.period)
    assert [(r.code, r.level) for r in required] == [("NL-CNTT", 4)]


def test_sod_noi_vu_turns_competencies_on_in_the_framework_editor(client):
    """Configuration with a documented default: the editor's section "Năng lực theo vị trí việc
    làm" names the criterion fed and the weight; a wrong code is refused naming the field."""
    from org.access import HOME_AFFAIRS_GROUP
    from tests.scoring.test_framework_editor import form_data

    default = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    client.force_login(UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP]))
    url = reverse("scoring_framework_editor", args=[default.pk])
    html = client.get(url).content.decode()
    for label in (
        "Năng lực theo vị trí việc làm",
        "Tiêu chí lấy điểm từ mức năng lực được đánh giá",
        "Tỷ trọng của năng lực trong điểm tiêu chí",
        "để trống (mặc định): không dùng, không điểm nào thay đổi",
        "Đắk Lắk",
    ):
        assert label in html, label
    assert 'name="competency.criteria" value=""' in html
    wrong = client.post(
        url, form_data(default, **{"competency.criteria": "general.Z.9", "action": "save"})
    )
    assert wrong.status_code == 400
    assert "phải là mã tiêu chí thành phần có trong khung" in wrong.content.decode()
    client.post(
        url,
        form_data(
            default,
            **{
                "competency.criteria": "general.II.1",
                "competency.weight.value": "0,5",
                "action": "save",
            },
        ),
    )
    default.refresh_from_db()
    rules = default.latest_revision.content["rules"]
    assert rules["competency"]["criteria"] == ["general.II.1"]
    assert rules["competency"]["weight"]["value"] == "0.5"


def _assessed_with_a_gap(client, setup):
    world, person, head, url = setup
    weigh_competencies()
    require(person)
    client.force_login(head.user)
    assert client.post(url, {**eval_marks("2"), **levels(NL_VB=3, NL_CNTT=2)}).status_code == 302
    return world, person


def test_hr_reads_the_gaps_on_the_person_page_and_in_the_listing(client, setup):
    from org.access import AGENCY_ADMIN_GROUP
    from tests.factories import AgencyAccessFactory, AgencyFactory

    world, person = _assessed_with_a_gap(client, setup)
    admin = UserFactory(username="tccb", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.department)
    client.force_login(admin)
    page = client.get(reverse("ratings_hr_person", args=[person.pk])).content.decode()
    assert "Khoảng cách năng lực so với yêu cầu của vị trí việc làm" in page
    assert 'data-competency="NL-CNTT"' in page and 'data-competency="NL-VB"' not in page
    listing = client.get(reverse("ratings_competency_gaps")).content.decode()
    assert "Lê Thị Năng" in listing and "Ứng dụng công nghệ thông tin" in listing
    assert "1 năng lực chưa đạt cấp độ yêu cầu" in listing
    cntt = Competency.objects.get(code="NL-CNTT")
    vb = Competency.objects.get(code="NL-VB")
    by_competency = client.get(reverse("ratings_competency_gaps"), {"competency": vb.pk})
    assert "0 năng lực chưa đạt cấp độ yêu cầu" in by_competency.content.decode()
    by_unit = client.get(
        reverse("ratings_competency_gaps"), {"agency": world.unit.pk, "competency": cntt.pk}
    )
    assert "Lê Thị Năng" in by_unit.content.decode()
    wrong = client.get(reverse("ratings_competency_gaps"), {"competency": "999999"})
    assert "“Năng lực”: hãy chọn một năng lực trong danh sách." in wrong.content.decode()
    # another agency's admin reads no row of this person
    other = UserFactory(username="khac", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=other, agency=AgencyFactory(parent=world.province, code="SXD"))
    client.force_login(other)
    listing = client.get(reverse("ratings_competency_gaps")).content.decode()
    assert "Lê Thị Năng" not in listing


def test_the_gaps_export_as_xlsx(client, setup):
    import io

    from openpyxl import load_workbook

    from org.access import HOME_AFFAIRS_GROUP

    _world, _person = _assessed_with_a_gap(client, setup)
    client.force_login(UserFactory(username="snv2", groups=[HOME_AFFAIRS_GROUP]))
    response = client.get(reverse("ratings_competency_gaps_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "KHOẢNG CÁCH NĂNG LỰC SO VỚI YÊU CẦU CỦA VỊ TRÍ VIỆC LÀM"
    header = rows.index(next(r for r in rows if r[0] == "Họ và tên"))
    assert rows[header][3:8] == (
        "Mã năng lực",
        "Năng lực",
        "Cấp độ yêu cầu",
        "Cấp độ đánh giá",
        "Thiếu (cấp độ)",
    )
    (data,) = rows[header + 1 :]
    assert data[0] == "Lê Thị Năng"
    assert data[3:8] == ("NL-CNTT", "Ứng dụng công nghệ thông tin", 4, 2, 2)


def test_a_civil_servant_cannot_open_the_gaps_listing(client, setup):
    _world, person, _head, _url = setup
    client.force_login(person.user)
    response = client.get(reverse("ratings_competency_gaps"))
    assert response.status_code in (302, 403)
    # nothing of the listing reaches the person: no table of gaps, no colleague's name
    page = response.content.decode()
    assert 'id="competency-gaps"' not in page and "Cấp độ yêu cầu" not in page


def test_the_api_carries_the_assessed_levels(client, setup):
    from org.access import HOME_AFFAIRS_GROUP

    world, person = _assessed_with_a_gap(client, setup)
    score = PeriodScore.objects.get(civil_servant=person, period=world.period)
    client.force_login(UserFactory(username="snv3", groups=[HOME_AFFAIRS_GROUP]))
    body = client.get(f"/api/v1/period-scores/{score.pk}/").json()
    assert body["competencies"] == [
        {
            "code": "NL-VB",
            "name": "Soạn thảo văn bản hành chính",
            "required_level": 3,
            "assessed_level": 3,
            "points": "1.25",
        },
        {
            "code": "NL-CNTT",
            "name": "Ứng dụng công nghệ thông tin",
            "required_level": 4,
            "assessed_level": 2,
            "points": "0.63",
        },
    ]
    assert any(
        "Ứng dụng công nghệ thông tin: yêu cầu cấp độ 4" in s for s in body["explanation_text"]
    )
    schema = client.get("/api/v1/schema/").content.decode()
    assert "AssessedCompetency" in schema and "required_level" in schema


def test_a_level_changed_since_the_page_was_opened_is_told_not_overwritten(client, setup):
    import re

    world, person, head, url = setup
    weigh_competencies()
    require(person)
    client.force_login(head.user)
    page = client.get(url).content.decode()
    token = re.search(r'name="kpi_seen" value="([^"]*)"', page).group(1)
    cntt = Competency.objects.get(code="NL-CNTT")
    # meanwhile a decision taken elsewhere writes a level through the same service
    competencies.save(None, person, world.period, {cntt.pk: 2}, decided_by="test")
    response = client.post(url, {"kpi_seen": token, **eval_marks("2"), **levels(NL_CNTT=4)})
    assert response.status_code == 400
    assert (
        "NL-CNTT (cấp độ năng lực do người đánh giá đánh giá): lúc bạn mở trang là “—”, nay "
        "là “2”." in response.content.decode()
    )
    assert CompetencyAssessment.objects.get(competency=cntt).assessed_level == 2


def test_the_demo_unit_weighs_competencies_so_a_user_can_try_it(client, setup):
    from demo.competencies_demo import load_competencies_demo
    from tests.factories import UnitFactory

    world, _person, _head, _url = setup
    office = UnitFactory(parent=world.department, code="SNV-VP", name="Văn phòng Sở")
    clerk = world.person("Phạm Thị Văn", agency=office)
    boss = world.person("Đỗ Văn Chánh", agency=office, role=LeadershipRole.HEAD)
    boss.user = UserFactory(username="chanh", groups=[UNIT_LEADER_GROUP])
    boss.save()
    require(clerk)
    framework = load_competencies_demo()
    assert load_competencies_demo() == framework  # a second run writes nothing new
    rules = framework.live_revision.content["rules"]
    assert rules["competency"]["criteria"] == ["general.II.1"]
    client.force_login(boss.user)
    page = client.get(reverse("ratings_form01_entry", args=[clerk.pk, world.period.pk]))
    html = page.content.decode()
    assert "form01-competency-title" in html and "Soạn thảo văn bản hành chính" in html


def test_an_agencys_batch_scores_the_levels_as_the_one_person_path_does(client, setup):
    """The worker's run for an agency passes its people as a subquery: on the merged tree it
    crashed ("Field 'id' expected a number but got {'civil_servant_id': …}") and left the
    agency's month unscored (ci-production's scoring fault, 25/11)."""
    from scoring.services.period_batch import score_period

    world, person, head, url = setup
    weigh_competencies()
    require(person)
    client.force_login(head.user)
    response = client.post(url, {**eval_marks("2"), **levels(NL_VB=3, NL_CNTT=2)})
    assert response.status_code == 302
    one = PeriodScore.objects.get(civil_servant=person, period=world.period)
    assert one.general_points == Decimal("19.88")
    agency = person.postings.get().agency
    while agency.parent_id is not None:
        agency = agency.parent
    score_period(world.period, agency, force=True)
    again = PeriodScore.objects.get(civil_servant=person, period=world.period)
    assert again.general_points == Decimal("19.88")
    assert again.inputs_hash == one.inputs_hash


def test_a_long_gaps_export_is_built_in_the_background_with_the_same_cells(client, setup):
    """Issue 47: above KPI_EXPORT_INLINE_ROWS the gaps' export lands on the export job's page;
    the file has the inline download's cells and is logged as it is; another agency's admin
    never opens it."""
    from audit.models import ReadKind
    from org.access import AGENCY_ADMIN_GROUP
    from tests.export_jobs import in_background, refused_everywhere
    from tests.factories import AgencyAccessFactory, AgencyFactory

    world, _person = _assessed_with_a_gap(client, setup)
    admin = UserFactory(username="tccb", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.department)
    client.force_login(admin)
    url = reverse("ratings_competency_gaps_xlsx")
    job, _inline, page = in_background(
        client, url, {"agency": world.department.pk}, read_kind=ReadKind.LISTING_EXPORT
    )
    assert "Khoảng cách năng lực" in page
    other = UserFactory(username="khac", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=other, agency=AgencyFactory(parent=world.province, code="SXD"))
    client.force_login(other)
    refused_everywhere(client, job, "Lê Thị Năng")
