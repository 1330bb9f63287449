"""Closed vocabularies of organisation scoring (codes are the engine's; labels Vietnamese)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskOutcome(models.TextChoices):
    """The engine's ``ORG_OUTCOMES`` plus ``pending`` (not yet due or not yet reported), which
    is stored but never scored."""

    PENDING = "pending", _("Chưa đến hạn hoặc chưa báo cáo kết quả")
    ON_TIME = "on_time", _("Hoàn thành đúng hạn")
    EXCEEDED = "exceeded", _("Hoàn thành vượt mức yêu cầu")
    LATE = "late", _("Hoàn thành nhưng trễ hạn")
    NOT_DONE = "not_done", _("Không hoàn thành")


#: Outcomes that mean the task was completed (a completion date is required).
COMPLETED_OUTCOMES = (TaskOutcome.ON_TIME, TaskOutcome.EXCEEDED, TaskOutcome.LATE)
