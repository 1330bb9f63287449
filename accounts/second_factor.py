"""Who must prove a second factor (TOTP, django-otp): kept for its callers; the rule itself is
``accounts.auth_policy`` (the role registry ``ROLES``, chosen by ``KPI_2FA_ROLES`` while
``KPI_2FA_REQUIRED`` is on; once a person has set a second factor up, it is asked of them too)."""

from django_otp import user_has_device

from accounts import auth_policy as policy


def required(user) -> bool:
    return policy.required(user)


def asked(user) -> bool:
    """Whether ``user`` must present a code before any surface answers them."""
    if not user.is_authenticated:
        return False
    return required(user) or user_has_device(user, confirmed=True)
