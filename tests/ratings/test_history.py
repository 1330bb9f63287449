"""The log is append-only, nothing is deleted, cancellation keeps the history, on-hold resumes
to where it was."""

import pytest

from django.db import IntegrityError

from ratings.models import CaseState, CaseTransition, RatingCase
from ratings.models.append_only import DeletionRefused, UpdateRefused
from ratings.services.cases import open_civil_servant_case
from ratings.workflow.machine import Refused, perform
from tests.ratings.world import TODAY, reload

pytestmark = pytest.mark.django_db


def test_cancellation_keeps_the_case_and_its_history(world):
    person = world.staff("Phan Văn Hủy", 82)
    case = world.decided(person, "good")
    before = list(case.transitions.order_by("id").values_list("action", "from_state", "to_state"))
    assert [a for a, _f, _t in before] == ["open", "self_assess", "review", "appraise", "decide"]

    with pytest.raises(Refused, match="lý do"):
        perform(case, "cancel", world.users["giamdoc"], comment="  ", today=TODAY)
    perform(
        case,
        "cancel",
        world.users["giamdoc"],
        comment="Phát hiện kê khai không trung thực (mục II.2.g).",
        today=TODAY,
    )

    case = reload(case)
    assert case.state == CaseState.CANCELLED
    assert case.cancel_reason.startswith("Phát hiện kê khai")
    assert case.cancelled_by == world.users["giamdoc"] and case.cancelled_at is not None
    # Every earlier field and log row is still there.
    assert case.decision_level == "good" and case.self_assessment and case.minutes
    after = list(case.transitions.order_by("id").values_list("action", "from_state", "to_state"))
    assert after[:-1] == before
    assert after[-1] == ("cancel", "decided", "cancelled")
    last = case.transitions.order_by("-id").first()
    assert last.comment.startswith("Phát hiện") and last.user_name == "Lê Giám Đốc"

    # A new case may be opened for the same person and year; the old one stays.
    new, created = open_civil_servant_case(person.annual_scores.get(), today=TODAY)
    assert created and new.pk != case.pk and new.state == CaseState.DRAFT
    assert RatingCase.objects.filter(civil_servant=person).count() == 2
    assert not new.is_decided and not case.is_decided


def test_only_one_open_case_per_person_and_year(world):
    person = world.staff("Lâm Văn Một", 80)
    case = world.case_for(person)
    again, created = open_civil_servant_case(person.annual_scores.get(), today=TODAY)
    assert again == case and not created
    with pytest.raises(IntegrityError):
        RatingCase.objects.create(
            kind="civil_servant", year=2026, civil_servant=person, agency=world.unit
        )


def test_the_log_is_append_only_and_nothing_is_deleted(world):
    case = world.case_for(world.staff("Mai Văn Nhật", 80))
    entry = case.transitions.get()
    entry.comment = "sửa lại"
    with pytest.raises(UpdateRefused):
        entry.save()
    with pytest.raises(UpdateRefused):
        CaseTransition.objects.filter(pk=entry.pk).update(comment="x")
    with pytest.raises(DeletionRefused):
        entry.delete()
    with pytest.raises(DeletionRefused):
        CaseTransition.objects.all().delete()
    with pytest.raises(DeletionRefused):
        case.delete()
    with pytest.raises(DeletionRefused):
        RatingCase.objects.filter(pk=case.pk).delete()
    assert CaseTransition.objects.get(pk=entry.pk).comment == ""


def test_on_hold_resumes_to_where_it_was(world):
    case = world.decided(world.staff("Quách Văn Dừng", 80))
    perform(case, "hold", world.users["quantri"], comment="Có đơn phản ánh.", today=TODAY)
    case = reload(case)
    assert (case.state, case.held_from) == (CaseState.ON_HOLD, CaseState.DECIDED)
    assert case.effective_state == CaseState.DECIDED
    perform(case, "resume", world.users["giamdoc"], comment="Đã xác minh, giữ nguyên.", today=TODAY)
    case = reload(case)
    assert (case.state, case.held_from) == (CaseState.DECIDED, "")
    assert [t.to_state for t in case.transitions.order_by("id")][-2:] == ["on_hold", "decided"]


def test_every_log_row_records_user_time_states_and_comment(world):
    case = world.case_for(world.staff("Tạ Văn Ghi", 80))
    world.self_assess(case)
    perform(
        case,
        "return_to_subject",
        world.users["truongphong"],
        comment="Bổ sung minh chứng.",
        today=TODAY,
    )
    entry = reload(case).transitions.order_by("-id").first()
    assert (entry.from_state, entry.to_state) == ("self_assessed", "draft")
    assert entry.user == world.users["truongphong"] and entry.at is not None
    assert entry.comment == "Bổ sung minh chứng." and entry.roles == ["evaluator"]
