"""Admin forms of the scoring snippets."""

import json

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from catalog_pages.models import CatalogVersionItem


class PrettyJSONField(forms.JSONField):
    """JSON in an indented, monospace textarea that keeps Vietnamese characters readable."""

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)


class CriteriaFrameworkForm(WagtailAdminModelForm):
    rules = PrettyJSONField(
        label=_("quy tắc chấm điểm (JSON)"),
        encoder=DjangoJSONEncoder,
        widget=forms.Textarea(
            attrs={"rows": 30, "style": "font-family: monospace; font-size: 0.85rem"}
        ),
        help_text=_(
            "Mỗi thành phần có điểm tối đa (max_points) hoặc điểm theo nhóm vị trí việc làm; mỗi "
            "quy tắc có căn cứ (citation) và độ tin cậy (confidence: confirmed, secondary, "
            "inferred, unknown). Xem trước để kiểm tra bản dễ đọc."
        ),
    )


class AssignmentLineForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "item" in self.fields:
            self.fields["item"].queryset = CatalogVersionItem.objects.select_related(
                "version__agency"
            ).order_by("version__agency__name", "-version__number", "sort_order")

    def clean(self):
        """Counters typed here are line-level: a per-product breakdown they no longer match
        is dropped (the line's events are then spread over its completed products, Decree 335
        Art. 14 b, c; docs/scoring.md §1.1)."""
        cleaned = super().clean()
        for counter, field in (
            ("failed_reviews", "failed_by_product"),
            ("delays", "delays_by_product"),
        ):
            if counter in cleaned and sum(getattr(self.instance, field) or []) != cleaned[counter]:
                setattr(self.instance, field, [])
        return cleaned
