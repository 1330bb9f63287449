"""The write services of assignment lines and organisation inputs (issue 27: one gate per kind),
called directly as every door calls them: who may (reach by the line's period after a transfer;
no appraising one's own agency; nothing Sở Nội vụ appraised removed by the agency), the state
the writer saw compared under the lock (the differences named, nothing written)."""

import datetime
from decimal import Decimal

import pytest

from cms import seen
from org import write_gate
from org.access import ADD, AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org.models import Posting
from org.roles import ensure_roles
from org_scoring.services import writes
from scoring.models import AssignmentLine, Period
from scoring.services import lines
from tests.factories import AgencyAccessFactory, AgencyFactory, PostingFactory, UserFactory
from tests.factories.org_scoring import OrganisationGeneralMarkFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

D = datetime.date(2026, 4, 1)


@pytest.fixture
def world():
    ensure_roles()
    return build_world()


def agency_admin(agency, username="quantri.snv"):
    user = UserFactory(username=username, groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=user, agency=agency)
    return user


def test_a_line_saved_on_a_stale_view_names_the_change_and_writes_nothing(world):
    person = world.person("Nguyễn Văn Dòng")
    line = world.line(person, "X", 5, 1)
    shown = seen.snapshot(line)
    AssignmentLine.objects.filter(pk=line.pk).update(completed_quantity=3)

    line.note = "Ghi chú trên trang cũ"
    clerk = UserFactory(username="sonoivu.a", groups=[HOME_AFFAIRS_GROUP])
    with pytest.raises(write_gate.Stale) as stale:
        lines.save(clerk, line, seen=shown)
    label = AssignmentLine._meta.get_field("completed_quantity").verbose_name
    assert any(text.startswith(f"{label}: lúc bạn mở trang là") for text in stale.value.differences)
    assert "Dữ liệu này đã được người khác thay đổi" in stale.value.message
    line.refresh_from_db()
    assert line.completed_quantity == 3 and line.note == ""


def test_after_a_transfer_the_former_agency_writes_only_before_the_day(world):
    person = world.person("Trần Thị Chuyển")
    other = AgencyFactory(parent=world.province, code="STC", name="Sở Tài chính thử nghiệm")
    Posting.objects.filter(civil_servant=person).update(end_date=D - datetime.timedelta(days=1))
    PostingFactory(civil_servant=person, agency=other, start_date=D)
    april = Period.for_date(D, create=True)
    admin = agency_admin(world.department)
    item = world.items["X"]

    def new_line(period):
        return AssignmentLine(
            civil_servant=person,
            period=period,
            item=item,
            unit=world.unit,
            assigned_quantity=Decimal(2),
            completed_quantity=Decimal(1),
        )

    with pytest.raises(write_gate.Refused) as refused:
        lines.save(admin, new_line(april), action=ADD)
    assert "Bạn không có quyền ghi dữ liệu này" in refused.value.message
    assert not AssignmentLine.objects.filter(civil_servant=person, period=april).exists()

    march = lines.save(admin, new_line(world.period), action=ADD)
    assert AssignmentLine.objects.get(pk=march.pk).period == world.period


def test_an_agency_does_not_appraise_itself_nor_remove_what_home_affairs_appraised(world):
    admin = agency_admin(world.department)
    mark = OrganisationGeneralMarkFactory(agency=world.department)
    mark.appraised_mark = Decimal("7.5")
    with pytest.raises(write_gate.Refused) as refused:
        writes.save(admin, mark)
    assert "được thẩm định cho" in refused.value.message
    mark.refresh_from_db()
    assert mark.appraised_mark is None

    home_affairs = UserFactory(username="sonoivu.b", groups=[HOME_AFFAIRS_GROUP])
    mark.appraised_mark = Decimal(7)
    writes.save(home_affairs, mark)
    with pytest.raises(write_gate.Refused) as refused:
        writes.delete(admin, mark)
    assert "không xoá được" in refused.value.message
    mark.refresh_from_db()
    assert mark.appraised_mark == Decimal(7)


def test_an_organisation_mark_saved_on_a_stale_view_writes_nothing(world):
    home_affairs = UserFactory(username="sonoivu.c", groups=[HOME_AFFAIRS_GROUP])
    mark = OrganisationGeneralMarkFactory(agency=world.department)
    shown = seen.snapshot(mark)
    type(mark).objects.filter(pk=mark.pk).update(appraised_mark=Decimal(6))
    mark.self_mark = Decimal("6.5")
    with pytest.raises(write_gate.Stale):
        writes.save(home_affairs, mark, seen=shown)
    mark.refresh_from_db()
    assert (mark.self_mark, mark.appraised_mark) == (Decimal("7.5"), Decimal(6))
