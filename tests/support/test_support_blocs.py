"""A bloc's requests go to its lead body (issue 32 item 5 with item 4; Nghệ An §V.1–V.4): a
Party body's difficulty is addressed to Ban Tổ chức Tỉnh ủy, whose appraisers read and answer
it; the Front's appraisers neither read nor answer it; Sở Nội vụ still reads and may answer
every bloc's. A state agency's request still goes to Sở Nội vụ."""

import datetime

import pytest

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from org.roles import ensure_roles
from support import services
from tests.factories import post, with_user
from tests.org.test_blocs import world  # noqa: F401 (the blocs' small province)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 4)


def _raise(user, agency):
    return services.raise_request(
        user,
        agency=agency,
        today=TODAY,
        kind="proposal",
        category="method",
        title="Đề nghị sửa tiêu chí",
        body="Tiêu chí 2 khó áp dụng cho cơ quan Đảng.",
    )


def test_a_party_bodys_request_goes_to_ban_to_chuc(world, client):  # noqa: F811
    ensure_roles()
    clerk = with_user(post(world["propaganda"], full_name="Lê Văn Cường"), "cuong")
    row = _raise(clerk, world["propaganda"])
    assert row.addressee == "bloc_lead"
    assert services.addressee_name(row) == "Ban Tổ chức Tỉnh ủy"
    assert services.is_answerer(world["party_appraiser"], row)
    assert not services.is_answerer(world["front_appraiser"], row)
    assert services.is_answerer(world["home"], row)  # Sở Nội vụ oversees every bloc

    # The Front's appraiser can neither read nor answer it.
    assert not services.may_read(world["front_appraiser"], row)
    with pytest.raises(PermissionDenied):
        services.act(world["front_appraiser"], row, "answer", text="Không phải khối mình")

    # Ban Tổ chức's appraiser sees where it went and answers it on its page.
    client.force_login(world["party_appraiser"])
    page = client.get(reverse("support_request", args=[row.pk])).content.decode()
    assert "Gửi đến" in page and "Ban Tổ chức Tỉnh ủy" in page
    row = services.act(world["party_appraiser"], row, "answer", text="Sẽ trình Ban Thường vụ.")
    assert row.status == "answered"
    assert row.log.last().user_name in {"thamdinh.btc", world["party_appraiser"].get_full_name()}


def test_a_state_agencys_request_still_goes_to_home_affairs(world):  # noqa: F811
    clerk = with_user(post(world["justice"], full_name="Phạm Thị Dung"), "dung")
    row = _raise(clerk, world["justice"])
    assert row.addressee == "home_affairs"
    assert services.addressee_name(row) == "Sở Nội vụ"
    assert not services.is_answerer(world["party_appraiser"], row)
    assert services.is_answerer(world["home"], row)
