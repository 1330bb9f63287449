"""Shared admin-page chrome for our own (non-snippet) Wagtail admin views, and their menu
entries."""

from django.urls import reverse
from django.utils.functional import cached_property

from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet


class TitledAdminMixin(WagtailAdminTemplateMixin):
    """Wagtail's slim header shows the last breadcrumb, not ``page_title``: end the breadcrumbs
    with this page's title (and subtitle), or every custom page is headed "Home"."""

    def get_breadcrumbs_items(self):
        item = {"url": "", "label": self.get_page_title()}
        subtitle = self.get_page_subtitle()
        if subtitle:
            item["sublabel"] = subtitle
        return [*self.breadcrumbs_items, item]


class AdminPage(ViewSet):
    """The menu entry of one of our own admin pages, so that it sits in a Wagtail
    ``ViewSetGroup`` (or ``SnippetViewSetGroup``) next to the snippet viewsets of the same menu,
    or alone in the main menu (``add_to_admin_menu=True``, registered through the
    ``register_admin_viewset`` hook).

    The page's URLs stay in its app's ``urls`` (their names are unchanged); ``url_name`` is the
    page the entry opens. ``shown_to(user)`` decides who sees the entry: give it the same test
    the page's view applies (None: every admin user). Snippet and model viewsets need no such
    test: Wagtail shows their entry to users with a permission on the model.

        AdminPage(
            "ratings-deadlines",
            menu_label=_("Sắp đến hạn, quá hạn"),
            url_name="ratings_deadlines",
            icon="time",
            shown_to=can_manage_cases,
        )
    """

    url_name = ""
    shown_to = None

    def __init__(self, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.__dict__.setdefault("menu_name", self.name or "")

    @cached_property
    def menu_url(self):
        return reverse(self.url_name)

    @cached_property
    def menu_item_class(self):
        shown_to = self.shown_to
        if shown_to is None:
            return MenuItem

        def is_shown(_item, request):
            # Asked once per request and test: Wagtail asks each entry of a submenu twice (the
            # submenu's own ``is_shown``, then its rendering), and several entries share a test.
            # Keyed by the user too: a request's user may change (signing in, a test's request).
            answers = request.__dict__.setdefault("_kpi_menu_shown", {})
            key = (shown_to, getattr(request.user, "pk", None))
            if key not in answers:
                answers[key] = shown_to(request.user)
            return answers[key]

        return type(f"{self.__class__.__name__}MenuItem", (MenuItem,), {"is_shown": is_shown})
