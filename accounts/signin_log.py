"""Sign-in events in the log (docs/operations.md, "Errors, logs and health"): who signed in or
out, and failed attempts, with the client address; never a password. A burst of failures from
one address is also what django-axes locks out (``AXES_*`` settings)."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("accounts.signin")


def _address(request) -> str:
    if request is None:
        return "-"
    return request.META.get("REMOTE_ADDR") or "-"


@receiver(user_logged_in, dispatch_uid="accounts.signin_log.signed_in")
def signed_in(sender, request, user, **kwargs):
    logger.info("Sign-in: %s from %s", user.get_username(), _address(request))


@receiver(user_logged_out, dispatch_uid="accounts.signin_log.signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        logger.info("Sign-out: %s from %s", user.get_username(), _address(request))


@receiver(user_login_failed, dispatch_uid="accounts.signin_log.failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # ``credentials`` has the password already masked by Django; only the user name is kept.
    username = str(credentials.get("username", ""))[:150]
    logger.warning("Sign-in failed: %r from %s", username, _address(request))
