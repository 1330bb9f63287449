"""Snippet viewsets of the org structure: agencies tree, job positions, civil servants with
postings, deputy charges, authority rules and access grants, under one "Cơ cấu tổ chức" menu.
Every row goes through the one permission layer (``org.admin_scope.ScopedSnippetViewSet``)."""

import django_filters

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from cms.listing import FastCell
from org.access import CHANGE, DELETE, may, visible_agencies
from org.admin_scope import ScopedSnippetViewSet
from org.forms import (
    AgencyForm,
    CivilServantForm,
    CompetencyForm,
    DeputyChargeForm,
    JobDescriptionForm,
)
from org.job_description_views import JobDescriptionActionView, available_actions
from org.models import (
    Agency,
    AgencyAccess,
    AuthorityRule,
    BlocLead,
    CivilServant,
    Competency,
    DeputyCharge,
    JobDescription,
    JobPosition,
    LeadershipRole,
    PositionGroup,
)


class TreeNameColumn(FastCell, Column):
    """The agency name indented by its depth, so the listing reads as a tree."""

    def get_value(self, instance):
        return "\u2003" * instance.depth + instance.name


class AgencyViewSet(ScopedSnippetViewSet):
    model = Agency
    icon = "site"
    menu_label = _("Cơ quan, đơn vị")
    list_display = [TreeNameColumn("name", label=_("Tên")), "code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    list_export = ["code", "name", "short_name", "kind", "parent", "is_active"]
    export_filename = "co-quan-don-vi"
    ordering = ["path"]
    list_per_page = 100
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("code"), FieldPanel("kind")]),
            FieldPanel("name"),
            FieldPanel("short_name"),
            FieldPanel("parent"),
            FieldPanel("is_active"),
            FieldPanel("applies_to_contract_workers"),
            FieldPanel("counterparts"),
        ],
        base_form_class=AgencyForm,
    )


class JobPositionViewSet(ScopedSnippetViewSet):
    model = JobPosition
    icon = "tag"
    menu_label = _("Vị trí việc làm")
    list_display = ["code", "name", "group", "level", "is_active"]
    list_filter = ["group", "level", "is_active"]
    list_export = ["code", "name", "group", "level", "is_active"]
    export_filename = "vi-tri-viec-lam"
    copy_view_enabled = False
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("group"), FieldPanel("level")]),
        FieldPanel("name"),
        FieldPanel("is_active"),
    ]


class CompetencyViewSet(ScopedSnippetViewSet):
    """The province's competency dictionary (khung năng lực), kept by Sở Nội vụ."""

    model = Competency
    icon = "list-ul"
    menu_label = _("Khung năng lực")
    list_display = ["code", "name", "kind", "level_count", "is_active"]
    list_filter = ["kind", "is_active"]
    list_export = ["code", "name", "kind", "level_count", "definition", "is_active"]
    export_filename = "khung-nang-luc"
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("code"), FieldPanel("kind"), FieldPanel("level_count")]),
            FieldPanel("name"),
            FieldPanel("definition"),
            FieldPanel("is_active"),
            InlinePanel(
                "levels",
                heading=_("Các cấp độ"),
                label=_("Cấp độ"),
                panels=[FieldPanel("level"), FieldPanel("descriptor")],
            ),
        ],
        base_form_class=CompetencyForm,
    )


def _action_url(view, version, action: str) -> str:
    namespace = view.index_url_name.rsplit(":", 1)[0]
    return reverse(f"{namespace}:action", args=[version.pk, action])


class JobDescriptionIndexView(ScopedSnippetViewSet.index_view_class):
    """No edit or delete entry for a frozen (approved) version; its steps as entries."""

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if not instance.is_frozen else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if not instance.is_frozen else None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for action, label in available_actions(self.request.user, instance):
            buttons.append(
                Button(
                    label,
                    url=_action_url(self, instance, action),
                    icon_name="resubmit",
                    priority=40,
                )
            )
        return buttons


class JobDescriptionInspectView(ScopedSnippetViewSet.inspect_view_class):
    template_name = "org/job_description_inspect.html"

    def get_edit_url(self):
        return super().get_edit_url() if may(self.request.user, CHANGE, self.object) else None

    def get_delete_url(self):
        return super().get_delete_url() if may(self.request.user, DELETE, self.object) else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.object
        context.update(
            version=version,
            tasks=version.tasks.all(),
            requirements=version.requirements.all(),
            competencies=version.competencies.select_related("competency").prefetch_related(
                "competency__levels"
            ),
            steps=[
                (label, _action_url(self, version, action))
                for action, label in available_actions(self.request.user, version)
            ],
        )
        return context


