"""**Nhật ký tài khoản**: the account events (sign-in, failure, second-factor failure, reset,
enrolment, linking, role change, sign-out), filterable by action, person, agency and date, and
exported to XLSX/CSV — who, whom, when (dd/mm/yyyy HH:MM), from where (IP). Written only by
``accounts.services.log_event``: the admin shows them, never changes them. Sở Nội vụ reads
every row; an agency admin the rows of the people whose sign-ins they administer
(:func:`events_for`)."""

from __future__ import annotations

import django_filters

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import ModelPermissionPolicy

from accounts.models import AccountEvent
from accounts.roles import admin_agencies, is_account_admin, managed_users_q
from cms.listing_exports import SafeIndexView
from cms.read_audit import AuditedExportMixin
from org import access
from org.models import Agency, Posting


def events_for(user):
    """The account events ``user`` may read in the listing: all for Sở Nội vụ; for an agency
    admin, those about the sign-ins they administer (``accounts.roles.managed_users_q``) and
    their own, within their reach (``org.access.visible``); nothing for anyone else."""
    if access.is_home_affairs(user):
        return AccountEvent.objects.all()
    if not is_account_admin(user):
        return AccountEvent.objects.none()
    managed = get_user_model().objects.filter(managed_users_q(user))
    return access.visible(user, AccountEvent).filter(Q(user__in=managed) | Q(user=user))


class AccountEventPolicy(ModelPermissionPolicy):
    """Read-only, and only for those who administer sign-ins (Sở Nội vụ, agency admins)."""

    def user_has_permission(self, user, action):
        return action == "view" and is_account_admin(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and is_account_admin(user)


def _agencies(request):
    user = getattr(request, "user", None)
    if user is None:
        return Agency.objects.none()
    return admin_agencies(user).order_by("path")


class AccountEventFilterSet(WagtailFilterSet):
    at = django_filters.DateFromToRangeFilter(label=_("Thời điểm"), widget=DateRangePickerWidget)
    person = django_filters.CharFilter(
        label=_("Người (họ tên, tên đăng nhập hoặc mã số)"), method="filter_person"
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Cơ quan, đơn vị"), queryset=_agencies, method="filter_agency"
    )

    class Meta:
        model = AccountEvent
        fields = ["action"]

    def filter_person(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(user__username__icontains=value)
            | Q(user__full_name__icontains=value)
            | Q(user__civil_servant__official_id__iexact=value)
            | Q(username__icontains=value)
            | Q(actor__username__icontains=value)
            | Q(actor__full_name__icontains=value)
        )

    def filter_agency(self, queryset, name, value):
        if value is None:
            return queryset
        posted = Posting.objects.filter(agency__path__startswith=value.path).values(
            "civil_servant_id"
        )
        return queryset.filter(user__civil_servant__in=posted)


class AccountEventIndexView(AuditedExportMixin, SafeIndexView):
    def get_base_queryset(self):
        return events_for(self.request.user).select_related("actor", "user")


class AccountEventViewSet(ModelViewSet):
    model = AccountEvent
    name = "account_events"
    url_prefix = "tai-khoan/nhat-ky"
    icon = "history"
    menu_label = _("Nhật ký tài khoản")
    add_to_admin_menu = False
    add_to_reference_index = False
    index_view_class = AccountEventIndexView
    filterset_class = AccountEventFilterSet
    list_display = [
        Column("when", label=_("Lúc"), accessor="when"),
        Column("who", label=_("Người thực hiện"), accessor="who"),
        Column("whom", label=_("Tài khoản"), accessor="whom"),
        Column("action", label=_("Việc"), accessor="action_label"),
        Column("detail", label=_("Chi tiết"), accessor="detail"),
        Column("where", label=_("Địa chỉ IP"), accessor="where"),
    ]
    list_export = ["when", "who", "whom", "action_label", "detail", "where"]
    export_headings = {
        "when": _("Lúc (dd/mm/yyyy HH:MM)"),
        "who": _("Người thực hiện"),
        "whom": _("Tài khoản"),
        "action_label": _("Việc"),
        "detail": _("Chi tiết"),
        "where": _("Địa chỉ IP"),
    }
    export_filename = "nhat-ky-tai-khoan"
    inspect_view_enabled = False
    copy_view_enabled = False
    form_fields = ["detail"]

    @property
    def permission_policy(self):
        return AccountEventPolicy(self.model)
