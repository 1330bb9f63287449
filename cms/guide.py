"""The user guide (docs/huong-dan/, in Vietnamese) served inside the admin to every signed-in
admin user, and linked from the admin's Help menu in place of Wagtail's English editor guide.

The guide is plain Markdown kept next to the code; its screenshots (docs/huong-dan/anh/) are
taken by the browser tests (tests/browser/test_guide.py) from the demo province, so a screen
change that breaks a step fails a test. Relative links work both here and in the repository:
``/admin/huong-dan/`` is README.md, ``/admin/huong-dan/cong-chuc.md`` a role's guide and
``anh/…png`` its images."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from cms.admin_views import TitledAdminMixin

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "huong-dan"
IMAGE_DIR = GUIDE_DIR / "anh"
PAGE_NAME = re.compile(r"^[A-Za-z0-9-]+$")
IMAGE_NAME = re.compile(r"^[a-z0-9-]+\.png$")


def _markdown():
    from markdown_it import MarkdownIt

    # No raw HTML: the guide is text, tables, links and images.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


@lru_cache(maxsize=32)
def _render(path: Path, mtime: float) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    html = _markdown().render(text)
    match = re.search(r"<h1>(.*?)</h1>", html, re.S)
    title = strip_tags(match.group(1)).strip() if match else ""
    if match:
        html = html.replace(match.group(0), "", 1)  # the admin header shows the title
    return title, html


def render(name: str) -> tuple[str, str]:
    """(title, html) of docs/huong-dan/<name>.md; Http404 for anything else."""
    if not PAGE_NAME.match(name):
        raise Http404
    path = GUIDE_DIR / f"{name}.md"
    if not path.is_file():
        raise Http404
    return _render(path, path.stat().st_mtime)


class GuidePageView(TitledAdminMixin, TemplateView):
    template_name = "cms/guide/page.html"
    page_title = gettext_lazy("Hướng dẫn sử dụng")
    header_icon = "help"

    def dispatch(self, request, *args, **kwargs):
        self.title, self.html = render(kwargs.get("name", "README"))
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.title or super().get_page_title()

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        if self.kwargs.get("name", "README") == "README":
            return items
        index = {"url": reverse("guide_index"), "label": _("Hướng dẫn sử dụng")}
        return [*items[:-1], index, items[-1]]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["guide_html"] = mark_safe(self.html)  # noqa: S308 - Markdown without raw HTML
        return context


def guide_image(request, name: str):
    if not IMAGE_NAME.match(name):
        raise Http404
    path = IMAGE_DIR / name
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/png")
