"""Settings of the public pages and dashboards, each overridable in Django settings.

| setting | default | meaning |
|---|---|---|
| ``KPI_PUBLIC_SUPPRESSION_THRESHOLD`` | 5 | band counts below this are hidden (≤ 1 disables) |
| ``KPI_PUBLIC_CACHE_SECONDS`` | 900 | lifetime of cached public pages and aggregates |
| ``KPI_PUBLIC_TREND_PERIODS`` | 12 | published periods shown in a trend |
| ``KPI_SUBMISSION_DEADLINE_DAYS`` | 5 | days after a period ends by which agencies submit results |
| ``KPI_OUTLIER_TVD`` | 0.20 | total variation distance from which a band distribution is flagged |

Caching uses Django's default cache. In production, with several worker processes, configure a
shared cache (``CACHES``: database or Redis) so that publishing a period clears every worker's
copy at once; the set of published periods is part of every cache key anyway, so a period that
is unpublished disappears from the public pages immediately, whatever the cache.
"""

from django.conf import settings

DEFAULTS = {
    "KPI_PUBLIC_SUPPRESSION_THRESHOLD": 5,
    "KPI_PUBLIC_CACHE_SECONDS": 900,
    "KPI_PUBLIC_TREND_PERIODS": 12,
    "KPI_SUBMISSION_DEADLINE_DAYS": 5,
    "KPI_OUTLIER_TVD": 0.20,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


def threshold() -> int:
    return int(setting("KPI_PUBLIC_SUPPRESSION_THRESHOLD"))


def cache_seconds() -> int:
    return int(setting("KPI_PUBLIC_CACHE_SECONDS"))


def trend_periods() -> int:
    return int(setting("KPI_PUBLIC_TREND_PERIODS"))


def submission_deadline_days() -> int:
    return int(setting("KPI_SUBMISSION_DEADLINE_DAYS"))


def outlier_tvd() -> float:
    return float(setting("KPI_OUTLIER_TVD"))
