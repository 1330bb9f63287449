"""Evaluation-authority rules as data.

Each rule says, for civil servants with a given role in a given kind of agency/unit, whose head
tracks and evaluates them (theo dõi, đánh giá), whose head decides their rating (xếp loại), and
whose opinion must be obtained before the decision (if any). A target is expressed relative to
the subject's own posting: the own agency/unit, its parent, or the nearest agency of a kind going
up the tree. The defaults follow the Gia Lai plan §IV.1 and are editable by Sở Nội vụ.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.models.agency import AgencyKind
from org.models.civil_servant import LeadershipRole


class Relation(models.TextChoices):
    OWN = "own", _("Chính cơ quan, đơn vị nơi công tác")
    PARENT = "parent", _("Cơ quan, đơn vị cấp trên trực tiếp")
    NEAREST_OF_KIND = "nearest_of_kind", _("Cơ quan gần nhất thuộc loại…")
    #: Across trees, where a province says so (e.g. the commune Party secretary evaluates the
    #: commune Front chairman): the agency of the kind named among the "cùng địa bàn" bodies
    #: (``Agency.counterparts``) of the subject's agency, or of the nearest ancestor that has one.
    COUNTERPART = "counterpart", _("Cơ quan cùng cấp, cùng địa bàn ở khối khác, thuộc loại…")


class AuthorityRule(models.Model):
    name = models.CharField(_("tên quy tắc"), max_length=200)
    subject_agency_kind = models.CharField(
        _("loại cơ quan, đơn vị của người được đánh giá"),
        max_length=16,
        choices=AgencyKind.choices,
    )
    subject_parent_kind = models.CharField(
        _("loại cơ quan cấp trên (nếu cần phân biệt)"),
        max_length=16,
        choices=AgencyKind.choices,
        blank=True,
        help_text=_("Để trống nếu áp dụng bất kể cơ quan cấp trên."),
    )
    subject_role = models.CharField(
        _("chức vụ của người được đánh giá"), max_length=8, choices=LeadershipRole.choices
    )
    evaluator_relation = models.CharField(
        _("người theo dõi, đánh giá: người đứng đầu của"), max_length=16, choices=Relation.choices
    )
    evaluator_kind = models.CharField(
        _("loại (khi chọn “gần nhất thuộc loại”)"),
        max_length=16,
        choices=AgencyKind.choices,
        blank=True,
    )
    rater_relation = models.CharField(
        _("người xếp loại: người đứng đầu của"), max_length=16, choices=Relation.choices
    )
    rater_kind = models.CharField(
        _("loại (khi chọn “gần nhất thuộc loại”)"),
        max_length=16,
        choices=AgencyKind.choices,
        blank=True,
    )
    opinion_relation = models.CharField(
        _("cần ý kiến trước khi quyết định của người đứng đầu"),
        max_length=16,
        choices=Relation.choices,
        blank=True,
    )
    opinion_kind = models.CharField(
        _("loại (khi chọn “gần nhất thuộc loại”)"),
        max_length=16,
        choices=AgencyKind.choices,
        blank=True,
    )
    citation = models.CharField(_("căn cứ"), max_length=255, blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("quy tắc thẩm quyền đánh giá")
        verbose_name_plural = pgettext_lazy("plural", "quy tắc thẩm quyền đánh giá")
        ordering = ["subject_agency_kind", "subject_parent_kind", "subject_role"]

    def __str__(self):
        return self.name

    @property
    def specificity(self) -> int:
        return 1 if self.subject_parent_kind else 0

    def clean(self):
        errors = {}
        for prefix in ("evaluator", "rater", "opinion"):
            relation = getattr(self, f"{prefix}_relation")
            kind = getattr(self, f"{prefix}_kind")
            with_kind = (Relation.NEAREST_OF_KIND, Relation.COUNTERPART)
            if relation in with_kind and not kind:
                errors[f"{prefix}_kind"] = _("Hãy chọn loại cơ quan.")
            if relation not in with_kind and kind:
                errors[f"{prefix}_kind"] = _(
                    "Chỉ chọn loại cơ quan khi chọn “Cơ quan gần nhất thuộc loại…” hoặc "
                    "“Cơ quan cùng cấp, cùng địa bàn ở khối khác”."
                )
        if errors:
            raise ValidationError(errors)
        duplicates = AuthorityRule.objects.filter(
            is_active=True,
            subject_agency_kind=self.subject_agency_kind,
            subject_parent_kind=self.subject_parent_kind,
            subject_role=self.subject_role,
        ).exclude(pk=self.pk)
        if self.is_active and duplicates.exists():
            raise ValidationError(
                _("Đã có quy tắc đang áp dụng cho cùng loại đơn vị, cấp trên và chức vụ: %(name)s")
                % {"name": duplicates.first().name}
            )
