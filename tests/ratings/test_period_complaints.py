"""Complaints and re-checks of a monthly/quarterly result (docs/ratings.md §13): the filing
window on both sides, who may file, answer and see, upheld → rescored with the complaint as
the reason, rejected → unchanged, the final-period rule, the re-check by Sở Nội vụ."""

import datetime
from decimal import Decimal

import pytest

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from org.access import CIVIL_SERVANT_GROUP, HOME_AFFAIRS_GROUP, UNIT_LEADER_GROUP
from org.models import LeadershipRole
from ratings.models import (
    PeriodComplaint,
    PeriodComplaintEvent,
    PeriodComplaintStatus,
    RatingCalendar,
)
from ratings.services import period_complaints as service
from scoring.models import AssignmentLine, PeriodScore, PeriodStatus
from scoring.services import score_person
from scoring.services.deductions import record_deduction
from tests.factories import UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

S = PeriodComplaintStatus
APRIL_1 = datetime.date(2026, 4, 1)


@pytest.fixture
def setup():
    """March 2026: a staff member (2 of 4 products done, one failed review) and their unit
    head (the evaluator); an outsider; Sở Nội vụ. The score is dated 31/03 so the window is
    01/04–11/04 (10 days, the default)."""
    world = build_world()
    person = world.person("Nguyễn Văn Điền")
    line = world.line(person, "X", 4, 2)
    world.marks(person, 27)
    head = world.person("Trương Văn Chấm", role=LeadershipRole.HEAD)
    person.user = UserFactory(
        username="dien", email="dien@example.vn", groups=[CIVIL_SERVANT_GROUP]
    )
    person.save()
    head.user = UserFactory(username="cham", email="cham@example.vn", groups=[UNIT_LEADER_GROUP])
    head.save()
    record_deduction(line, "review", note="Sai mẫu", decided_by="test-setup")
    score = score_person(person, world.period)
    march_end = timezone.make_aware(datetime.datetime(2026, 3, 31, 17, 0))
    PeriodScore.objects.filter(pk=score.pk).update(computed_at=march_end)
    score.refresh_from_db()
    outsider = UserFactory(username="ngoai", groups=[CIVIL_SERVANT_GROUP])
    home = UserFactory(username="snv", email="snv@example.vn", groups=[HOME_AFFAIRS_GROUP])
    return world, person, head, score, line, outsider, home


def _file(person, score, today=APRIL_1, **kwargs):
    return service.file_complaint(
        person.user, score, text="Tôi đã hoàn thành 4 sản phẩm.", today=today, **kwargs
    )


def test_the_window_on_both_sides(setup):
    _world, person, _head, score, _line, _outsider, _home = setup
    assert service.filing_window(score) == (APRIL_1, datetime.date(2026, 4, 11))
    before = service.filing_refusal(person.user, score, datetime.date(2026, 3, 31))
    assert "Chưa đến thời hạn" in before and "01/04/2026" in before
    after = service.filing_refusal(person.user, score, datetime.date(2026, 4, 12))
    assert "Đã hết thời hạn" in after and "11/04/2026" in after
    assert service.filing_refusal(person.user, score, datetime.date(2026, 4, 11)) is None
    with pytest.raises(PermissionDenied):
        _file(person, score, today=datetime.date(2026, 4, 12))
    # The window is configuration: Sở Nội vụ's calendar of the year.
    RatingCalendar.objects.create(year=2026, period_complaint_days=15)
    assert service.filing_refusal(person.user, score, datetime.date(2026, 4, 12)) is None


def test_only_the_person_files_once_and_the_evaluator_is_told(
    setup, django_capture_on_commit_callbacks
):
    _world, person, head, score, line, outsider, _home = setup
    assert "Chỉ công chức" in service.filing_refusal(head.user, score, APRIL_1)
    assert "Chỉ công chức" in service.filing_refusal(outsider, score, APRIL_1)
    with pytest.raises(ValidationError):
        service.file_complaint(person.user, score, text="  ", today=APRIL_1)
    with django_capture_on_commit_callbacks(execute=True):
        complaint = _file(person, score, lines=[line], criteria=["I.1"])
    assert complaint.evaluator == head and complaint.status == S.OPEN
    assert complaint.total_before == score.total
    assert complaint.answer_due == datetime.date(2026, 4, 11)
    assert [m.to for m in mail.outbox] == [["cham@example.vn"]]
    assert "đang có kiến nghị" in service.filing_refusal(person.user, score, APRIL_1)


