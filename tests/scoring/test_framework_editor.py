"""The structured framework editor (issue 30 item 2): labelled Vietnamese fields, the engine's
messages next to the field, a what-if score of a sample person, a new published version with
who/when, the same editor for an agency's proposal, the JSON for IT."""

import json
from decimal import Decimal

import pytest

from django.urls import reverse

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from scoring.engine import DECREE_335_DEFAULT, parse_framework
from scoring.models import CriteriaFramework, PeriodScore
from scoring.services import framework_editor as editor
from scoring.services import score_person
from tests.factories import AgencyAccessFactory, AgencyFactory, UserFactory, framework_proposal
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def default():
    return CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")


@pytest.fixture
def officer():
    return UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])


def refused(response) -> bool:
    """Wagtail answers a refused admin page with a redirect to the admin home (and a message)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def form_data(page_html_or_framework, **changes):
    """The editor's form as a browser would post it: every field with its shown value."""
    framework = page_html_or_framework
    data, _error = editor.normalised(editor.editing_rules(framework))
    post = {"working": json.dumps(data), "seen_revision": str(framework.latest_revision_id)}
    for _block, row, f in editor.all_fields(editor.editor_sections(data)):
        if row.new or f.kind == "readonly":
            continue
        if f.kind == "bool":
            if f.value:
                post[f.name] = "1"
            continue
        post[f.name] = f.display
    post.update(changes)
    return post


def test_the_editor_shows_labelled_vietnamese_fields_without_json(client, officer, default):
    client.force_login(officer)
    html = client.get(reverse("scoring_framework_editor", args=[default.pk])).content.decode()
    assert "Phẩm chất chính trị, đạo đức, văn hóa công vụ" in html
    assert "Điểm tối đa" in html and "Căn cứ" in html and "Độ tin cậy" in html
    assert "Suy luận — tỉnh cần xác nhận" in html
    assert 'name="components.0.criteria.0.max_points" value="5"' in html
    assert 'value="2,5"' in html  # decimal comma
    assert "Từ điểm" in html and "Hoàn thành xuất sắc nhiệm vụ" in html
    # No English key or code is shown as text (only in input names and the hidden state).
    import re

    shown = re.sub(r'<input type="hidden"[^>]*>', "", html.split('<form method="post"')[1])
    text = re.sub(r"<[^>]+>", " ", shown)
    for english in ("max_points", "citation", "inferred", "confirmed", "criteria_marks"):
        assert english not in text


