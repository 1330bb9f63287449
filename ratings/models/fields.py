"""Field shapes the complaint models share (who acted on a step, and when): one definition
each, so the models stay parallel without repeating them (the review's duplicates D13)."""

from django.conf import settings
from django.db import models


def acted_by(verbose_name) -> models.ForeignKey:
    """The user who answered, resolved or rechecked; empty until then; never deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


def acted_at(verbose_name) -> models.DateTimeField:
    """When that step was taken; empty until then."""
    return models.DateTimeField(verbose_name, null=True, blank=True)
