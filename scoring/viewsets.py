"""Snippet viewsets of the "Chấm điểm" admin menu; every view asks ``org.access`` through
``ScopedSnippetViewSet``. Integration provenance of assignment lines (source, external id) is
read-only in the admin (``scoring.policy``)."""

from django.db.models import OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from cms.admin_columns import LinkColumn, YesNoColumn
from cms.admin_policies import ReadOnlyViewSetMixin
from cms.backlinks import BacklinksPanel
from cms.listing import FastColumn, FastTitleColumn
from org.access import is_home_affairs
from org.admin_scope import ScopedSnippetViewSet
from scoring.explain import disqualifier_label
from scoring.models import (
    AnnualScore,
    AssignmentLine,
    CriteriaFramework,
    Disqualification,
    FrameworkAssignment,
    FrameworkProposal,
    Period,
    PeriodScore,
    PeriodStatus,
    ScoringRun,
    StaleFigure,
    StaleKind,
    VariantPolicy,
)
from scoring.services import freshness
from scoring.services.frameworks import known_disqualifiers
from scoring.views.filters import (
    AnnualScoreFilterSet,
    AssignmentLineFilterSet,
    PeriodScoreFilterSet,
)
from scoring.views.forms import (
    AssignmentLineForm,
    CriteriaFrameworkForm,
    DisqualificationForm,
    FrameworkAssignmentForm,
    FrameworkProposalForm,
)
from scoring.views.inspect import AnnualBasisMixin, CriteriaFrameworkInspectView


def framework_editor_url(framework) -> str:
    """The structured editor; an agency's own framework changes only through its proposal, so
    its row opens the readable rules instead."""
    if FrameworkProposal.objects.filter(framework=framework).exists():
        return reverse("wagtailsnippets_scoring_criteriaframework:inspect", args=[framework.pk])
    return reverse("scoring_framework_editor", args=[framework.pk])


class CriteriaFrameworkViewSet(ScopedSnippetViewSet):
    """The listing opens the structured editor (``scoring.views.framework_editor``); Wagtail's
    edit form stays as the JSON import for IT."""

    model = CriteriaFramework
    icon = "doc-full"
    menu_label = _("Khung tiêu chí")
    list_display = [
        FastTitleColumn("name", label=_("Tên khung"), get_url=framework_editor_url),
        "code",
        "period_type",
        "applies_to",
        "live",
    ]
    list_filter = ["applies_to", "period_type", "live"]
    copy_view_enabled = True
    inspect_view_enabled = True
    inspect_view_class = CriteriaFrameworkInspectView
    inspect_view_fields = ["name", "code", "period_type", "applies_to", "legal_basis", "rules"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
            FieldRowPanel([FieldPanel("period_type"), FieldPanel("applies_to")]),
            FieldPanel("description"),
            FieldPanel("legal_basis"),
            FieldPanel("rules"),
        ],
        base_form_class=CriteriaFrameworkForm,
    )


class FrameworkAssignmentViewSet(ScopedSnippetViewSet):
    model = FrameworkAssignment
    add_to_reference_index = False  # a record, not content (docs/architecture.md, "usage")
    icon = "site"
    menu_label = _("Phạm vi áp dụng khung")
    list_display = ["framework", "agency", "effective_from", "decision_ref"]
    list_filter = ["framework"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("framework"),
            FieldPanel("agency"),
            FieldRowPanel([FieldPanel("effective_from"), FieldPanel("decision_ref")]),
            FieldPanel("note"),
            FieldPanel("confirm_split"),
        ],
        base_form_class=FrameworkAssignmentForm,
    )
    list_select_related = ("framework", "agency")


def proposal_steps_url(proposal) -> str:
    return reverse("scoring_proposal_steps", args=[proposal.pk])


class FrameworkProposalViewSet(ScopedSnippetViewSet):
    """An agency's own framework, drafted from the province's (ĐL §IV.4, LC §III.1, NA
    §IV.1.2); its steps are on the proposal's page (``scoring_proposal_steps``)."""

    model = FrameworkProposal
    icon = "doc-full-inverse"
    menu_label = _("Khung tiêu chí đề xuất")
    list_display = [
        FastTitleColumn("name", label=_("Tên khung đề xuất"), get_url=proposal_steps_url),
        "agency",
        "scope",
        "base",
        "status",
        "decision_number",
        "effective_from",
    ]
    list_filter = ["status", "scope"]
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_handler = ObjectList(
        [
            BacklinksPanel(),
            FieldRowPanel([FieldPanel("agency"), FieldPanel("base")]),
            FieldPanel("scope"),
            FieldPanel("name"),
            FieldPanel("explanation"),
            FieldPanel("rules"),
        ],
        base_form_class=FrameworkProposalForm,
    )
    list_select_related = ("agency", "base")


