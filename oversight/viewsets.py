"""The "Đôn đốc, kiểm tra" admin menu: the progress board of the plan's milestones, the
milestones themselves, what Sở Nội vụ records by hand for an agency, and the inspections of the
agencies' evaluation work (with their findings and private files)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from cms.admin_columns import LinkColumn
from cms.admin_views import AdminPage
from org.admin_scope import ScopedSnippetViewSet
from oversight.access import can_see_milestones
from oversight.forms import MilestoneForm
from oversight.models import Inspection, Milestone, MilestoneRecord


class MilestoneViewSet(ScopedSnippetViewSet):
    model = Milestone
    icon = "date"
    menu_label = _("Mốc thời gian của kế hoạch")
    menu_name = "oversight-milestones-config"
    list_display = ["name", "year", "kind", "due_date", "source"]
    list_filter = ["year", "kind"]
    copy_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("year"), FieldPanel("code")]),
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("due_date"), FieldPanel("opens_on")]),
            FieldPanel("agency_kinds"),
            FieldPanel("responsible"),
            FieldRowPanel([FieldPanel("reminder_days"), FieldPanel("source")]),
            FieldPanel("note"),
        ],
        base_form_class=MilestoneForm,
    )


class MilestoneRecordViewSet(ScopedSnippetViewSet):
    model = MilestoneRecord
    add_to_reference_index = False  # a record, not content (docs/architecture.md, "usage")
    icon = "tick-inverse"
    menu_label = _("Ghi nhận tiến độ của cơ quan")
    menu_name = "oversight-milestone-records"
    list_display = ["milestone", "agency", "submitted_on", "approved_on", "decision_ref"]
    list_filter = ["milestone"]
    list_select_related = ("milestone", "agency")
    copy_view_enabled = False
    panels = [
        FieldRowPanel([FieldPanel("milestone"), FieldPanel("agency")]),
        FieldRowPanel([FieldPanel("submitted_on"), FieldPanel("submission_ref")]),
        FieldRowPanel([FieldPanel("appraised_on"), FieldPanel("appraised_by")]),
        FieldRowPanel([FieldPanel("approved_on"), FieldPanel("decision_ref")]),
        FieldPanel("note"),
    ]


class InspectionViewSet(ScopedSnippetViewSet):
    model = Inspection
    add_to_reference_index = False  # a record, not content (docs/architecture.md, "usage")
    icon = "doc-full-inverse"
    menu_label = _("Kiểm tra công tác đánh giá")
    menu_name = "oversight-inspections"
    list_display = [
        "agency",
        "decision_ref",
        "decision_date",
        "started_on",
        "ended_on",
        LinkColumn(
            "detail",
            label=_("Phát hiện, tài liệu"),
            url=lambda row: reverse("oversight_inspection", args=[row.pk]),
            text=_("Xem"),
        ),
    ]
    list_select_related = ("agency",)
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("agency"),
            FieldRowPanel([FieldPanel("decision_ref"), FieldPanel("decision_date")]),
            FieldPanel("team"),
            FieldRowPanel([FieldPanel("covers_from"), FieldPanel("covers_to")]),
            FieldRowPanel([FieldPanel("started_on"), FieldPanel("ended_on")]),
            MultiFieldPanel(
                [FieldPanel("conclusion_ref"), FieldPanel("conclusion")],
                heading=_("Kết luận"),
            ),
            InlinePanel(
                "findings", heading=_("Phát hiện và yêu cầu khắc phục"), label=_("Phát hiện")
            ),
            InlinePanel("attachments", heading=_("Tài liệu (tệp riêng tư)"), label=_("Tài liệu")),
        ]
    )


class OversightViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Đôn đốc, kiểm tra")
    menu_icon = "date"
    menu_name = "oversight"
    menu_order = 360
    menu_item_is_registered = False
    items = (
        AdminPage(
            "oversight-board",
            menu_label=_("Tiến độ thực hiện kế hoạch"),
            url_name="oversight_milestones",
            icon="date",
            shown_to=can_see_milestones,
        ),
        MilestoneViewSet,
        MilestoneRecordViewSet,
        InspectionViewSet,
    )