class JobDescriptionViewSet(ScopedSnippetViewSet):
    """Versions of the job descriptions (bản mô tả công việc). Draft → submitted → approved
    (→ superseded); the steps are ``org.job_description_views``, an approved version is frozen
    by the permission layer (``org.policy``)."""

    model = JobDescription
    icon = "doc-full"
    menu_label = _("Bản mô tả công việc")
    list_display = [
        "job_position",
        "agency",
        "number",
        "status",
        "effective_from",
        "decision_number",
    ]
    list_filter = ["status", "job_position__group"]
    list_export = [
        "job_position",
        "agency",
        "number",
        "status",
        "decision_number",
        "decision_date",
        "signer",
        "effective_from",
    ]
    export_filename = "ban-mo-ta-cong-viec"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_select_related = ("job_position", "agency")
    index_view_class = JobDescriptionIndexView
    inspect_view_class = JobDescriptionInspectView
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("job_position"), FieldPanel("agency")]),
            FieldPanel("purpose"),
            InlinePanel(
                "tasks",
                heading=_("Nhiệm vụ"),
                label=_("Nhiệm vụ"),
                panels=[
                    FieldPanel("name"),
                    FieldRowPanel([FieldPanel("output"), FieldPanel("frequency")]),
                ],
            ),
            InlinePanel(
                "requirements",
                heading=_("Yêu cầu về trình độ, chuyên môn"),
                label=_("Yêu cầu"),
                panels=[FieldRowPanel([FieldPanel("kind"), FieldPanel("text")])],
            ),
            InlinePanel(
                "competencies",
                heading=_("Năng lực yêu cầu"),
                label=_("Năng lực"),
                panels=[FieldRowPanel([FieldPanel("competency"), FieldPanel("required_level")])],
            ),
            FieldPanel("note"),
        ],
        base_form_class=JobDescriptionForm,
    )

    @property
    def action_view(self):
        return JobDescriptionActionView.as_view(url_namespace=self.url_namespace)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("action/<int:pk>/<str:action>/", self.action_view, name="action"),
        ]


class CivilServantFilterSet(WagtailFilterSet):
    agency = django_filters.ModelChoiceFilter(
        label=_("Cơ quan, đơn vị"),
        queryset=lambda request: visible_agencies(request.user),
        method="filter_agency",
    )
    role = django_filters.ChoiceFilter(
        label=_("Chức vụ lãnh đạo"),
        choices=LeadershipRole.choices,
        field_name="postings__role",
        distinct=True,
    )
    group = django_filters.ChoiceFilter(
        label=_("Nhóm vị trí việc làm"),
        choices=PositionGroup.choices,
        field_name="postings__job_position__group",
        distinct=True,
    )

    class Meta:
        model = CivilServant
        fields = ["is_active", "gender"]

    def filter_agency(self, queryset, name, value):
        return queryset.filter(postings__agency__path__startswith=value.path).distinct()


class CurrentPostingColumn(FastCell, Column):
    def get_value(self, instance):
        posting = instance.current_posting
        return f"{posting.agency.name} — {posting.job_position.name}" if posting else "—"


#: Hook ``fn(person, user) -> list[wagtail.admin.widgets.Button]``: more buttons in the header
#: of a person's edit and inspect pages, for the apps above ``org`` (the multi-year results of
#: ``ratings``). Each function decides itself who sees its button.
PERSON_BUTTONS_HOOK = "org_person_header_buttons"


#: Hook ``fn(people, user)``: called once with the page of people the person listing shows,
#: before its rows' buttons are built, so that an app's listing button can answer for the
#: whole page in one query instead of one per row (``ratings``' multi-year results).
PERSON_ROWS_HOOK = "org_person_listing_rows"


class PersonRowsMixin:
    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        people = list(object_list)  # the rows are read here, once: the table reuses them
        for hook in hooks.get_hooks(PERSON_ROWS_HOOK):
            hook(people, self.request.user)
        return paginator, page, object_list, is_paginated


class PersonHeaderButtonsMixin:
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        for hook in hooks.get_hooks(PERSON_BUTTONS_HOOK):
            buttons.extend(hook(self.object, self.request.user))
        return buttons


class CivilServantViewSet(ScopedSnippetViewSet):
    index_view_class = type(
        "CivilServantIndexView",
        (PersonRowsMixin, ScopedSnippetViewSet.index_view_class),
        {"__module__": __name__},
    )
    edit_view_class = type(
        "CivilServantEditView",
        (PersonHeaderButtonsMixin, ScopedSnippetViewSet.edit_view_class),
        {"__module__": __name__},
    )
    inspect_view_class = type(
        "CivilServantInspectView",
        (PersonHeaderButtonsMixin, ScopedSnippetViewSet.inspect_view_class),
        {"__module__": __name__},
    )
    model = CivilServant
    add_to_reference_index = False  # a record, not content (docs/architecture.md, "usage")
    icon = "user"
    menu_label = _("Công chức")
    list_display = [
        "full_name",
        "official_id",
        CurrentPostingColumn("current_posting", label=_("Đang công tác")),
        "is_active",
    ]
    filterset_class = CivilServantFilterSet
    list_export = ["official_id", "full_name", "gender", "date_of_birth", "email", "is_active"]
    export_filename = "cong-chuc"
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("official_id"), FieldPanel("full_name")]),
                    FieldRowPanel(
                        [FieldPanel("gender"), FieldPanel("date_of_birth"), FieldPanel("is_active")]
                    ),
                    FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
                    FieldPanel("user"),
                ],
                heading=_("Thông tin cá nhân"),
            ),
            InlinePanel(
                "postings",
                heading=_("Quá trình công tác"),
                label=_("Quá trình công tác"),
                panels=[
                    FieldRowPanel([FieldPanel("agency"), FieldPanel("job_position")]),
                    FieldRowPanel(
                        [FieldPanel("role"), FieldPanel("category"), FieldPanel("title")]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("start_date"),
                            FieldPanel("end_date"),
                            FieldPanel("is_concurrent"),
                        ]
                    ),
                    FieldPanel("decision_ref"),
                ],
            ),
        ],
        base_form_class=CivilServantForm,
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("postings__agency", "postings__job_position")
        )


