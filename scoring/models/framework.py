"""Criteria frameworks (khung tiêu chí đánh giá) as versioned data: a Wagtail snippet.

``rules`` holds ``FrameworkRules.to_dict()`` of the pure engine. Editors change it as drafts,
submit it through a workflow and publish; scoring only ever reads the **live revision**
(``live_revision``), never the draft in the row, and records that revision's id on every
stored score.
"""

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from scoring.engine import FrameworkRules, parse_framework
from scoring.framework_display import rules_context, rules_errors
from scoring.models.choices import AppliesTo, FrameworkPeriodType


class CriteriaFramework(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    models.Model,
):
    name = models.CharField(_("tên khung"), max_length=255)
    code = models.SlugField(_("mã"), max_length=64, unique=True)
    period_type = models.CharField(
        _("kỳ chấm điểm"),
        max_length=16,
        choices=FrameworkPeriodType.choices,
        default=FrameworkPeriodType.MONTH,
    )
    applies_to = models.CharField(
        _("áp dụng cho"),
        max_length=16,
        choices=AppliesTo.choices,
        default=AppliesTo.CIVIL_SERVANT,
    )
    rules = models.JSONField(
        _("quy tắc chấm điểm"),
        encoder=DjangoJSONEncoder,
        help_text=_(
            "Nội dung khung dạng JSON: thành phần, tiêu chí và điểm tối đa, cách tính, mức xếp "
            "loại, trường hợp không hoàn thành, tỷ lệ xuất sắc. Mỗi quy tắc ghi căn cứ "
            "(citation) và độ tin cậy (confidence)."
        ),
    )
    description = models.TextField(_("mô tả"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("code"),
        index.FilterField("applies_to"),
    ]

    class Meta:
        verbose_name = _("khung tiêu chí đánh giá")
        verbose_name_plural = _("khung tiêu chí đánh giá")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        problems = rules_errors(self.rules, self.period_type)
        if problems:
            raise ValidationError({"rules": problems})

    def parsed_rules(self) -> FrameworkRules:
        """Rules of *this instance* (may be a draft; scoring uses ``live_rules``)."""
        return parse_framework(self.rules)

    # --- preview ----------------------------------------------------------------------------

    def get_preview_template(self, request, mode_name):
        return "scoring/framework_preview.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context.update(rules_context(self.rules))
        return context
