"""The "Kết nối văn bản" admin menu: sources, the two mapping screens, the review queue (packages
waiting for a mapping), the dead-letter list (refused packages, with their reasons), the run log
and the reconciliation report. Sở Nội vụ sees every source; an agency's admin its own sources
and their rows (``connectors.policy``, read and written through ``org.access``: listings show
``visible`` rows, forms offer ``pickable`` choices, a row opened or saved must pass
``access.may``). The run log and the packages are read-only."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from cms.admin_policies import ReadOnlyViewSetMixin
from cms.admin_views import AdminPage
from cms.listing import ShownInspectMixin
from cms.listing_exports import SafeIndexView
from org import access
from org.access import ADD, CHANGE, DELETE
from org.admin_scope import ScopedFormViewMixin, ScopedObjectMixin, _view

from .ingest import MISSING_PERSON, MISSING_TASK_TYPE
from .models import Package, PackageKind, PackageState, PersonMapping, Run, Source, TaskTypeMapping


class ScopedIndexView(SafeIndexView):
    """A listing of the rows the user reaches (``org.access.visible``)."""

    def get_base_queryset(self):
        return access.visible(self.request.user, super().get_base_queryset())


class ScopedModelViewSet(ModelViewSet):
    """A model viewset whose every view asks ``org.access`` (as ``ScopedSnippetViewSet``)."""

    index_view_class = ScopedIndexView
    add_view_class = _view(generic.CreateView, ScopedFormViewMixin, form_action=ADD)
    edit_view_class = _view(
        generic.EditView, ScopedObjectMixin, ScopedFormViewMixin, object_action=CHANGE
    )
    delete_view_class = _view(generic.DeleteView, ScopedObjectMixin, object_action=DELETE)
    inspect_view_class = _view(generic.InspectView, ShownInspectMixin, ScopedObjectMixin)


class PrefilledCreateView(ScopedFormViewMixin, generic.CreateView):
    """The add form takes its first values from the query (the review queue's "map" links)."""

    prefill: tuple[str, ...] = ()
    form_action = ADD

    def get_initial(self):
        initial = super().get_initial()
        for name in self.prefill:
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial


class SourceViewSet(ScopedModelViewSet):
    model = Source
    add_to_reference_index = False
    icon = "download"
    menu_label = _("Nguồn văn bản")
    name = "connector_sources"
    list_display = ["name", "agency", "kind", "is_active", "next_run_at", "failures"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    form_fields = [
        "name",
        "agency",
        "kind",
        "folder",
        "secret",
        "interval_minutes",
        "default_quantity",
        "completion_needs_review",
        "is_active",
    ]
    copy_view_enabled = False


class TaskTypeCreateView(PrefilledCreateView):
    prefill = ("source", "external_type")


class TaskTypeMappingViewSet(ScopedModelViewSet):
    model = TaskTypeMapping
    add_to_reference_index = False
    icon = "list-ul"
    menu_label = _("Ánh xạ loại việc")
    name = "connector_task_types"
    add_view_class = TaskTypeCreateView
    list_display = ["source", "external_type", "product_code"]
    list_filter = ["source"]
    search_fields = ["external_type", "product_code"]
    form_fields = ["source", "external_type", "product_code"]
    copy_view_enabled = False


class PersonCreateView(PrefilledCreateView):
    prefill = ("source", "external_person")


class PersonMappingViewSet(ScopedModelViewSet):
    model = PersonMapping
    add_to_reference_index = False
    icon = "user"
    menu_label = _("Ánh xạ người xử lý")
    name = "connector_people"
    add_view_class = PersonCreateView
    list_display = ["source", "external_person", "civil_servant"]
    list_filter = ["source"]
    search_fields = ["external_person"]
    form_fields = ["source", "external_person", "civil_servant"]
    copy_view_enabled = False


def _map_link(package: Package) -> str:
    if package.missing == MISSING_PERSON:
        return (
            reverse("connector_people:add")
            + "?"
            + urlencode({"source": str(package.source_id), "external_person": package.missing_key})
        )
    if package.missing == MISSING_TASK_TYPE:
        return (
            reverse("connector_task_types:add")
            + "?"
            + urlencode({"source": str(package.source_id), "external_type": package.missing_key})
        )
    return ""


def _map_label(package: Package) -> str:
    if package.missing == MISSING_PERSON:
        return str(_("Chọn công chức cho “%(key)s”") % {"key": package.missing_key})
    if package.missing == MISSING_TASK_TYPE:
        return str(_("Chọn sản phẩm cho loại “%(key)s”") % {"key": package.missing_key})
    return str(_("Chờ văn bản giao việc"))


class MapColumn(Column):
    cell_template_name = "connectors/map_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(url=_map_link(instance), label=_map_label(instance))
        return context


class PlanMatchColumn(Column):
    """A document package's work-plan match: the item it counts for, or the link to match it."""

    cell_template_name = "connectors/map_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        url = label = ""
        if instance.kind == PackageKind.DOCUMENT and instance.state in (
            PackageState.APPLIED,
            PackageState.WAITING,
        ):
            url = reverse("connectors_plan_match", args=[instance.pk])
            match = getattr(instance, "plan_match", None)
            label = (
                str(_("Đã khớp: %(item)s") % {"item": match.item.name[:60]})
                if match is not None
                else str(_("Khớp với kế hoạch"))
            )
        context.update(url=url, label=label)
        return context


PACKAGE_COLUMNS = [
    Column("source", label=_("nguồn")),
    Column("code", label=_("số, ký hiệu"), accessor=lambda p: p.data.get("code", "")),
    Column("subject", label=_("trích yếu"), accessor=lambda p: p.data.get("subject", "")),
    DateColumn("received_at", label=_("thời điểm nhận")),
    Column("state", label=_("tình trạng"), accessor="get_state_display"),
    Column("reason", label=_("lý do")),
]


class QueueIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(state=PackageState.WAITING)
            .select_related("source", "plan_match__item")
            .order_by("received_at", "id")
        )


class PackageIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("source", "plan_match__item")


class ReviewQueueViewSet(ReadOnlyViewSetMixin, ScopedModelViewSet):
    model = Package
    add_to_reference_index = False
    icon = "warning"
    menu_label = _("Chờ ánh xạ")
    name = "connector_queue"
    index_view_class = QueueIndexView
    list_display = [
        *PACKAGE_COLUMNS,
        MapColumn("map", label=_("cần làm")),
        PlanMatchColumn("plan", label=_("kế hoạch công tác")),
    ]
    list_filter = ["source", "missing"]
    form_fields = ["state"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "source",
        "kind",
        "document_id",
        "file_name",
        "received_at",
        "state",
        "reason",
        "line",
        "data",
    ]


class PackageViewSet(ReviewQueueViewSet):
    menu_label = _("Gói tin đã nhận")
    name = "connector_packages"
    icon = "doc-full"
    index_view_class = PackageIndexView
    list_display = [*PACKAGE_COLUMNS, PlanMatchColumn("plan", label=_("kế hoạch công tác"))]
    list_filter = ["source", "state", "kind"]


class DeadLetterIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(state=PackageState.REFUSED)
            .select_related("source")
            .order_by("-received_at", "-id")
        )


