"""Snippet viewsets of the rating configuration: calendars, special schedules, bonus rules."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from org.access import can_access_agency, is_home_affairs, visible_agencies
from org.admin_scope import scoped_views
from ratings.models import AgencySchedule, BonusRegulation, RatingCalendar


class RatingCalendarViewSet(SnippetViewSet):
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


class AgencyScheduleViewSet(SnippetViewSet):
    model = AgencySchedule
    icon = "time"
    menu_label = _("Cơ quan có lịch xếp loại riêng")
    add_to_admin_menu = False
    list_display = ["agency", "special", "decision_ref"]
    copy_view_enabled = False
    panels = [FieldPanel("agency"), FieldPanel("special"), FieldPanel("decision_ref"),
              FieldPanel("note")]


class BonusRegulationForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and not is_home_affairs(self.for_user):
            self.fields["agency"].queryset = visible_agencies(self.for_user)

    def clean_agency(self):
        agency = self.cleaned_data.get("agency")
        if agency is not None and self.for_user is not None and not can_access_agency(
            self.for_user, agency
        ):
            from django.core.exceptions import ValidationError

            raise ValidationError(_("Bạn không quản lý cơ quan, đơn vị này."))
        return agency


class BonusRegulationViewSet(SnippetViewSet):
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
                    FieldRowPanel([FieldPanel("annual_completed"),
                                   FieldPanel("annual_not_completed")]),
                ],
                heading=_("Hệ số theo mức xếp loại năm"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("period_excellent"), FieldPanel("period_good")]),
                    FieldRowPanel([FieldPanel("period_completed"),
                                   FieldPanel("period_not_completed")]),
                ],
                heading=_("Hệ số theo kết quả tháng/quý"),
            ),
            FieldPanel("note"),
        ],
        base_form_class=BonusRegulationForm,
    )

    def get_queryset(self, request):
        return BonusRegulation.objects.filter(agency__in=visible_agencies(request.user))


for _name, _cls in scoped_views(lambda user, obj: can_access_agency(user, obj.agency)).items():
    setattr(BonusRegulationViewSet, _name, _cls)
