"""Closed vocabularies of the scoring models (codes are the engine's; labels are Vietnamese)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF_YEAR = "half_year", _("6 tháng")
    YEAR = "year", _("Năm")


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Đang mở")
    CLOSED = "closed", _("Đã khóa sổ")
    LOCKED = "locked", _("Đã chốt kết quả")


class FrameworkPeriodType(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")


class AppliesTo(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Công chức")
    # Viên chức (Law on Public Employees): their own framework where the province assigns one
    # (org.categories.FRAMEWORK_PUBLIC_EMPLOYEE; docs/scope.md §2).
    PUBLIC_EMPLOYEE = "public_employee", _("Viên chức")
    ORGANISATION = "organisation", _("Cơ quan, tổ chức, đơn vị")


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    COMPLETED = "completed", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETED = "not_completed", _("Không hoàn thành nhiệm vụ")


class LineSource(models.TextChoices):
    MANUAL = "manual", _("Nhập tay")
    EXCEL = "excel", _("Tệp Excel")
    API = "api", _("Giao diện lập trình (API)")


class DeductionKind(models.TextChoices):
    REVIEW = "review", _("Đánh giá chưa đạt chất lượng")
    DELAY = "delay", _("Chậm tiến độ")


#: Counter on ``AssignmentLine`` that moves together with the deductions of each kind.
COUNTER_FIELD = {DeductionKind.REVIEW: "failed_reviews", DeductionKind.DELAY: "delays"}


class TransferRule(models.TextChoices):
    """Which posting governs a month or quarter in which a person's posting changes (a
    transfer, a new role): the law is silent for periods (Decree 335 Art. 21 names the agency
    only for the annual rating; legal review 2026-11-23 U-C)."""

    END_OF_PERIOD = (
        "end_of_period",
        _("Vị trí công tác ngày cuối kỳ: cả kỳ tính cho đơn vị mới (mặc định)"),
    )
    START_OF_PERIOD = (
        "start_of_period",
        _("Vị trí công tác ngày đầu kỳ: cả kỳ tính cho đơn vị cũ, đơn vị mới từ kỳ sau"),
    )
    MOST_DAYS = "most_days", _("Vị trí công tác nhiều ngày hơn trong kỳ (bằng nhau thì đơn vị mới)")
