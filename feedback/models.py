"""A one-time satisfaction code per completed product or service (issue 33 item 3).

The code is printed on the result (or sent with it); the beneficiary answers once, without
signing in, on the public page ``/phan-hoi/``. The answer is stored on the code's row: one
answer per code is the row's own state (``answered_at``), set by
:func:`feedback.services.answer` under a row lock.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.history import track


class Satisfaction(models.IntegerChoices):
    """The answer scale (five levels, best first in the form)."""

    VERY_SATISFIED = 5, _("Rất hài lòng")
    SATISFIED = 4, _("Hài lòng")
    NEUTRAL = 3, _("Bình thường")
    DISSATISFIED = 2, _("Không hài lòng")
    VERY_DISSATISFIED = 1, _("Rất không hài lòng")


class SatisfactionCode(models.Model):
    code = models.CharField(_("mã phản hồi"), max_length=16, unique=True)
    person = models.ForeignKey(
        "org.CivilServant",
        on_delete=models.PROTECT,
        related_name="satisfaction_codes",
        verbose_name=_("công chức giải quyết"),
    )
    agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        related_name="satisfaction_codes",
        verbose_name=_("cơ quan"),
    )
    subject = models.CharField(_("sản phẩm, dịch vụ"), max_length=300)
    completed_on = models.DateField(_("ngày trả kết quả"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người cấp mã"),
    )
    issued_at = models.DateTimeField(_("thời điểm cấp mã"), auto_now_add=True)
    rating = models.PositiveSmallIntegerField(
        _("mức hài lòng"), choices=Satisfaction.choices, null=True, blank=True
    )
    comment = models.TextField(_("góp ý"), blank=True)
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã phản hồi hài lòng")
        verbose_name_plural = _("mã phản hồi hài lòng")
        indexes = [models.Index(fields=["person", "completed_on"])]

    def __str__(self) -> str:
        return self.code

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


#: The survey's answer columns, best first: model field → answer level (``Satisfaction``).
SURVEY_LEVELS = (
    ("very_satisfied", Satisfaction.VERY_SATISFIED),
    ("satisfied", Satisfaction.SATISFIED),
    ("neutral", Satisfaction.NEUTRAL),
    ("dissatisfied", Satisfaction.DISSATISFIED),
    ("very_dissatisfied", Satisfaction.VERY_DISSATISFIED),
)


class SurveyTally(models.Model):
    """The one-stop system's satisfaction survey for one civil servant in one period: the
    number of answers of each level, as the agency imported them from Excel
    (``feedback.survey_import``, a template kind of the importers' pipeline). A new file of the
    same agency and period replaces the agency's tallies of that period. The answers feed the
    framework's ``feedback`` rule beside the one-time codes, named as their own source in the
    explanation (issue 33 item 3)."""

    person = models.ForeignKey(
        "org.CivilServant",
        on_delete=models.PROTECT,
        related_name="survey_tallies",
        verbose_name=_("công chức giải quyết"),
    )
    agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        related_name="survey_tallies",
        verbose_name=_("cơ quan nhập phiếu"),
    )
    period = models.ForeignKey(
        "scoring.Period",
        on_delete=models.PROTECT,
        related_name="survey_tallies",
        verbose_name=_("kỳ khảo sát"),
    )
    very_satisfied = models.PositiveIntegerField(_("rất hài lòng"), default=0)
    satisfied = models.PositiveIntegerField(_("hài lòng"), default=0)
    neutral = models.PositiveIntegerField(_("bình thường"), default=0)
    dissatisfied = models.PositiveIntegerField(_("không hài lòng"), default=0)
    very_dissatisfied = models.PositiveIntegerField(_("rất không hài lòng"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    updated_at = models.DateTimeField(_("thời điểm nhập"), auto_now=True)

    class Meta:
        verbose_name = _("phiếu khảo sát hài lòng (một cửa)")
        verbose_name_plural = _("phiếu khảo sát hài lòng (một cửa)")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "agency", "period"], name="feedback_survey_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.period_id}"

    def levels(self) -> dict[str, int]:
        """Answer level ("5" … "1") → number of answers."""
        return {str(int(level)): getattr(self, field) for field, level in SURVEY_LEVELS}

    @property
    def total(self) -> int:
        return sum(self.levels().values())


track(SurveyTally)