class VariantPolicyViewSet(ScopedSnippetViewSet):
    """What agencies may change in a variant of a province framework (Sở Nội vụ sets it)."""

    model = VariantPolicy
    icon = "cogs"
    menu_label = _("Phạm vi được điều chỉnh khung")
    list_display = [
        "base",
        "may_reword",
        "may_change_points",
        "may_add_criteria",
        "max_added_criteria",
        "may_remove_criteria",
    ]
    copy_view_enabled = False
    panels = [
        FieldPanel("base"),
        FieldRowPanel([FieldPanel("may_reword"), FieldPanel("may_change_points")]),
        FieldRowPanel([FieldPanel("may_add_criteria"), FieldPanel("max_added_criteria")]),
        FieldRowPanel([FieldPanel("may_remove_criteria"), FieldPanel("min_criterion_points")]),
        FieldPanel("note"),
    ]
    list_select_related = ("base",)


def close_url(period) -> str | None:
    """The guided close of an open period (dashboards), for the period listing."""
    if not period.accepts_inputs:
        return None
    try:
        return reverse("dashboards_period_close", args=[period.pk])
    except NoReverseMatch:
        return None


def reopen_url(period) -> str | None:
    """The confirmation page that reopens a closed period (dashboards; issue 30 item 11)."""
    if period.status != PeriodStatus.CLOSED:
        return None
    try:
        return reverse("dashboards_period_reopen", args=[period.pk])
    except NoReverseMatch:
        return None


