"""Links back from an object to the rows of higher apps that point at it.

A lower app's edit form cannot import the apps above it (``tests/test_layers.py``), yet a draft
opened from a support request should say where it came from. A higher app registers a source
(``register``: object → [(label, URL)]) when it starts; the lower app puts a
:class:`BacklinksPanel` on its edit form, which lists what every source returns and shows
nothing when there is nothing.
"""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel

Source = Callable[[object], list[tuple[str, str]]]
_SOURCES: list[Source] = []


def register(source: Source) -> Source:
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def links_to(obj) -> list[tuple[str, str]]:
    if obj is None or getattr(obj, "pk", None) is None:
        return []
    return [link for source in _SOURCES for link in source(obj)]


class BacklinksPanel(Panel):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Lập theo"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/includes/backlinks_panel.html"

        @property
        def id_for_label(self):
            return "backlinks"

        def is_shown(self):
            return bool(links_to(self.instance))

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["links"] = links_to(self.instance)
            return context
