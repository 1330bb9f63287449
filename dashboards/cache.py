"""Caching of the public pages and of the per-period aggregates behind them.

Every key carries a *generation* number that :func:`invalidate` bumps — connected to saves of
periods (publishing, unpublishing), agencies and catalog versions and to framework publishing
(``apps.py``). Rendered pages also carry the set of published periods (one indexed query), so a
period that is unpublished vanishes at once even from a worker whose local cache missed the
signal. Entries also expire after ``KPI_PUBLIC_CACHE_SECONDS`` — a bound on staleness after a
forced recomputation of scores (bulk writes send no signals).
"""

import hashlib
import time

from django.core.cache import cache
from django.utils.translation import get_language

from dashboards import conf
from scoring.models import Period

GENERATION_KEY = "dashboards:generation"


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A fresh, unique start so that entries written before a cache restart never match.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def invalidate(*args, **kwargs) -> None:
    """Signal receiver (any signature): drop every cached public page and aggregate."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def published_signature() -> str:
    ids = Period.objects.filter(published=True).order_by("pk").values_list("pk", flat=True)
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]


def data_key(*parts) -> str:
    prefix = ["dashboards", "data", str(generation()), str(conf.threshold())]
    return ":".join([*prefix, *map(str, parts)])


def page_key(*parts) -> str:
    """Key of a whole public response; ``parts`` may come from the URL, so they are hashed
    (any length or character is safe for every cache backend)."""
    request_parts = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]
    return ":".join(
        [
            "dashboards",
            "page",
            str(generation()),
            published_signature(),
            str(conf.threshold()),
            get_language() or "",
            request_parts,
        ]
    )


def remember(key: str, build):
    """``cache[key]``, computed by ``build()`` on a miss."""
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, conf.cache_seconds())
    return value
