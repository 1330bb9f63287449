"""The one decimal form field of the project: typed and shown with the decimal comma.

Django renders a ``DecimalField`` as ``<input type="number">`` and reads only ``4.5``; the browser
then decides what a typed ``4,5`` means, and an English-language browser read it as 45 (the
comma as a thousands separator). This field is a localized text box instead (``inputmode`` asks
phones for the number keypad): it shows ``4,5`` and reads the value with the project's formats
(``cms/formats``): ``4,5`` and ``4.5`` are both 4.5; no character is ever taken as a thousands
separator, so ``1.234,5`` is refused, never guessed.

Wagtail's admin forms (snippets, pages and their inline items) get it for every model
``DecimalField`` through :func:`use_in_wagtail_admin_forms`; hand-written forms declare it
instead of ``django.forms.DecimalField``.
"""

from django import forms


class DecimalField(forms.DecimalField):
    widget = forms.TextInput

    def __init__(self, *, localize=True, **kwargs):
        super().__init__(localize=localize, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if not isinstance(widget, forms.HiddenInput):
            attrs.setdefault("inputmode", "decimal")
        return attrs


def use_in_wagtail_admin_forms() -> None:
    """Make every model ``DecimalField`` of a Wagtail admin form use :class:`DecimalField`."""
    from django.db import models

    from wagtail.admin.forms.models import register_form_field_override

    register_form_field_override(models.DecimalField, override={"form_class": DecimalField})
