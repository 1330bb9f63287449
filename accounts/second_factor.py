"""Who must prove a second factor (TOTP, django-otp) to use the admin.

Required (``KPI_2FA_REQUIRED``, on by default; the test settings turn it off and tests turn it
on where they check it) for superusers, Sở Nội vụ, agency admins and the province office (the
chairman's office); optional for everyone else — but once a person has set it up, it is asked
of them too."""

from django_otp import user_has_device

from django.conf import settings

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP, PROVINCE_OFFICE_GROUP, group_names

REQUIRED_GROUPS = (HOME_AFFAIRS_GROUP, AGENCY_ADMIN_GROUP, PROVINCE_OFFICE_GROUP)


def required(user) -> bool:
    if not getattr(settings, "KPI_2FA_REQUIRED", True) or not user.is_authenticated:
        return False
    return user.is_superuser or not group_names(user).isdisjoint(REQUIRED_GROUPS)


def asked(user) -> bool:
    """Whether ``user`` must present a code before using the admin in this session."""
    if not user.is_authenticated:
        return False
    return required(user) or user_has_device(user, confirmed=True)
