"""The account gate: before any page answers a signed-in person, their session has finished
signing in (``accounts.auth_policy``: the second factor where it is asked, then the change of a
password someone else set). After django-otp's ``OTPMiddleware``.

Every path is gated but the few ``policy.OPEN_PATHS`` and the API, which answers for itself with
the same policy (``api.authentication.VerifiedSessionAuthentication``). A page is redirected to
the step to take, with ``?next=``; a request that is not a page (an icon sprite, a fetch, a
download link followed by a script) gets a plain 403 naming the step, never the step's page in
its place (drawn inside the page that asked, it showed the page twice)."""

from django_otp import user_has_device

from django.http import HttpResponseForbidden
from django.shortcuts import redirect

from accounts import auth_policy as policy

#: Kept for the imports of before ``accounts.auth_policy``.
SESSION_HAS_DEVICE = policy.SESSION_HAS_DEVICE
OIDC_BACKEND = policy.OIDC_BACKEND


def remember_device(sender, request, user, **kwargs):
    """``user_logged_in``: whether the person has set up a second factor, kept in the session
    at sign-in (two queries once, not on every page; a device set up later verifies the session
    that set it up)."""
    if request is not None and hasattr(request, "session"):
        request.session[policy.SESSION_HAS_DEVICE] = user_has_device(user, confirmed=True)


def _is_page(request) -> bool:
    """A navigation to a page, as opposed to a script's fetch of a resource."""
    mode = request.headers.get("Sec-Fetch-Mode")
    return not mode or mode == "navigate"


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not path.startswith(policy.API_PREFIX)
            and (step := policy.pending(request, user)) is not None
            and not policy.is_open(path, step)
        ):
            if _is_page(request):
                back = request.get_full_path() if request.method in ("GET", "HEAD") else path
                return redirect(policy.step_url(step, back))
            return HttpResponseForbidden(
                policy.message(step), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