class AuthorityRuleViewSet(ScopedSnippetViewSet):
    model = AuthorityRule
    icon = "key"
    menu_label = _("Thẩm quyền đánh giá")
    list_display = [
        "name",
        "subject_agency_kind",
        "subject_parent_kind",
        "subject_role",
        "is_active",
    ]
    list_filter = ["subject_agency_kind", "subject_role", "is_active"]
    list_export = [
        "name",
        "subject_agency_kind",
        "subject_parent_kind",
        "subject_role",
        "evaluator_relation",
        "evaluator_kind",
        "rater_relation",
        "rater_kind",
        "opinion_relation",
        "opinion_kind",
        "citation",
        "is_active",
    ]
    export_filename = "tham-quyen-danh-gia"
    copy_view_enabled = False
    panels = [
        FieldPanel("name"),
        FieldRowPanel(
            [
                FieldPanel("subject_agency_kind"),
                FieldPanel("subject_parent_kind"),
                FieldPanel("subject_role"),
            ],
            heading=_("Người được đánh giá"),
        ),
        FieldRowPanel(
            [FieldPanel("evaluator_relation"), FieldPanel("evaluator_kind")],
            heading=_("Theo dõi, đánh giá"),
        ),
        FieldRowPanel(
            [FieldPanel("rater_relation"), FieldPanel("rater_kind")],
            heading=_("Xếp loại chất lượng"),
        ),
        FieldRowPanel(
            [FieldPanel("opinion_relation"), FieldPanel("opinion_kind")],
            heading=_("Xin ý kiến trước khi quyết định"),
        ),
        FieldPanel("citation"),
        FieldPanel("is_active"),
    ]


class AgencyAccessViewSet(ScopedSnippetViewSet):
    model = AgencyAccess
    add_to_reference_index = False  # a record, not content (docs/architecture.md, "usage")
    icon = "lock"
    menu_label = _("Phân quyền theo cơ quan")
    list_display = ["user", "agency", "role"]
    list_filter = ["role"]
    copy_view_enabled = False
    panels = [FieldPanel("user"), FieldPanel("agency"), FieldPanel("role")]
    list_select_related = ("user", "agency")


class DeputyChargeViewSet(ScopedSnippetViewSet):
    """Which units and people each deputy leader is in charge of (criterion d of deputies)."""

    model = DeputyCharge
    add_to_reference_index = False  # a record, not content (docs/architecture.md, "usage")
    icon = "user"
    menu_label = _("Phân công phụ trách")
    list_display = ["deputy", "start_date", "end_date", "decision_ref"]
    list_export = ["deputy", "start_date", "end_date", "decision_ref", "note"]
    export_filename = "phan-cong-phu-trach"
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldPanel("deputy"),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            FieldPanel("decision_ref"),
            FieldPanel("units"),
            FieldPanel("people"),
            FieldPanel("note"),
        ],
        base_form_class=DeputyChargeForm,
    )
    list_select_related = ("deputy",)


class BlocLeadViewSet(ScopedSnippetViewSet):
    """Which body leads each bloc (org.blocs): set by Sở Nội vụ as the province decides."""

    model = BlocLead
    add_to_reference_index = False  # a record, not content (docs/architecture.md, "usage")
    icon = "group"
    menu_label = _("Cơ quan chủ trì khối")
    list_display = ["root", "lead_agency", "reports_to", "citation"]
    copy_view_enabled = False
    panels = [
        FieldPanel("root"),
        FieldPanel("lead_agency"),
        FieldPanel("reports_to"),
        FieldPanel("citation"),
    ]
    list_select_related = ("root", "lead_agency")


class OrgViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Cơ cấu tổ chức")
    menu_icon = "group"
    menu_order = 200
    items = (
        AgencyViewSet,
        JobPositionViewSet,
        JobDescriptionViewSet,
        CompetencyViewSet,
        CivilServantViewSet,
        DeputyChargeViewSet,
        AuthorityRuleViewSet,
        AgencyAccessViewSet,
        BlocLeadViewSet,
    )
