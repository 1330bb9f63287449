"""The general marks' one write service (the 30 points; issue 27 item 2), called as its doors
call it: who may (the person writes only their self mark; the evaluator of the period the
evaluator's marks; an agency clerk needs the person posted in their agency during the period —
after a transfer on 01/04 the former agency marks March, not April), the state the writer saw
(each changed mark named, nothing written), and the Excel door's bulk answer."""

import datetime
from decimal import Decimal

import pytest

from org import write_gate
from org.access import AGENCY_ADMIN_GROUP, CIVIL_SERVANT_GROUP, UNIT_LEADER_GROUP
from org.models import LeadershipRole, Posting
from org.roles import ensure_roles
from scoring.models import GeneralCriteriaMark, Period
from scoring.services import general_marks
from tests.factories import AgencyAccessFactory, AgencyFactory, PostingFactory, UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

D = datetime.date(2026, 4, 1)
I1 = ("general", "I.1")


@pytest.fixture
def world():
    ensure_roles()
    world = build_world()
    person = world.person("Nguyễn Văn Điền")
    person.user = UserFactory(username="dien", groups=[CIVIL_SERVANT_GROUP])
    person.save()
    head = world.person("Trương Văn Chấm", role=LeadershipRole.HEAD)
    head.user = UserFactory(username="cham", groups=[UNIT_LEADER_GROUP])
    head.save()
    return world


def stored(person, period=None):
    return GeneralCriteriaMark.objects.filter(civil_servant=person, criterion="I.1").first()


def test_the_person_writes_their_self_mark_and_never_the_evaluators(world):
    person = world.people["Nguyễn Văn Điền"]
    with pytest.raises(write_gate.Refused) as refused:
        general_marks.save(person.user, person, world.period, {I1: {"evaluator_mark": Decimal(3)}})
    assert "Không ai được chấm điểm của người đánh giá cho chính mình" in refused.value.message
    assert stored(person) is None

    general_marks.save(person.user, person, world.period, {I1: {"self_mark": Decimal(3)}})
    assert (stored(person).self_mark, stored(person).evaluator_mark) == (Decimal(3), None)


def test_the_evaluator_marks_and_a_colleague_does_not(world):
    person = world.people["Nguyễn Văn Điền"]
    colleague = world.person("Lê Văn Bên")
    colleague.user = UserFactory(username="ben", groups=[UNIT_LEADER_GROUP])
    colleague.save()
    with pytest.raises(write_gate.Refused) as refused:
        general_marks.save(
            colleague.user, person, world.period, {I1: {"evaluator_mark": Decimal(1)}}
        )
    assert "Bạn không có quyền ghi dữ liệu này" in refused.value.message
    head = world.people["Trương Văn Chấm"]
    general_marks.save(
        head.user, person, world.period, {I1: {"evaluator_mark": Decimal(2)}}, evaluator=head.user
    )
    mark = stored(person)
    assert (mark.evaluator_mark, mark.evaluator) == (Decimal(2), head.user)


def test_a_mark_saved_on_a_stale_view_names_the_change_and_writes_nothing(world):
    person = world.people["Nguyễn Văn Điền"]
    head = world.people["Trương Văn Chấm"]
    shown = general_marks.snapshot(person, world.period)
    GeneralCriteriaMark.objects.create(
        civil_servant=person, period=world.period, criterion="I.1", evaluator_mark=Decimal(3)
    )
    with pytest.raises(write_gate.Stale) as stale:
        general_marks.save(
            head.user, person, world.period, {I1: {"evaluator_mark": Decimal(1)}}, seen=shown
        )
    assert stale.value.differences == [
        "I.1 (người đánh giá chấm): lúc bạn mở trang là “—”, nay là “3,00”."
    ]
    assert "Dữ liệu này đã được người khác thay đổi" in stale.value.message
    assert stored(person).evaluator_mark == Decimal(3)


def test_after_a_transfer_the_former_agency_marks_march_not_april(world):
    person = world.people["Nguyễn Văn Điền"]
    other = AgencyFactory(parent=world.province, code="STC", name="Sở Tài chính thử nghiệm")
    Posting.objects.filter(civil_servant=person).update(end_date=D - datetime.timedelta(days=1))
    PostingFactory(civil_servant=person, agency=other, start_date=D)
    april = Period.for_date(D, create=True)
    clerk = UserFactory(username="quantri.snv", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=clerk, agency=world.department)

    with pytest.raises(write_gate.Refused) as refused:
        general_marks.save(clerk, person, april, {I1: {"self_mark": Decimal(2)}})
    assert "Bạn không có quyền ghi dữ liệu này" in refused.value.message
    assert not GeneralCriteriaMark.objects.filter(civil_servant=person, period=april).exists()
    assert general_marks.refused_people(clerk, april, {person.pk: {"self_mark"}}) == {
        person.pk: refused.value.message
    }

    general_marks.save(clerk, person, world.period, {I1: {"self_mark": Decimal(2)}})
    assert stored(person).self_mark == Decimal(2)
    assert general_marks.refused_people(clerk, world.period, {person.pk: {"self_mark"}}) == {}


