"""The milestone form: the kinds of agency it binds as boxes to tick, not raw JSON."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from org.models import AgencyKind


class MilestoneForm(WagtailAdminModelForm):
    agency_kinds = forms.MultipleChoiceField(
        label=_("áp dụng cho loại cơ quan"),
        choices=AgencyKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Áp dụng cho loại cơ quan: chọn ít nhất một loại cơ quan."),
        },
    )
