"""The "Xếp loại chất lượng" admin menu: the rating pages (own results, cases, deadlines,
payroll export) and the snippet viewsets of the rating configuration (calendars, special
schedules, bonus rules)."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from cms.admin_views import AdminPage
from org.access import civil_servant_of
from org.admin_scope import ScopedSnippetViewSet
from ratings.access import can_list_hr_history, can_manage_cases, may_view_agency_results
from ratings.models import AgencySchedule, BonusRegulation, RatingCalendar
from ratings.services.related_opinions import may_be_asked


class RatingCalendarViewSet(ScopedSnippetViewSet):
    model = RatingCalendar
    icon = "date"
    menu_label = _("Lịch xếp loại")
    menu_name = "ratings-calendar"
    list_display = ["year", "deadline", "special_deadline", "at_risk_days", "complaint_days"]
    copy_view_enabled = False
    panels = [
        FieldPanel("year"),
        FieldRowPanel([FieldPanel("deadline"), FieldPanel("special_deadline")]),
        FieldRowPanel([FieldPanel("at_risk_days"), FieldPanel("complaint_days")]),
        FieldRowPanel([FieldPanel("period_complaint_days"), FieldPanel("period_answer_days")]),
        FieldPanel("note"),
    ]


class AgencyScheduleViewSet(ScopedSnippetViewSet):
    model = AgencySchedule
    icon = "time"
    menu_label = _("Cơ quan có lịch riêng")
    menu_name = "ratings-schedules"
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
    menu_label = _("Quy chế thu nhập tăng thêm")
    menu_name = "ratings-bonus"
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


def has_civil_servant(user) -> bool:
    return civil_servant_of(user) is not None


class RatingsViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Xếp loại chất lượng")
    menu_icon = "tasks"
    menu_name = "ratings"
    menu_order = 350
    # Its snippets stay listed under Wagtail's "Dữ liệu dùng chung" too, as before the group.
    menu_item_is_registered = False
    items = (
        AdminPage(
            "ratings-mine",
            menu_label=_("Kết quả của tôi"),
            url_name="ratings_my",
            icon="user",
            shown_to=has_civil_servant,
        ),
        AdminPage(
            "ratings-agency-results",
            menu_label=_("Kết quả đánh giá, xếp loại của cơ quan"),
            url_name="ratings_agency_results",
            icon="site",
            shown_to=may_view_agency_results,
        ),
        AdminPage(
            "ratings-cases", menu_label=_("Hồ sơ xếp loại"), url_name="ratings_cases", icon="tasks"
        ),
        AdminPage(
            "ratings-related-opinions",
            menu_label=_("Đề nghị cho ý kiến về xếp loại"),
            url_name="ratings_opinions_asked",
            icon="group",
            shown_to=may_be_asked,
        ),
        AdminPage(
            "ratings-period-complaints",
            menu_label=_("Kiến nghị kết quả tháng/quý"),
            url_name="ratings_period_complaints",
            icon="warning",
        ),
        AdminPage(
            "ratings-deadlines",
            menu_label=_("Sắp đến hạn, quá hạn"),
            url_name="ratings_deadlines",
            icon="time",
            shown_to=can_manage_cases,
        ),
        AdminPage(
            "ratings-payroll",
            menu_label=_("Xuất hệ số thu nhập tăng thêm"),
            url_name="ratings_bonus_export",
            icon="download",
            shown_to=can_manage_cases,
        ),
        AdminPage(
            "ratings-party-review",
            menu_label=_("Xuất xếp loại cho đảng viên, thi đua"),
            url_name="ratings_party_review_export",
            icon="download",
            shown_to=can_manage_cases,
        ),
        AdminPage(
            "ratings-hr-history",
            menu_label=_("Kết quả nhiều năm (công tác cán bộ)"),
            url_name="ratings_hr_history",
            icon="table",
            shown_to=can_list_hr_history,
        ),
        AdminPage(
            "ratings-half-years",
            menu_label=_("Kết quả 6 tháng"),
            url_name="ratings_half_years",
            icon="table",
            shown_to=can_list_hr_history,
        ),
        RatingCalendarViewSet,
        AgencyScheduleViewSet,
        BonusRegulationViewSet,
    )