def test_who_may_see_and_answer(setup):
    _world, person, head, score, _line, outsider, home = setup
    complaint = _file(person, score)
    assert service.can_view(person.user, complaint)
    assert service.can_view(head.user, complaint)
    assert service.can_view(home, complaint)
    assert not service.can_view(outsider, complaint)
    assert service.actions_for(head.user, complaint) == ["answer"]
    assert service.actions_for(person.user, complaint) == []
    assert service.actions_for(home, complaint) == []
    with pytest.raises(PermissionDenied):
        service.answer(person.user, complaint, upheld=True, text="Tự chấp nhận")
    assert list(service.waiting_for(head.user)) == [complaint]
    assert list(service.waiting_for(person.user)) == []


def test_upheld_changes_inputs_rescores_and_records_the_reason(setup):
    _world, person, head, score, line, _outsider, _home = setup
    complaint = _file(person, score, lines=[line])
    old_total = score.total
    deduction = line.deductions.get()
    corrections = service.Corrections(line=line, completed_quantity=Decimal(4), exempt=deduction)
    service.answer(
        head.user, complaint, upheld=True, text="Đúng, đã đủ 4 sản phẩm.", corrections=corrections
    )
    complaint.refresh_from_db()
    line.refresh_from_db()
    new = PeriodScore.objects.get(pk=score.pk)
    assert complaint.status == S.UPHELD
    assert line.completed_quantity == 4 and line.deductions.get().exempt
    assert new.total > old_total
    assert (complaint.total_before, complaint.total_after) == (old_total, new.total)
    assert complaint.rescored_at is not None
    # The change history of the line names the complaint as the reason.
    history = AssignmentLine.history.filter(id=line.pk).order_by("-history_date").first()
    assert f"Kiến nghị số {complaint.pk}" in history.history_change_reason
    assert history.history_user == head.user
    # The timeline and the explain page's note.
    assert [e.action for e in complaint.events.order_by("id")] == ["filed", "upheld"]
    notes = service.notes_for_score(new)
    assert "tính lại" in notes[0]["text"] and str(complaint.pk) in notes[0]["text"]


def test_rejected_leaves_the_result_unchanged(setup):
    _world, person, head, score, line, _outsider, _home = setup
    complaint = _file(person, score)
    with pytest.raises(ValidationError):
        service.answer(head.user, complaint, upheld=False, text="")
    service.answer(head.user, complaint, upheld=False, text="Sản phẩm 3, 4 chưa đạt yêu cầu.")
    complaint.refresh_from_db()
    after = PeriodScore.objects.get(pk=score.pk)
    assert complaint.status == S.REJECTED and complaint.rescored_at is None
    assert (after.total, after.computed_at) == (score.total, score.computed_at)
    assert AssignmentLine.objects.get(pk=line.pk).completed_quantity == 2


def test_a_closed_period_is_never_changed_silently(setup):
    world, person, head, score, line, _outsider, _home = setup
    complaint = _file(person, score)
    world.period.status = PeriodStatus.CLOSED
    world.period.save()
    corrections = service.Corrections(line=line, completed_quantity=Decimal(4))
    with pytest.raises(ValidationError) as refused:
        service.answer(head.user, complaint, upheld=True, text="Đúng", corrections=corrections)
    assert "đã khóa sổ" in str(refused.value) and "mở lại kỳ" in str(refused.value)
    complaint.refresh_from_db()
    assert complaint.status == S.OPEN
    assert AssignmentLine.objects.get(pk=line.pk).completed_quantity == 2
    # Rejecting stays possible; once reopened by Sở Nội vụ an upheld answer goes through.
    world.period.status = PeriodStatus.OPEN
    world.period.save()
    service.answer(head.user, complaint, upheld=True, text="Đúng", corrections=corrections)
    assert PeriodComplaint.objects.get(pk=complaint.pk).status == S.UPHELD


