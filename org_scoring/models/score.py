"""The stored score of an agency/unit for a year, with provenance (mirrors ``scoring``'s
``PeriodScore``/``AnnualScore``): which framework revision and engine computed it, from which
inputs (``inputs``, and their sha256 ``inputs_hash``), with the engine's result and explanation.

A row is rewritten only when the hash of its inputs changes, so recomputing unchanged inputs
touches nothing, not even ``computed_at``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.formats.values import shown
from scoring.models import Rating
from scoring.models.scores import POINTS, ScoreOrigin


class OrganisationScore(ScoreOrigin):
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        related_name="organisation_scores",
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    inputs = models.JSONField(_("dữ liệu đầu vào"), default=dict)
    result = models.JSONField(_("kết quả và diễn giải"), default=dict)
    input_errors = models.JSONField(_("dữ liệu còn thiếu hoặc sai"), default=dict, blank=True)
    scored = models.BooleanField(_("được chấm điểm"), default=False)
    general_points = models.DecimalField(_("điểm tiêu chí chung"), **POINTS)
    task_percent = models.DecimalField(_("tỷ lệ kết quả nhiệm vụ, %"), **POINTS)
    task_points = models.DecimalField(_("điểm kết quả nhiệm vụ"), **POINTS)
    score = models.DecimalField(_("tổng điểm"), **POINTS)
    score_rating = models.CharField(
        _("mức theo điểm"), max_length=16, choices=Rating.choices, blank=True
    )
    rating = models.CharField(
        _("xếp loại theo điểm và điều kiện"), max_length=16, choices=Rating.choices, blank=True
    )

    class Meta:
        verbose_name = _("kết quả chấm điểm tổ chức")
        verbose_name_plural = _("kết quả chấm điểm tổ chức")
        ordering = ["-year", "agency__path"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="unique_organisation_score")
        ]
        indexes = [models.Index(fields=["year", "rating"])]

    def __str__(self):
        score = shown(self.score, exact=True) if self.score is not None else "—"
        return f"{self.agency} · {self.year} · {score}"

    @property
    def explanation(self) -> list[dict]:
        return list(self.result.get("explanation", []))
