"""Throttles whose rates are read from settings at request time.

DRF's own ``AnonRateThrottle``/``UserRateThrottle`` copy ``DEFAULT_THROTTLE_RATES`` into a class
attribute at import, so ``override_settings`` (tests) and settings changed after start-up are
ignored. These read ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]`` on every request.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings

from django.core.exceptions import ImproperlyConfigured


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


class PersonThrottle(UserThrottle):
    """Signed-in people only (integration systems have their own budget), rate ``user``."""

    def get_cache_key(self, request, view):
        from .authentication import is_system

        if is_system(request.user):
            return None
        return super().get_cache_key(request, view)


class IntegrationThrottle(throttling.SimpleRateThrottle):
    """Per integration token: rate ``DEFAULT_THROTTLE_RATES["integration"]`` (see api.conf)."""

    scope = "integration"

    def get_rate(self):
        from .conf import integration_rate

        return integration_rate()

    def get_cache_key(self, request, view):
        from .authentication import is_system

        if not is_system(request.user):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.token.pk}
