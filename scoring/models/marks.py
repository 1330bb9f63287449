"""Marks given per period: general criteria (Form 01 section I) and leader criteria đ, e.

General marks are entered per sub-criterion: the civil servant's self mark and the evaluator's
mark; the evaluator's mark, where given, is the one that counts (``effective_mark``). Each mark
must lie between 0 and the sub-criterion's maximum in the framework that applies to the person:
the framework's rules are checked by the write services, which every door calls
(``scoring.services.general_marks.validate``, ``scoring.services.leader_marks.validate``); the
models import no service.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.models.guards import PeriodInputMixin

MARK = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class GeneralCriteriaMark(PeriodInputMixin, models.Model):
    civil_servant = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("công chức"),
        on_delete=models.PROTECT,
        related_name="general_marks",
    )
    period = models.ForeignKey(
        "scoring.Period",
        verbose_name=_("kỳ đánh giá"),
        on_delete=models.PROTECT,
        related_name="general_marks",
    )
    component = models.CharField(
        _("thành phần"),
        max_length=32,
        default="general",
        help_text=_("Mã thành phần trong khung đánh giá, mặc định “general” (tiêu chí chung)."),
    )
    criterion = models.CharField(_("mã tiêu chí"), max_length=16, help_text=_("Ví dụ: I.1, II.3."))
    self_mark = models.DecimalField(_("điểm tự chấm"), null=True, blank=True, **MARK)
    evaluator_mark = models.DecimalField(
        _("điểm người đánh giá chấm"),
        null=True,
        blank=True,
        help_text=_("Khi có, điểm của người đánh giá là điểm được tính."),
        **MARK,
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh giá"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("thời điểm cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("điểm tiêu chí chung")
        verbose_name_plural = _("điểm tiêu chí chung")
        ordering = ["period", "civil_servant", "component", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["civil_servant", "period", "component", "criterion"],
                name="unique_general_mark",
            )
        ]

    def __str__(self):
        return f"{self.criterion}: {self.effective_mark}"

    @property
    def effective_mark(self):
        """The mark that counts: the evaluator's where given, else the self mark."""
        return self.evaluator_mark if self.evaluator_mark is not None else self.self_mark


class LeaderMark(PeriodInputMixin, models.Model):
    """Leader criteria đ (organising capacity) and e (cohesion), as percentages.

    Criterion d (unit results) is not entered: it is computed from the ratings of the people
    the leader evaluates.
    """

    civil_servant = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("công chức lãnh đạo, quản lý"),
        on_delete=models.PROTECT,
        related_name="leader_marks",
    )
    period = models.ForeignKey(
        "scoring.Period",
        verbose_name=_("kỳ đánh giá"),
        on_delete=models.PROTECT,
        related_name="leader_marks",
    )
    organising = models.DecimalField(
        _("khả năng tổ chức triển khai thực hiện nhiệm vụ (đ), %"), **MARK
    )
    cohesion = models.DecimalField(_("năng lực tập hợp, đoàn kết công chức (e), %"), **MARK)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh giá"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("nhận xét"), blank=True)
    updated_at = models.DateTimeField(_("thời điểm cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("điểm tiêu chí lãnh đạo, quản lý")
        verbose_name_plural = _("điểm tiêu chí lãnh đạo, quản lý")
        ordering = ["period", "civil_servant"]
        constraints = [
            models.UniqueConstraint(fields=["civil_servant", "period"], name="unique_leader_mark")
        ]

    def __str__(self):
        return f"đ {self.organising}% · e {self.cohesion}%"


class CompetencyAssessment(PeriodInputMixin, models.Model):
    """The level of one competency the person's position requires, as the evaluator assessed
    it on Form 01 for a period (issue 45 item 2; Đắk Lắk plan §I.1, §I.2). The required level
    is kept as it stood when assessed (the approved job description in force then); where the
    framework's ``competency`` rule feeds a sub-criterion, the levels make its mark
    (``scoring.engine.competency``). Written only through ``scoring.services.competencies``."""

    civil_servant = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("công chức"),
        on_delete=models.PROTECT,
        related_name="competency_assessments",
    )
    period = models.ForeignKey(
        "scoring.Period",
        verbose_name=_("kỳ đánh giá"),
        on_delete=models.PROTECT,
        related_name="competency_assessments",
    )
    competency = models.ForeignKey(
        "org.Competency", verbose_name=_("năng lực"), on_delete=models.PROTECT, related_name="+"
    )
    required_level = models.PositiveSmallIntegerField(_("cấp độ yêu cầu"))
    assessed_level = models.PositiveSmallIntegerField(_("cấp độ đánh giá"))
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh giá"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("thời điểm cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("đánh giá năng lực theo vị trí việc làm")
        verbose_name_plural = _("đánh giá năng lực theo vị trí việc làm")
        ordering = ["period", "civil_servant", "competency__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["civil_servant", "period", "competency"],
                name="unique_competency_assessment",
            )
        ]

    def __str__(self):
        return f"{self.competency_id}: {self.assessed_level}/{self.required_level}"

    def clean(self):
        super().clean()
        if not self.competency_id or self.assessed_level is None:
            return
        top = self.competency.level_count
        if not 1 <= self.assessed_level <= top:
            raise ValidationError(
                {
                    "assessed_level": _(
                        "Năng lực “%(name)s”: cấp độ đánh giá phải từ 1 đến %(top)s."
                    )
                    % {"name": self.competency.name, "top": top}
                }
            )
