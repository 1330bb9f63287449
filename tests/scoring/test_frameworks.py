"""Criteria frameworks as versioned data: validation, live-revision-only use, assignment."""

import copy
import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError

from scoring.engine import DECREE_335_DEFAULT, NGHE_AN_FOUR_GROUPS, parse_framework
from scoring.models import CriteriaFramework, FrameworkAssignment
from scoring.services import framework_for_agency, framework_for_person, score_person
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


def framework(code="khung-thu", rules=None, **kwargs):
    return CriteriaFramework(
        name=kwargs.pop("name", "Khung thử"),
        code=code,
        period_type=kwargs.pop("period_type", "month"),
        rules=rules if rules is not None else DECREE_335_DEFAULT.to_dict(),
        **kwargs,
    )


def publish(instance, user=None):
    instance.save()
    revision = instance.save_revision(user=user)
    revision.publish(user=user)
    instance.refresh_from_db()
    return revision


def test_the_migration_ships_both_frameworks():
    default = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    nghe_an = CriteriaFramework.objects.get(code="nghe-an-bon-nhom-chi-so")
    assert default.live and default.live_revision_id
    assert not nghe_an.live and nghe_an.live_revision_id is None
    # The migration's literal rules, parsed, are the engine's defaults (options added to the
    # engine later are absent from the literals and take their documented defaults).
    parsed = parse_framework(default.live_revision.content["rules"])
    assert parsed.to_dict() == DECREE_335_DEFAULT.to_dict()
    parsed = parse_framework(nghe_an.latest_revision.content["rules"])
    assert parsed.to_dict() == NGHE_AN_FOUR_GROUPS.to_dict()
    assignment = FrameworkAssignment.objects.get()
    assert assignment.agency is None and assignment.effective_from == datetime.date(2026, 1, 1)


def test_valid_rules_pass_clean():
    framework().full_clean()


def test_structural_error_is_reported_in_vietnamese():
    rules = DECREE_335_DEFAULT.to_dict()
    del rules["bands"]
    with pytest.raises(ValidationError) as exc:
        framework(rules=rules).full_clean()
    assert "framework.bands: thiếu trường bắt buộc" in str(exc.value.message_dict["rules"])


def test_semantic_errors_are_listed():
    rules = copy.deepcopy(DECREE_335_DEFAULT.to_dict())
    rules["components"][0]["max_points"] = "25"
    rules["bands"][1]["min_score"] = "95"
    with pytest.raises(ValidationError) as exc:
        framework(rules=rules).full_clean()
    messages = " ".join(exc.value.message_dict["rules"])
    assert "phải bằng 100" in messages
    assert "các ngưỡng điểm phải giảm dần" in messages


def test_period_type_must_agree_with_the_rules():
    with pytest.raises(ValidationError) as exc:
        framework(period_type="quarter").full_clean()
    assert "period_type" in " ".join(exc.value.message_dict["rules"])


def test_not_json_is_rejected():
    with pytest.raises(ValidationError) as exc:
        framework(rules="{khong phai json").full_clean()
    assert "JSON" in " ".join(exc.value.message_dict["rules"])


def test_a_draft_revision_is_never_used():
    world = build_world()
    person = world.person("Ngô Văn Nháp")
    world.line(person, "X", 4, 4, failed_reviews=1)
    world.marks(person, 27)
    default = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    live_revision_id = default.live_revision_id
    # A draft that would take a whole product per failed review — saved, never published.
    draft = copy.deepcopy(default.live_revision.content["rules"])
    draft["task_method"]["review_deduction"]["value"] = "1"
    default.rules = draft
    default.has_unpublished_changes = True
    default.save_revision()
    default.refresh_from_db()
    assert default.latest_revision_id != live_revision_id
    resolved = framework_for_person(person, world.period)
    assert resolved.revision_id == live_revision_id
    assert resolved.rules.task_method.review_deduction.value == Decimal("0.25")
    score = score_person(person, world.period)
    assert score.framework_revision_id == live_revision_id
    assert score.quality == Decimal("93.75")  # (4 - 0.25) / 4, not (4 - 1) / 4


def test_an_unpublished_framework_assigned_to_an_agency_is_ignored():
    world = build_world()
    nghe_an = CriteriaFramework.objects.get(code="nghe-an-bon-nhom-chi-so")
    FrameworkAssignment.objects.create(
        framework=nghe_an, agency=world.department, effective_from=datetime.date(2026, 1, 1)
    )
    resolved = framework_for_agency(world.unit, world.period)
    assert resolved.rules.code == "decree-335-default"


