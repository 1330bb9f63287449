"""The disqualifications' one write service (issue 27 item 2): who may (reach by the year, never
one's own record, a fact Sở Nội vụ recorded not changed or removed by an agency — at the admin
form and its bulk delete too), the state the writer saw (the fields that changed, nothing
written)."""

import datetime

import pytest

from audit import history
from cms import seen
from org import write_gate
from org.access import ADD, AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org.roles import ensure_roles
from scoring.models import Disqualification
from scoring.services import disqualifications
from tests.factories import AgencyAccessFactory, UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    ensure_roles()
    return build_world()


def fact(person, **kwargs):
    values = {
        "civil_servant": person,
        "year": 2026,
        "kind": "discipline_reprimand_or_heavier",
        "reference": "12/QĐ-SNV",
        "decided_on": datetime.date(2026, 3, 5),
    }
    return Disqualification(**{**values, **kwargs})


def agency_admin(world, username="quantri.snv"):
    user = UserFactory(username=username, groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=user, agency=world.department)
    return user


def test_an_agency_does_not_change_or_remove_what_home_affairs_recorded(world, client):
    person = world.person("Lê Thị Kỷ Luật")
    home_affairs = UserFactory(username="sonoivu.k", groups=[HOME_AFFAIRS_GROUP])
    with history.acting(home_affairs, "Nhập tay"):
        row = disqualifications.save(home_affairs, fact(person), action=ADD)
    clerk = agency_admin(world)

    row.reference = "99/QĐ-SNV"
    with pytest.raises(write_gate.Refused) as refused:
        disqualifications.save(clerk, row)
    assert "do Sở Nội vụ ghi nhận; cơ quan không sửa, không xoá được" in refused.value.message
    with pytest.raises(write_gate.Refused):
        disqualifications.delete(clerk, row)
    assert Disqualification.objects.get(pk=row.pk).reference == "12/QĐ-SNV"

    # The admin's bulk delete, with the row's id: nothing removed, the row not offered.
    client.force_login(clerk)
    url = f"/admin/bulk/scoring/disqualification/delete/?id={row.pk}"
    client.post(url, {"next": "/admin/"})
    assert Disqualification.objects.filter(pk=row.pk).exists()

    # What the agency recorded itself it still corrects (removing is Sở Nội vụ's: agencies
    # hold no delete permission on these facts).
    own = disqualifications.save(clerk, fact(person, reference="5/QĐ-STP"), action=ADD)
    own.note = "Sửa ghi chú"
    disqualifications.save(clerk, own)
    assert Disqualification.objects.get(pk=own.pk).note == "Sửa ghi chú"
    disqualifications.delete(home_affairs, row)
    assert not Disqualification.objects.filter(pk=row.pk).exists()


def test_nobody_records_a_fact_on_their_own_record(world):
    clerk = agency_admin(world, "quantri.tuminh")
    me = world.person("Phạm Văn Tự")
    me.user = clerk
    me.save()
    with pytest.raises(write_gate.Refused) as refused:
        disqualifications.save(clerk, fact(me), action=ADD)
    assert "Bạn không có quyền ghi dữ liệu này" in refused.value.message
    assert not Disqualification.objects.filter(civil_servant=me).exists()


def test_a_fact_saved_on_a_stale_view_names_the_change_and_writes_nothing(world):
    person = world.person("Đỗ Văn Cũ")
    clerk = agency_admin(world, "quantri.cu")
    row = disqualifications.save(clerk, fact(person), action=ADD)
    shown = seen.snapshot(row)
    Disqualification.objects.filter(pk=row.pk).update(reference="13/QĐ-SNV")
    row.note = "Ghi chú trên trang cũ"
    with pytest.raises(write_gate.Stale) as stale:
        disqualifications.save(clerk, row, seen=shown)
    label = Disqualification._meta.get_field("reference").verbose_name
    assert any(text.startswith(f"{label}: lúc bạn mở trang là") for text in stale.value.differences)
    stored = Disqualification.objects.get(pk=row.pk)
    assert (stored.reference, stored.note) == ("13/QĐ-SNV", "")


UNKNOWN_CODE = "Mã không có trong khung đánh giá. Các mã hợp lệ:"


def test_a_code_no_framework_names_is_refused_at_every_door(world, client):
    """The write service checks the code against the live frameworks (the model asks no
    service); the admin form says it under the field, nothing stored."""
    from django.core.exceptions import ValidationError

    person = world.person("Hồ Văn Mã")
    home_affairs = UserFactory(username="sonoivu.ma", groups=[HOME_AFFAIRS_GROUP])
    with pytest.raises(ValidationError) as refused:
        disqualifications.save(home_affairs, fact(person, kind="khong_co"), action=ADD)
    assert refused.value.message_dict["kind"][0].startswith(UNKNOWN_CODE)
    assert "discipline_reprimand_or_heavier" in refused.value.message_dict["kind"][0]

    client.force_login(home_affairs)
    data = {
        "civil_servant": person.pk,
        "year": 2026,
        "kind": "khong_co",
        "reference": "7/QĐ-SNV",
        "decided_on": "05/03/2026",
        "note": "",
    }
    response = client.post("/admin/snippets/scoring/disqualification/add/", data)
    assert response.status_code == 200
    assert UNKNOWN_CODE in response.content.decode()
    assert not Disqualification.objects.filter(civil_servant=person).exists()

    data["kind"] = "discipline_reprimand_or_heavier"
    response = client.post("/admin/snippets/scoring/disqualification/add/", data)
    assert response.status_code == 302
    assert Disqualification.objects.get(civil_servant=person).reference == "7/QĐ-SNV"
