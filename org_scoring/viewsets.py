"""Snippet viewsets of the organisation-scoring inputs, scoped through ``org.access``: the
listing shows only the agencies the user may reach, and every single-object URL (edit, delete,
inspect, history, usage) checks the row's agency again (wagtail#10746). They form the
"Đánh giá tổ chức" menu with the page of the agencies' scores of a year."""

import django_filters

from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from cms.admin_views import AdminPage
from org.admin_scope import ScopedSnippetViewSet
from org_scoring.access import (
    can_view,
    may_enter_province_tasks,
    may_view_quarterly_board,
    scoring_agencies,
)
from org_scoring.models import (
    OrganisationDisqualification,
    OrganisationGeneralMark,
    OrganisationShortcoming,
    OrganisationTask,
    QuarterlyRule,
    QuarterWindow,
    TaskOutcome,
)
from org_scoring.views.forms import (
    OrganisationGeneralMarkForm,
    OrganisationTaskForm,
    ScopedAgencyForm,
)
from scoring.models import OutstandingRecognition


class AgencyYearFilterSet(WagtailFilterSet):
    agency = django_filters.ModelChoiceFilter(
        label=_("Cơ quan, đơn vị (cả đơn vị trực thuộc)"),
        queryset=lambda request: scoring_agencies(request.user).order_by("path"),
        method="filter_agency",
    )

    def filter_agency(self, queryset, name, value):
        return queryset.filter(agency__path__startswith=value.path)


class TaskFilterSet(AgencyYearFilterSet):
    outcome = django_filters.ChoiceFilter(label=_("Kết quả"), choices=TaskOutcome.choices)

    class Meta:
        model = OrganisationTask
        fields = ["year"]


class MarkFilterSet(AgencyYearFilterSet):
    class Meta:
        model = OrganisationGeneralMark
        fields = ["year"]


class ShortcomingFilterSet(AgencyYearFilterSet):
    class Meta:
        model = OrganisationShortcoming
        fields = ["year"]


class DisqualificationFilterSet(AgencyYearFilterSet):
    class Meta:
        model = OrganisationDisqualification
        fields = ["year"]


class ScopedInputViewSet(ScopedSnippetViewSet):
    """Common parts: no copy view, rows of reachable agencies."""

    copy_view_enabled = False
    add_to_reference_index = False  # a record, not content (docs/architecture.md, "usage")
    list_per_page = 50
    list_select_related = ("agency",)


class CertifiedColumn(Column):
    def get_value(self, instance):
        return "✓" if instance.is_certified else "—"


class OrganisationTaskViewSet(ScopedInputViewSet):
    model = OrganisationTask
    icon = "tasks"
    menu_label = _("Nhiệm vụ được giao")
    menu_name = "org-scoring-tasks"
    list_display = [
        "document_ref",
        "agency",
        "year",
        "is_key_task",
        "deadline",
        "outcome",
        "delays",
        "completed_on",
        CertifiedColumn("certified", label=_("Đã xác nhận")),
    ]
    filterset_class = TaskFilterSet
    list_export = [
        "agency.code",
        "agency.name",
        "year",
        "document_ref",
        "document_title",
        "description",
        "is_key_task",
        "key_task",
        "deadline",
        "outcome",
        "delays",
        "completed_on",
        "quality_ensured",
        "certified_at",
        "note",
    ]
    export_filename = "nhiem-vu-to-chuc"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("agency"), FieldPanel("year")]),
            FieldRowPanel([FieldPanel("document_ref"), FieldPanel("document_title")]),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("is_key_task"), FieldPanel("key_task")]),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("deadline"), FieldPanel("completed_on")]),
                    FieldRowPanel([FieldPanel("outcome"), FieldPanel("delays")]),
                    FieldPanel("quality_ensured"),
                    FieldPanel("certify"),
                ],
                heading=_("Kết quả thực hiện"),
            ),
            FieldPanel("note"),
        ],
        base_form_class=OrganisationTaskForm,
    )


class OrganisationGeneralMarkViewSet(ScopedInputViewSet):
    model = OrganisationGeneralMark
    icon = "form"
    menu_label = _("Điểm tiêu chí chung của tổ chức")
    menu_name = "org-scoring-marks"
    list_display = ["criterion", "agency", "year", "self_mark", "appraised_mark", "updated_at"]
    filterset_class = MarkFilterSet
    list_export = [
        "agency.code",
        "agency.name",
        "year",
        "criterion",
        "self_mark",
        "appraised_mark",
        "appraised_at",
        "note",
    ]
    export_filename = "diem-tieu-chi-chung-to-chuc"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("agency"), FieldPanel("year"), FieldPanel("criterion")]),
            FieldRowPanel([FieldPanel("self_mark"), FieldPanel("appraised_mark")]),
            FieldPanel("note"),
        ],
        base_form_class=OrganisationGeneralMarkForm,
    )