def test_publishing_nghe_an_for_one_agency_changes_only_that_subtree():
    world = build_world()
    nghe_an = CriteriaFramework.objects.get(code="nghe-an-bon-nhom-chi-so")
    publish(nghe_an)
    FrameworkAssignment.objects.create(
        framework=nghe_an, agency=world.department, effective_from=datetime.date(2026, 1, 1)
    )
    assert framework_for_agency(world.unit, world.period).rules.code == "nghe-an-four-groups"
    assert framework_for_agency(world.province, world.period).rules.code == "decree-335-default"
    later = FrameworkAssignment.objects.create(
        framework=nghe_an, agency=world.department, effective_from=datetime.date(2026, 6, 1)
    )
    assert later.pk  # not yet in force in March: the January one still applies
    assert framework_for_agency(world.unit, world.period).framework_id == nghe_an.pk


def test_nghe_an_scores_a_professional_from_database_rows():
    from scoring.models import GeneralCriteriaMark

    world = build_world()
    nghe_an = CriteriaFramework.objects.get(code="nghe-an-bon-nhom-chi-so")
    publish(nghe_an)
    FrameworkAssignment.objects.create(
        framework=nghe_an, agency=world.department, effective_from=datetime.date(2026, 1, 1)
    )
    person = world.person("Võ Thị Nghệ")
    world.line(person, "X", 20, 20)
    marks = {"S.1": 4, "S.2": 4, "C.1": 4.5, "C.2": 4.5, "K.1": 5, "K.2": 5}
    for code, mark in marks.items():
        GeneralCriteriaMark.objects.create(
            civil_servant=person,
            period=world.period,
            component={"S": "satisfaction", "C": "coordination", "K": "discipline"}[code[0]],
            criterion=code,
            self_mark=Decimal(str(mark)),
            evaluator_mark=Decimal(str(mark)),
        )
    score = score_person(person, world.period)
    # task 100% × 60 + 8/10 × 15 + 9/10 × 10 + 10/10 × 15 = 60 + 12 + 9 + 15 = 96
    assert score.total == Decimal("96.00")
    # The three groups outside the task result are its "general points" (coverage review M1).
    assert score.general_points == Decimal("36.00")
    assert score.component_points == {
        "task": "60.00",
        "satisfaction": "12.00",
        "coordination": "9.00",
        "discipline": "15.00",
    }


def test_marks_above_the_framework_maximum_are_refused():
    """The write services' checks (every door calls them; the models ask no framework)."""
    from scoring.models import GeneralCriteriaMark
    from scoring.services import general_marks, leader_marks

    world = build_world()
    person = world.person("Mai Văn Điểm")
    mark = GeneralCriteriaMark(
        civil_servant=person, period=world.period, criterion="II.1", self_mark=Decimal("3")
    )
    with pytest.raises(ValidationError) as exc:
        general_marks.validate(mark)
    assert "vượt quá điểm tối đa 2.5" in str(exc.value.message_dict["self_mark"])
    unknown = GeneralCriteriaMark(
        civil_servant=person, period=world.period, criterion="IX.9", self_mark=Decimal("1")
    )
    with pytest.raises(ValidationError):
        general_marks.validate(unknown)
    # A leader's đ/e: the levels of the framework (scoring.services.leader_marks, every door).
    from org.models import LeadershipRole

    head = world.person("Trưởng Văn Phòng", role=LeadershipRole.HEAD)
    with pytest.raises(ValidationError) as exc:
        leader_marks.validate(
            head, world.period, {"organising": Decimal(75), "cohesion": Decimal(100)}
        )
    assert exc.value.message_dict["organising"] == ["Giá trị phải là một trong các mức: 100, 50."]
    # …and no đ/e at all for someone who leads nothing in the period.
    with pytest.raises(ValidationError) as exc:
        leader_marks.validate(
            person, world.period, {"organising": Decimal(100), "cohesion": Decimal(100)}
        )
    assert exc.value.message_dict["civil_servant"] == [
        "Công chức này không giữ chức vụ lãnh đạo, quản lý trong kỳ: không có tiêu chí đ, e."
    ]


