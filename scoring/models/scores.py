"""Stored scores with provenance: what was computed, from which inputs, under which rules.

A row is rewritten only when the sha256 of its canonical inputs (``inputs_hash``) changes, so
recomputing unchanged inputs touches nothing, not even ``computed_at``. Scores of closed or
locked periods are never recomputed unless explicitly forced.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cms.formats.values import shown
from cms.postgres import DocumentField
from scoring.models.choices import Rating

PERCENT = {"max_digits": 6, "decimal_places": 2, "null": True, "blank": True}
POINTS = {"max_digits": 6, "decimal_places": 2, "null": True, "blank": True}


class ScoreOrigin(models.Model):
    """Which framework revision and engine produced a stored score, from which inputs, when.
    Shared by the civil servants' scores here and the organisations' (``org_scoring``)."""

    framework = models.ForeignKey(
        "scoring.CriteriaFramework",
        verbose_name=_("khung tiêu chí"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    framework_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("phiên bản khung tiêu chí"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    engine_version = models.CharField(_("phiên bản bộ tính điểm"), max_length=16)
    inputs_hash = models.CharField(_("dấu vân tay dữ liệu đầu vào"), max_length=64)
    computed_at = models.DateTimeField(_("thời điểm tính"))

    class Meta:
        abstract = True


class Provenance(ScoreOrigin):
    """A civil servant's stored score: its origin and the explanation."""

    # PostgreSQL ``json``: written once, read whole (cms.postgres.DocumentField).
    explanation = DocumentField(_("diễn giải"), default=dict)

    class Meta:
        abstract = True


