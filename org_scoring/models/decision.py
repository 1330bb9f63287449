"""The rating decided for an agency/unit in its rating case, recorded where the organisation
scoring reads it: a parent's "no direct sub-unit not completed" condition (Gia Lai plan
§III.3.a) takes a sub-unit's decided level over its computed rating.

``ratings`` writes it (``org_scoring.services.decisions.record_decision``) whenever an agency
case is saved: the level of the case not cancelled, or no row when there is none. So this app
reads the decision without importing ``ratings``, which sits above it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.models import Rating


class DecidedRating(models.Model):
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.CASCADE,
        related_name="decided_ratings",
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    level = models.CharField(
        _("mức xếp loại được quyết định"), max_length=16, choices=Rating.choices
    )

    class Meta:
        verbose_name = _("mức xếp loại được quyết định")
        verbose_name_plural = _("mức xếp loại được quyết định")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="one_decided_rating_per_year")
        ]

    def __str__(self):
        return f"{self.agency} · {self.year} · {self.level}"
