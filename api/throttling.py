"""Throttles whose rates are read from settings at request time.

DRF's own ``AnonRateThrottle``/``UserRateThrottle`` copy ``DEFAULT_THROTTLE_RATES`` into a class
attribute at import, so ``override_settings`` (tests) and settings changed after start-up are
ignored. These read ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]`` on every request.
"""

import math

from rest_framework import throttling
from rest_framework.settings import api_settings

from django.core.exceptions import ImproperlyConfigured

from .conf import integration_rate
from .principal import ABSENT, is_system


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
        if is_system(request.user):
            return None
        return super().get_cache_key(request, view)


class IntegrationThrottle(throttling.SimpleRateThrottle):
    """Per integration token: rate ``DEFAULT_THROTTLE_RATES["integration"]`` (see api.conf).

    A fixed window per token: ``(start, count)`` in the shared cache, at most ``num_requests``
    requests from the first request of a window until ``duration`` seconds later. DRF's own
    throttle keeps the timestamp of every request of the window and writes the whole list back
    on every request: at the high rates integration tokens are given (thousands a minute) that
    list was the largest value the API wrote, pickled again on every lookup.
    """

    scope = "integration"
    # Not DRF's key: a worker still running the list-based throttle (during a deploy) must
    # never read a window, nor this one a list.
    cache_format = "throttle_%(scope)s_window_%(ident)s"

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        # Read with the token's lookup in the same request (api.authentication), once.
        window = request.user.prefetched.pop(self.key, ABSENT)
        if window is ABSENT:
            window = self.cache.get(self.key)
        if not (
            isinstance(window, tuple) and len(window) == 2 and window[0] > self.now - self.duration
        ):
            window = (self.now, 0)
        self.window_start, count = window
        if count >= self.num_requests:
            return self.throttle_failure()
        timeout = max(1, math.ceil(self.window_start + self.duration - self.now))
        self.cache.set(self.key, (self.window_start, count + 1), timeout)
        return True

    def wait(self):
        """Seconds until the token's window ends (the ``Retry-After`` header)."""
        return max(self.window_start + self.duration - self.now, 1)

    def get_rate(self):
        return integration_rate()

    def get_cache_key(self, request, view):
        if not is_system(request.user):
            return None
        return window_key(request.user.token.pk)


def window_key(token_pk) -> str:
    """The cache key of a token's throttle window."""
    return IntegrationThrottle.cache_format % {
        "scope": IntegrationThrottle.scope,
        "ident": token_pk,
    }
