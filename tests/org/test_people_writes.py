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


def test_the_postings_a_save_writes_are_asked_again_under_the_lock(moved):
    """Issue 27 item 4: the admin's form checks its postings before the save; the service asks
    again, under the person's lock, on the postings as the form's save wrote them — a check
    made on a page whose world changed meanwhile cannot let a re-opened posting through. The
    new agency (which holds the person now) saving a form that re-opens the former agency's
    posting: refused with the rule's sentence, and the whole save undone."""
    world, person, _clerk, new_clerk = moved
    old = Posting.objects.get(civil_servant=person, agency=world.unit)

    def form_save():  # what the form's save writes (its inline postings), checked before
        person.phone = "0912000055"
        person.save()
        old.end_date = None
        old.save()
        return person

    with pytest.raises(write_gate.Refused) as refused:
        people_writes.save(new_clerk, person, write=form_save)
    assert "Bạn không có quyền ghi dữ liệu này." in refused.value.message
    assert Posting.objects.get(pk=old.pk).end_date == D - datetime.timedelta(days=1)
    assert CivilServant.objects.get(pk=person.pk).phone == ""


def test_the_admin_form_shows_the_refusal_made_under_the_lock(moved, monkeypatch):
    """Seen from the admin page: the check before the lock passing (as it would on a page
    opened before a transfer was recorded), the one under the lock refuses; the person reads
    the rule's sentence on the form and nothing is written."""
    from html import unescape

    from django.test import Client

    from org import admin_scope
    from tests.browsing import form_data

    world, person, _clerk, new_clerk = moved
    old = Posting.objects.get(civil_servant=person, agency=world.unit)
    browser = Client()
    browser.force_login(new_clerk)
    url = f"/admin/snippets/org/civilservant/edit/{person.pk}/"
    page = form_data(browser.get(url).content.decode())
    index = next(
        key.split("-")[1]
        for key, value in page.items()
        if key.startswith("postings-") and key.endswith("-id") and str(value) == str(old.pk)
    )
    monkeypatch.setattr(admin_scope, "_posting_refusals", lambda user, child: [])
    monkeypatch.setattr(admin_scope.access, "row_in_reach", lambda user, row, write: True)
    # Re-opened as a concurrent post: what the former agency's advice once led to (F2).
    answer = browser.post(
        url, {**page, f"postings-{index}-end_date": "", f"postings-{index}-is_concurrent": "on"}
    )
    text = unescape(answer.content.decode())
    assert answer.status_code == 200
    import re

    assert "Bạn không có quyền ghi dữ liệu này." in text, [
        m.strip() for m in re.findall(r"error[^>]*>\s*([^<]{3,300})", text) if m.strip()
    ] + re.findall(r"<p class=\"error-message\">(.*?)</p>", text, re.S)
    assert Posting.objects.get(pk=old.pk).end_date == D - datetime.timedelta(days=1)