def test_the_excel_door_refuses_a_clerks_own_evaluator_marks(world):
    """A clerk whose own record is in the agency's file: the marks' service says no for them,
    in the same words, and yes for the others."""
    person = world.people["Nguyễn Văn Điền"]
    clerk_person = world.person("Phạm Thị Nhập")
    clerk = UserFactory(username="quantri.nhap", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=clerk, agency=world.department)
    clerk_person.user = clerk
    clerk_person.save()
    refused = general_marks.refused_people(
        clerk,
        world.period,
        {person.pk: set(general_marks.FIELDS), clerk_person.pk: {"evaluator_mark"}},
    )
    assert refused == {clerk_person.pk: general_marks.own_evaluator_mark_message()}
    # Their own self mark they may give, as on Form 01.
    assert general_marks.refused_people(clerk, world.period, {clerk_person.pk: {"self_mark"}}) == {}


def test_the_excel_commit_writes_through_the_service_and_asks_again(world):
    """The Excel door's commit (``write_many``): a person the clerk may not mark (transferred
    out before the period) is refused with nothing written, even if the file's analysis let the
    row through; the clerk's reachable people are written with a history row each."""
    from audit.history import history_model

    person = world.people["Nguyễn Văn Điền"]
    head = world.people["Trương Văn Chấm"]
    other = AgencyFactory(parent=world.province, code="STC", name="Sở Tài chính thử nghiệm")
    Posting.objects.filter(civil_servant=person).update(end_date=D - datetime.timedelta(days=1))
    PostingFactory(civil_servant=person, agency=other, start_date=D)
    april = Period.for_date(D, create=True)
    clerk = UserFactory(username="quantri.snv2", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=clerk, agency=world.department)

    def mark(who, value):
        return {
            "person_id": who.pk,
            "component": "general",
            "criterion": "I.1",
            "self_mark": None,
            "evaluator_mark": Decimal(value),
            "evaluator_changed": True,
        }

    with pytest.raises(general_marks.BulkRefused) as refused:
        general_marks.write_many(
            clerk,
            april,
            [mark(head, 2), mark(person, 1)],
            [],
            {head.pk: {"evaluator_mark"}, person.pk: {"evaluator_mark"}},
        )
    assert [key for key, _reason in refused.value.problems] == [("person", person.pk)]
    assert "Bạn không có quyền ghi dữ liệu này" in refused.value.message
    assert not GeneralCriteriaMark.objects.filter(period=april).exists()

    written = general_marks.write_many(
        clerk, april, [mark(head, 2)], [], {head.pk: {"evaluator_mark"}}
    )
    assert written == 1
    saved = GeneralCriteriaMark.objects.get(civil_servant=head, period=april)
    assert (saved.evaluator_mark, saved.evaluator) == (Decimal(2), clerk)
    history = history_model(GeneralCriteriaMark)
    assert history.objects.filter(id=saved.pk).count() == 1


def test_the_bulk_write_keeps_the_stored_evaluator_unless_the_file_writes_their_mark(world):
    """``write_many`` upserts without a model instance a row (``scoring.services.store.upsert``:
    multi-row ``INSERT … ON CONFLICT`` on SQLite, ``COPY`` and one ``INSERT … SELECT`` on
    PostgreSQL): a mark whose evaluator's mark the file leaves as stored keeps its evaluator,
    one whose evaluator's mark the file writes gets the writer; each mark written, new or
    stored, gets one history row with what is stored after the write; a mark the file repeats
    as stored is not sent (the kind leaves it out) and gets none."""
    from audit.history import history_model

    head = world.people["Trương Văn Chấm"]
    april = Period.for_date(D, create=True)
    first = UserFactory(username="quantri.snv3", groups=[AGENCY_ADMIN_GROUP])
    second = UserFactory(username="quantri.snv4", groups=[AGENCY_ADMIN_GROUP])
    for clerk in (first, second):
        AgencyAccessFactory(user=clerk, agency=world.department)

    def mark(criterion, self_mark, evaluator_mark, changed):
        return {
            "person_id": head.pk,
            "component": "general",
            "criterion": criterion,
            "self_mark": None if self_mark is None else Decimal(self_mark),
            "evaluator_mark": None if evaluator_mark is None else Decimal(evaluator_mark),
            "evaluator_changed": changed,
        }

    fields = {head.pk: {"self_mark", "evaluator_mark"}}
    general_marks.write_many(
        first, april, [mark("I.1", "2", "2", True), mark("I.2", "1", "1", True)], [], fields
    )
    # The second clerk corrects I.1's self mark only, and I.2's evaluator's mark.
    written = general_marks.write_many(
        second, april, [mark("I.1", "1.5", "2", False), mark("I.2", "1", "2", True)],
        [], fields,
    )  # fmt: skip
    assert written == 2
    stored = {
        m.criterion: (m.self_mark, m.evaluator_mark, m.evaluator)
        for m in GeneralCriteriaMark.objects.filter(civil_servant=head, period=april)
    }
    assert stored == {
        "I.1": (Decimal("1.5"), Decimal(2), first),
        "I.2": (Decimal(1), Decimal(2), second),
    }
    history = history_model(GeneralCriteriaMark)
    for criterion, (self_mark, evaluator_mark, evaluator) in stored.items():
        rows = list(
            history.objects.filter(civil_servant=head, period=april, criterion=criterion)
            .order_by("history_id")
            .values_list("self_mark", "evaluator_mark", "evaluator_id")
        )
        assert len(rows) == 2, criterion
        assert rows[-1] == (self_mark, evaluator_mark, evaluator.pk), criterion
