"""Support requests (issue 32 item 5) on the workflow kit: raising, answering, re-opening,
converting; who reads what; the export; the help page; the usage statistics."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from org.access import HOME_AFFAIRS_GROUP
from scoring.models import FrameworkProposal
from support import services
from support.models import SupportRequest, SupportSettings
from tests.factories import AgencyFactory, UserFactory, post, with_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 4)


@pytest.fixture
def world():
    province = AgencyFactory(name="UBND tỉnh", code="TINH", parent=None)
    justice = AgencyFactory(name="Sở Tư pháp", code="STP", parent=province)
    farming = AgencyFactory(name="Sở Nông nghiệp", code="SNN", parent=province)
    person = post(justice, full_name="Nguyễn Văn An")
    other = post(farming, full_name="Trần Thị Bình")
    return {
        "justice": justice,
        "farming": farming,
        "person": with_user(person, "an"),
        "other": with_user(other, "binh"),
        "home": UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP]),
    }


def _raise(world, user="person", agency="justice", **kwargs):
    values = {
        "kind": "difficulty",
        "category": "software",
        "title": "Không nhập được tệp",
        "body": "Nhập tệp kết quả báo lỗi ở cột E.",
    }
    values.update(kwargs)
    return services.raise_request(world[user], agency=world[agency], today=TODAY, **values)


def test_raised_to_home_affairs_with_a_deadline_and_a_log(world):
    row = _raise(world)
    assert row.status == "open" and row.addressee == "home_affairs"
    assert row.deadline == TODAY + datetime.timedelta(days=SupportSettings.load().answer_days)
    assert [(e.action, e.to_state, e.user_name) for e in row.log.all()] == [
        ("raise", "open", "Nguyễn Văn An")
    ]


def test_only_for_ones_own_agency_and_with_a_title(world):
    with pytest.raises(PermissionDenied, match="cơ quan, đơn vị mình đang công tác"):
        _raise(world, agency="farming")
    with pytest.raises(ValidationError) as error:
        _raise(world, title=" ")
    assert error.value.message_dict == {"title": ["Tiêu đề: không được để trống."]}


def test_answer_reopen_convert_through_the_kit(world):
    row = _raise(world)
    with pytest.raises(PermissionDenied, match="không có quyền"):
        services.act(world["person"], row, "answer", text="Tự trả lời")
    with pytest.raises(ValidationError) as error:
        services.act(world["home"], row, "answer", text="")
    assert error.value.messages == ["Thiếu thông tin bắt buộc: nội dung trả lời, ý kiến."]
    row = services.act(world["home"], row, "answer", text="Cột E phải là số.")
    assert (row.status, row.answer, row.answered_by) == (
        "answered",
        "Cột E phải là số.",
        world["home"],
    )
    with pytest.raises(ValidationError) as error:
        services.act(world["home"], row, "answer", text="Lần nữa")
    assert error.value.messages == [
        "Không thể “Trả lời” khi vướng mắc, kiến nghị đang “Đã trả lời”."
    ]
    row = services.act(world["person"], row, "reopen", text="Cột E đã là số.")
    assert row.status == "open"
    with pytest.raises(ValidationError, match="Chuyển thành: chọn"):
        services.act(world["home"], row, "convert", text="Sửa khung")
    row = services.act(world["home"], row, "convert", text="Sửa khung", change_kind="framework")
    assert (row.status, row.get_change_kind_display()) == (
        "converted",
        "Đề nghị sửa khung tiêu chí",
    )
    assert [e.action for e in row.log.all()] == ["raise", "answer", "reopen", "convert"]
    assert row.log.last().data == {"change_kind": "framework"}


def test_who_reads(world):
    row = _raise(world)
    assert list(services.visible(world["person"])) == [row]
    assert list(services.visible(world["other"])) == []
    assert list(services.visible(world["home"])) == [row]


def test_pages_list_detail_export(client, world):
    row = _raise(world)
    client.force_login(world["other"])
    assert client.get(reverse("support_request", args=[row.pk])).status_code == 404
    page = client.get(reverse("support_requests")).content.decode()
    assert "Không nhập được tệp" not in page
    client.force_login(world["home"])
    page = client.get(reverse("support_requests")).content.decode()
    assert "Không nhập được tệp" in page and "Sử dụng phần mềm: 1" in page
    response = client.post(
        reverse("support_request", args=[row.pk]), {"action": "answer", "text": "Đã sửa."}
    )
    assert response.status_code == 302
    page = client.get(reverse("support_request", args=[row.pk])).content.decode()
    assert "Đã trả lời" in page and "Đã sửa." in page
    response = client.get(reverse("support_requests_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Số", "Ngày gửi", "Cơ quan, đơn vị")
    assert rows[1][2] == "Sở Tư pháp" and rows[1][8] == "Đã trả lời"


def test_help_page_and_usage_statistics(client, world):
    settings = SupportSettings.load()
    settings.phone = "0238 3844 000"
    settings.faq = "<p>Làm sao đổi mật khẩu?</p>"
    settings.save()
    client.force_login(world["person"])
    page = client.get(reverse("support_help")).content.decode()
    assert "0238 3844 000" in page and "Làm sao đổi mật khẩu?" in page
    refused = client.get(reverse("support_usage"))  # Wagtail sends a refusal to the dashboard
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    world["person"].last_login = datetime.datetime.now(datetime.UTC)
    world["person"].save(update_fields=["last_login"])
    client.force_login(world["home"])
    page = client.get(reverse("support_usage")).content.decode()
    assert 'data-agency="SNN" data-idle="1"' in page
    assert 'data-agency="STP" data-idle' not in page
    assert SupportRequest.objects.count() == 0


def test_a_converted_request_links_to_the_draft_framework_proposal(client, world):
    row = _raise(world, kind="proposal", category="framework", title="Thêm tiêu chí I.4")
    client.force_login(world["home"])
    response = client.post(
        reverse("support_request", args=[row.pk]),
        {"action": "convert", "text": "Cơ quan lập đề xuất khung.", "change_kind": ""},
    )
    page = response.content.decode()
    assert "Chuyển thành: chọn đề nghị sửa danh mục hoặc sửa khung tiêu chí." in page
    client.post(
        reverse("support_request", args=[row.pk]),
        {"action": "convert", "text": "Cơ quan lập đề xuất khung.", "change_kind": "framework"},
    )
    page = client.get(reverse("support_request", args=[row.pk])).content.decode()
    assert "Đề nghị sửa khung tiêu chí" in page
    # The draft it opened (tests/support/test_support_convert.py): the agency's proposal.
    proposal = FrameworkProposal.objects.get(agency=world["justice"])
    edit = reverse("wagtailsnippets_scoring_frameworkproposal:edit", args=[proposal.pk])
    assert f'href="{edit}"' in page
