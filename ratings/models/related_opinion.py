"""Opinions of related bodies on an annual rating case (Gia Lai plan §IV.4.2.c: the personnel
unit "lấy ý kiến đánh giá của tổ chức, cơ quan, đơn vị có liên quan đến đối tượng được đánh giá
(nếu có), tổng hợp ý kiến, tiến hành thẩm định"). The appraiser asks a body, with a deadline;
the body answers before it, or its silence is recorded once the deadline has passed. Both are
printed with the case on Form 02."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OpinionState(models.TextChoices):
    WAITING = "waiting", _("Đang chờ ý kiến")
    ANSWERED = "answered", _("Đã có ý kiến")
    SILENT = "silent", _("Quá hạn, không có ý kiến")


class RelatedOpinion(models.Model):
    case = models.ForeignKey(
        "ratings.RatingCase",
        verbose_name=_("hồ sơ xếp loại"),
        on_delete=models.CASCADE,
        related_name="related_opinions",
    )
    body = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, tổ chức có liên quan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    question = models.TextField(_("nội dung xin ý kiến"))
    deadline = models.DateField(_("hạn trả lời"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề nghị"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("thời điểm đề nghị"), auto_now_add=True)
    answer = models.TextField(_("ý kiến"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)

    class Meta:
        verbose_name = _("ý kiến của cơ quan có liên quan")
        verbose_name_plural = pgettext_lazy("plural", "ý kiến của cơ quan có liên quan")
        ordering = ["case", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "body"], name="ratings_one_opinion_per_body")
        ]

    def __str__(self):
        return f"{self.body} — {self.case_id}"

    def state_on(self, day: datetime.date) -> str:
        if self.answered_at is not None:
            return OpinionState.ANSWERED
        return OpinionState.SILENT if day > self.deadline else OpinionState.WAITING

    def state_label_on(self, day: datetime.date) -> str:
        return str(OpinionState(self.state_on(day)).label)
