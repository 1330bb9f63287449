"""Token authentication for integration systems.

A system sends ``Authorization: Token <token>`` (or ``Bearer <token>``). The token is hashed
with sha256 and looked up; only the hash is stored. The request's user becomes a
:class:`~api.principal.SystemPrincipal` — not a Django user: it has no groups, no permissions
and no person of its own; ``org.access`` reaches rows for it through its ``scope_paths``, like
an agency grant.
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from rest_framework import exceptions
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    get_authorization_header,
)

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import auth_policy as policy

from . import framework_names
from .models import IntegrationToken, hash_token
from .principal import ABSENT, SystemPrincipal
from .throttling import IntegrationThrottle, window_key

KEYWORDS = (b"token", b"bearer")
#: ``last_used_at`` is written at most this often per token (a read must not always write).
TOUCH_EVERY = timedelta(minutes=5)


# A token lookup is two queries (token + system, granted paths) on every request; a few seconds
# of in-process memory saves them. Every process trusts its memory only while the shared
# "token generation" (in the cache every worker shares: the database cache in production) is
# the one it saw when it remembered the token. Revoking or rotating a token, deactivating a
# system or changing its agencies writes a new generation (api.signals), so every process looks
# the token up again on its next request: revocation is immediate everywhere, not after
# ``KPI_API_TOKEN_CACHE_SECONDS`` (default 30; 0 disables the memory).
_CACHE: dict[str, tuple[float, IntegrationToken, tuple[str, ...], str]] = {}
GENERATION_KEY = "kpi:api-token-generation"


def token_cache_seconds() -> float:
    from django.conf import settings

    return float(getattr(settings, "KPI_API_TOKEN_CACHE_SECONDS", 30))


def _shared_generation(found: dict | None = None) -> str | None:
    from django.core.cache import cache

    generation = cache.get(GENERATION_KEY) if found is None else found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


def forget_tokens() -> None:
    """Drop every remembered token lookup, in this process and (through the shared generation)
    in every other one."""
    from django.core.cache import cache

    _CACHE.clear()
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _lookup(key_hash: str):
    """``(token row, granted paths, {cache key: value prefetched})``. With a remembered lookup
    the shared generation and the token's throttle window are read in one cache round trip
    (the throttle then reads its window from the principal, not the cache again)."""
    ttl = token_cache_seconds()
    now = time.monotonic()
    prefetched: dict = {}
    generation = None
    if ttl > 0:
        hit = _CACHE.get(key_hash)
        if hit is not None and hit[0] > now:
            from django.core.cache import cache

            # The throttle's window too, when the throttle keeps it in this same cache, and
            # the generation of the framework names the explanation shows.
            window = window_key(hit[1].pk) if IntegrationThrottle.cache is cache else None
            keys = [GENERATION_KEY, framework_names.GENERATION_KEY]
            found = cache.get_many([*keys, window] if window else keys)
            generation = _shared_generation(found)
            if hit[3] == generation:
                if window:
                    prefetched[window] = found.get(window, ABSENT)
                prefetched[framework_names.GENERATION_KEY] = found.get(
                    framework_names.GENERATION_KEY
                )
                return hit[1], hit[2], prefetched
        else:
            generation = _shared_generation()
    row = (
        IntegrationToken.objects.usable().select_related("system").filter(key_hash=key_hash).first()
    )
    if row is None:
        _CACHE.pop(key_hash, None)
        return None, (), prefetched
    paths = tuple(row.system.agencies.values_list("path", flat=True))
    if generation is not None:
        if len(_CACHE) > 10_000:
            _CACHE.clear()
        _CACHE[key_hash] = (now + ttl, row, paths, generation)
    return row, paths, prefetched


class IntegrationTokenAuthentication(BaseAuthentication):
    """``Authorization: Token <token>`` or ``Authorization: Bearer <token>``."""

    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Tiêu đề Authorization phải có dạng “Token <mã truy cập>”.")
            )
        try:
            token = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập không hợp lệ hoặc đã bị thu hồi.")
            ) from exc
        row, paths, prefetched = _lookup(hash_token(token))
        if row is None:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ hoặc đã bị thu hồi."))
        self._touch(row)
        principal = SystemPrincipal(row.system, row, paths)
        principal.prefetched = prefetched
        return principal, row

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'

    @staticmethod
    def _touch(row: IntegrationToken) -> None:
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
            IntegrationToken.objects.filter(pk=row.pk).update(last_used_at=now)
            row.last_used_at = now


class SignInNotFinished(exceptions.PermissionDenied):
    """A browser session that has not finished signing in (``accounts.auth_policy``): 403, with the
    step as the error's ``code`` and a Vietnamese message naming where to take it."""

    def __init__(self, step: str, message: str):
        super().__init__(detail=message, code=step)
        self.default_code = step


class VerifiedSessionAuthentication(SessionAuthentication):
    """DRF's session authentication, asking the one authentication policy: a session that has
    not presented the second factor asked of its person (or must still change a password
    someone else set) is refused, never read as signed in. Integration tokens are another
    class (``IntegrationTokenAuthentication``) and are not concerned."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            return None
        user = found[0]
        step = policy.pending(request._request, user)
        if step is not None:
            raise SignInNotFinished(step, policy.message(step))
        return found