class PeriodForm(WagtailAdminModelForm):
    """A closed period is not reopened by this form's status dropdown, which acted at once
    (review 2026-11-23 C16): "Mở lại…" in the listing opens a page that says what reopening
    does and asks to confirm."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("status")
        if field is None or not self.instance.pk or self.instance.status == PeriodStatus.OPEN:
            return
        field.choices = [c for c in field.choices if c[0] != PeriodStatus.OPEN]
        field.help_text = _(
            "Mở lại kỳ đã khóa sổ: bấm “Mở lại…” ở dòng của kỳ trong danh sách kỳ đánh giá."
        )


class PeriodViewSet(ScopedSnippetViewSet):
    model = Period
    icon = "date"
    menu_label = _("Kỳ đánh giá")
    list_display = [
        "__str__",
        "kind",
        "start_date",
        "end_date",
        "status",
        YesNoColumn("published", label=_("Công khai kết quả")),
        LinkColumn(
            "close",
            label=_("Khóa sổ"),
            url=close_url,
            text=_("Khóa sổ…"),
            shown=is_home_affairs,
        ),
        LinkColumn(
            "reopen",
            label=_("Mở lại"),
            url=reopen_url,
            text=_("Mở lại…"),
            shown=is_home_affairs,
        ),
    ]
    list_filter = ["kind", "year", "status", "published"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("kind"), FieldPanel("year"), FieldPanel("number")]),
            FieldRowPanel([FieldPanel("status"), FieldPanel("published")]),
        ],
        base_form_class=PeriodForm,
    )


class AssignmentLineIndexView(ScopedSnippetViewSet.index_view_class):
    #: The newest period first, each person's lines together in the order they were entered:
    #: the order the index on (period, person) gives, walked backwards, so a page reads its 50
    #: lines, not the reach's. The model's own order (the period's date, the person's name)
    #: sorted every line in the reach first: 3.8–6.7 s a page at 100,000 people and four
    #: months (1.2 million lines; issue 48), growing with every month. A column's header still
    #: sorts by it; the filters (period, agency, person) narrow the page.
    default_ordering = ("-period_id", "-civil_servant_id", "id")


class AssignmentLineViewSet(ScopedSnippetViewSet):
    model = AssignmentLine
    index_view_class = AssignmentLineIndexView
    add_to_reference_index = False  # a record, not content (docs/architecture.md, "usage")
    icon = "tasks"
    menu_label = _("Giao việc")
    list_display = [
        "civil_servant",
        FastColumn("item", label=_("Sản phẩm/công việc"), accessor="item"),
        "period",
        "assigned_quantity",
        "completed_quantity",
        "failed_reviews",
        "delays",
        "unit",
    ]
    filterset_class = AssignmentLineFilterSet
    list_export = [
        "civil_servant.official_id",
        "civil_servant.full_name",
        "period.code",
        "item.code",
        "item.name",
        "item.coefficient",
        "unit.code",
        "assigned_quantity",
        "completed_quantity",
        "deadline",
        "completed_on",
        "failed_reviews",
        "delays",
        "source",
        "external_id",
    ]
    export_filename = "giao-viec"
    list_per_page = 50
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("civil_servant"), FieldPanel("period")]),
            FieldRowPanel([FieldPanel("item"), FieldPanel("unit")]),
            FieldRowPanel([FieldPanel("assigned_quantity"), FieldPanel("completed_quantity")]),
            FieldRowPanel([FieldPanel("deadline"), FieldPanel("completed_on")]),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("failed_reviews"), FieldPanel("delays")]),
                ],
                heading=_("Số lần bị trừ điểm (nhập khi không ghi nhận từng lần)"),
            ),
            FieldRowPanel([FieldPanel("source"), FieldPanel("external_id")]),
            FieldPanel("note"),
        ],
        base_form_class=AssignmentLineForm,
    )
    list_select_related = ("civil_servant", "period", "unit", "item__version")


def explain_url(score) -> str:
    return reverse("scoring_explain", args=[score.pk])


class PeriodScoreIndexView(ScopedSnippetViewSet.index_view_class):
    #: The newest period first, an agency's people by name: the order the index on (period,
    #: agency) gives, walked backwards, so a page reads its 50 rows (and the agency's people to
    #: sort them), not the province's. The model's own order (the period's date, the agency's
    #: place in the tree, the person's name) joins and sorts every stored score first: 1.3–3.8 s
    #: a page at 100,000 people and two months, and the listing Sở Nội vụ browses most
    #: (issue 48's month-end with 200 people browsing). A column's header still sorts by it.
    default_ordering = (
        "-period_id",
        "-agency_id",
        "civil_servant__full_name",
        "civil_servant__official_id",
    )


class PeriodScoreViewSet(ReadOnlyViewSetMixin, ScopedSnippetViewSet):
    model = PeriodScore
    index_view_class = PeriodScoreIndexView
    add_to_reference_index = False  # a record, not content (docs/architecture.md, "usage")
    icon = "list-ol"
    menu_label = _("Kết quả theo kỳ")
    list_display = [
        FastTitleColumn("civil_servant", label=_("Công chức"), get_url=explain_url),
        "period",
        "agency",
        "total",
        "rating",
        "computed_at",
    ]
    filterset_class = PeriodScoreFilterSet
    list_export = [
        "civil_servant.official_id",
        "civil_servant.full_name",
        "period.code",
        "agency.code",
        "agency.name",
        "role",
        *PeriodScore.FIGURES,
        "engine_version",
        "framework_revision_id",
        "inputs_hash",
        "computed_at",
    ]
    export_filename = "ket-qua-cham-diem-ky"
    # A card per result on a phone (review 2026-11-23 K7); the columns above, in this order.
    index_results_template_name = "scoring/admin/periodscore_results.html"
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = False

    list_select_related = ("civil_servant", "period", "agency")


def _stale_since():
    """The time the inputs of an annual score changed, while it is being recomputed (issue 28;
    ``scoring.services.freshness``): one subquery for the listing's page of rows."""
    marks = StaleFigure.objects.filter(kind=StaleKind.ANNUAL, year=OuterRef("year")).filter(
        Q(subject_id=OuterRef("civil_servant_id")) | Q(subject_id=None)
    )
    return Subquery(marks.order_by("since").values("since")[:1])


class AnnualScoreIndexView(ScopedSnippetViewSet.index_view_class):
    #: The newest year first, an agency's people by name: the order of the index on (year,
    #: agency), walked backwards, as the period scores' listing. The model's own order (the
    #: agency's place in the tree) sorted the year's every score first: 360–440 ms a page at
    #: 100,000 people (issue 48). A column's header still sorts by it.
    default_ordering = (
        "-year",
        "-agency_id",
        "civil_servant__full_name",
        "civil_servant__official_id",
    )

    def get_base_queryset(self):
        return super().get_base_queryset().annotate(stale_since=_stale_since())


