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
