"""The "Giao việc" admin menu: the worklog pages (own work, assigning, the unit board) and the
holiday calendar as a snippet (Sở Nội vụ edits it; see ``worklog.policy``)."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from cms.admin_views import AdminPage
from org.access import civil_servant_of
from org.admin_scope import ScopedSnippetViewSet
from worklog.access import is_leader
from worklog.models import Holiday
from worklog.services.coordination import led_unit_ids
from worklog.views.common import today


class HolidayViewSet(ScopedSnippetViewSet):
    model = Holiday
    icon = "date"
    menu_label = _("Ngày nghỉ lễ, ngày làm bù")
    menu_name = "worklog-holidays"
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


def has_person(user) -> bool:
    return civil_servant_of(user) is not None


def leads_today(user) -> bool:
    return is_leader(user, today())


def leads_a_unit(user) -> bool:
    """A head or deputy of some unit today: their unit may be named on shared tasks."""
    return bool(led_unit_ids(user, today()))


class WorklogViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Giao việc")
    menu_icon = "tasks"
    menu_name = "worklog"
    menu_order = 300
    # Its snippets stay listed under Wagtail's "Dữ liệu dùng chung" too, as before the group.
    menu_item_is_registered = False
    items = (
        AdminPage(
            "worklog-mine",
            menu_label=_("Việc của tôi"),
            url_name="worklog_mine",
            icon="user",
            shown_to=has_person,
        ),
        AdminPage(
            "worklog-assign",
            menu_label=_("Giao việc mới"),
            url_name="worklog_assign",
            icon="plus",
            shown_to=leads_today,
        ),
        AdminPage(
            "worklog-board",
            menu_label=_("Theo dõi đơn vị"),
            url_name="worklog_board",
            icon="table",
            shown_to=leads_today,
        ),
        AdminPage(
            "worklog-coordination",
            menu_label=_("Đánh giá phối hợp"),
            url_name="worklog_coordination",
            icon="group",
            shown_to=leads_a_unit,
        ),
        HolidayViewSet,
    )
