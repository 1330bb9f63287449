"""Leader criteria đ, e through the integration API (issue 13 item 1, Decree 335 Art. 15 cl. 3
đ, e): the evaluator's system sends the levels, the same rules as Form 01 apply, the leader's
period is then scored."""

from decimal import Decimal

import pytest

from scoring.models import LeaderMark, PeriodStatus

pytestmark = pytest.mark.django_db

URL = "/api/v1/integration/leader-marks/"


@pytest.fixture
def world(shared_world):
    return shared_world


def send(world, who="snv-docs", **changes):
    data = {
        "period": "2026-03",
        "official_id": world.people["hung"].official_id,
        "organising": 100,
        "cohesion": 50,
    }
    data.update(changes)
    return world.client_for(who).post(URL, data, format="json")


def test_a_head_gets_dd_and_e_then_an_update_and_a_repeat(world):
    LeaderMark.objects.filter(civil_servant=world.people["hung"], period=world.march).delete()
    response = send(world)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "created"
    mark = LeaderMark.objects.get(civil_servant=world.people["hung"], period=world.march)
    assert (mark.organising, mark.cohesion) == (Decimal(100), Decimal(50))
    version = response.json()["version"]
    assert response["ETag"] == f'"{version}"'
    assert send(world, cohesion=100, version=version).json()["status"] == "updated"
    assert send(world, cohesion=100).json()["status"] == "unchanged"


def test_a_mark_changed_since_the_system_read_it_is_not_overwritten(world):
    """The evaluator changes e on Form 01 after the system sent its levels: the system's
    stale re-send is refused (412) with the stored levels; nothing is written."""
    LeaderMark.objects.filter(civil_servant=world.people["hung"], period=world.march).delete()
    version = send(world).json()["version"]
    mark = LeaderMark.objects.get(civil_servant=world.people["hung"], period=world.march)
    mark.cohesion = Decimal(100)  # Form 01
    mark.save()
    response = send(world, organising=50, version=version)
    assert response.status_code == 412, response.content
    error = response.json()["error"]
    assert error["code"] == "stale"
    assert error["message"] == (
        "Mức đ, e đã được thay đổi sau lần hệ thống đọc nó (đang lưu: đ 100 %, e 100 %). Hãy "
        "xem lại rồi gửi kèm version mới nếu vẫn muốn ghi đè. Không có gì được ghi."
    )
    current = error["current"]["__all__"]
    assert (current["organising"], current["cohesion"]) == (100, 100)
    mark.refresh_from_db()
    assert (mark.organising, mark.cohesion) == (Decimal(100), Decimal(100))
    assert send(world, organising=50).status_code == 428  # a change needs a version
    informed = world.client_for("snv-docs").post(
        URL,
        {"period": "2026-03", "official_id": world.people["hung"].official_id,
         "organising": 50, "cohesion": 100},
        format="json", HTTP_IF_MATCH=f'"{current["version"]}"',
    )  # fmt: skip
    assert informed.status_code == 200, informed.content
    mark.refresh_from_db()
    assert (mark.organising, mark.cohesion) == (Decimal(50), Decimal(100))


def test_the_shape_is_the_serializers(world):
    response = send(world, organising="nhiều", surprise=1)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "organising": ["Phải là một số phần trăm, ví dụ 100 hoặc 50."],
        "surprise": ["Trường không được hỗ trợ."],
    }


def test_levels_outside_the_framework_are_refused(world):
    response = send(world, organising=75)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "organising": ["Giá trị phải là một trong các mức: 100, 50."]
    }


def test_a_staff_member_has_no_dd_or_e(world):
    response = send(world, official_id=world.people["alice"].official_id)
    assert response.status_code == 400
    assert "không giữ chức vụ lãnh đạo" in response.json()["error"]["fields"]["official_id"][0]


def test_both_criteria_are_required(world):
    response = world.client_for("snv-docs").post(
        URL, {"period": "2026-03", "official_id": world.people["hung"].official_id,
              "organising": 100}, format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"cohesion": ["Thiếu thông tin bắt buộc."]}


def test_another_agencys_system_is_refused_and_nothing_changes(world):
    before = list(LeaderMark.objects.values_list("organising", "cohesion"))
    response = send(world, who="stc-docs", organising=50)
    assert response.status_code == 403
    assert list(LeaderMark.objects.values_list("organising", "cohesion")) == before


def test_a_closed_period_is_refused(world):
    response = send(world, period="2026-02")
    assert response.status_code == 409
    assert world.february.status == PeriodStatus.CLOSED


def test_a_read_only_system_may_not_write(world):
    response = send(world, who="province-hr")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"  # the refusal says why


# --- one service, the same refusal at every door (review arch.md H3) -------------------------

NOT_LEADER = "Công chức này không giữ chức vụ lãnh đạo, quản lý trong kỳ: không có tiêu chí đ, e."
LEVELS = "Giá trị phải là một trong các mức: 100, 50."


def test_the_model_and_the_api_give_the_same_refusals(world):
    """Form 01, the Excel commit and the API call one service (``scoring.services.leader_marks``,
    its ``validate`` before every write): a staff member's đ/e and a level the framework lacks
    are refused with the same sentence; nothing stored."""
    from django.core.exceptions import ValidationError

    from scoring.services import leader_marks

    alice, hung = world.people["alice"], world.people["hung"]
    LeaderMark.objects.filter(period=world.march).delete()
    api = send(world, official_id=alice.official_id).json()["error"]["fields"]
    assert api["official_id"] == [NOT_LEADER]
    with pytest.raises(ValidationError) as refused:
        leader_marks.validate(alice, world.march, {"organising": 100, "cohesion": 50})
    assert refused.value.message_dict["civil_servant"] == [NOT_LEADER]
    assert send(world, organising=75).json()["error"]["fields"]["organising"] == [LEVELS]
    with pytest.raises(ValidationError) as refused:
        leader_marks.validate(hung, world.march, {"organising": 75, "cohesion": 50})
    assert refused.value.message_dict["organising"] == [LEVELS]
    assert not LeaderMark.objects.filter(period=world.march).exists()
