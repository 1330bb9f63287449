"""The admin's sidebar, packed once per shape instead of once per request.

Wagtail's ``{% sidebar_props %}`` builds the menu for the request (which items the user may see:
that part stays per request) and then packs it with telepath, a generic walk that cost 25 ms of
every admin page for Sở Nội vụ's menu of 80 items (`docs/operations.md` §10: the admin shell
was 40–60 % of a page's CPU). The packed text depends only on what the menu holds — each
component's class and its ``js_args`` (names, labels in the request's language, URLs, icons,
attributes, the user's name and avatar) — so it is kept per process under that shape, read by a
walk a fraction of telepath's cost. A menu of another shape (another user's items, another
language, a renamed label) is another key: nothing stale can be shown. A component this module
does not know (not a sidebar class of Wagtail's) is packed as Wagtail packs it, uncached.

``cms/templates/wagtailadmin/base.html`` calls :func:`sidebar_props` where Wagtail's base
template calls its tag; ``tests/cms/test_sidebar.py`` checks the output is Wagtail's, byte for
byte, and that the copied block still matches Wagtail's template.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import json_script
from django.utils.translation import gettext as _

from wagtail.admin.menu import admin_menu
from wagtail.admin.search import admin_search_areas
from wagtail.admin.telepath import JSContext
from wagtail.admin.ui import sidebar

KEPT = 256  # shapes kept per process: users × languages; ~30–60 KB each
_packed: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()

_KNOWN = (
    sidebar.LinkMenuItem,
    sidebar.ActionMenuItem,
    sidebar.SubMenuItem,
    sidebar.PageExplorerMenuItem,
    sidebar.WagtailBrandingModule,
    sidebar.SearchModule,
    sidebar.MainMenuModule,
)


class _Unknown(Exception):
    """A value whose packing this module does not reproduce: pack it the usual way."""


def _shape(value, out: list) -> None:
    if value is None or isinstance(value, bool | int | float):
        out.append(repr(value))
    elif isinstance(value, str | Promise):
        out.append(repr(str(value)))
    elif isinstance(value, list | tuple):
        out.append("[")
        for item in value:
            _shape(item, out)
        out.append("]")
    elif isinstance(value, dict):
        out.append("{")
        for key, item in value.items():
            out.append(repr(str(key)))
            _shape(item, out)
        out.append("}")
    elif type(value) in _KNOWN:
        out.append(type(value).__qualname__)
        _shape(value.js_args(), out)
    else:
        raise _Unknown(type(value))


def _modules(request) -> list:
    """What Wagtail's ``sidebar_props`` tag builds (wagtail/admin/templatetags/
    wagtailadmin_tags.py, Wagtail 7.4)."""
    search_areas = admin_search_areas.search_items_for_request(request)
    search_area = search_areas[0] if search_areas else None
    account_menu = [
        sidebar.LinkMenuItem(
            "account", _("Account"), reverse("wagtailadmin_account"), icon_name="user"
        ),
        sidebar.ActionMenuItem(
            "logout", _("Log out"), reverse("wagtailadmin_logout"), icon_name="logout"
        ),
    ]
    modules = [
        sidebar.WagtailBrandingModule(),
        sidebar.SearchModule(search_area) if search_area else None,
        sidebar.MainMenuModule(admin_menu.render_component(request), account_menu, request.user),
    ]
    return [module for module in modules if module is not None]


def _pack(modules: list) -> str:
    return json_script({"modules": JSContext().pack(modules)}, element_id="wagtail-sidebar-props")


def sidebar_props(request) -> str:
    modules = _modules(request)
    parts: list[str] = []
    try:
        _shape(modules, parts)
    except _Unknown:
        return _pack(modules)
    key = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).hexdigest()
    with _lock:
        packed = _packed.get(key)
        if packed is not None:
            _packed.move_to_end(key)
            return packed
    packed = _pack(modules)
    with _lock:
        _packed[key] = packed
        while len(_packed) > KEPT:
            _packed.popitem(last=False)
    return packed
