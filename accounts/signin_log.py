"""Sign-in events, in the log (docs/operations.md, "Errors, logs and health") and as account
events (``accounts.services.log_event``: who, when, from where — listed and exported for Sở Nội
vụ under **Nhật ký tài khoản**, shown to the person on their account page): who signed in or out,
and failed attempts — at the sign-in page, a wrong activation code, single sign-on — never a
password. A burst of failures from one address is also what django-axes locks out (``AXES_*``
settings)."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from accounts.models import AccountEvent
from accounts.services import log_event

logger = logging.getLogger("accounts.signin")

#: ``user_login_failed`` senders that are not the sign-in page, and how the event names them.
ACTIVATION_SENDER = "accounts.activation"


def _address(request) -> str:
    if request is None:
        return "-"
    return request.META.get("REMOTE_ADDR") or "-"


def _how(request) -> str:
    """How the person signed in, for the event's detail (single sign-on or the password)."""
    from django.contrib.auth import BACKEND_SESSION_KEY

    session = getattr(request, "session", None)
    backend = session.get(BACKEND_SESSION_KEY, "") if session is not None else ""
    return _("đăng nhập một lần") if backend.endswith("OIDCBackend") else ""


@receiver(user_logged_in, dispatch_uid="accounts.signin_log.signed_in")
def signed_in(sender, request, user, **kwargs):
    logger.info("Sign-in: %s from %s", user.get_username(), _address(request))
    log_event(user, user, AccountEvent.Action.SIGNED_IN, _how(request), request=request)


@receiver(user_logged_out, dispatch_uid="accounts.signin_log.signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        logger.info("Sign-out: %s from %s", user.get_username(), _address(request))
        log_event(user, user, AccountEvent.Action.SIGNED_OUT, request=request)


@receiver(user_login_failed, dispatch_uid="accounts.signin_log.failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # ``credentials`` has the password already masked by Django; only the user name is kept.
    username = str(credentials.get("username", ""))[:150]
    logger.warning("Sign-in failed: %r from %s", username, _address(request))
    user = get_user_model().objects.filter(username__iexact=username).first() if username else None
    detail = _("sai mã kích hoạt") if sender == ACTIVATION_SENDER else ""
    log_event(
        None,
        user,
        AccountEvent.Action.SIGN_IN_FAILED,
        detail,
        request=request,
        username=username,
    )
