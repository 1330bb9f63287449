"""Organisation scoring demo for the province of Thanh An, 2026 (call after ``load_demo``).

Every department and commune gets tasks assigned by the province (its plans and decisions of
2026) and every unit tasks assigned by its agency, with a realistic spread: most done on time,
some exceeding requirements, a few late (one late task at most per agency, so the "late share
≤ 20 %" condition still decides between levels), two tasks not done (Phòng Quản lý kết cấu hạ
tầng giao thông of Sở Xây dựng — fewer than 70 % done, so the unit is "not completed" (Gia Lai
§III.3.d) and Sở Xây dựng cannot be "excellent"), and one task per agency not yet due. Scored as
of 01/12/2026 (before the evaluation deadline of 15 December), so the December tasks are not
yet overdue whenever the demo is loaded. General marks: the agency's self marks and
the appraised marks (a little lower now and then). Sở Tư pháp had a shortcoming from the 2025
review, remedied; Sở Y tế has one still open. Reported outcomes are certified by Sở Nội vụ (by
Sở Tư pháp's agency admin for its units). Everything is then scored bottom-up.

Idempotent: rows are keyed on natural keys (agency, year, document reference / criterion /
shortcoming source) and generated from a fixed seed; a second run writes nothing and rescores
nothing. Published periods of the year get their public snapshot rebuilt when scores changed.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dashboards.cache import invalidate
from dashboards.snapshots import refresh
from demo import personnel_file_demo
from demo.data.bodies import BODY_CODES
from org.models import Agency, AgencyKind, within_q
from org_scoring.frameworks import OrganisationFrameworkResolver
from org_scoring.models import (
    OrganisationGeneralMark,
    OrganisationShortcoming,
    OrganisationTask,
    TaskOutcome,
)
from org_scoring.services import score_organisations
from scoring.models import Period

SEED = 3352027
YEAR = 2026
NOT_DONE_UNIT = "SXD-HTGT"
CERTIFIED_AT = datetime.datetime(YEAR, 11, 10, 9, 0)
SCORED_AS_OF = datetime.date(YEAR, 12, 1)  # pending tasks are compared with this day
PROVINCE_DOCUMENTS = [
    ("12/KH-UBND", "Kế hoạch thực hiện nhiệm vụ trọng tâm năm 2026"),
    ("27/QĐ-UBND", "Quyết định ban hành Kế hoạch cải cách hành chính năm 2026"),
    ("45/KH-UBND", "Kế hoạch chuyển đổi số năm 2026"),
    ("63/CV-UBND", "Công văn giao nhiệm vụ báo cáo sơ kết 6 tháng"),
    ("88/KH-UBND", "Kế hoạch thực hành tiết kiệm, chống lãng phí năm 2026"),
    ("102/TB-UBND", "Thông báo kết luận của Chủ tịch UBND tỉnh tại phiên họp thường kỳ"),
    ("131/KH-UBND", "Kế hoạch tổng kết năm 2026"),
]
UNIT_DOCUMENTS = [
    ("03/KH", "Kế hoạch công tác năm 2026"),
    ("11/QĐ", "Quyết định phân công nhiệm vụ các phòng"),
    ("19/KH", "Kế hoạch cải cách hành chính của cơ quan"),
    ("24/CV", "Công văn giao nhiệm vụ rà soát văn bản"),
    ("36/KH", "Kế hoạch kiểm tra nội bộ"),
    ("52/CV", "Công văn giao nhiệm vụ báo cáo chuyên đề"),
    ("70/KH", "Kế hoạch tổng kết năm"),
]
AGENCY_TASKS = [
    "Tham mưu triển khai nhiệm vụ trọng tâm được UBND tỉnh giao trong lĩnh vực phụ trách",
    "Rà soát, chuẩn hóa thủ tục hành chính thuộc thẩm quyền giải quyết",
    "Cung cấp dịch vụ công trực tuyến toàn trình cho các thủ tục đủ điều kiện",
    "Báo cáo sơ kết 6 tháng đầu năm và phương hướng nhiệm vụ 6 tháng cuối năm",
    "Thực hiện chương trình thực hành tiết kiệm, chống lãng phí",
    "Triển khai kết luận của Chủ tịch UBND tỉnh tại phiên họp thường kỳ",
    "Tổng kết công tác năm và xây dựng kế hoạch năm sau",
]
UNIT_TASKS = [
    "Xây dựng và trình ký kế hoạch chuyên môn của phòng",
    "Thẩm định hồ sơ, văn bản thuộc lĩnh vực phụ trách đúng thời hạn",
    "Rà soát quy trình nội bộ giải quyết thủ tục hành chính",
    "Rà soát văn bản quy phạm pháp luật thuộc lĩnh vực phụ trách",
    "Phối hợp tổ chức đợt kiểm tra nội bộ",
    "Báo cáo chuyên đề theo yêu cầu của lãnh đạo cơ quan",
    "Tổng hợp báo cáo kết quả công tác năm của phòng",
]
SHORTCOMINGS = {
    "STP": (
        "Chậm cập nhật cơ sở dữ liệu hộ tịch điện tử",
        "Kết quả đánh giá, xếp loại năm 2025",
        datetime.date(YEAR, 6, 30),
    ),
    "SYT": (
        "Hồ sơ mua sắm thiết bị chưa đầy đủ theo quy định",
        "Kết luận thanh tra 21/KL-TTr",
        None,
    ),
}


@dataclass
class OrgScoringDemoSummary:
    tasks_created: int = 0
    marks_created: int = 0
    written: int = 0
    scored: int = 0


def _outcomes(rng: random.Random, agency: Agency) -> list[str]:
    """Counted outcomes of one agency: mostly on time, some exceeded, at most one late."""
    count = rng.choice([5, 5, 6])
    outcomes = [TaskOutcome.ON_TIME] * count
    for i in rng.sample(range(count), rng.choice([0, 1, 2, 2, 3])):
        outcomes[i] = TaskOutcome.EXCEEDED
    if rng.random() < 0.2:
        outcomes[rng.randrange(count)] = TaskOutcome.LATE
    if agency.code == NOT_DONE_UNIT:
        outcomes[-2:] = [TaskOutcome.NOT_DONE, TaskOutcome.NOT_DONE]
    return outcomes


def _task_rows(rng, agency, certifier):
    is_unit = agency.kind == AgencyKind.UNIT
    documents = UNIT_DOCUMENTS if is_unit else PROVINCE_DOCUMENTS
    descriptions = UNIT_TASKS if is_unit else AGENCY_TASKS
    owner = agency.parent.code if is_unit else "UBND"
    outcomes = [*_outcomes(rng, agency), TaskOutcome.PENDING]
    certified_at = timezone.make_aware(CERTIFIED_AT)
    for index, outcome in enumerate(outcomes):
        number, title = documents[index % len(documents)]
        ref = f"{number}-{owner}" if is_unit else number
        month = 12 if outcome == TaskOutcome.PENDING else 2 + (index * 9) // len(outcomes)
        deadline = datetime.date(YEAR, month, rng.choice([10, 15, 20, 25]))
        delays = rng.choice([1, 1, 2]) if outcome == TaskOutcome.LATE else 0
        if outcome == TaskOutcome.LATE:
            completed_on = deadline + datetime.timedelta(days=4 * delays)
        elif outcome in (TaskOutcome.ON_TIME, TaskOutcome.EXCEEDED):
            completed_on = deadline - datetime.timedelta(days=rng.randint(1, 6))
        else:
            completed_on = None
        reported = outcome != TaskOutcome.PENDING
        yield (
            ref,
            {
                "document_title": title,
                "description": descriptions[index % len(descriptions)],
                # The province's plan of key tasks (GL §V.1.b): weighted by the framework's
                # organisation.key_task_weight (default 1).
                "is_key_task": not is_unit and number == "12/KH-UBND",
                "deadline": deadline,
                "outcome": outcome,
                "delays": delays,
                "completed_on": completed_on,
                "note": "Chưa hoàn thành do chưa bố trí được vốn." if outcome == "not_done" else "",
                "certified_by": certifier if reported else None,
                "certified_at": certified_at if reported else None,
            },
        )


def _marks(rng, agency, criteria):
    for code, maximum in criteria:
        self_mark = maximum - Decimal(rng.choice(["0", "0", "0.5", "1"]))
        appraised = self_mark - Decimal(rng.choice(["0", "0", "0", "0.5"]))
        yield code, {"self_mark": self_mark, "appraised_mark": appraised}


def _certifiers():
    User = get_user_model()
    return (
        User.objects.filter(username="sonoivu").first(),
        User.objects.filter(username="quantri.stp").first(),
    )


@transaction.atomic
def load_org_scoring_demo() -> OrgScoringDemoSummary:
    summary = OrgScoringDemoSummary()
    rng = random.Random(SEED)
    home_affairs, stp_admin = _certifiers()
    # The bodies of the Party, the Front and public service are not scored as collectives yet
    # (docs/scope.md §5): their rows would also shift every other agency's random draws.
    rows = Agency.objects.filter(is_active=True).exclude(parent=None).exclude(code__in=BODY_CODES)
    # Sở Văn hóa, Thể thao và Du lịch joins last, from its personnel file alone (issue 32): no
    # organisation data of the year, and — present from a second load on — it must not shift
    # the other agencies' random draws either.
    newcomer = Agency.objects.filter(code=personnel_file_demo.AGENCY_CODE).first()
    if newcomer is not None:
        rows = rows.exclude(within_q(newcomer))
    agencies = list(rows.select_related("parent"))
    agencies.sort(key=lambda a: a.code)
    frameworks = OrganisationFrameworkResolver(YEAR)
    for agency in agencies:
        in_stp = agency.kind == AgencyKind.UNIT and agency.parent.code == "STP"
        certifier = stp_admin if in_stp and stp_admin else home_affairs
        for ref, values in _task_rows(rng, agency, certifier):
            _task, created = OrganisationTask.objects.get_or_create(
                agency=agency, year=YEAR, document_ref=ref, defaults=values
            )
            summary.tasks_created += created
        general = frameworks.resolve(agency.path).organisation.general
        criteria = [(c.code, c.max_points) for c in general.criteria]
        for code, values in _marks(rng, agency, criteria):
            _mark, created = OrganisationGeneralMark.objects.get_or_create(
                agency=agency,
                year=YEAR,
                criterion=code,
                defaults={
                    **values,
                    "appraised_by": certifier,
                    "appraised_at": timezone.make_aware(CERTIFIED_AT),
                },
            )
            summary.marks_created += created
        if agency.code in SHORTCOMINGS:
            description, source, remedied_on = SHORTCOMINGS[agency.code]
            OrganisationShortcoming.objects.get_or_create(
                agency=agency,
                year=YEAR,
                source=source,
                defaults={
                    "description": description,
                    "remedied_on": remedied_on,
                    "remedy_note": "Đã cập nhật đầy đủ dữ liệu." if remedied_on else "",
                },
            )
    report = score_organisations(YEAR, as_of=SCORED_AS_OF)
    summary.written, summary.scored = report.written, report.scored
    if report.written:
        _refresh_public_snapshots()
    return summary


def _refresh_public_snapshots() -> None:
    """Published figures include the organisation scores of their year: rebuild the published
    snapshots of the demo year (``refresh_public_results`` does the same by hand)."""

    periods = list(Period.objects.filter(published=True, year=YEAR))
    if periods:
        refresh(periods)
        transaction.on_commit(invalidate)
