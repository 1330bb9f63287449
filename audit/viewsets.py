"""Sở Nội vụ's pages of the read log: every read or export of personal data, filterable by
who read, whose data, how and when (Law 91/2025 on personal data). Rows are written by
``audit.record_read`` only: the admin shows them, never changes them. With the change history
of score inputs they form the "Nhật ký và lịch sử" menu."""

import django_filters

from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from audit.models import PersonalDataRead
from cms.admin_policies import ReadOnlyViewSetMixin
from cms.admin_views import AdminPage
from cms.listing import ShownInspectView
from cms.listing_exports import SafeIndexView
from org.access import is_home_affairs
from org.models import CivilServant


class ReadLogFilterSet(WagtailFilterSet):
    at = django_filters.DateFromToRangeFilter(label=_("Thời điểm"), widget=DateRangePickerWidget)
    username = django_filters.CharFilter(
        label=_("Người đọc (tên đăng nhập)"), lookup_expr="icontains"
    )
    official_id = django_filters.CharFilter(
        label=_("Mã số công chức có dữ liệu được đọc"), method="filter_official_id"
    )

    class Meta:
        model = PersonalDataRead
        fields = ["kind", "format", "agency"]

    def filter_official_id(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        ids = list(CivilServant.objects.filter(official_id=value).values_list("pk", flat=True))
        if not ids:
            return queryset.none()
        return queryset.filter(subject_ids__contains=f",{ids[0]},")


class ReadLogViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    index_view_class = SafeIndexView
    inspect_view_class = ShownInspectView
    model = PersonalDataRead
    name = "personal_data_reads"
    icon = "view"
    menu_label = _("Nhật ký truy cập dữ liệu cá nhân")
    menu_name = "audit-read-log"
    add_to_reference_index = False
    filterset_class = ReadLogFilterSet
    search_fields = ["username", "label", "path"]
    list_display = ["at", "username", "kind", "format", "label", "row_count", "subject_count"]
    list_export = [
        "at",
        "username",
        "kind",
        "format",
        "model",
        "label",
        "row_count",
        "subject_count",
        "subject_ids",
        "query",
        "path",
        "ip",
        "agency",
    ]
    export_filename = "nhat-ky-truy-cap-du-lieu-ca-nhan"
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["kind"]


class AuditViewSetGroup(ViewSetGroup):
    menu_label = _("Nhật ký và lịch sử")
    menu_icon = "history"
    menu_name = "audit"
    menu_order = 950
    items = (
        ReadLogViewSet,
        AdminPage(
            "audit-change-history",
            menu_label=_("Lịch sử thay đổi dữ liệu chấm điểm"),
            url_name="audit_change_history",
            icon="history",
            shown_to=is_home_affairs,
        ),
    )
