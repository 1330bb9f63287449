"""Province-wide scoring choices that are not a framework's (a framework is chosen from the
governing posting, so what decides that posting cannot be one of its rules)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from scoring.models.choices import TransferRule


@register_setting(icon="cog")
class ScoringSettings(BaseGenericSetting):
    """Edited by Sở Nội vụ in Settings; a change rescores the open periods it affects
    (``scoring.signals``)."""

    transfer_rule = models.CharField(
        _("kỳ có thay đổi vị trí công tác (chuyển công tác, bổ nhiệm giữa kỳ) tính theo"),
        max_length=20,
        choices=TransferRule.choices,
        default=TransferRule.END_OF_PERIOD,
        help_text=_(
            "Nghị định 335 chỉ quy định cơ quan đánh giá, xếp loại năm (Điều 21: nơi công tác "
            "khi đánh giá); với kỳ tháng, quý pháp luật chưa quy định. Quy tắc này quyết định "
            "kỳ có thay đổi thuộc đơn vị nào: người đánh giá, khung tiêu chí, tiêu chí d của "
            "lãnh đạo đơn vị. Đổi quy tắc thì các kỳ đang mở được tính lại; kỳ đã khóa sổ "
            "giữ kết quả."
        ),
    )

    class Meta:
        verbose_name = _("quy tắc chấm điểm kỳ")
        verbose_name_plural = _("quy tắc chấm điểm kỳ")
