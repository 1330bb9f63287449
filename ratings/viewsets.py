"""Snippet viewsets of the rating configuration: calendars, special schedules, bonus rules."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList

from org.admin_scope import ScopedSnippetViewSet
from ratings.models import AgencySchedule, BonusRegulation, RatingCalendar


class RatingCalendarViewSet(ScopedSnippetViewSet):
    model = RatingCalendar
    icon = "date"
    menu_label = _("Lịch xếp loại")
    add_to_admin_menu = False
    list_display = ["year", "deadline", "special_deadline", "at_risk_days", "complaint_days"]
    copy_view_enabled = False
    panels = [
        FieldPanel("year"),
        FieldRowPanel([FieldPanel("deadline"), FieldPanel("special_deadline")]),
        FieldRowPanel([FieldPanel("at_risk_days"), FieldPanel("complaint_days")]),
        FieldPanel("note"),
    ]


class AgencyScheduleViewSet(ScopedSnippetViewSet):
    model = AgencySchedule
    icon = "time"
    menu_label = _("Cơ quan có lịch xếp loại riêng")
    add_to_admin_menu = False
    list_display = ["agency", "special", "decision_ref"]
    copy_view_enabled = False
    panels = [
        FieldPanel("agency"),
        FieldPanel("special"),
        FieldPanel("decision_ref"),
        FieldPanel("note"),
    ]


class BonusRegulationViewSet(ScopedSnippetViewSet):
    model = BonusRegulation
    icon = "form"
    menu_label = _("Quy chế chi thu nhập tăng thêm")
    add_to_admin_menu = False
    list_display = ["name", "agency", "effective_from", "decision_ref"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("agency"),
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("decision_ref"), FieldPanel("effective_from")]),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("annual_excellent"), FieldPanel("annual_good")]),
                    FieldRowPanel(
                        [FieldPanel("annual_completed"), FieldPanel("annual_not_completed")]
                    ),
                ],
                heading=_("Hệ số theo mức xếp loại năm"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("period_excellent"), FieldPanel("period_good")]),
                    FieldRowPanel(
                        [FieldPanel("period_completed"), FieldPanel("period_not_completed")]
                    ),
                ],
                heading=_("Hệ số theo kết quả tháng/quý"),
            ),
            FieldPanel("note"),
        ],
    )