class DeadLetterViewSet(ReviewQueueViewSet):
    """Packages refused, each with its reason: what the document system must send again or
    differently (the source went on with the next package)."""

    menu_label = _("Gói tin bị từ chối")
    name = "connector_dead_letters"
    icon = "cross"
    index_view_class = DeadLetterIndexView
    list_display = [*PACKAGE_COLUMNS, Column("file_name", label=_("tên tệp"))]
    list_filter = ["source", "kind"]


class RunViewSet(ReadOnlyViewSetMixin, ScopedModelViewSet):
    model = Run
    add_to_reference_index = False
    icon = "history"
    menu_label = _("Nhật ký nhận gói tin")
    name = "connector_runs"
    list_display = [
        "source",
        "trigger",
        "started_at",
        "status",
        "received",
        "created",
        "updated",
        "unchanged",
        "waiting",
        "refused",
        "error",
    ]
    list_filter = ["source", "status", "trigger"]
    form_fields = ["status"]
    copy_view_enabled = False


def can_reconcile(user) -> bool:
    return user.has_perm("connectors.view_package")


class ConnectorsGroup(ModelViewSetGroup):
    menu_label = _("Kết nối văn bản")
    menu_icon = "download"
    menu_order = 890
    items = (
        SourceViewSet,
        TaskTypeMappingViewSet,
        PersonMappingViewSet,
        ReviewQueueViewSet,
        DeadLetterViewSet,
        PackageViewSet,
        RunViewSet,
        AdminPage(
            "connectors-reconciliation",
            menu_label=_("Đối soát theo tháng"),
            url_name="connectors_reconciliation",
            icon="table",
            shown_to=can_reconcile,
        ),
    )
