"""Admin viewsets of the API: integration systems (with their tokens), the access log, the
national-database outbox and its overdue list, under one "API và tích hợp" menu. Sở Nội vụ only
(``api.policy``); the log and the outbox are read-only (``cms.admin_policies``)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton

from cms.admin_policies import ReadOnlyViewSetMixin
from cms.listing import ShownInspectView
from cms.listing_exports import SafeIndexView

from .models import ApiAccessLog, IntegrationSystem, NationalDelivery, OutboxRecord, OutboxStatus


class SystemIndexView(SafeIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(active_tokens=Count("tokens", filter=Q(tokens__revoked_at__isnull=True)))
        )


class SystemEditView(generic.EditView):
    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Mã truy cập API"),
                url=reverse("api_system_tokens", args=[self.object.pk]),
                icon_name="key",
            ),
        ]


def _tokens_label(system) -> str:
    return _("%(n)d mã đang dùng") % {"n": getattr(system, "active_tokens", 0)}


class IntegrationSystemViewSet(ModelViewSet):
    model = IntegrationSystem
    add_to_reference_index = False
    icon = "link"
    menu_label = _("Hệ thống tích hợp")
    name = "integration_systems"
    index_view_class = SystemIndexView
    edit_view_class = SystemEditView
    list_display = [
        "name",
        "is_active",
        "can_write",
        "national_export",
        TitleColumn(
            "tokens",
            label=_("mã truy cập"),
            accessor=_tokens_label,
            url_name="api_system_tokens",
        ),
        "created_at",
    ]
    list_filter = ["is_active", "can_write", "national_export"]
    search_fields = ["name", "contact"]
    form_fields = [
        "name",
        "agencies",
        "is_active",
        "can_write",
        "national_export",
        "contact",
        "note",
    ]
    copy_view_enabled = False


class AccessLogViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    index_view_class = SafeIndexView
    inspect_view_class = ShownInspectView
    model = ApiAccessLog
    # Written on every token read: keep Wagtail's reference index out of that hot path.
    add_to_reference_index = False
    icon = "list-ul"
    menu_label = _("Nhật ký truy cập API")
    name = "api_access_log"
    list_display = ["at", "system", "object_type", "count", "method", "path"]
    list_filter = ["system", "object_type"]
    list_export = ["at", "system", "object_type", "count", "method", "path"]
    form_fields = ["object_type"]
    copy_view_enabled = False
    inspect_view_enabled = True


OUTBOX_COLUMNS = [
    # The record opens from its kind (the inspect page: payload, attempts, last error).
    TitleColumn(
        "kind",
        label=_("loại kết quả"),
        accessor="get_kind_display",
        url_name="national_outbox:inspect",
    ),
    Column("official_id", label=_("mã số công chức")),
    Column("full_name", label=_("họ và tên")),
    Column("agency", label=_("cơ quan, đơn vị")),
    Column("year", label=_("năm")),
    # The days themselves (dd/mm/yyyy): Wagtail's DateColumn says "Vừa xong" for a due date
    # still to come.
    Column("result_date", label=_("ngày có kết quả")),
    Column("due_date", label=_("hạn gửi")),
    Column("status", label=_("trạng thái"), accessor="get_status_display"),
    Column("batch", label=_("lô gửi")),
]
OUTBOX_EXPORT = [
    "id",
    "kind",
    "official_id",
    "full_name",
    "agency",
    "year",
    "result_date",
    "due_date",
    "status",
    "batch",
    "attempts",
    "last_error",
]


class OutboxViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    index_view_class = SafeIndexView
    inspect_view_class = ShownInspectView
    model = OutboxRecord
    add_to_reference_index = False
    icon = "upload"
    menu_label = _("Gửi CSDL quốc gia")
    name = "national_outbox"
    list_display = OUTBOX_COLUMNS
    list_filter = ["status", "kind", "year"]
    list_export = OUTBOX_EXPORT
    form_fields = ["status"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "kind",
        "civil_servant",
        "agency",
        "period",
        "year",
        "result_date",
        "due_date",
        "status",
        "batch",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
        "acknowledged_at",
        "payload",
    ]


class OverdueIndexView(SafeIndexView):
    """Unsent records whose due date has passed (pending or failed)."""

    def get_base_queryset(self):
        return (
            OutboxRecord.objects.filter(
                status__in=(OutboxStatus.PENDING, OutboxStatus.FAILED),
                due_date__lt=timezone.localdate(),
            )
            .select_related("agency")
            .order_by("due_date", "id")
        )


class OverdueOutboxViewSet(OutboxViewSet):
    menu_label = _("Quá hạn gửi CSDL quốc gia")
    name = "national_outbox_overdue"
    icon = "warning"
    index_view_class = OverdueIndexView
    list_filter = ["kind", "year"]


class DeliveryViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    """Every attempt to send a batch, with the receiver's receipt or the error."""

    index_view_class = SafeIndexView
    inspect_view_class = ShownInspectView
    model = NationalDelivery
    add_to_reference_index = False
    icon = "tick-inverse"
    menu_label = _("Biên nhận gửi CSDL quốc gia")
    name = "national_deliveries"
    list_display = [
        "started_at",
        "batch",
        "transport",
        "status",
        "records",
        "accepted",
        "rejected",
        "reference",
        "error",
    ]
    list_filter = ["status"]
    form_fields = ["status"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "batch",
        "fingerprint",
        "transport",
        "started_at",
        "finished_at",
        "status",
        "records",
        "accepted",
        "rejected",
        "reference",
        "error",
        "response",
    ]


class ApiAdminGroup(ModelViewSetGroup):
    menu_label = _("API và tích hợp")
    menu_icon = "link"
    menu_order = 900
    items = (
        IntegrationSystemViewSet,
        AccessLogViewSet,
        OutboxViewSet,
        OverdueOutboxViewSet,
        DeliveryViewSet,
    )
