"""Row-level access for the API: ``org.access`` for people and tokens alike (the views' rows
through ``api.base.ScopedQuerysetMixin``); here the writing systems' and the national export's
permissions.

People (session sign-in) go through the project's one permission layer, unchanged:

* Sở Nội vụ (and superusers): every row;
* users granted agencies (``AgencyAccess``): rows of those agencies and their whole subtrees;
* a civil servant linked to the user: their own rows.

An integration system (token) sees and writes the rows of the agencies it was granted and their
subtrees — nothing else, and never through the people's functions (a system is not a user).
Reference data (agency tree, job positions, published catalogs, live frameworks, periods) is
readable by every signed-in caller: it is published on the public site anyway.
"""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org import access
from org.models import Agency, AgencyKind

from .principal import SystemPrincipal, is_system


def province_paths() -> list[str]:
    """The paths of the province People's Committee (``kind=province``): the root of the state
    administration. The Party committee and the Front are roots too, but not "the province"."""
    return list(Agency.objects.filter(kind=AgencyKind.PROVINCE).values_list("path", flat=True))


def sees_everything(user) -> bool:
    """Sở Nội vụ, or a system granted the province itself (not merely another tree root)."""
    if is_system(user):
        return any(path in user.scope_paths for path in province_paths())
    return access.is_home_affairs(user)


def system_may_write(principal: SystemPrincipal, agency: Agency) -> bool:
    """May the system write data of ``agency`` (inside one of its granted subtrees)?"""
    if not principal.system.can_write:
        return False
    return any(agency.path.startswith(path) for path in principal.scope_paths)


def system_may_write_paths(principal: SystemPrincipal, paths) -> dict[str, bool]:
    """``{path: may write}`` for many agency paths at once."""
    granted = principal.scope_paths if principal.system.can_write else []
    return {path: any(path.startswith(root) for root in granted) for path in paths}


# --------------------------------------------------------------------------- DRF permissions


class IsWritingSystem(BasePermission):
    """Only an integration system with the right to write (never a signed-in person)."""

    def has_permission(self, request, view):
        if not is_system(request.user):
            self.message = _(
                "Chỉ hệ thống tích hợp (xác thực bằng mã truy cập) được gửi dữ liệu qua địa chỉ "
                "này."
            )
            return False
        if not request.user.system.can_write:
            self.message = _("Hệ thống tích hợp này chỉ được đọc dữ liệu.")
            return False
        return True


class MayUseNationalExport(BasePermission):
    """Sở Nội vụ, or a system allowed to receive the national-database batches."""

    message: str | Promise = gettext_lazy(
        "Chỉ Sở Nội vụ hoặc hệ thống được phép mới đọc được dữ liệu này."
    )

    def has_permission(self, request, view):
        user = request.user
        if is_system(user):
            if not user.system.national_export:
                return False
            if not sees_everything(user):
                # The batches hold the whole province: a system scoped to some agencies would
                # read, and acknowledge, other agencies' records.
                self.message = _(
                    "Hệ thống nhận dữ liệu gửi Cơ sở dữ liệu quốc gia phải được cấp quyền toàn "
                    "tỉnh (UBND tỉnh). Đề nghị Sở Nội vụ cấp lại phạm vi cho hệ thống này."
                )
                return False
            return True
        return access.is_home_affairs(user)
