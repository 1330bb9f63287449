"""Closed vocabularies of rating cases (codes in English, labels in Vietnamese)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.models import Rating

__all__ = ["CaseKind", "CaseState", "ComplaintStatus", "PeriodComplaintStatus", "Rating"]


class CaseKind(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Công chức")
    AGENCY = "agency", _("Cơ quan, tổ chức, đơn vị")


class CaseState(models.TextChoices):
    DRAFT = "draft", _("Chờ tự đánh giá")
    SELF_ASSESSED = "self_assessed", _("Đã tự đánh giá")
    REVIEWED = "reviewed", _("Đã họp nhận xét, đánh giá")
    APPRAISED = "appraised", _("Đã thẩm định, đề xuất mức xếp loại")
    OPINION_REQUESTED = "opinion_requested", _("Đang xin ý kiến")
    OPINION_GIVEN = "opinion_given", _("Đã có ý kiến")
    DECIDED = "decided", _("Đã quyết định xếp loại")
    NOTIFIED = "notified", _("Đã thông báo kết quả")
    ON_HOLD = "on_hold", _("Tạm dừng để kiểm tra, xác minh")
    CANCELLED = "cancelled", _("Đã hủy")


#: States in which the case is finished as far as deadlines are concerned.
DONE_STATES = frozenset({CaseState.DECIDED, CaseState.NOTIFIED, CaseState.CANCELLED})


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Đang xem xét")
    RESOLVED = "resolved", _("Đã giải quyết")


class PeriodComplaintStatus(models.TextChoices):
    """A complaint about a monthly/quarterly result (kiến nghị, phúc tra kết quả tháng/quý)."""

    OPEN = "open", _("Chờ người đánh giá trả lời")
    UPHELD = "upheld", _("Được chấp nhận, đã tính lại điểm")
    REJECTED = "rejected", _("Không được chấp nhận")
    RECHECK = "recheck", _("Chờ Sở Nội vụ phúc tra")
    RECHECK_UPHELD = "recheck_upheld", _("Sở Nội vụ phúc tra: chấp nhận, đã tính lại điểm")
    RECHECK_REJECTED = "recheck_rejected", _("Sở Nội vụ phúc tra: giữ nguyên kết quả")


#: Statuses waiting for someone's answer.
PERIOD_COMPLAINT_WAITING = frozenset({PeriodComplaintStatus.OPEN, PeriodComplaintStatus.RECHECK})
