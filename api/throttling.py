"""Throttles whose rates are read from settings at request time.

DRF's own ``AnonRateThrottle``/``UserRateThrottle`` copy ``DEFAULT_THROTTLE_RATES`` into a class
attribute at import, so ``override_settings`` (tests) and settings changed after start-up are
ignored. These read ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]`` on every request.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import throttling
from rest_framework.settings import api_settings


class _RateFromSettings:
    scope: str

    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as exc:
            raise ImproperlyConfigured(
                f"No default throttle rate set for {self.scope!r} scope"
            ) from exc


class AnonThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    """Anonymous clients, per IP address: rate ``DEFAULT_THROTTLE_RATES["anon"]``."""

    scope = "anon"


class UserThrottle(_RateFromSettings, throttling.UserRateThrottle):
    """Signed-in users, per user: rate ``DEFAULT_THROTTLE_RATES["user"]``."""

    scope = "user"
