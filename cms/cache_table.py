"""Create the database cache table after ``migrate`` when the cache lives in the database.

Production keeps its cache in PostgreSQL (``cms.settings.production``): throttle counters, the
public pages' cache generation and cached pages must be shared by every gunicorn worker, or a
period published in one worker stays stale in the others. ``createcachetable`` is idempotent
and does nothing for other cache backends, so running it after every migrate costs nothing and
spares operators a manual step.
"""

from django.core.management import call_command


def create_cache_table(sender, using="default", **kwargs) -> None:
    from django.conf import settings

    uses_database = any(
        cache["BACKEND"].endswith("DatabaseCache") for cache in settings.CACHES.values()
    )
    if uses_database:
        call_command("createcachetable", database=using, verbosity=0)
