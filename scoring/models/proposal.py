"""Agencies propose their own criteria framework (khung tiêu chí đề xuất của cơ quan).

ĐL §IV.4, LC §III.1 and NA §IV.1.2: Sở Nội vụ issues the province's framework, each agency
drafts a variant for its own work, Sở Nội vụ appraises it, the competent authority approves it.
``FrameworkProposal`` is that variant and its path: draft → submitted → returned (for
changes) or recommended → approved or rejected. Each step is a ``ProposalTransition`` (who,
when, comment); the services in ``scoring.services.proposals`` are the only writers.

What an agency may change is data: ``VariantPolicy`` (one per base framework; without a row
the documented defaults of the model's fields apply). The 30/70 split (Decree 335 Art. 12),
the task method (Art. 14–16), the rating bands, disqualifiers and quota (Art. 20) and the
annual rule (Art. 21) are never changed by a variant.

The variant's ``CriteriaFramework`` row is created with the proposal, unpublished; approval
writes the proposal's rules into it and publishes it. Scoring uses it only while the proposal
is approved and only from the approval's effective date (``scoring.services.frameworks``).
"""

from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi thẩm định")
    RETURNED = "returned", _("Trả lại để chỉnh sửa")
    RECOMMENDED = "recommended", _("Đã thẩm định, đề nghị phê duyệt")
    APPROVED = "approved", _("Đã phê duyệt")
    REJECTED = "rejected", _("Không phê duyệt")


class ProposalScope(models.TextChoices):
    """What a proposal sets: the criteria its civil servants are scored on, or its own
    organisation criteria — the key tasks (nhiệm vụ trọng tâm) and their weights in the
    agency's organisation score (Gia Lai §V.1.b–c, §V.2.b–c; coverage D8)."""

    INDIVIDUAL = "individual", _("Tiêu chí đánh giá công chức của cơ quan")
    ORGANISATION = "organisation", _("Tiêu chí đánh giá tổ chức (nhiệm vụ trọng tâm)")


#: Statuses in which the agency may still edit its proposal.
EDITABLE_STATUSES = (ProposalStatus.DRAFT, ProposalStatus.RETURNED)


class VariantPolicy(models.Model):
    """What an agency's variant of ``base`` may change (set by Sở Nội vụ)."""

    base = models.OneToOneField(
        "scoring.CriteriaFramework",
        verbose_name=_("khung của tỉnh"),
        on_delete=models.CASCADE,
        related_name="variant_policy",
    )
    may_reword = models.BooleanField(
        _("được sửa nội dung tiêu chí thành phần"),
        default=True,
        help_text=_("Tên (nội dung) của tiêu chí thành phần trong các thành phần chấm điểm."),
    )
    may_change_points = models.BooleanField(
        _("được phân bổ lại điểm tiêu chí thành phần"),
        default=True,
        help_text=_("Trong tổng điểm của thành phần, tổng này không đổi."),
    )
    may_add_criteria = models.BooleanField(_("được thêm tiêu chí thành phần"), default=True)
    max_added_criteria = models.PositiveSmallIntegerField(
        _("số tiêu chí được thêm tối đa mỗi thành phần"), default=3
    )
    may_remove_criteria = models.BooleanField(
        _("được bỏ tiêu chí thành phần của tỉnh"), default=False
    )
    min_criterion_points = models.DecimalField(
        _("điểm tối đa nhỏ nhất của một tiêu chí thành phần"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    note = models.TextField(_("căn cứ, ghi chú"), blank=True)

    class Meta:
        verbose_name = _("phạm vi được điều chỉnh khung tiêu chí")
        verbose_name_plural = _("phạm vi được điều chỉnh khung tiêu chí")
        ordering = ["base__name"]

    def __str__(self):
        return str(self.base)


class FrameworkProposal(models.Model):
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan đề xuất"),
        on_delete=models.PROTECT,
        related_name="framework_proposals",
    )
    base = models.ForeignKey(
        "scoring.CriteriaFramework",
        verbose_name=_("khung của tỉnh"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    base_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("phiên bản khung của tỉnh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    framework = models.OneToOneField(
        "scoring.CriteriaFramework",
        verbose_name=_("khung tiêu chí của cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposal",
        editable=False,
    )
    scope = models.CharField(
        _("loại tiêu chí đề xuất"),
        max_length=16,
        choices=ProposalScope.choices,
        default=ProposalScope.INDIVIDUAL,
        help_text=_(
            "Tiêu chí đánh giá tổ chức: cơ quan đề xuất các nhiệm vụ trọng tâm và hệ số của "
            "từng nhiệm vụ để đánh giá, xếp loại chính cơ quan; áp dụng từ năm đánh giá sau khi "
            "được phê duyệt."
        ),
    )
    name = models.CharField(_("tên khung đề xuất"), max_length=255)
    rules = models.JSONField(_("quy tắc chấm điểm"), encoder=DjangoJSONEncoder, default=dict)
    explanation = models.TextField(_("thuyết minh"), blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.DRAFT,
        editable=False,
    )
    decision_number = models.CharField(
        _("số quyết định phê duyệt"), max_length=64, blank=True, editable=False
    )
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True, editable=False)
    effective_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)

    class Meta:
        verbose_name = _("khung tiêu chí đề xuất")
        verbose_name_plural = _("khung tiêu chí đề xuất")
        ordering = ["agency__path", "-created_at"]
        permissions = [
            ("appraise_frameworkproposal", _("Thẩm định khung tiêu chí đề xuất")),
            ("approve_frameworkproposal", _("Phê duyệt khung tiêu chí đề xuất")),
        ]

    def __str__(self):
        return f"{self.name} — {self.agency}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_organisation(self) -> bool:
        return self.scope == ProposalScope.ORGANISATION


class ProposalTransition(models.Model):
    """One step of a proposal (who, when, from, to, comment); never changed."""

    proposal = models.ForeignKey(
        FrameworkProposal,
        verbose_name=_("khung tiêu chí đề xuất"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("từ trạng thái"), max_length=16, choices=ProposalStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("sang trạng thái"), max_length=16, choices=ProposalStatus.choices
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý khung tiêu chí đề xuất")
        verbose_name_plural = _("bước xử lý khung tiêu chí đề xuất")
        ordering = ["proposal", "at", "id"]

    def __str__(self):
        return f"{self.proposal}: {self.get_to_status_display()}"
