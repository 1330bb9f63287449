"""The public figures of a published period, fixed when Sở Nội vụ publishes it.

Built from the stored scores with one GROUP BY and already suppressed (``dashboards.snapshots``),
so the public pages never read individual scores and cost the same for 1 or 12 months. Saving a
published period rebuilds its snapshot; so does ``manage.py refresh_public_results``. Scores
recomputed after publication therefore reach the public only through one of those explicit
steps — published statistics do not change silently.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicSnapshot(models.Model):
    period = models.OneToOneField(
        "scoring.Period",
        verbose_name=_("kỳ đánh giá"),
        on_delete=models.CASCADE,
        related_name="public_snapshot",
    )
    threshold = models.PositiveSmallIntegerField(_("ngưỡng ẩn số liệu"))
    table = models.JSONField(_("số liệu đã ẩn"), encoder=DjangoJSONEncoder)
    scores_computed_at = models.DateTimeField(_("điểm được tính lần cuối"), null=True)
    built_at = models.DateTimeField(_("thời điểm tổng hợp"), auto_now=True)

    class Meta:
        verbose_name = _("số liệu công khai của kỳ")
        verbose_name_plural = _("số liệu công khai của các kỳ")

    def __str__(self):
        return f"{self.period} ({self.built_at:%d/%m/%Y %H:%M})"
