"""The holiday calendar as a snippet (Sở Nội vụ edits it; see ``worklog.policy``)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from org.admin_scope import ScopedSnippetViewSet
from worklog.models import Holiday


class HolidayViewSet(ScopedSnippetViewSet):
    model = Holiday
    icon = "date"
    menu_label = _("Ngày nghỉ lễ, ngày làm bù")
    add_to_admin_menu = False
    list_display = ["date", "name", "kind", "is_active", "source"]
    list_filter = ["kind", "is_active"]
    copy_view_enabled = False
    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("kind")]),
        FieldPanel("name"),
        FieldPanel("is_active"),
        FieldPanel("source"),
        FieldPanel("note"),
    ]
