"""Complaints about a monthly result in the demo province (docs/ratings.md §13): in March 2026
(open), ``congchuc`` contests their result and their unit head ``lanhdao.phong`` upholds it —
the line corrected (or a failed review exempted, or a general mark raised), the month rescored
with the complaint as the reason; a second civil servant of the same unit has theirs rejected
with reasons. Call after the scoring and ratings demos (the sign-ins exist).

Idempotent: nothing is filed for a person who already has a complaint on the month.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from org.authority import resolve_authority
from ratings.models import PeriodComplaint
from ratings.services import period_complaints as service
from scoring.models import AssignmentLine, Deduction, DeductionKind, Period, PeriodKind, PeriodScore

YEAR, MONTH = 2026, 3


def _correction(score) -> service.Corrections:
    person, period = score.civil_servant, score.period
    lines = AssignmentLine.objects.filter(civil_servant=person, period=period).order_by("pk")
    short = next((line for line in lines if line.completed_quantity < line.assigned_quantity), None)
    if short is not None:
        return service.Corrections(line=short, completed_quantity=short.assigned_quantity)
    failed = (
        Deduction.objects.filter(line__in=lines, kind=DeductionKind.REVIEW, exempt=False)
        .order_by("pk")
        .first()
    )
    if failed is not None:
        return service.Corrections(exempt=failed)
    return service.Corrections(criterion="I.1", evaluator_mark=Decimal("3"))


def _file(person, score, text, lines):
    today = max(service.available_on(score), timezone.localdate())
    first, last = service.filing_window(score)
    today = min(max(today, first), last)
    return service.file_complaint(person.user, score, text=text, lines=lines, today=today)


def load_period_complaints_demo() -> int:
    """File, answer and rescore the demo's two complaints; the number filed now."""
    period = Period.objects.filter(kind=PeriodKind.MONTH, year=YEAR, number=MONTH).first()
    user = get_user_model().objects.filter(username="congchuc").first()
    if period is None or user is None or not period.accepts_inputs:
        return 0
    score = PeriodScore.objects.filter(civil_servant__user=user, period=period).first()
    if score is None:
        return 0
    person = score.civil_servant
    evaluator = resolve_authority(person, period.end_date).evaluator.person
    if evaluator is None or evaluator.user is None:
        return 0
    filed = 0
    if not PeriodComplaint.objects.filter(civil_servant=person, period=period).exists():
        lines = list(AssignmentLine.objects.filter(civil_servant=person, period=period)[:1])
        complaint = _file(
            person,
            score,
            "Sản phẩm thứ hai đã hoàn thành và được lãnh đạo ký duyệt ngày 30/03/2026 "
            "nhưng chưa được cập nhật vào kết quả tháng.",
            lines,
        )
        service.answer(
            evaluator.user,
            complaint,
            upheld=True,
            text="Đã kiểm tra văn bản ký duyệt: đúng, cập nhật số lượng hoàn thành.",
            corrections=_correction(score),
            today=service.available_on(score),
        )
        filed += 1
    colleague_score = (
        PeriodScore.objects.filter(period=period, agency=score.agency)
        .filter(civil_servant__user__isnull=False)
        .exclude(civil_servant=person)
        .exclude(civil_servant=evaluator)
        .order_by("civil_servant__pk")
        .first()
    )
    if colleague_score is not None:
        colleague = colleague_score.civil_servant
        same_evaluator = resolve_authority(colleague, period.end_date).evaluator.person
        if (
            same_evaluator == evaluator
            and not PeriodComplaint.objects.filter(civil_servant=colleague, period=period).exists()
        ):
            complaint = _file(
                colleague,
                colleague_score,
                "Đề nghị không tính lần đánh giá chưa đạt vì hồ sơ đã được sửa trong ngày.",
                [],
            )
            service.answer(
                evaluator.user,
                complaint,
                upheld=False,
                text="Sản phẩm nộp lại sau hạn, không có nguyên nhân khách quan: giữ nguyên.",
                today=service.available_on(colleague_score),
            )
            filed += 1
    return filed
