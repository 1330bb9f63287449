"""The milestone form: the kinds of agency it binds as boxes to tick, not raw JSON."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from cms.private_files import original_name
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


class PrivateFileInput(forms.FileInput):
    """A file input for a private file: it names the stored file (Django's clearable input
    would link to it, and a private file has no URL: it is downloaded through its checked view)."""

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if value and getattr(value, "name", None):
            current = _("Tệp hiện tại: %(name)s") % {"name": original_name(value.name)}
            html = format_html("<p>{}</p>{}", current, html)
        return html
