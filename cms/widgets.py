"""Form widgets that render long choice lists in Python rather than through templates.

Django renders each option of a ``CheckboxSelectMultiple`` through three nested templates
(``checkbox_option.html`` → ``input_option.html`` → ``input.html`` + ``attrs.html``): about
70 µs an option, so a leader's "Giao việc" page offering the 1,281 people they evaluate spent
~100 ms of CPU on that one field (issue 34). :class:`CheckboxSelectMultiple` writes the very
same HTML (byte for byte; ``tests/cms/test_widgets.py`` compares it with Django's templates)
from the same widget context, and falls back to the templates for what it does not know
(option groups, another option template).

:func:`snippet_chooser_class` is Wagtail's snippet chooser with labels in the page's language;
:class:`LabelledDraftailRichTextArea` is Wagtail's rich-text editor named by its label.
"""

import functools
import json

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from wagtail.admin.rich_text import DraftailRichTextArea

_OPTION_TEMPLATE = "django/forms/widgets/checkbox_option.html"
_TEMPLATE = "django/forms/widgets/checkbox_select.html"


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(f"{value}")}"')
    return "".join(out)


def _option(option: dict) -> str:
    """``checkbox_option.html`` (``input_option.html`` with ``input.html``); each included
    template ends with its file's newline, as Django's output does."""
    attrs = option["attrs"]
    value = option["value"]
    kind, name = conditional_escape(option["type"]), conditional_escape(option["name"])
    html = f'<input type="{kind}" name="{name}"'
    if value is not None:
        html += f' value="{conditional_escape(f"{value}")}"'
    html += _attrs(attrs) + ">\n"
    if option["wrap_label"]:
        label_for = f' for="{conditional_escape(attrs["id"])}"' if attrs.get("id") else ""
        html = f"<label{label_for}>{html} {conditional_escape(option['label'])}</label>"
    return html + "\n\n"


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Django's ``CheckboxSelectMultiple``, its HTML written without the template engine."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name != _TEMPLATE or self.option_template_name != _OPTION_TEMPLATE:
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group for group, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        own = widget["attrs"]
        html = ["<div"]
        if own.get("id"):
            html.append(f' id="{conditional_escape(own["id"])}"')
        if own.get("class"):
            html.append(f' class="{conditional_escape(own["class"])}"')
        html.append(">")
        for _group, options, _index in widget["optgroups"]:
            for option in options:
                html.append("<div>\n    ")
                html.append(_option(option))
                html.append("</div>")
        html.append("\n</div>")  # the renderer strips the file's newlines
        # Every value above went through conditional_escape, as the templates would.
        return mark_safe("".join(html))  # noqa: S308


# --- the snippet chooser ------------------------------------------------------------------

#: Wagtail's own msgids (Vietnamese in ``locale/vi``), read at render time; held in names so
#: that our catalogue does not list them as strings of ours.
_CHOOSER_TEXTS = {
    "choose_one_text": "Choose %(object)s",
    "choose_another_text": "Choose another %(object)s",
    "link_to_chosen_text": "Edit this %(object)s",
}


def _chooser_text(msgid: str, model) -> str:
    return gettext(msgid) % {"object": model._meta.verbose_name}


_lazy_chooser_text = lazy(_chooser_text, str)


@functools.cache
def snippet_chooser_class():
    """Wagtail's snippet chooser whose labels are read in the language of the page that shows
    them: ``AdminSnippetChooser`` fills "Choose %(object)s" in when it is built, once per
    process (when Wagtail registers it for the model's foreign keys), so every Vietnamese page
    read "Choose cơ quan, đơn vị" when the first page to build it was served in English or
    outside a request (review 2026-11-25, issue 44's crawl)."""
    from wagtail.snippets.widgets import AdminSnippetChooser

    class SnippetChooser(AdminSnippetChooser):
        def __init__(self, model, **kwargs):
            super().__init__(model, **kwargs)
            for name, msgid in _CHOOSER_TEXTS.items():
                if name not in kwargs:
                    setattr(self, name, _lazy_chooser_text(msgid, model))

    return SnippetChooser


class LabelledDraftailRichTextArea(DraftailRichTextArea):
    """Wagtail's rich-text editor (Draftail) whose editing area is named by its field's label.

    Draftail's editing area is a ``contenteditable`` with ``role="textbox"``; Wagtail labels the
    hidden input behind it, so a screen reader announced an unnamed text box and axe reported
    ``aria-input-field-name`` (serious) on every form with rich text (the support settings'
    FAQ, issue 44). Draftail takes ``ariaLabelledBy`` among its options, and Wagtail gives every
    field's label the id ``<field id>-label`` (``shared/panel.html``, ``formattedfield``):
    that id is passed. The project's default editor (``WAGTAILADMIN_RICH_TEXT_EDITORS``)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field_id = context["widget"]["attrs"].get("id")
        if field_id:
            context["widget"]["attrs"]["data-w-init-detail-value"] = json.dumps(
                {**self.options, "ariaLabelledBy": f"{field_id}-label"}, cls=DjangoJSONEncoder
            )
        return context
