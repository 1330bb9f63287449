"""Job descriptions (bản mô tả công việc) and the competency dictionary (khung năng lực) of job
positions, as structured, versioned and approved data (issue 18 item 3; ĐL §I.2, P2 §II.1,
LC §I.2, NA §IV.1.1).

* :class:`Competency` is one entry of the province's dictionary, kept by Sở Nội vụ: a code, a
  name, its kind (chung / chuyên môn / quản lý), how many levels it has (data, default
  :data:`DEFAULT_LEVEL_COUNT`) and what each level means (:class:`CompetencyLevel`).
* :class:`JobDescription` is one version of one job position's description: its tasks
  (:class:`JobDescriptionTask`, ordered), its qualification requirements
  (:class:`JobDescriptionRequirement`), the competencies it requires with the level
  (:class:`JobDescriptionCompetency`), and its approval decision. Status: draft → submitted →
  approved (→ superseded when a newer version is approved); an approved or superseded version
  is never changed (``org.policy`` freezes it, ``org.job_descriptions`` moves the status).

The version in force on a day is :meth:`JobDescriptionQuerySet.in_force_on`.
"""

from __future__ import annotations

import datetime

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.models import Orderable
from wagtail.search import index

from org.text import normalize_text

#: Levels of a new competency. No seed fixes the number; five levels (1 lowest … 5 highest)
#: follow the Ministry of Home Affairs' competency-framework practice for job positions
#: **[giả định — tỉnh cần xác nhận]**. Each competency keeps its own number (data).
DEFAULT_LEVEL_COUNT = 5
MAX_LEVEL_COUNT = 10


class CompetencyKind(models.TextChoices):
    GENERAL = "general", _("Năng lực chung")
    PROFESSIONAL = "professional", _("Năng lực chuyên môn")
    MANAGERIAL = "managerial", _("Năng lực quản lý")


class Competency(index.Indexed, ClusterableModel):
    """One competency of the province's dictionary (khung năng lực)."""

    code = models.CharField(_("mã năng lực"), max_length=32, unique=True)
    name = models.CharField(_("tên năng lực"), max_length=255)
    kind = models.CharField(_("nhóm năng lực"), max_length=16, choices=CompetencyKind.choices)
    definition = models.TextField(_("định nghĩa"), blank=True)
    level_count = models.PositiveSmallIntegerField(
        _("số cấp độ"),
        default=DEFAULT_LEVEL_COUNT,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVEL_COUNT)],
        help_text=_("Cấp độ 1 là thấp nhất. Mặc định 5 cấp độ."),
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("code"),
        index.FilterField("kind"),
    ]

    class Meta:
        verbose_name = _("năng lực")
        verbose_name_plural = _("khung năng lực")
        ordering = ["kind", "code"]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name)
        self.code = normalize_text(self.code).upper()
        super().save(*args, **kwargs)

    def descriptor(self, level: int) -> str:
        for row in self.levels.all():
            if row.level == level:
                return row.descriptor
        return ""


class CompetencyLevel(Orderable):
    """What one level of a competency means (biểu hiện của cấp độ)."""

    competency = ParentalKey(Competency, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(
        _("cấp độ"), validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVEL_COUNT)]
    )
    descriptor = models.TextField(_("biểu hiện"))

    class Meta(Orderable.Meta):
        verbose_name = _("cấp độ năng lực")
        verbose_name_plural = _("các cấp độ năng lực")
        constraints = [
            models.UniqueConstraint(
                fields=["competency", "level"], name="org_competencylevel_unique_level"
            )
        ]

    def __str__(self):
        return f"{self.competency_id} · {self.level}"


class DescriptionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã trình phê duyệt")
    APPRAISED = "appraised", _("Đã thẩm định")
    APPROVED = "approved", _("Đã phê duyệt")
    SUPERSEDED = "superseded", _("Đã được thay thế")


#: Statuses whose content is frozen: an approved version, and one a newer version replaced.
FROZEN_STATUSES = (DescriptionStatus.APPROVED, DescriptionStatus.SUPERSEDED)
#: Statuses still being written (one per job position at a time).
OPEN_STATUSES = (
    DescriptionStatus.DRAFT,
    DescriptionStatus.SUBMITTED,
    DescriptionStatus.APPRAISED,
)
OPEN_VERSION_EXISTS = _(
    "Vị trí việc làm này đã có một phiên bản đang soạn hoặc đang trình: sửa phiên bản đó."
)
OPEN_VERSION_EXISTS_FOR_AGENCY = _(
    "Cơ quan này đã có một phiên bản bản mô tả công việc của vị trí việc làm này đang soạn "
    "hoặc đang trình: sửa phiên bản đó."
)


class JobDescriptionQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status__in=FROZEN_STATUSES)

    def in_force_on(self, day: datetime.date):
        """The version in force on ``day`` of each job position and drafting body (at most one
        per position for the province's common description, and one per position for each
        agency that wrote its own): the approved (or since superseded) version with the latest
        effective date on or before ``day``, the higher number first on the same date."""
        body = Coalesce("agency_id", Value(0))
        latest = (
            JobDescription.objects.annotate(body=body)
            .filter(
                job_position=OuterRef("job_position"),
                body=OuterRef("body"),
                status__in=FROZEN_STATUSES,
                effective_from__lte=day,
            )
            .order_by("-effective_from", "-number")
            .values("pk")[:1]
        )
        return self.annotate(body=body).filter(
            status__in=FROZEN_STATUSES, effective_from__lte=day, pk=Subquery(latest)
        )

    def for_agency(self, agency):
        """The descriptions that may apply to ``agency``'s positions: its own, and the
        province's common ones (written by Sở Nội vụ for no agency)."""
        if agency is None:
            return self.filter(agency__isnull=True)
        return self.filter(Q(agency=agency) | Q(agency__isnull=True))


class JobDescription(ClusterableModel):
    """One version of a job position's description (bản mô tả công việc)."""

    job_position = models.ForeignKey(
        "org.JobPosition",
        verbose_name=_("vị trí việc làm"),
        on_delete=models.PROTECT,
        related_name="descriptions",
    )
    #: The body that drafts this description for its own staff (an agency, a unit, a body of
    #: the Party or Front bloc: P2 §II.1 "Các sở, ban, ngành; UBND các xã, phường" build them);
    #: empty for the province's common description, kept by Sở Nội vụ. Where an agency has its
    #: own approved description of a position, it is the one in force for that agency.
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan xây dựng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="job_descriptions",
        help_text=_(
            "Cơ quan, đơn vị xây dựng bản mô tả cho vị trí việc làm của mình. Để trống: bản mô "
            "tả dùng chung của tỉnh (chỉ Sở Nội vụ soạn)."
        ),
    )
    number = models.PositiveSmallIntegerField(_("phiên bản"), default=1, editable=False)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=DescriptionStatus.choices,
        default=DescriptionStatus.DRAFT,
        editable=False,
    )
    purpose = models.TextField(
        _("mục tiêu của vị trí việc làm"),
        blank=True,
        help_text=_("Vị trí việc làm này có để làm gì, một hai câu."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    decision_number = models.CharField(
        _("số quyết định phê duyệt"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Ví dụ 123/QĐ-SNV."),
    )
    decision_date = models.DateField(_("ngày ký quyết định"), null=True, blank=True, editable=False)
    signer = models.CharField(_("người ký"), max_length=255, blank=True, editable=False)
    effective_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phê duyệt trên hệ thống"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(
        _("thời điểm phê duyệt"), null=True, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("thời điểm trình"), null=True, blank=True, editable=False)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thẩm định"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    appraised_at = models.DateTimeField(
        _("thời điểm thẩm định"), null=True, blank=True, editable=False
    )
    appraisal_comment = models.TextField(_("ý kiến thẩm định"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    objects = JobDescriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản mô tả công việc")
        verbose_name_plural = pgettext_lazy("plural", "bản mô tả công việc")
        ordering = ["job_position__code", "-number"]
        permissions = [
            ("approve_jobdescription", _("Phê duyệt bản mô tả công việc")),
            ("appraise_jobdescription", _("Thẩm định bản mô tả công việc")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["job_position", "number"],
                condition=Q(agency__isnull=True),
                name="org_jobdescription_unique_number",
            ),
            models.UniqueConstraint(
                fields=["job_position", "agency", "number"],
                condition=Q(agency__isnull=False),
                name="org_jobdescription_unique_agency_number",
            ),
        ]

    def __str__(self):
        if self.agency_id:
            return _("%(position)s (%(agency)s) — phiên bản %(number)s") % {
                "position": self.job_position.name if self.job_position_id else "—",
                "agency": self.agency.short_name or self.agency.name,
                "number": self.number,
            }
        return _("%(position)s — phiên bản %(number)s") % {
            "position": self.job_position.name if self.job_position_id else "—",
            "number": self.number,
        }

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    def clean(self):
        super().clean()
        if self.pk and self.is_frozen:
            raise ValidationError(_("Bản mô tả công việc đã phê duyệt không được sửa."))
        if self.job_position_id and not self.pk:
            others = JobDescription.objects.filter(
                job_position_id=self.job_position_id,
                agency_id=self.agency_id,
                status__in=OPEN_STATUSES,
            )
            if others.exists():
                message = OPEN_VERSION_EXISTS_FOR_AGENCY if self.agency_id else OPEN_VERSION_EXISTS
                raise ValidationError({"job_position": message})

    @property
    def body_label(self) -> str:
        """Who drafted it, as the pages say: the agency's name, or the province's common one."""
        return self.agency.name if self.agency_id else str(_("Dùng chung của tỉnh"))

    def save(self, *args, **kwargs):
        if self._state.adding and self.job_position_id and self.number == 1:
            last = (
                JobDescription.objects.filter(
                    job_position_id=self.job_position_id, agency_id=self.agency_id
                )
                .order_by("-number")
                .values_list("number", flat=True)
                .first()
            )
            self.number = (last or 0) + 1
        super().save(*args, **kwargs)


class JobDescriptionTask(Orderable):
    """One task (nhiệm vụ) of a job description, in the order written."""

    description = ParentalKey(JobDescription, on_delete=models.CASCADE, related_name="tasks")
    name = models.TextField(_("nhiệm vụ"))
    output = models.CharField(_("sản phẩm đầu ra"), max_length=500, blank=True)
    frequency = models.CharField(
        _("tần suất"), max_length=64, blank=True, help_text=_("Ví dụ: thường xuyên, hằng quý.")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")

    def __str__(self):
        return self.name[:80]


class RequirementKind(models.TextChoices):
    EDUCATION = "education", _("Trình độ đào tạo")
    FIELD = "field", _("Chuyên ngành")
    TRAINING = "training", _("Bồi dưỡng, chứng chỉ")
    EXPERIENCE = "experience", _("Kinh nghiệm công tác")
    OTHER = "other", _("Yêu cầu khác")


class JobDescriptionRequirement(Orderable):
    """One qualification requirement (yêu cầu về trình độ, năng lực) of a job description."""

    description = ParentalKey(JobDescription, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(_("loại yêu cầu"), max_length=16, choices=RequirementKind.choices)
    text = models.CharField(_("yêu cầu"), max_length=500)

    class Meta(Orderable.Meta):
        verbose_name = _("yêu cầu về trình độ")
        verbose_name_plural = _("yêu cầu về trình độ")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text}"


class JobDescriptionCompetency(Orderable):
    """A competency the job position requires, at a level of that competency's scale."""

    description = ParentalKey(JobDescription, on_delete=models.CASCADE, related_name="competencies")
    competency = models.ForeignKey(
        Competency, verbose_name=_("năng lực"), on_delete=models.PROTECT, related_name="+"
    )
    required_level = models.PositiveSmallIntegerField(
        _("cấp độ yêu cầu"), validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVEL_COUNT)]
    )

    class Meta(Orderable.Meta):
        verbose_name = _("năng lực yêu cầu")
        verbose_name_plural = _("năng lực yêu cầu")
        constraints = [
            models.UniqueConstraint(
                fields=["description", "competency"], name="org_jobdescription_unique_competency"
            )
        ]

    def __str__(self):
        return f"{self.competency} · {self.required_level}"

    def clean(self):
        super().clean()
        if self.competency_id and self.required_level:
            top = self.competency.level_count
            if self.required_level > top:
                raise ValidationError(
                    {
                        "required_level": _(
                            "Cấp độ yêu cầu phải từ 1 đến %(top)s (số cấp độ của năng lực "
                            "%(code)s)."
                        )
                        % {"top": top, "code": self.competency.code}
                    }
                )

    @property
    def descriptor(self) -> str:
        return self.competency.descriptor(self.required_level)
