"""Shared admin-page chrome for our own (non-snippet) Wagtail admin views."""

from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class TitledAdminMixin(WagtailAdminTemplateMixin):
    """Wagtail's slim header shows the last breadcrumb, not ``page_title``: end the breadcrumbs
    with this page's title (and subtitle), or every custom page is headed "Home"."""

    def get_breadcrumbs_items(self):
        item = {"url": "", "label": self.get_page_title()}
        subtitle = self.get_page_subtitle()
        if subtitle:
            item["sublabel"] = subtitle
        return [*self.breadcrumbs_items, item]


class ModelMenuItem(MenuItem):
    """A menu entry for a snippet viewset, shown only to users who may view its model."""

    def __init__(self, *args, viewset=None, **kwargs):
        self.viewset = viewset
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return self.viewset.permission_policy.user_has_permission(request.user, "view")
