"""The one authentication policy: what a signed-in session must still do before any surface
answers it, and who must present a second factor.

Every surface asks here: the admin, the account pages, downloads, private files, exports and
prints, the public site (``accounts.middleware.AccountGateMiddleware``: a redirect to the step
to finish, with ``?next=``), and the API when it is called with a browser session
(``api.authentication.VerifiedSessionAuthentication``: 403 with a Vietnamese message naming the
step). An integration system's token is not a session and is not concerned.

A session is finished when, in this order:

1. the second factor was presented in this session, if it is asked of the person: by one of
   their roles (:data:`ROLES`, chosen by ``KPI_2FA_ROLES`` while ``KPI_2FA_REQUIRED`` is on), or
   because they set one up themselves;
2. a password someone else set was changed (``must_change_password``), unless the person signed
   in through the province's identity provider (their local password is not used then).

The second factor comes first: whoever holds a password alone cannot change it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django_otp import user_has_device

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org import access
from org.models import AccessRole, LeadershipRole

#: What a session must still do (``pending``).
SETUP_SECOND_FACTOR = "second_factor_setup"
VERIFY_SECOND_FACTOR = "second_factor_required"
CHANGE_PASSWORD = "password_change_required"  # noqa: S105 (a step, not a password)

#: Kept in the session at sign-in: whether the person has set up a second factor.
SESSION_HAS_DEVICE = "kpi_has_second_factor"
#: The backend of a sign-in through the province's identity provider.
OIDC_BACKEND = "accounts.oidc.OIDCBackend"

#: Paths that answer a session that has not finished signing in: signing in and out, the
#: admin's icon sprite and translations (fetched by the pages of the steps themselves: redirected,
#: the page was drawn twice), the second-factor pages, activation, single sign-on, language.
OPEN_PATHS = (
    "/admin/login/",
    "/admin/logout/",
    "/admin/jsi18n/",
    "/admin/sprite",
    "/tai-khoan/xac-thuc/",
    "/tai-khoan/kich-hoat/",
    "/tai-khoan/dang-nhap-mot-lan/",
    "/oidc/",
    "/i18n/setlang/",
    "/healthz",
    "/static/",
)
#: The API answers for itself (``api.authentication``): a JSON refusal, not a redirect, and an
#: integration token sent with a stray session cookie still works.
API_PREFIX = "/api/"


# --- who must present a second factor: the role registry -------------------------------------


def _groups(user) -> frozenset[str]:
    return access.group_names(user)


def _posted(user, role: str) -> bool:
    return bool(access.posted_agency_ids(user, (role,)))


@dataclass(frozen=True)
class Role:
    """A role the second factor may be asked of: ``key`` (in ``KPI_2FA_ROLES``), its name on
    screen and in docs/security.md, and whether a user holds it now."""

    key: str
    label: str | Promise
    holds: Callable[[Any], bool]


#: Every role of the project, from the built-in groups (``org.access``), the agency grants
#: (``AgencyAccess``) and the postings held today (heads and deputies decide and evaluate:
#: Decree 335 Art. 15; a head of the province is the chairman, of an agency its director, of a
#: unit its head). Read on every request of a signed-in person while ``KPI_2FA_REQUIRED`` is on:
#: the groups, grants and postings are read once per request and shared with the menu.
ROLES: tuple[Role, ...] = (
    Role("superuser", gettext_lazy("Quản trị hệ thống (superuser)"), lambda u: u.is_superuser),
    Role(
        "home_affairs",
        gettext_lazy("Sở Nội vụ"),
        lambda u: access.HOME_AFFAIRS_GROUP in _groups(u),
    ),
    Role(
        "province_office",
        gettext_lazy("Văn phòng UBND tỉnh"),
        lambda u: access.PROVINCE_OFFICE_GROUP in _groups(u),
    ),
    Role(
        "agency_admin",
        gettext_lazy("Quản trị cơ quan"),
        lambda u: (
            access.AGENCY_ADMIN_GROUP in _groups(u) or access.has_grant(u, AccessRole.AGENCY_ADMIN)
        ),
    ),
    Role(
        "bloc_appraiser",
        gettext_lazy("Thẩm định khối (cơ quan chủ trì khối)"),
        lambda u: (
            access.BLOC_APPRAISER_GROUP in _groups(u)
            or access.has_grant(u, AccessRole.BLOC_APPRAISER)
        ),
    ),
    Role(
        "unit_leader",
        gettext_lazy("Lãnh đạo đơn vị (được cấp quyền)"),
        lambda u: (
            access.UNIT_LEADER_GROUP in _groups(u) or access.has_grant(u, AccessRole.UNIT_LEADER)
        ),
    ),
    Role(
        "head",
        gettext_lazy("Cấp trưởng: Chủ tịch UBND tỉnh, giám đốc, thủ trưởng, trưởng đơn vị"),
        lambda u: _posted(u, LeadershipRole.HEAD),
    ),
    Role(
        "deputy",
        gettext_lazy("Cấp phó, kể cả cấp phó được phân công phụ trách"),
        lambda u: _posted(u, LeadershipRole.DEPUTY),
    ),
    Role(
        "catalog_editor",
        gettext_lazy("Biên tập danh mục sản phẩm"),
        lambda u: any(name.startswith("Biên tập danh mục") for name in _groups(u)),
    ),
    Role(
        "civil_servant",
        gettext_lazy("Mọi người đang công tác (công chức, viên chức, người lao động)"),
        lambda u: bool(access.posted_agency_ids(u, tuple(LeadershipRole))),
    ),
)
ROLE_KEYS = tuple(role.key for role in ROLES)
#: Asked by default: whoever administers, appraises, decides or evaluates.
DEFAULT_ROLES = (
    "superuser",
    "home_affairs",
    "province_office",
    "agency_admin",
    "bloc_appraiser",
    "unit_leader",
    "head",
    "deputy",
)


def check_settings(app_configs=None, **kwargs) -> list:
    """System check: ``KPI_2FA_ROLES`` names only roles of :data:`ROLES` (the application does
    not start with a misspelt role, which would silently ask nobody)."""
    from django.core.checks import Error

    keys = getattr(settings, "KPI_2FA_ROLES", DEFAULT_ROLES)
    unknown = sorted(set(keys) - set(ROLE_KEYS))
    if not unknown:
        return []
    return [
        Error(
            f"KPI_2FA_ROLES names unknown role(s): {', '.join(unknown)}.",
            hint=f"Known roles: {', '.join(ROLE_KEYS)} (docs/operations.md §13).",
            id="accounts.E001",
        )
    ]


def required_roles() -> tuple[Role, ...]:
    """The roles that must present a second factor (none while ``KPI_2FA_REQUIRED`` is off)."""
    if not getattr(settings, "KPI_2FA_REQUIRED", True):
        return ()
    keys = getattr(settings, "KPI_2FA_ROLES", DEFAULT_ROLES)
    unknown = sorted(set(keys) - set(ROLE_KEYS))
    if unknown:
        raise ImproperlyConfigured(
            f"KPI_2FA_ROLES: unknown role(s) {', '.join(unknown)}; known: {', '.join(ROLE_KEYS)}"
        )
    return tuple(role for role in ROLES if role.key in keys)


def roles_asking(user) -> list[Role]:
    """The roles of ``user`` for which a second factor is asked of them."""
    if not _signed_in_person(user):
        return []
    return [role for role in required_roles() if role.holds(user)]


def required(user) -> bool:
    """Whether one of ``user``'s roles asks a second factor of them (stops at the first)."""
    if not _signed_in_person(user):
        return False
    return any(role.holds(user) for role in required_roles())


