"""The chairman's quarterly assessment in the demo province (docs/organisation-scoring.md §9):
Q3/2026 fully entered by the Office of the province People's Committee (``vanphong.ubnd``) in
its window (05/09–10/09/2026), one entry made late (12/09/2026, marked), assessed and confirmed
by the chairman (``chutich.tinh``) on 15/09/2026. The confirmed tasks join the agencies' 2026
organisation tasks (``QuarterlyRule.annual_use``, default), so call before
``load_org_scoring_demo``.

Idempotent: tasks are keyed on (agency, year, quarter, document number); a confirmed quarter is
left as it is.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from demo.common import DEMO_PASSWORD
from org.access import PROVINCE_OFFICE_GROUP
from org.roles import ensure_roles
from org_scoring.models import ProvinceTask, ProvinceTaskStatus, QuarterWindow
from org_scoring.services import quarterly

YEAR, QUARTER = 2026, 3
OFFICE_USER = "vanphong.ubnd"
CHAIRMAN_USER = "chutich.tinh"
ENTERED_AT = datetime.datetime(YEAR, 9, 7, 9, 0)
LATE_AT = datetime.datetime(YEAR, 9, 12, 14, 30)
CONFIRMED_AT = datetime.datetime(YEAR, 9, 15, 10, 0)
LATE_AGENCY = "SYT"  # its task reached the Office after the window: entered late, marked
#: (number, date, title, deadline) of the province's Q3 assignments; statuses per agency below.
TASKS = [
    (
        "1520/UBND-TH",
        datetime.date(YEAR, 7, 3),
        "Báo cáo kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội 6 tháng đầu năm",
        datetime.date(YEAR, 7, 25),
    ),
    (
        "1688/UBND-KSTT",
        datetime.date(YEAR, 7, 20),
        "Rà soát, đơn giản hóa thủ tục hành chính thuộc lĩnh vực quản lý",
        datetime.date(YEAR, 8, 31),
    ),
    (
        "1795/UBND-NC",
        datetime.date(YEAR, 8, 5),
        "Triển khai kết luận của Chủ tịch UBND tỉnh về chuyển đổi số trong quý III",
        datetime.date(YEAR, 12, 15),
    ),
]
#: Exceptions to "done on time" (and the last task in progress, due 15/12): agency → statuses.
STATUSES = {
    "SYT": [ProvinceTaskStatus.DONE_ON_TIME, ProvinceTaskStatus.DONE_LATE],
    "SGDDT": [ProvinceTaskStatus.DONE_LATE, ProvinceTaskStatus.DONE_ON_TIME],
    "X-TANLAP": [ProvinceTaskStatus.DONE_ON_TIME, ProvinceTaskStatus.OVERDUE],
}
DEFAULT = [ProvinceTaskStatus.DONE_ON_TIME, ProvinceTaskStatus.DONE_ON_TIME]


@dataclass
class QuarterlyDemoSummary:
    tasks_created: int = 0
    confirmed: int = 0
    users: tuple = ()


def _office_user():
    User = get_user_model()
    user, created = User.objects.get_or_create(username=OFFICE_USER)
    if created:
        user.full_name = "Chuyên viên Văn phòng UBND tỉnh"
        user.email = f"{OFFICE_USER}@thanhan.gov.vn"
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=PROVINCE_OFFICE_GROUP))
    return user


def _aware(value: datetime.datetime):
    return timezone.make_aware(value)


@transaction.atomic
def load_quarterly_demo() -> QuarterlyDemoSummary:
    ensure_roles()
    summary = QuarterlyDemoSummary()
    office = _office_user()
    summary.users = ((OFFICE_USER, "Văn phòng UBND tỉnh — nhập nhiệm vụ UBND tỉnh giao theo quý"),)
    QuarterWindow.objects.get_or_create(
        year=YEAR,
        quarter=QUARTER,
        defaults={
            "note": "Kế hoạch của UBND tỉnh, mục V.3: từ ngày 05 đến ngày 10 tháng cuối quý."
        },
    )
    if quarterly.is_confirmed(YEAR, QUARTER):
        return summary
    for agency in quarterly.assessed_agencies():
        statuses = [*STATUSES.get(agency.code, DEFAULT), ProvinceTaskStatus.IN_PROGRESS]
        for (number, day, title, deadline), status in zip(TASKS, statuses, strict=True):
            if ProvinceTask.objects.filter(
                agency=agency, year=YEAR, quarter=QUARTER, document_number=number
            ).exists():
                continue
            late = agency.code == LATE_AGENCY and status == ProvinceTaskStatus.DONE_LATE
            task = ProvinceTask(
                agency=agency,
                year=YEAR,
                quarter=QUARTER,
                title=title,
                document_number=number,
                document_date=day,
                deadline=deadline,
                status=status,
                note="Gửi Văn phòng UBND tỉnh sau ngày 10/09/2026." if late else "",
            )
            quarterly.save_task(
                task, office, may_enter_late=True, now=_aware(LATE_AT if late else ENTERED_AT)
            )
            summary.tasks_created += 1
    chairman = get_user_model().objects.filter(username=CHAIRMAN_USER).first()
    summary.confirmed = quarterly.confirm_quarter(
        YEAR,
        QUARTER,
        chairman,
        note=(
            "Yêu cầu Sở Y tế, Sở Giáo dục và Đào tạo, UBND xã Tân Lập khắc phục việc chậm tiến "
            "độ trong quý IV."
        ),
        now=_aware(CONFIRMED_AT),
    )
    return summary