class PeriodScore(Provenance):
    civil_servant = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("công chức"),
        on_delete=models.PROTECT,
        related_name="period_scores",
        # The unique (civil servant, period) index serves every lookup by person; a second
        # index costs on each of a month's 100,000 rows (issue 48).
        db_index=False,
    )
    period = models.ForeignKey(
        "scoring.Period",
        verbose_name=_("kỳ đánh giá"),
        on_delete=models.PROTECT,
        related_name="scores",
        db_index=False,  # the (period, agency) and (period, rating) indexes serve it
    )
    posting = models.ForeignKey(
        "org.Posting",
        verbose_name=_("quá trình công tác"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        related_name="period_scores",
    )
    role = models.CharField(_("chức vụ"), max_length=8)
    position_group = models.CharField(_("nhóm vị trí việc làm"), max_length=16, blank=True)
    scored = models.BooleanField(_("được chấm điểm"), default=False)
    quantity = models.DecimalField(_("số lượng (a), %"), **PERCENT)
    quality = models.DecimalField(_("chất lượng (b), %"), **PERCENT)
    timeliness = models.DecimalField(_("tiến độ (c), %"), **PERCENT)
    unit_results = models.DecimalField(_("kết quả của cơ quan, đơn vị (d), %"), **PERCENT)
    organising = models.DecimalField(_("tổ chức triển khai (đ), %"), **PERCENT)
    cohesion = models.DecimalField(_("tập hợp, đoàn kết (e), %"), **PERCENT)
    task_percent = models.DecimalField(_("tỷ lệ kết quả nhiệm vụ, %"), **PERCENT)
    task_points = models.DecimalField(_("điểm kết quả nhiệm vụ"), **POINTS)
    general_points = models.DecimalField(_("điểm tiêu chí chung"), **POINTS)
    component_points = models.JSONField(_("điểm từng thành phần"), default=dict)
    total = models.DecimalField(_("tổng điểm"), **POINTS)
    rating = models.CharField(
        _("mức xếp loại theo điểm"), max_length=16, choices=Rating.choices, blank=True
    )
    input_errors = models.JSONField(_("dữ liệu còn thiếu hoặc sai"), default=dict, blank=True)
    catalog_version_ids = models.JSONField(_("phiên bản danh mục đã dùng"), default=list)
    #: QĐ 366 Art. 11 (M4, only under ``individual.excellent_conditions`` = ``qd366``): the
    #: period's ``[assigned lines, lines on time, lines exceeded]``, whatever its band; the
    #: annual step sums them over the year (docs/scoring.md §14). Null otherwise.
    excellent_counts = models.JSONField(
        _("số dòng sản phẩm: được giao, đúng hạn, vượt số giao (QĐ 366)"),
        null=True,
        blank=True,
        default=None,
        editable=False,
    )

    #: The score's figures, in the order every export of period scores lists them (the API's
    #: ``PeriodScoreSerializer`` and the admin listing's export): a new figure is added here.
    FIGURES = (
        "position_group",
        "scored",
        "quantity",
        "quality",
        "timeliness",
        "unit_results",
        "organising",
        "cohesion",
        "task_percent",
        "task_points",
        "general_points",
        "total",
        "rating",
    )

    class Meta:
        verbose_name = _("kết quả chấm điểm theo kỳ")
        verbose_name_plural = _("kết quả chấm điểm theo kỳ")
        ordering = ["period", "agency", "civil_servant"]
        constraints = [
            models.UniqueConstraint(fields=["civil_servant", "period"], name="unique_period_score")
        ]
        indexes = [
            models.Index(fields=["period", "agency"]),
            models.Index(fields=["period", "rating"]),
        ]

    def __str__(self):
        # Read on pages (an inspect page's title, a chooser): the decimal comma, "94,40".
        total = shown(self.total, exact=True) if self.total is not None else "—"
        return f"{self.civil_servant} · {self.period} · {total}"

    @property
    def points_outside_tasks(self):
        """The points outside the task result (Art. 14's 30 points), as every screen, print
        and record shows them under "điểm tiêu chí chung": the ``general`` component, or — a
        framework whose 30 points are several groups, the Nghệ An four groups — those groups
        together (coverage review 2026-11-25 M1). Rows stored before they were kept read them as
        the total less the task points; a contract worker scored by the own method has none."""
        if self.general_points is not None:
            return self.general_points
        points = self.component_points or {}
        if (
            not self.scored
            or not points
            or "hop_dong" in points
            or self.total is None
            or self.task_points is None
        ):
            return None
        return self.total - self.task_points

    @property
    def awaits_evaluator(self) -> bool:
        """Not scored only because the leader has not yet marked the person's self-marks
        (Form 01 saved by the civil servant; ``marks.self_mark_without_evaluator``)."""
        if self.scored:
            return False
        # A listing that defers the explanation (a leader's holds the lines of their whole
        # charge) reads the steps alone as ``explanation_steps``.
        if "explanation_steps" in self.__dict__:
            steps = self.__dict__["explanation_steps"] or []
        else:
            steps = (self.explanation or {}).get("steps") or []
        return any(
            step.get("code") == "period_not_scored" and step.get("reason") == "awaiting_evaluator"
            for step in steps
        )

    @property
    def unscored_label(self) -> str:
        """What an unscored period reads in a listing: "chờ lãnh đạo chấm" while the leader's
        marks are awaited — never "không chấm điểm", which reads as exempt (review C1)."""
        if self.awaits_evaluator:
            return gettext("chờ lãnh đạo chấm")
        return gettext("không chấm điểm")


class AnnualScore(Provenance):
    """The year's score: the mean over the time actually worked, across agencies (Art. 21).

    ``explanation["inputs"]`` keeps what it was computed from: every period of the year with
    its status, the months it counted for and its weight, the annual options, the months worked
    and the leader roles of the year (``scoring.services.annual``).
    """

    civil_servant = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("công chức"),
        on_delete=models.PROTECT,
        related_name="annual_scores",
        db_index=False,  # the unique (civil servant, year) index serves every lookup by person
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan xếp loại"),
        on_delete=models.PROTECT,
        related_name="annual_scores",
    )
    role = models.CharField(_("chức vụ"), max_length=8)
    position_group = models.CharField(_("nhóm vị trí việc làm"), max_length=16, blank=True)
    scored = models.BooleanField(_("được xếp loại"), default=False)
    score = models.DecimalField(_("điểm năm"), **POINTS)
    score_rating = models.CharField(
        _("mức theo điểm"), max_length=16, choices=Rating.choices, blank=True
    )
    rating_before_quota = models.CharField(
        _("xếp loại trước tỷ lệ"), max_length=16, choices=Rating.choices, blank=True
    )
    rating = models.CharField(
        _("xếp loại sau tỷ lệ (dự kiến)"), max_length=16, choices=Rating.choices, blank=True
    )
    quota_needs_decision = models.BooleanField(
        _("cần cấp có thẩm quyền quyết định (đồng điểm tại ngưỡng)"), default=False
    )
    disqualifiers_applied = models.JSONField(_("trường hợp không hoàn thành"), default=list)
    periods_counted = models.PositiveSmallIntegerField(_("số kỳ được tính"), default=0)
    periods_skipped = models.PositiveSmallIntegerField(_("số kỳ không chấm điểm"), default=0)
    period_score_ids = models.JSONField(_("các kết quả kỳ đã dùng"), default=list)
    months_worked = models.PositiveSmallIntegerField(
        _("số tháng công tác được tính"),
        default=0,
        help_text=_(
            "Số tháng mà các kỳ được tính vào điểm năm đại diện (thời gian công tác thực tế)."
        ),
    )
    #: sha256 of exactly what the year was computed from, taken before the engine runs
    #: (``scoring.services.fingerprint.annual_sources_hash``): a run whose sources come out
    #: equal skips the person without computing anything; empty (rows from before the
    #: column, or reset by hand) means "recompute".
    sources_hash = models.CharField(
        _("dấu vân tay nguồn tính điểm năm"), max_length=64, blank=True, editable=False
    )
    #: The person's own part of ``sources_hash`` (``fingerprint.annual_person_digest``: their
    #: postings, period scores, disqualifications and framework, before the quota) and the
    #: quota group the row was ranked in (``mode|agency id|position group``; empty outside the
    #: quota). With them a change to one member re-ranks the group from the other members'
    #: stored figures (``scoring.services.annual``, "re-ranking"); empty: not yet stored.
    own_digest = models.CharField(
        _("dấu vân tay nguồn của riêng người"), max_length=64, blank=True, editable=False
    )
    quota_group = models.CharField(_("nhóm tính tỷ lệ"), max_length=64, blank=True, editable=False)

    #: The year's figures, in the order every export of annual scores lists them (the API's
    #: ``AnnualScoreSerializer`` and the admin listing's export): a new figure is added here.
    FIGURES = (
        "score",
        "score_rating",
        "rating_before_quota",
        "rating",
        "quota_needs_decision",
        "disqualifiers_applied",
        "months_worked",
        "periods_counted",
        "periods_skipped",
    )

    class Meta:
        verbose_name = _("kết quả xếp loại năm")
        verbose_name_plural = _("kết quả xếp loại năm")
        ordering = ["-year", "agency", "civil_servant"]
        constraints = [
            models.UniqueConstraint(fields=["civil_servant", "year"], name="unique_annual_score")
        ]
        indexes = [
            models.Index(fields=["year", "agency"]),
            models.Index(fields=["year", "quota_group"], name="annual_year_quota_group"),
        ]

    def __str__(self):
        score = shown(self.score, exact=True) if self.score else "—"
        return f"{self.civil_servant} · {self.year} · {score}"


class AnnualQuotaGroup(models.Model):
    """A quota group of a year as its members' rows were last ranked in (issue 48): the
    group's sources fingerprint (``scoring.services.fingerprint.annual_group_digest``: its key,
    its agency's recognition for outstanding achievements, and every member's own digest in
    order). Each member's ``AnnualScore.sources_hash`` covers their own sources and the group's
    name; the group's part is kept here once, so a change to one member rewrites this row and
    theirs, not every member's. Written in the same transaction as the rows ranked in it; a
    row missing or different means "recompute the group"."""

    year = models.PositiveSmallIntegerField(_("năm"))
    #: ``AnnualScore.quota_group`` of its members (``mode|agency id|position group``).
    group = models.CharField(_("nhóm tính tỷ lệ"), max_length=64)
    sources_hash = models.CharField(_("dấu vân tay nguồn của nhóm"), max_length=64)

    class Meta:
        verbose_name = _("nhóm tính tỷ lệ của năm")
        verbose_name_plural = _("nhóm tính tỷ lệ của năm")
        constraints = [
            models.UniqueConstraint(fields=["year", "group"], name="unique_annual_quota_group")
        ]

    def __str__(self):
        return f"{self.year} · {self.group}"