def _signed_in_person(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "pk", None) is not None


# --- what a session must still do -------------------------------------------------------------


def _has_device(request, user) -> bool:
    has = request.session.get(SESSION_HAS_DEVICE) if hasattr(request, "session") else None
    if has is None:  # a session from before this was kept
        has = user_has_device(user, confirmed=True)
    return has


def second_factor_asked(request, user) -> bool:
    """Asked of ``user`` in this session: by their role (read on each request, so a right granted
    during a session asks at once), or because they set a device up."""
    return required(user) or _has_device(request, user)


def _verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


def must_change_password(request, user) -> bool:
    if not getattr(user, "must_change_password", False):
        return False
    session = getattr(request, "session", None)
    return session is None or session.get(BACKEND_SESSION_KEY) != OIDC_BACKEND


def pending(request, user) -> str | None:
    """The step the session of ``user`` must still take (``SETUP_SECOND_FACTOR``,
    ``VERIFY_SECOND_FACTOR``, ``CHANGE_PASSWORD``), or None: every surface may answer."""
    if not _signed_in_person(user):
        return None
    if not _verified(user) and second_factor_asked(request, user):
        if user_has_device(user, confirmed=True):
            return VERIFY_SECOND_FACTOR
        return SETUP_SECOND_FACTOR
    if must_change_password(request, user):
        return CHANGE_PASSWORD
    return None


def is_open(path: str, step: str) -> bool:
    """Whether ``path`` answers a session whose next step is ``step``."""
    if path.startswith(OPEN_PATHS):
        return True
    return step == CHANGE_PASSWORD and path.startswith(reverse("accounts_change_password"))


_STEP_VIEWS = {
    SETUP_SECOND_FACTOR: "accounts_otp_setup",
    VERIFY_SECOND_FACTOR: "accounts_otp_verify",
    CHANGE_PASSWORD: "accounts_change_password",
}


def step_url(step: str, next_path: str = "") -> str:
    """The page where ``step`` is taken, returning to ``next_path`` afterwards."""
    url = reverse(_STEP_VIEWS[step])
    return f"{url}?{urlencode({'next': next_path})}" if next_path else url


def message(step: str) -> str:
    """What a surface that cannot redirect (the API) says to a session at ``step``."""
    if step == SETUP_SECOND_FACTOR:
        return _(
            "Tài khoản của bạn phải dùng xác thực hai lớp nhưng chưa thiết lập: mở %(url)s trên "
            "trình duyệt, thiết lập ứng dụng xác thực rồi gọi lại."
        ) % {"url": step_url(step)}
    if step == VERIFY_SECOND_FACTOR:
        return _(
            "Phiên đăng nhập này chưa qua xác thực hai lớp: mở %(url)s trên trình duyệt, nhập mã "
            "6 chữ số trong ứng dụng xác thực (hoặc một mã dự phòng) rồi gọi lại."
        ) % {"url": step_url(step)}
    return _(
        "Mật khẩu của bạn do người khác đặt: mở %(url)s trên trình duyệt, đổi mật khẩu rồi gọi lại."
    ) % {"url": step_url(step)}
