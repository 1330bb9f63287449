"""The framework names the explanation's first step shows, remembered between API requests.

The step names the framework by the code in its rules (``decree-335-default`` for the seeded
default), and ``scoring.explain`` looks that code up among the frameworks on every render: one
query per score read. Here the answer is remembered per worker while the shared "framework
names generation" (in the cache every worker shares) is the one read at the start of the
request; saving or deleting any framework writes a new generation once its transaction commits
(``api.signals``), so every worker asks the database again on its next request — the same
design as the token lookups (``api.authentication``).

The generation is read with the token's lookup, in the same cache round trip
(``SystemPrincipal.prefetched``, bound to the request's thread by ``api.base.V1Mixin``);
requests without it (a signed-in person, a token looked up afresh) ask the database as before.
"""

from __future__ import annotations

import threading
import uuid

from scoring.models import CriteriaFramework

GENERATION_KEY = "kpi:api-framework-names-generation"
#: Codes remembered per worker (a handful in practice); all dropped when more accumulate.
MAX_CODES = 1_000

_NAMES: dict[str, tuple[str, str | None]] = {}


def looked_up(code: str) -> str | None:
    """The name ``scoring.explain.framework_name`` would find for ``code`` (None: none)."""
    return CriteriaFramework.objects.filter(code=code).values_list("name", flat=True).first()


_REQUEST = threading.local()


def bind(prefetched) -> None:
    """The cache values read with this request's token (``SystemPrincipal.prefetched``), or
    None: set by ``api.base.V1Mixin`` when a request starts and ends (the serializers' fields
    are built once per thread, so their context is not this request's)."""
    _REQUEST.prefetched = prefetched


def name(code: str) -> str | None:
    """The framework's name for ``code``, remembered while the generation read with this
    request's token (:func:`bind`) stays the shared one."""
    prefetched = getattr(_REQUEST, "prefetched", None)
    generation = prefetched.get(GENERATION_KEY) if prefetched is not None else None
    if generation is None:
        if prefetched is None or GENERATION_KEY not in prefetched:
            return looked_up(code)
        generation = shared_generation()
        if generation is None:  # a cache that keeps nothing
            return looked_up(code)
    hit = _NAMES.get(code)
    if hit is not None and hit[0] == generation:
        return hit[1]
    found = looked_up(code)
    if len(_NAMES) >= MAX_CODES:
        _NAMES.clear()
    _NAMES[code] = (generation, found)
    return found


def shared_generation() -> str | None:
    from django.core.cache import cache

    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


def forget() -> None:
    """A framework changed: every worker asks the database again (this one at once)."""
    from django.core.cache import cache

    _NAMES.clear()
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