def test_preview_renders_the_rules_readably():
    from django.template.loader import render_to_string

    default = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    html = render_to_string(
        default.get_preview_template(None, ""), default.get_preview_context(None, "")
    )
    assert "Ý thức kỷ luật, kỷ cương trong thực thi công vụ" in html
    assert "Hoàn thành xuất sắc nhiệm vụ" in html and "đã xác nhận" in html


def test_admin_edit_form_shows_pretty_json_and_vietnamese_errors(client):
    import json

    from django.urls import reverse

    from org.access import HOME_AFFAIRS_GROUP
    from tests.factories import UserFactory

    client.force_login(UserFactory(groups=[HOME_AFFAIRS_GROUP]))
    default = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    url = reverse("wagtailsnippets_scoring_criteriaframework:edit", args=[default.pk])
    html = client.get(url).content.decode()
    assert '\n  "code": "decree-335-default"' in html.replace("&quot;", '"')
    assert "Phẩm chất chính trị" in html  # not \\u-escaped
    rules = DECREE_335_DEFAULT.to_dict()
    rules["bands"][3]["min_score"] = "10"
    response = client.post(
        url,
        {
            "name": default.name,
            "code": default.code,
            "period_type": "month",
            "applies_to": "civil_servant",
            "description": "",
            "legal_basis": "",
            "rules": json.dumps(rules),
        },
    )
    assert response.status_code == 200
    assert "ngưỡng của mức thấp nhất phải là 0" in response.content.decode()
    default.refresh_from_db()
    assert default.latest_revision_id == default.live_revision_id  # nothing saved


def test_the_rules_page_lists_the_annual_options_with_their_source():
    """Art. 21 / Art. 20 cl. 4 d (U4, U5): the annual weighting, the minimum worked time and
    the leader-role reading are shown with their default and source (framework_display)."""
    from scoring.framework_display import rules_context

    rows = {row["code"]: row for row in rules_context(DECREE_335_DEFAULT.to_dict())["options"]}
    assert rows["annual.weighting"]["value"] == "months"
    assert "Điều 21" in rows["annual.weighting"]["citation"]
    assert str(rows["annual.min_months"]["value_label"]) == "không áp dụng"
    assert rows["annual.leader_role"]["value"] == "any_time_in_year"


def test_the_rules_page_lists_rounding_self_mark_and_over_delivery_options():
    """Review U1, U2, U7, U13 [inferred]: the rounding (places, mode, steps, banding), the
    self-mark and the over-delivery options are shown with their default and source."""
    from scoring.framework_display import rules_context

    rows = {row["code"]: row for row in rules_context(DECREE_335_DEFAULT.to_dict())["options"]}
    assert str(rows["rounding.places"]["value_label"]) == "2 chữ số"
    assert rows["rounding.mode"]["value"] == "half_up"
    assert rows["rounding.steps"]["value"] == "each_printed_figure"
    assert "Mẫu số 01" in rows["rounding.steps"]["citation"]
    assert rows["rounding.banding"]["value"] == "rounded"
    assert "Điều 20" in rows["rounding.banding"]["citation"]
    marks = rows["marks.self_mark_without_evaluator"]
    assert marks["value"] == "not_scored" and "Gia Lai" in marks["citation"]
    assert "người đánh giá chấm" in str(marks["value_label"])
    over = rows["task_method.over_delivery"]
    assert over["value"] == "pooled" and "Điều 14" in over["citation"]
    assert all(row["confidence_label"] for row in rows.values())


def test_a_resolver_reads_no_revision_content_once_the_rules_are_parsed():
    """Issue 48 item 3: a resolver is made for every one-person run; once a revision's rules
    are parsed in the process it costs two small queries (the assignments with their
    framework's columns, the proposals) whatever the size of the frameworks, and resolves as
    before."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scoring.models import PeriodKind
    from scoring.services.frameworks import FrameworkResolver

    world = build_world()
    FrameworkResolver()  # parses the live revisions once
    with CaptureQueriesContext(connection) as queries:
        resolver = FrameworkResolver()
    assert len(queries.captured_queries) == 2
    assert not any('"content"' in q["sql"] for q in queries.captured_queries)
    resolved = resolver.resolve(world.unit.path, PeriodKind.MONTH, world.period.start_date)
    framework = CriteriaFramework.objects.get(pk=resolved.framework_id)
    assert resolved.revision_id == framework.live_revision_id
    assert (resolved.name, resolved.code) == (framework.name, framework.code)
