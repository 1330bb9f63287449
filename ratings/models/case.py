"""The annual rating case (hồ sơ xếp loại chất lượng) of one civil servant or one agency/unit.

A case moves through the states of ``ratings.workflow`` only (never by editing ``state``);
each move leaves a ``CaseTransition`` row. Cases are never deleted: a wrong one is cancelled
with a reason, and a new case may then be opened for the same subject and year.

Fields are grouped by the step that fills them (Form 02 sections): self-assessment, the unit
meeting, the appraisal by the personnel (HR) unit, the opinion where one is required, the
decision and the notification.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.categories import category_label
from ratings.models.append_only import NeverDeletedMixin
from ratings.models.choices import CaseKind, CaseState, Rating

SCORE = {"max_digits": 6, "decimal_places": 2, "null": True, "blank": True}
USER_FK = {
    "to": settings.AUTH_USER_MODEL,
    "null": True,
    "blank": True,
    "on_delete": models.PROTECT,
    "related_name": "+",
}
LEVEL = {"max_length": 16, "choices": Rating.choices, "blank": True}


class RatingCase(NeverDeletedMixin, models.Model):
    kind = models.CharField(_("đối tượng"), max_length=16, choices=CaseKind.choices)
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    civil_servant = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("công chức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rating_cases",
    )
    subject_agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị được đánh giá"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_rating_cases",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        related_name="rating_cases",
        help_text=_("Nơi công chức công tác; với hồ sơ của tổ chức là chính tổ chức đó."),
    )
    rater_agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan có thẩm quyền xếp loại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Người đứng đầu cơ quan này quyết định xếp loại; dùng để tính tỷ lệ."),
    )
    role = models.CharField(_("chức vụ"), max_length=8, blank=True)
    position_group = models.CharField(_("nhóm vị trí việc làm"), max_length=16, blank=True)
    annual_score = models.ForeignKey(
        "scoring.AnnualScore",
        verbose_name=_("kết quả theo dõi, đánh giá năm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rating_cases",
    )
    score = models.DecimalField(
        _("điểm"),
        help_text=_("Công chức: điểm năm khi lập hồ sơ; tổ chức: điểm sau thẩm định."),
        **SCORE,
    )

    state = models.CharField(
        _("trạng thái"), max_length=20, choices=CaseState.choices, default=CaseState.DRAFT
    )
    held_from = models.CharField(
        _("trạng thái trước khi tạm dừng"), max_length=20, choices=CaseState.choices, blank=True
    )

    # 1. Self-assessment (Form 02, part I)
    self_assessment = models.TextField(_("tự nhận xét, đánh giá"), blank=True)
    self_score = models.DecimalField(_("điểm tự đánh giá"), **SCORE)
    self_level = models.CharField(_("tự đề xuất mức xếp loại"), **LEVEL)
    self_assessed_at = models.DateTimeField(_("thời điểm tự đánh giá"), null=True, blank=True)

    # 2. Meeting of the agency/unit (Form 02, part II)
    meeting_date = models.DateField(_("ngày họp"), null=True, blank=True)
    meeting_comments = models.TextField(_("ý kiến nhận xét tại cuộc họp"), blank=True)
    minutes = models.FileField(
        _("biên bản cuộc họp"), upload_to="ratings/minutes/%Y/", blank=True, max_length=255
    )
    # Storage renames a file whose name is taken ("bien-ban_a1B2c3D.pdf"); Form 02 and the
    # download show the name the unit uploaded.
    minutes_name = models.CharField(_("tên tệp biên bản"), max_length=255, blank=True)

    # 3. Appraisal by the personnel unit (Form 02, part III)
    proposal_level = models.CharField(_("mức xếp loại đề xuất"), **LEVEL)
    proposal_comment = models.TextField(_("ý kiến thẩm định"), blank=True)

    # 4. Opinion of a higher authority, where the rules require one
    opinion_text = models.TextField(_("ý kiến của cấp có thẩm quyền"), blank=True)

    # 5. Decision (Form 02, part IV)
    decision_level = models.CharField(_("mức xếp loại được quyết định"), **LEVEL)
    decision_ref = models.CharField(_("số quyết định"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decided_by = models.ForeignKey(verbose_name=_("người quyết định"), **USER_FK)
    # Force majeure (Gia Lai plan §III.3.d): an organisation decided above the computed ceiling
    # by the deciding authority, with the circumstances it relied on.
    ceiling_lifted_from = models.CharField(
        _("mức tối đa đã được vượt"),
        help_text=_(
            "Mức tối đa tính theo kết quả chấm điểm khi cấp có thẩm quyền quyết định cao hơn do "
            "lý do bất khả kháng; để trống nếu không vượt."
        ),
        **LEVEL,
    )
    force_majeure_reason = models.TextField(_("lý do bất khả kháng"), blank=True)
    notified_at = models.DateTimeField(_("thời điểm thông báo"), null=True, blank=True)

    # Cancellation
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    cancelled_by = models.ForeignKey(verbose_name=_("người hủy"), **USER_FK)
    cancelled_at = models.DateTimeField(_("thời điểm hủy"), null=True, blank=True)

    created_by = models.ForeignKey(verbose_name=_("người lập hồ sơ"), **USER_FK)
    created_at = models.DateTimeField(_("thời điểm lập"), auto_now_add=True)
    updated_at = models.DateTimeField(_("thời điểm cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ xếp loại chất lượng")
        verbose_name_plural = pgettext_lazy("plural", "hồ sơ xếp loại chất lượng")
        ordering = ["-year", "agency__path", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind=CaseKind.CIVIL_SERVANT,
                        civil_servant__isnull=False,
                        subject_agency__isnull=True,
                    )
                    | models.Q(
                        kind=CaseKind.AGENCY,
                        civil_servant__isnull=True,
                        subject_agency__isnull=False,
                    )
                ),
                name="rating_case_one_subject",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(ceiling_lifted_from="", force_majeure_reason="")
                    | (
                        models.Q(kind=CaseKind.AGENCY)
                        & ~models.Q(ceiling_lifted_from="")
                        & ~models.Q(force_majeure_reason="")
                    )
                ),
                name="rating_case_lift_has_reason",
            ),
            models.UniqueConstraint(
                fields=["civil_servant", "year"],
                condition=~models.Q(state=CaseState.CANCELLED)
                & models.Q(civil_servant__isnull=False),
                name="one_open_case_per_civil_servant_year",
            ),
            models.UniqueConstraint(
                fields=["subject_agency", "year"],
                condition=~models.Q(state=CaseState.CANCELLED)
                & models.Q(subject_agency__isnull=False),
                name="one_open_case_per_agency_year",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "state"]),
            models.Index(fields=["year", "rater_agency", "position_group"]),
        ]

    def __str__(self):
        return f"{self.subject_name} · {self.year}"

    @property
    def minutes_filename(self) -> str:
        if not self.minutes:
            return ""
        return self.minutes_name or self.minutes.name.rsplit("/", 1)[-1]

    @property
    def is_agency_case(self) -> bool:
        return self.kind == CaseKind.AGENCY

    @property
    def subject_category(self) -> str:
        """The person's own category in the year (``org.PersonCategory``: the posting that
        governs its end, else the latest; "" when none is known); "" for an agency's case."""
        if self.is_agency_case or not self.civil_servant_id:
            return ""
        person = self.civil_servant
        posting = person.primary_posting_on(datetime.date(self.year, 12, 31))
        if posting is None:
            posting = person.postings.order_by("-start_date").first()
        return posting.category if posting else ""

    @property
    def subject_kind_label(self) -> str:
        """ "Viên chức", "Cán bộ"…: the person's own category in the year (the posting that
        governs its end, else the latest), or "Cơ quan, tổ chức, đơn vị" (review 2026-11-23 C2)."""
        if self.is_agency_case or not self.civil_servant_id:
            return str(self.get_kind_display())
        return category_label(self.subject_category)

    @property
    def subject_name(self) -> str:
        if self.is_agency_case:
            return self.subject_agency.name if self.subject_agency_id else "—"
        return self.civil_servant.full_name if self.civil_servant_id else "—"

    @property
    def effective_state(self) -> str:
        """The state the case is in, or was in before being put on hold."""
        return self.held_from if self.state == CaseState.ON_HOLD else self.state

    @property
    def is_decided(self) -> bool:
        return bool(self.decision_level) and self.state != CaseState.CANCELLED

    def clean(self):
        if self.kind == CaseKind.CIVIL_SERVANT and not self.civil_servant_id:
            raise ValidationError({"civil_servant": _("Hãy chọn công chức.")})
        if self.kind == CaseKind.AGENCY and not self.subject_agency_id:
            raise ValidationError({"subject_agency": _("Hãy chọn cơ quan, đơn vị.")})