def test_a_group_not_summing_is_reported_next_to_the_group_and_nothing_is_saved(
    client, officer, default
):
    client.force_login(officer)
    url = reverse("scoring_framework_editor", args=[default.pk])
    before = default.latest_revision_id
    response = client.post(
        url, form_data(default, **{"components.0.criteria.0.max_points": "6", "action": "save"})
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Chưa lưu được" in html
    assert "tổng điểm tối đa các tiêu chí của nhóm &#x27;I&#x27; (11) phải bằng 10" in html
    # Next to the group's row, and the typed value is kept.
    group_row = html.split('id="f-components.0.groups.0"')[1].split("</tr>")[1]
    assert "phải bằng 10" in group_row
    assert 'name="components.0.criteria.0.max_points" value="6"' in html
    default.refresh_from_db()
    assert default.latest_revision_id == before


def test_overlapping_bands_are_reported_next_to_the_band(client, officer, default):
    client.force_login(officer)
    url = reverse("scoring_framework_editor", args=[default.pk])
    response = client.post(
        url, form_data(default, **{"bands.1.min_score": "95", "action": "preview"})
    )
    html = response.content.decode()
    assert response.status_code == 400
    cell = html.split('id="f-bands.1.min_score"')[1].split("</td>")[0]
    assert "các ngưỡng điểm phải giảm dần" in cell
    assert 'aria-invalid="true"' in cell


def test_a_number_that_is_not_one_is_named(client, officer, default):
    client.force_login(officer)
    url = reverse("scoring_framework_editor", args=[default.pk])
    response = client.post(
        url, form_data(default, **{"quota.ratio.value": "hai mươi", "action": "preview"})
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tỷ lệ tối đa được xếp hoàn thành xuất sắc — Giá trị" in html
    assert "Phải là một số, ví dụ 2,5." in html


def test_an_unchanged_form_writes_back_the_same_rules(default):
    data, _error = editor.normalised(editor.editing_rules(default))
    post = form_data(default)
    rules, sections = editor.rules_from_post(data, post)
    assert not editor.typing_errors(sections)
    assert rules == data
    assert parse_framework(rules) == DECREE_335_DEFAULT


def test_a_criterion_can_be_added_and_removed(default):
    data, _error = editor.normalised(editor.editing_rules(default))
    post = form_data(
        default,
        **{
            "components.0.criteria.1.DELETE": "on",
            "components.0.criteria.10.label": "Văn hóa công vụ tại bộ phận một cửa",
            "components.0.criteria.10.max_points": "5",
            "components.0.criteria.10.group": "I",
            "components.0.criteria.10.confidence": "inferred",
        },
    )
    rules, sections = editor.rules_from_post(data, post)
    assert not editor.typing_errors(sections)
    criteria = rules["components"][0]["criteria"]
    assert [c["code"] for c in criteria][:2] == ["I.1", "II.1"]
    assert criteria[-1]["code"] == "I.2" or criteria[-1]["label"].startswith("Văn hóa")
    assert editor.check(rules, "month") == []


def _scored_person(total=24):
    world = build_world()
    person = world.person("Trần Thị Thử")
    world.line(person, "X", 1, 1)
    world.marks(person, total)
    score_person(person, world.period)
    return world, person


def test_preview_scores_a_sample_person_before_and_after(client, officer, default):
    world, person = _scored_person()
    stored = PeriodScore.objects.get(civil_servant=person, period=world.period)
    client.force_login(officer)
    url = reverse("scoring_framework_editor", args=[default.pk])
    response = client.post(
        url,
        form_data(
            default,
            **{
                "bands.1.min_score": "95",
                "bands.0.min_score": "99",
                "action": "preview",
                "person": str(person.pk),
                "period": str(world.period.pk),
            },
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200, html[:2000]
    assert "Kết quả tính thử" in html and "Trần Thị Thử" in html
    total = f"{stored.total:.2f}".replace(".", ",")
    before = html.split('data-testid="before-total">')[1].split("<")[0]
    after = html.split('data-testid="after-total"><strong>')[1].split("<")[0]
    assert before == after == total
    assert "Hoàn thành tốt nhiệm vụ" in html  # before: good (94 ≥ 70)
    assert "Hoàn thành nhiệm vụ" in html  # after: completed (< 95)
    assert "Các dòng giải thích thay đổi" in html
    assert 'class="fe-new"' in html
    # Nothing written.
    default.refresh_from_db()
    assert default.latest_revision_id == default.live_revision_id
    assert PeriodScore.objects.get(pk=stored.pk).inputs_hash == stored.inputs_hash


def test_publish_makes_a_new_version_with_who_and_when(client, officer, default):
    client.force_login(officer)
    url = reverse("scoring_framework_editor", args=[default.pk])
    old_live = default.live_revision_id
    changes = {
        "components.0.criteria.0.max_points": "6",
        "components.0.criteria.1.max_points": "4",
        "action": "publish",
    }
    unconfirmed = client.post(url, form_data(default, **changes))
    assert unconfirmed.status_code == 400
    assert "Tôi đã tính thử và xác nhận ban hành phiên bản mới" in unconfirmed.content.decode()
    response = client.post(url, form_data(default, confirm="1", **changes), follow=True)
    html = response.content.decode()
    assert "Đã ban hành phiên bản mới" in html
    default.refresh_from_db()
    assert default.live_revision_id != old_live
    rules = default.live_revision.content["rules"]
    assert rules["components"][0]["criteria"][0]["max_points"] == "6"
    assert "Lịch sử phiên bản" in html and "Ban hành phiên bản" in html
    assert officer.username in html or officer.get_full_name() in html
    # The revision the old scores recorded is untouched.
    from wagtail.models import Revision

    assert Revision.objects.get(pk=old_live).content["rules"]["components"][0]["criteria"][0][
        "max_points"
    ] in ("5", "5.00", 5)


def test_a_stale_form_is_refused(client, officer, default):
    client.force_login(officer)
    url = reverse("scoring_framework_editor", args=[default.pk])
    post = form_data(default, **{"action": "save"})
    default.save_revision(user=officer)
    response = client.post(url, post)
    assert response.status_code == 400
    assert "Khung đã được người khác lưu sau khi bạn mở trang" in response.content.decode()


def test_a_draft_does_not_change_the_version_in_force(client, officer, default):
    client.force_login(officer)
    url = reverse("scoring_framework_editor", args=[default.pk])
    live = default.live_revision_id
    client.post(url, form_data(default, **{"bands.1.min_score": "75", "action": "save"}))
    default.refresh_from_db()
    assert default.live_revision_id == live
    assert default.latest_revision.content["rules"]["bands"][1]["min_score"] == "75"
    html = client.get(url).content.decode()
    assert "Đang có bản nháp chưa ban hành" in html
    assert 'name="bands.1.min_score" value="75"' in html


def test_an_agency_admin_may_not_open_the_province_editor_or_json(client, default):
    admin = UserFactory(username="qt", groups=[AGENCY_ADMIN_GROUP])
    client.force_login(admin)
    for name in ("scoring_framework_editor", "scoring_framework_json"):
        assert refused(client.get(reverse(name, args=[default.pk])))
    live = default.live_revision_id
    response = client.post(
        reverse("scoring_framework_editor", args=[default.pk]),
        form_data(default, confirm="1", action="publish", **{"bands.1.min_score": "75"}),
    )
    assert refused(response)
    default.refresh_from_db()
    assert default.live_revision_id == default.latest_revision_id == live


def test_the_json_export_for_it(client, officer, default):
    client.force_login(officer)
    response = client.get(reverse("scoring_framework_json", args=[default.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content.decode())
    assert parse_framework(data) == DECREE_335_DEFAULT


def test_an_agency_edits_its_proposal_with_the_same_editor(client, default):
    world = build_world()
    admin = UserFactory(username="qt.snv", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.department)
    proposal = framework_proposal(world.department, admin)
    client.force_login(admin)
    url = reverse("scoring_proposal_editor", args=[proposal.pk])
    html = client.get(url).content.decode()
    assert "Phẩm chất chính trị, đạo đức, văn hóa công vụ" in html
    assert "Ban hành phiên bản mới" not in html
    data, _error = editor.normalised(proposal.rules)
    post = {"working": json.dumps(data), "action": "save"}
    for _block, row, f in editor.all_fields(editor.editor_sections(data)):
        if not row.new and f.kind not in ("readonly", "bool"):
            post[f.name] = f.display
        elif f.kind == "bool" and f.value:
            post[f.name] = "1"
    # Changing a band is not the agency's to change: the province's limits, next to the field.
    rejected = client.post(url, {**post, "bands.1.min_score": "75"})
    assert rejected.status_code == 400
    assert "không được thay đổi so với khung của tỉnh" in rejected.content.decode()
    post["components.0.criteria.0.label"] = "Chấp hành kỷ luật tại Sở"
    response = client.post(url, post, follow=True)
    assert "Đã lưu khung đề xuất" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.rules["components"][0]["criteria"][0]["label"] == "Chấp hành kỷ luật tại Sở"
    # Another agency's admin is refused.
    other = AgencyFactory(parent=world.province, code="SYT", name="Sở Y tế")
    outsider = UserFactory(username="qt.khac", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=outsider, agency=other)
    client.force_login(outsider)
    assert refused(client.get(url))
    assert refused(client.post(url, {**post, "components.0.criteria.0.label": "Khác"}))
    proposal.refresh_from_db()
    assert proposal.rules["components"][0]["criteria"][0]["label"] == "Chấp hành kỷ luật tại Sở"


def test_human_message_uses_a_decimal_comma():
    assert editor.human_message("tổng (31.00) phải bằng 30.5") == "tổng (31) phải bằng 30,5"
    assert editor.human_message("tiêu chí general.I.1") == "tiêu chí general.I.1"
    assert Decimal("2.5") and editor.decimal_text("0.50") == "0,5"


def _shown(data) -> dict:
    post = {}
    for _block, row, f in editor.all_fields(editor.editor_sections(data)):
        if row.new or f.kind == "readonly" or (f.kind == "bool" and not f.value):
            continue
        post[f.name] = "1" if f.kind == "bool" else f.display
    return post


@pytest.mark.parametrize("shipped", ["DECREE_335_DEFAULT", "NGHE_AN_FOUR_GROUPS"])
def test_both_shipped_frameworks_round_trip_through_the_form(shipped):
    """Scoring results cannot change by opening and saving: the form as shown gives back
    exactly the stored rules (every component, group-dependent maxima, leader levels,
    organisation rules included)."""
    import scoring.engine as engine

    data = getattr(engine, shipped).to_dict()
    rules, sections = editor.rules_from_post(data, _shown(data))
    assert not editor.typing_errors(sections)
    assert rules == data
    assert editor.check(rules, "month") == []


def test_the_missing_rules_are_labelled_vietnamese_options(client, officer, default):
    """Legal review §3 (M2, M3, M4, M5, M7, M11): each rule is an option of the editor, by its
    Vietnamese label, with the source and a draft saves the choice."""
    client.force_login(officer)
    url = reverse("scoring_framework_editor", args=[default.pk])
    html = client.get(url).content.decode()
    for label in (
        "Quy tắc bổ sung cho cá nhân",
        "Điều kiện của mức hoàn thành xuất sắc",
        "Tỷ lệ dòng sản phẩm vượt số giao tối thiểu (xuất sắc)",
        "Xếp loại cấp phó so với cấp trưởng",
        "Cách chấm lao động hợp đồng",
        "Người giữ nhiều chức vụ, vị trí (kiêm nhiệm)",
        "Nhiệm vụ chưa bảo đảm chất lượng, hiệu quả",
        "Kết quả của công chức thuộc tổ chức",
        "không xét kết quả của công chức",
        "theo chức vụ cao nhất (chức vụ tương đương: nơi làm việc nhiều thời gian nhất)",
        "đơn vị có nhiệm vụ trễ hạn: cấp phó không được xếp cao hơn cấp trưởng",
        "Quy định 366-QĐ/TW ngày 30/8/2025, Điều 11",
    ):
        assert label in html, label
    assert 'name="individual.excellent_min_exceeded_share.value" value="0,3"' in html
    client.post(
        url,
        form_data(
            default,
            **{
                "individual.deputy_cap.value": "not_above_head_when_late",
                "individual.excellent_conditions.value": "qd366",
                "organisation.task_quality.value": "not_assessed",
                "organisation.staff_ratings.value": "like_subunits",
                "action": "save",
            },
        ),
    )
    default.refresh_from_db()
    rules = default.latest_revision.content["rules"]
    assert rules["individual"]["deputy_cap"]["value"] == "not_above_head_when_late"
    assert rules["individual"]["excellent_conditions"]["value"] == "qd366"
    assert rules["organisation"]["task_quality"]["value"] == "not_assessed"
    assert rules["organisation"]["staff_ratings"]["value"] == "like_subunits"
    parsed = parse_framework(rules)
    assert parsed.organisation.staff_ratings.value == "like_subunits"
    assert parsed.individual.deputy_cap.value == "not_above_head_when_late"
    html = client.get(url).content.decode()
    assert "Đang có bản nháp chưa ban hành" in html


def test_the_satisfaction_input_is_set_in_the_editor(client, officer, default):
    """Issue 33 item 3: which sub-criteria the beneficiaries' answers feed, the minimum number
    of answers, what happens below it and the weight are fields of the editor."""
    client.force_login(officer)
    url = reverse("scoring_framework_editor", args=[default.pk])
    html = client.get(url).content.decode()
    for label in (
        "Ý kiến của người dân, doanh nghiệp",
        "Mã tiêu chí thành phần (cách nhau bởi dấu phẩy)",
        "Số ý kiến tối thiểu để được tính",
        "Khi chưa đủ số ý kiến tối thiểu",
        "giữ điểm của người đánh giá",
        "Tỷ trọng của ý kiến trong điểm tiêu chí",
        "Rất không hài lòng",
    ):
        assert label in html, label
    assert 'name="feedback.min_answers.value" value="5"' in html
    client.post(
        url,
        form_data(
            default,
            **{
                "feedback.satisfaction_criteria": "general.II.4, general.II.3",
                "feedback.min_answers.value": "3",
                "feedback.weight.value": "0,5",
                "action": "save",
            },
        ),
    )
    default.refresh_from_db()
    rules = default.latest_revision.content["rules"]
    assert rules["feedback"]["satisfaction_criteria"] == ["general.II.4", "general.II.3"]
    assert rules["feedback"]["min_answers"]["value"] == "3"
    assert rules["feedback"]["weight"]["value"] == "0.5"
    wrong = client.post(
        url,
        form_data(default, **{"feedback.satisfaction_criteria": "general.XX", "action": "save"}),
    )
    assert wrong.status_code == 400
    assert "phải là mã tiêu chí thành phần có trong khung" in wrong.content.decode()


def test_the_coordination_input_is_set_in_the_editor(client, officer, default):
    """Issue 33 item 3: which sub-criteria the related units' coordination ratings feed, the
    minimum number of ratings, what happens below it and the weight are fields of the editor."""
    client.force_login(officer)
    url = reverse("scoring_framework_editor", args=[default.pk])
    html = client.get(url).content.decode()
    for label in (
        "Đánh giá của đơn vị phối hợp",
        "Tiêu chí lấy điểm từ đánh giá của đơn vị phối hợp",
        "Số đánh giá tối thiểu để được tính",
        "Khi chưa đủ số đánh giá tối thiểu",
        "Tỷ trọng của đánh giá trong điểm tiêu chí",
        "Không phối hợp",
    ):
        assert label in html, label
    assert 'name="coordination.min_ratings.value" value="2"' in html
    client.post(
        url,
        form_data(
            default,
            **{
                "coordination.criteria": "general.II.4",
                "coordination.min_ratings.value": "3",
                "coordination.weight.value": "0,5",
                "action": "save",
            },
        ),
    )
    default.refresh_from_db()
    rules = default.latest_revision.content["rules"]
    assert rules["coordination"]["criteria"] == ["general.II.4"]
    assert rules["coordination"]["min_ratings"]["value"] == "3"
    assert rules["coordination"]["weight"]["value"] == "0.5"
    # One source per criterion: II.4 cannot be fed by the answers and the ratings at once.
    both = client.post(
        url,
        form_data(
            default,
            **{
                "coordination.criteria": "general.II.4",
                "feedback.satisfaction_criteria": "general.II.4",
                "action": "save",
            },
        ),
    )
    assert both.status_code == 400
    assert "mỗi tiêu chí chỉ lấy điểm từ một nguồn" in both.content.decode()


def test_criterion_d_from_the_work_plans_is_set_in_the_editor(client, officer, default):
    """Issue 45 item 3 (Đắk Lắk §III.3): Sở Nội vụ turns on criterion d from the unit's work
    plans in the editor; left off, the rules carry no such setting (fingerprints unchanged)."""
    client.force_login(officer)
    url = reverse("scoring_framework_editor", args=[default.pk])
    html = client.get(url).content.decode()
    for label in (
        "Lấy tiêu chí d từ kết quả thực hiện kế hoạch công tác",
        "Không (theo xếp loại của công chức thuộc phạm vi quản lý)",
        "Có: d = mức cao nhất × tỷ lệ mục kế hoạch đã hoàn thành",
    ):
        assert label in html, label
    index = next(
        i for i, c in enumerate(DECREE_335_DEFAULT.to_dict()["leader_criteria"]) if c["code"] == "d"
    )
    name = f"leader_criteria.{index}.plan_fulfilment"
    client.post(url, form_data(default, **{name: "ratio", "action": "save"}))
    default.refresh_from_db()
    rules = default.latest_revision.content["rules"]
    assert rules["leader_criteria"][index]["plan_fulfilment"] == "ratio"
    assert parse_framework(rules).leader_criterion("d").plan_fulfilment == "ratio"
    client.post(url, form_data(default, **{name: "", "action": "save"}))
    default.refresh_from_db()
    rules = default.latest_revision.content["rules"]
    assert parse_framework(rules).leader_criterion("d").plan_fulfilment == ""
    assert "plan_fulfilment" not in parse_framework(rules).to_dict()["leader_criteria"][index]


def test_the_rules_page_says_when_d_comes_from_the_work_plans():
    from django.template.loader import render_to_string

    from scoring.framework_display import rules_context

    data = DECREE_335_DEFAULT.to_dict()
    sentence = "Tính theo kết quả thực hiện kế hoạch công tác của đơn vị"
    assert sentence not in render_to_string("scoring/framework_rules.html", rules_context(data))
    next(c for c in data["leader_criteria"] if c["code"] == "d")["plan_fulfilment"] = "ratio"
    html = render_to_string("scoring/framework_rules.html", rules_context(data))
    assert f"{sentence}: d = mức cao nhất × tỷ lệ mục kế hoạch đã hoàn thành trong kỳ." in html
