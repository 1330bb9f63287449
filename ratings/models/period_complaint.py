"""Complaints and re-checks of a monthly/quarterly result (kiến nghị, phúc tra kết quả
tháng/quý; Nghệ An plan §IV.1.2 "cơ chế kiểm tra, giám sát và phúc tra kết quả", §IV.2.2
"thẩm quyền phúc tra; xử lý kiến nghị").

The civil servant contests their stored ``scoring.PeriodScore`` (which lines, which general
criteria, why, with private attachments); their evaluator answers; Sở Nội vụ re-checks on
request. An upheld answer changes the score inputs through their own models (history kept by
``audit.history``) and rescores the person; the result before and after is kept here. Rows are
never deleted; every step leaves a :class:`PeriodComplaintEvent` (the timeline).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from org.blocs import lead_name
from ratings.models.append_only import AppendOnlyMixin, NeverDeletedMixin
from ratings.models.choices import PeriodComplaintStatus
from ratings.models.fields import acted_at, acted_by
from scoring.models import Rating

POINTS = {"max_digits": 6, "decimal_places": 2, "null": True, "blank": True}


class PeriodComplaint(NeverDeletedMixin, models.Model):
    score = models.ForeignKey(
        "scoring.PeriodScore",
        verbose_name=_("kết quả chấm điểm theo kỳ"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    civil_servant = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("công chức"),
        on_delete=models.PROTECT,
        related_name="period_complaints",
    )
    period = models.ForeignKey(
        "scoring.Period",
        verbose_name=_("kỳ đánh giá"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        related_name="period_complaints",
    )
    evaluator = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("người đánh giá"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="period_complaints_to_answer",
        help_text=_("Theo quy tắc thẩm quyền vào ngày cuối kỳ, khi gửi kiến nghị."),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("thời điểm gửi"), default=timezone.now)
    lines = models.ManyToManyField(
        "scoring.AssignmentLine",
        verbose_name=_("sản phẩm/công việc kiến nghị"),
        blank=True,
        related_name="+",
    )
    criteria = models.JSONField(_("tiêu chí chung kiến nghị"), default=list, blank=True)
    text = models.TextField(_("nội dung kiến nghị"))
    status = models.CharField(
        _("tình trạng"),
        max_length=20,
        choices=PeriodComplaintStatus.choices,
        default=PeriodComplaintStatus.OPEN,
    )
    answer_due = models.DateField(_("hạn trả lời"), null=True, blank=True)
    answer = models.TextField(_("trả lời của người đánh giá"), blank=True)
    answered_by = acted_by(_("người trả lời"))
    answered_at = acted_at(_("thời điểm trả lời"))
    recheck_reason = models.TextField(_("lý do đề nghị phúc tra"), blank=True)
    recheck_requested_at = acted_at(_("thời điểm đề nghị phúc tra"))
    recheck_answer = models.TextField(_("kết luận phúc tra"), blank=True)
    rechecked_by = acted_by(_("người phúc tra"))
    rechecked_at = acted_at(_("thời điểm phúc tra"))
    total_before = models.DecimalField(_("tổng điểm khi kiến nghị"), **POINTS)
    rating_before = models.CharField(
        _("mức theo điểm khi kiến nghị"), max_length=16, choices=Rating.choices, blank=True
    )
    total_after = models.DecimalField(_("tổng điểm sau khi tính lại"), **POINTS)
    rating_after = models.CharField(
        _("mức theo điểm sau khi tính lại"), max_length=16, choices=Rating.choices, blank=True
    )
    rescored_at = acted_at(_("thời điểm tính lại"))

    class Meta:
        verbose_name = _("kiến nghị kết quả tháng/quý")
        verbose_name_plural = pgettext_lazy("plural", "kiến nghị kết quả tháng/quý")
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["status", "evaluator"])]

    def __str__(self):
        return f"{self.civil_servant} · {self.period} · {self.filed_at:%d/%m/%Y}"

    @property
    def rechecking_body(self) -> str:
        """The name of the body that re-checks this complaint (its bloc's lead body: Sở Nội vụ
        for the state bloc), for the pages and e-mails."""
        return lead_name(self.agency)

    @property
    def shown_status(self) -> str:
        """The state in words, naming the body that re-checks it."""
        labels: dict[str, str] = {
            PeriodComplaintStatus.RECHECK: gettext("Chờ %(body)s phúc tra"),
            PeriodComplaintStatus.RECHECK_UPHELD: gettext(
                "%(body)s phúc tra: chấp nhận, đã tính lại điểm"
            ),
            PeriodComplaintStatus.RECHECK_REJECTED: gettext(
                "%(body)s phúc tra: giữ nguyên kết quả"
            ),
        }
        worded = labels.get(str(self.status))
        if worded is None:
            return self.get_status_display()
        return worded % {"body": self.rechecking_body}


class PeriodComplaintAttachment(NeverDeletedMixin, models.Model):
    complaint = models.ForeignKey(
        PeriodComplaint,
        verbose_name=_("kiến nghị"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(
        _("tệp đính kèm"), upload_to="ratings/period-complaints/%Y/", max_length=255
    )
    original_name = models.CharField(_("tên tệp"), max_length=255)
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm kiến nghị tháng/quý")
        verbose_name_plural = pgettext_lazy("plural", "tệp đính kèm kiến nghị tháng/quý")
        ordering = ["complaint", "id"]

    def __str__(self):
        return self.original_name


class PeriodComplaintEvent(AppendOnlyMixin, models.Model):
    """One step of a complaint (filed, answered, re-check asked, re-checked, rescored)."""

    complaint = models.ForeignKey(
        PeriodComplaint,
        verbose_name=_("kiến nghị"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    action = models.CharField(_("bước"), max_length=24)
    user = acted_by(_("người thực hiện"))
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    text = models.TextField(_("nội dung"), blank=True)
    changes = models.JSONField(_("dữ liệu đã sửa"), default=list, blank=True)

    class Meta:
        verbose_name = _("bước xử lý kiến nghị tháng/quý")
        verbose_name_plural = pgettext_lazy("plural", "bước xử lý kiến nghị tháng/quý")
        ordering = ["complaint", "at", "id"]

    def __str__(self):
        return f"{self.complaint_id} · {self.action}"
