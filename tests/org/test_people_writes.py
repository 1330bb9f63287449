"""The people's one write service (issue 27 item 2: a person's record and postings, transfers
included), called as the admin calls it: a former agency re-opens no posting of someone who
moved, edits no record it no longer holds, and a save on a stale view names the change and
writes nothing."""

import datetime

import pytest

from cms import seen
from org import people_writes, write_gate
from org.access import AGENCY_ADMIN_GROUP
from org.models import CivilServant, Posting
from org.roles import ensure_roles
from tests.factories import AgencyAccessFactory, AgencyFactory, PostingFactory, UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

D = datetime.date(2026, 4, 1)


@pytest.fixture
def moved():
    ensure_roles()
    world = build_world()
    person = world.person("Trần Thị Chuyển")
    other = AgencyFactory(parent=world.province, code="STC", name="Sở Tài chính thử nghiệm")
    Posting.objects.filter(civil_servant=person).update(end_date=D - datetime.timedelta(days=1))
    PostingFactory(civil_servant=person, agency=other, start_date=D)
    clerk = UserFactory(username="quantri.snv", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=clerk, agency=world.department)
    new_clerk = UserFactory(username="quantri.stc", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=new_clerk, agency=other)
    return world, person, clerk, new_clerk


def test_the_former_agency_re_opens_no_posting_and_edits_no_record(moved):
    world, person, clerk, new_clerk = moved
    old = Posting.objects.get(civil_servant=person, agency=world.unit)
    old.end_date = None  # re-opened: the person no longer in the former agency's reach
    assert people_writes.posting_refusals(clerk, old) == ["Bạn không có quyền ghi dữ liệu này."]
    old.end_date, old.is_concurrent = D - datetime.timedelta(days=1), True
    assert people_writes.posting_refusals(clerk, old)
    # The new agency reaches the person but not the former agency's unit: the posting there
    # is not theirs to re-open either.
    old.end_date, old.is_concurrent = None, False
    assert people_writes.posting_refusals(new_clerk, old)

    person.phone = "0912000044"
    with pytest.raises(write_gate.Refused) as refused:
        people_writes.save(clerk, person)
    assert "Bạn không có quyền ghi dữ liệu này" in refused.value.message
    assert CivilServant.objects.get(pk=person.pk).phone == ""

    people_writes.save(new_clerk, person)
    assert CivilServant.objects.get(pk=person.pk).phone == "0912000044"


def test_a_record_saved_on_a_stale_view_names_the_change_and_writes_nothing(moved):
    _world, person, _clerk, new_clerk = moved
    shown = seen.snapshot(person, people_writes.CHILDREN)
    Posting.objects.filter(civil_servant=person, start_date=D).update(title="Chuyên viên chính")
    CivilServant.objects.filter(pk=person.pk).update(phone="0988000111")
    before = person.email
    person.email = "chuyen@example.vn"
    with pytest.raises(write_gate.Stale) as stale:
        people_writes.save(new_clerk, person, seen=shown)
    label = CivilServant._meta.get_field("phone").verbose_name
    assert any(text.startswith(f"{label}: lúc bạn mở trang là") for text in stale.value.differences)
    assert len(stale.value.differences) >= 2  # the posting's title too
    stored = CivilServant.objects.get(pk=person.pk)
    assert (stored.phone, stored.email) == ("0988000111", before)
