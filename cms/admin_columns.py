"""Listing columns for the Wagtail admin tables of our viewsets.

* :class:`YesNoColumn` — a boolean as "Có"/"Không" (Wagtail's default cell prints ``True`` and
  ``False``, and its ``BooleanColumn`` shows an icon whose tooltip is English).
* :class:`LinkColumn` — a link per row, to a URL computed from the row (empty when ``None``).
"""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column


class YesNoColumn(Column):
    cell_template_name = "cms/tables/yes_no_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context["raw_value"]
        context["value"] = "—" if value is None else (_("Có") if value else _("Không"))
        context["positive"] = bool(value)
        return context


class LinkColumn(Column):
    """``url(row)`` gives the link (or ``None``: no link in that row); ``text`` its words;
    ``shown(user)``, when given, decides whether the viewer gets the links at all."""

    cell_template_name = "cms/tables/link_cell.html"

    def __init__(self, name, *, url, text, shown=None, **kwargs):
        super().__init__(name, accessor=lambda row: None, **kwargs)
        self._url = url
        self._shown = shown
        self.text = text

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        user = getattr(request, "user", None)
        allowed = self._shown is None or (user is not None and self._shown(user))
        context["url"] = self._url(instance) if allowed else None
        context["text"] = self.text
        return context
