"""Before the admin answers a signed-in user: a password someone else set is changed first
(``must_change_password``), and a second factor is set up or presented where it is asked
(``accounts.second_factor``). After django-otp's ``OTPMiddleware``."""

from django_otp import user_has_device

from django.contrib.auth import BACKEND_SESSION_KEY
from django.shortcuts import redirect
from django.urls import reverse

from accounts import second_factor

#: Admin paths that stay open to a user who has not finished signing in.
OPEN_ADMIN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/jsi18n/")


SESSION_HAS_DEVICE = "kpi_has_second_factor"
#: The backend of a sign-in through the province's identity provider.
OIDC_BACKEND = "accounts.oidc.OIDCBackend"


def _must_change_password(request, user) -> bool:
    """A password someone else set is changed before the admin answers, unless the person
    signed in through the identity provider: their local password is not used then (a person
    given a sign-in in bulk and signing in only through the provider is never asked for one)."""
    if not getattr(user, "must_change_password", False):
        return False
    return request.session.get(BACKEND_SESSION_KEY) != OIDC_BACKEND


def remember_device(sender, request, user, **kwargs):
    """``user_logged_in``: whether the person has set up a second factor, kept in the session
    at sign-in (two queries once, not on every page; a device set up later verifies the session
    that set it up)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_HAS_DEVICE] = user_has_device(user, confirmed=True)


def _asked(request, user) -> bool:
    """Whether the second factor is asked of ``user``: by their role (read each time, so a right
    granted during a session asks at once), or because they set up a device."""
    if second_factor.required(user):
        return True
    has = request.session.get(SESSION_HAS_DEVICE)
    if has is None:  # a session from before this check existed
        has = user_has_device(user, confirmed=True)
    return has


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and path.startswith("/admin/")
            and not path.startswith(OPEN_ADMIN_PATHS)
        ):
            if _must_change_password(request, user):
                return redirect(reverse("accounts_change_password"))
            if not user.is_verified() and _asked(request, user):
                target = "accounts_otp_verify"
                if not user_has_device(user, confirmed=True):
                    target = "accounts_otp_setup"
                return redirect(f"{reverse(target)}?next={path}")
        return self.get_response(request)