def test_recheck_by_home_affairs(setup):
    _world, person, head, score, line, _outsider, home = setup
    complaint = _file(person, score)
    service.answer(head.user, complaint, upheld=False, text="Không có căn cứ.")
    complaint.refresh_from_db()
    assert service.actions_for(person.user, complaint) == ["recheck_request"]
    late = service.recheck_last_day(complaint) + datetime.timedelta(days=1)
    assert service.actions_for(person.user, complaint, today=late) == []
    service.request_recheck(person.user, complaint, text="Đề nghị phúc tra, có biên bản.")
    complaint.refresh_from_db()
    assert list(service.waiting_for(home)) == [complaint]
    with pytest.raises(PermissionDenied):
        service.recheck(head.user, complaint, upheld=True, text="x")
    service.recheck(
        home,
        complaint,
        upheld=True,
        text="Phúc tra: đủ 4 sản phẩm.",
        corrections=service.Corrections(line=line, completed_quantity=Decimal(4)),
    )
    complaint.refresh_from_db()
    assert complaint.status == S.RECHECK_UPHELD
    assert complaint.total_after > complaint.total_before


def test_screens_file_answer_and_scope(client, setup):
    _world, person, head, score, line, outsider, _home = setup
    # The score was just recomputed: its window is open today.
    score = score_person(person, score.period, force=True)
    PeriodScore.objects.filter(pk=score.pk).update(computed_at=timezone.now())
    file_url = reverse("ratings_period_complaint_file", args=[score.pk])
    client.force_login(outsider)
    assert client.get(file_url).status_code in (302, 403)
    client.force_login(person.user)
    assert file_url in client.get(reverse("ratings_my")).content.decode()
    response = client.post(file_url, {"text": ""})
    assert response.status_code == 400 and "Nội dung, lý do kiến nghị" in response.content.decode()
    response = client.post(file_url, {"text": "Thiếu 2 sản phẩm", "lines": [line.pk]})
    complaint = PeriodComplaint.objects.get()
    assert response.status_code == 302
    detail = reverse("ratings_period_complaint", args=[complaint.pk])
    client.force_login(outsider)
    assert client.get(detail).status_code in (302, 403)
    assert (
        "Thiếu 2 sản phẩm" not in client.get(reverse("ratings_period_complaints")).content.decode()
    )
    client.force_login(head.user)
    listing = client.get(reverse("ratings_period_complaints")).content.decode()
    assert detail in listing
    assert detail in client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.post(
        detail,
        {
            "action": "answer",
            "decision": "upheld",
            "text": "Đúng",
            "line": line.pk,
            "completed_quantity": "4,00",
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == S.UPHELD and complaint.total_after > complaint.total_before
    page = client.get(reverse("scoring_explain", args=[score.pk])).content.decode()
    assert detail in page
    client.force_login(person.user)
    mine = client.get(reverse("ratings_my")).content.decode()
    assert "my-period-complaints" in mine


def _title(html: str) -> str:
    return " ".join(html.split("<title>", 1)[1].split("</title>", 1)[0].split())


def test_the_pages_name_the_person_and_write_numbers_as_written(client, setup):
    """Issue 44's crawl: every person's complaint form of March was titled alike; the page of
    an upheld complaint wrote its corrections "4.25 → 3" and its products "(2,00/4,00)"."""
    _world, person, head, score, line, _outsider, _home = setup
    client.force_login(person.user)
    form = client.get(reverse("ratings_period_complaint_file", args=[score.pk])).content.decode()
    assert _title(form).startswith(
        "Kiến nghị kết quả theo dõi, đánh giá tháng/quý: Nguyễn Văn Điền · Tháng 03/2026"
    )
    complaint = _file(person, score, lines=[line])
    PeriodComplaintEvent.objects.create(
        complaint=complaint,
        action=service.UPHELD,
        user=head.user,
        text="Đúng",
        changes=[
            {"what": "evaluator_mark", "criterion": "I.1", "before": "4.25", "after": "3"},
            {"what": "completed_quantity", "label": "X", "before": "2.00", "after": "4.50"},
        ],
    )
    page = client.get(reverse("ratings_period_complaint", args=[complaint.pk])).content.decode()
    assert "Tiêu chí I.1: điểm người đánh giá 4,25 → 3" in page
    assert "X: số lượng hoàn thành 2 → 4,5" in page
    assert f"{line.item} (2/4)" in page
    assert "4.25" not in page and "2,00/4,00" not in page


def test_an_upheld_answer_that_lowers_the_score_is_said_before_it_is_written(client, setup):
    """Review 2026-11-23 (C10): an "accepted" complaint lowered the score with no warning."""
    _world, person, head, score, line, _outsider, _home = setup
    score = score_person(person, score.period, force=True)
    PeriodScore.objects.filter(pk=score.pk).update(computed_at=timezone.now())
    score.refresh_from_db()
    complaint = _file(person, score, today=timezone.localdate())
    detail = reverse("ratings_period_complaint", args=[complaint.pk])
    client.force_login(head.user)
    assert 'type="checkbox" name="confirm_lower"' not in client.get(detail).content.decode()
    data = {
        "action": "answer",
        "decision": "upheld",
        "text": "Chấp nhận, nhưng chỉ hoàn thành 1 sản phẩm.",
        "line": line.pk,
        "completed_quantity": "1",
    }
    response = client.post(detail, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Chấp nhận kiến nghị nhưng sửa làm điểm thấp hơn" in html
    assert "số lượng hoàn thành 2 → 1" in html
    assert 'type="checkbox" name="confirm_lower"' in html
    assert "Chấp nhận, nhưng chỉ hoàn thành 1 sản phẩm." in html  # what was typed is kept
    line.refresh_from_db()
    assert line.completed_quantity == 2
    complaint.refresh_from_db()
    assert complaint.status != S.UPHELD

    response = client.post(detail, {**data, "confirm_lower": "on"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.completed_quantity == 1
    # The rater's answer is on the complaint page, not behind another step.
    client.force_login(person.user)
    page = client.get(detail).content.decode()
    assert "Trả lời của người đánh giá" in page
    assert "Chấp nhận, nhưng chỉ hoàn thành 1 sản phẩm." in page


def test_upheld_in_a_large_tree_passes_the_leaders_above_to_their_run(setup, monkeypatch):
    """Issue 48: as a Form 01 saved on screen — the person rescored at once, the leaders above
    (the chairman's charge is the province) in the period's leaders' run, owed until then."""
    from scoring.models import ScoringRun
    from scoring.services import person as person_service
    from scoring.services import rescoring
    from scoring.services.freshness import pending_run_since

    world, person, head, score, line, _outsider, _home = setup
    monkeypatch.setattr(person_service, "CASCADE_BATCH_FROM", 1)  # every tree is large
    monkeypatch.setattr(rescoring, "database_queue", lambda: True)
    queued = []
    monkeypatch.setattr(
        rescoring, "enqueue_run", lambda pk, run_after=None: queued.append((pk, run_after))
    )
    complaint = _file(person, score, lines=[line])
    corrections = service.Corrections(line=line, completed_quantity=Decimal(4))
    answered = service.answer(
        head.user, complaint, upheld=True, text="Đủ 4 sản phẩm.", corrections=corrections
    )
    assert PeriodScore.objects.get(pk=score.pk).total > score.total  # the person: at once
    run = ScoringRun.objects.get(leaders=True)
    assert queued == [(run.pk, None)] and run.people == [head.pk]
    # What the answering page adds (the setup's postings left a run waiting before it).
    assert answered.leaders_note == (
        f"Lãnh đạo cấp trên được tính lại trong lượt tính số {run.pk}, sau các lượt đang chờ."
    )
    assert run.reason == "Lãnh đạo cấp trên của Nguyễn Văn Điền (kiến nghị được chấp nhận)"
    assert pending_run_since(head.pk, world.period.year) <= run.created_at  # owed


def test_the_answering_page_says_the_leaders_above_follow(client, setup, monkeypatch):
    """The page the evaluator lands on after upholding, in a large tree (issue 48)."""
    from scoring.models import ScoringRun
    from scoring.services import person as person_service
    from scoring.services import rescoring

    _world, person, head, score, line, _outsider, _home = setup
    score = score_person(person, score.period, force=True)
    PeriodScore.objects.filter(pk=score.pk).update(computed_at=timezone.now())
    score.refresh_from_db()  # its window opens today
    complaint = _file(person, score, today=timezone.localdate(), lines=[line])
    monkeypatch.setattr(person_service, "CASCADE_BATCH_FROM", 1)
    monkeypatch.setattr(rescoring, "database_queue", lambda: True)
    monkeypatch.setattr(rescoring, "enqueue_run", lambda pk, run_after=None: None)
    client.force_login(head.user)
    detail = reverse("ratings_period_complaint", args=[complaint.pk])
    form = {"action": "answer", "decision": "upheld", "text": "Đúng", "line": line.pk}
    page = client.post(detail, {**form, "completed_quantity": "4,00"}, follow=True)
    run = ScoringRun.objects.get(leaders=True)
    html = page.content.decode()
    assert "Đã ghi nhận lúc" in html
    assert f"Lãnh đạo cấp trên được tính lại trong lượt tính số {run.pk}" in html