class OrganisationShortcomingViewSet(ScopedInputViewSet):
    model = OrganisationShortcoming
    icon = "warning"
    menu_label = _("Hạn chế, khuyết điểm cần khắc phục")
    menu_name = "org-scoring-shortcomings"
    list_display = ["__str__", "agency", "year", "source", "remedied_on"]
    filterset_class = ShortcomingFilterSet
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("agency"), FieldPanel("year")]),
            FieldPanel("description"),
            FieldPanel("source"),
            FieldRowPanel([FieldPanel("remedied_on")]),
            FieldPanel("remedy_note"),
        ],
        base_form_class=ScopedAgencyForm,
    )


class OrganisationDisqualificationViewSet(ScopedInputViewSet):
    model = OrganisationDisqualification
    icon = "warning"
    menu_label = _("Trường hợp tổ chức không hoàn thành nhiệm vụ")
    menu_name = "org-scoring-disqualifications"
    list_display = ["agency", "year", "kind", "reference", "decided_on"]
    filterset_class = DisqualificationFilterSet
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("agency"), FieldPanel("year")]),
            FieldPanel("kind"),
            FieldRowPanel([FieldPanel("reference"), FieldPanel("decided_on")]),
            FieldPanel("reason"),
        ],
        base_form_class=ScopedAgencyForm,
    )


class RecognitionFilterSet(AgencyYearFilterSet):
    class Meta:
        model = OutstandingRecognition
        fields = ["year"]


class OutstandingRecognitionViewSet(ScopedInputViewSet):
    """Sở Nội vụ records the recognitions; agency admins see theirs (Decree 335 Art. 20 cl. 5b).
    The model is a scoring input (``scoring.OutstandingRecognition``, the annual quota); its
    admin stays in this menu, at the address it had when the model was in this app."""

    model = OutstandingRecognition
    url_prefix = "snippets/org_scoring/outstandingrecognition"
    admin_url_namespace = "wagtailsnippets_org_scoring_outstandingrecognition"
    icon = "pick"
    menu_label = _("Công nhận thành tích xuất sắc, nổi trội")
    menu_name = "org-scoring-recognitions"
    list_display = ["agency", "year", "decision_ref", "decided_on"]
    filterset_class = RecognitionFilterSet
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("agency"), FieldPanel("year")]),
            FieldRowPanel([FieldPanel("decision_ref"), FieldPanel("decided_on")]),
            FieldPanel("reason"),
        ],
        base_form_class=ScopedAgencyForm,
    )


class QuarterWindowViewSet(ScopedSnippetViewSet):
    """The Office's entry window of a quarter (Sở Nội vụ; default day 5 to day 10 of the
    quarter's last month, Gia Lai plan §V.3)."""

    model = QuarterWindow
    icon = "date"
    menu_label = _("Thời hạn nhập nhiệm vụ quý")
    menu_name = "org-scoring-quarter-windows"
    list_display = ["__str__", "opens_on", "closes_on", "late_entry", "remind_days"]
    copy_view_enabled = False
    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("quarter")]),
        FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
        FieldRowPanel([FieldPanel("late_entry"), FieldPanel("remind_days")]),
        FieldPanel("note"),
    ]


class QuarterlyRuleViewSet(ScopedSnippetViewSet):
    """How a quarter's tasks become a score and a level, and feed the year (Sở Nội vụ)."""

    model = QuarterlyRule
    icon = "cog"
    menu_label = _("Quy tắc đánh giá quý")
    menu_name = "org-scoring-quarterly-rules"
    list_display = ["effective_year", "late_credit", "excellent_min", "good_min", "annual_use"]
    copy_view_enabled = False
    panels = [
        FieldPanel("effective_year"),
        FieldPanel("late_credit"),
        FieldRowPanel(
            [FieldPanel("excellent_min"), FieldPanel("good_min"), FieldPanel("completed_min")]
        ),
        FieldPanel("annual_use"),
        FieldPanel("citation"),
    ]


class OrgScoringViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Đánh giá tổ chức")
    menu_icon = "site"
    menu_name = "org-scoring"
    menu_order = 340
    # Its snippets stay listed under Wagtail's "Dữ liệu dùng chung" too, as before the group.
    menu_item_is_registered = False
    items = (
        AdminPage(
            "org-scoring-results",
            menu_label=_("Kết quả đánh giá tổ chức"),
            url_name="org_scoring_index",
            icon="list-ol",
            shown_to=can_view,
        ),
        AdminPage(
            "org-scoring-quarter-board",
            menu_label=_("Đánh giá quý sở, ngành, xã"),
            url_name="org_scoring_quarter_board",
            icon="list-ol",
            shown_to=may_view_quarterly_board,
        ),
        AdminPage(
            "org-scoring-quarter-entry",
            menu_label=_("Nhập nhiệm vụ UBND tỉnh giao"),
            url_name="org_scoring_quarter_entry",
            icon="tasks",
            shown_to=may_enter_province_tasks,
        ),
        OrganisationTaskViewSet,
        OrganisationGeneralMarkViewSet,
        OrganisationShortcomingViewSet,
        OrganisationDisqualificationViewSet,
        OutstandingRecognitionViewSet,
        QuarterWindowViewSet,
        QuarterlyRuleViewSet,
    )