def _freshness(score) -> str:
    since = getattr(score, "stale_since", None)
    return freshness.label(since) if since else ""


class AnnualScoreViewSet(ReadOnlyViewSetMixin, ScopedSnippetViewSet):
    model = AnnualScore
    add_to_reference_index = False  # a record, not content (docs/architecture.md, "usage")
    icon = "pick"
    menu_label = _("Kết quả xếp loại năm")
    index_view_class = AnnualScoreIndexView
    list_display = [
        "civil_servant",
        "year",
        "agency",
        "score",
        FastColumn("stale_since", label=_("Tình trạng số liệu"), accessor=_freshness),
        "rating_before_quota",
        "rating",
        "quota_needs_decision",
    ]
    filterset_class = AnnualScoreFilterSet
    list_export = [
        "civil_servant.official_id",
        "civil_servant.full_name",
        "year",
        "agency.code",
        "agency.name",
        *AnnualScore.FIGURES,
        "inputs_hash",
        "computed_at",
    ]
    export_filename = "ket-qua-xep-loai-nam"
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True
    # The scoped inspect view (org.admin_scope: access, audit of personal reads) with the basis.
    inspect_view_class = type(
        "AnnualScoreInspectView",
        (AnnualBasisMixin, ScopedSnippetViewSet.inspect_view_class),
        {"__module__": __name__},
    )
    # The periods' ids mean nothing to a person: the basis above lists the periods themselves.
    # The own digest and the quota group's key are the re-ranking's bookkeeping (its group is
    # shown in words by the basis's quota section).
    inspect_view_fields_exclude = ["period_score_ids", "own_digest", "quota_group"]

    list_select_related = ("civil_servant", "agency")


class DisqualifierColumn(FastColumn):
    """The case in the framework's words, never its code (review 2026-11-25, ux M3:
    "discipline_reprimand_or_heavier" in the listing); the labels read once per page."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        labels = getattr(request, "_kpi_disqualifiers", None)
        if labels is None:
            labels = known_disqualifiers()
            if request is not None:
                request._kpi_disqualifiers = labels
        context["value"] = labels.get(instance.kind) or disqualifier_label(instance.kind)
        return context


class DisqualificationViewSet(ScopedSnippetViewSet):
    model = Disqualification
    add_to_reference_index = False  # a record, not content (docs/architecture.md, "usage")
    icon = "warning"
    menu_label = _("Trường hợp không hoàn thành")
    list_display = [
        "civil_servant",
        "year",
        DisqualifierColumn("kind", label=_("Trường hợp")),
        "reference",
        "decided_on",
    ]
    list_filter = ["year", "kind"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("civil_servant"), FieldPanel("year")]),
            FieldPanel("kind"),
            FieldRowPanel([FieldPanel("reference"), FieldPanel("decided_on")]),
            FieldPanel("note"),
        ],
        base_form_class=DisqualificationForm,
    )
    list_select_related = ("civil_servant",)


class ScoringRunViewSet(ReadOnlyViewSetMixin, ScopedSnippetViewSet):
    """When scores were last computed in the background, for what, and what is still waiting
    (``scoring.services.rescoring``); written by the task worker only."""

    model = ScoringRun
    add_to_reference_index = False  # a record, not content (docs/architecture.md, "usage")
    icon = "history"
    menu_label = _("Tính điểm tự động")
    list_display = [
        "created_at",
        "period",
        "agency",
        "reason",
        "status",
        "people_count",
        "written",
        "with_errors",
        "finished_at",
        "attempts",
        "last_error",
    ]
    list_filter = ["status", "period"]
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True
    list_select_related = ("period", "agency")


class ScoringViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Chấm điểm")
    menu_icon = "list-ol"
    menu_order = 300
    items = (
        PeriodScoreViewSet,
        AnnualScoreViewSet,
        ScoringRunViewSet,
        AssignmentLineViewSet,
        PeriodViewSet,
        DisqualificationViewSet,
        CriteriaFrameworkViewSet,
        FrameworkAssignmentViewSet,
        FrameworkProposalViewSet,
        VariantPolicyViewSet,
    )
