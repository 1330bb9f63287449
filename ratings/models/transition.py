"""The append-only log of every move of a rating case: who, when, from, to, comment."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ratings.models.append_only import AppendOnlyMixin
from ratings.models.choices import CaseState


class CaseTransition(AppendOnlyMixin, models.Model):
    case = models.ForeignKey(
        "ratings.RatingCase",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    action = models.CharField(_("thao tác"), max_length=32)
    from_state = models.CharField(
        _("từ trạng thái"), max_length=20, choices=CaseState.choices, blank=True
    )
    to_state = models.CharField(_("sang trạng thái"), max_length=20, choices=CaseState.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user_name = models.CharField(_("tên người thực hiện"), max_length=150, blank=True)
    roles = models.JSONField(_("với vai trò"), default=list, blank=True)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    comment = models.TextField(_("ý kiến"), blank=True)
    data = models.JSONField(_("nội dung đã ghi"), default=dict, blank=True)

    class Meta:
        verbose_name = _("nhật ký xếp loại")
        verbose_name_plural = pgettext_lazy("plural", "nhật ký xếp loại")
        ordering = ["case", "at", "id"]

    def __str__(self):
        return f"{self.case_id}: {self.from_state or '∅'} → {self.to_state}"
