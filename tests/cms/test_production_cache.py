"""Production shares one cache between workers: the database cache, its table made by migrate."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from django.core.cache import caches
from django.db import connection
from django.test import override_settings

from cms.cache_table import create_cache_table

ROOT = Path(__file__).resolve().parent.parent.parent
DB_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kpi_cache_test",
    }
}


def test_production_settings_use_the_database_cache():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": "test-only-" + "x1y2z3w4v5" * 6,
        "DJANGO_ALLOWED_HOSTS": "kpi.example.gov.vn",
    }
    env.pop("DJANGO_CACHE_BACKEND", None)
    env.pop("DJANGO_CACHE_LOCATION", None)
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CACHES['default']))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    cache = json.loads(result.stdout.strip().splitlines()[-1])
    assert cache == {"BACKEND": "cms.cache.DatabaseCache", "LOCATION": "kpi_cache"}


@pytest.mark.django_db
def test_migrate_hook_creates_the_cache_table_once_and_again():
    with override_settings(CACHES=DB_CACHE):
        try:
            create_cache_table(sender=None, using="default")
            create_cache_table(sender=None, using="default")  # idempotent
            assert "kpi_cache_test" in connection.introspection.table_names()
            cache = caches["default"]
            cache.set("dashboards:generation", 7)
            assert cache.get("dashboards:generation") == 7
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS kpi_cache_test")


def test_nothing_to_do_for_other_caches(monkeypatch):
    calls = []
    monkeypatch.setattr("cms.cache_table.call_command", lambda *a, **k: calls.append(a))
    create_cache_table(sender=None)
    assert calls == []


def _rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key, value, expires FROM {table} ORDER BY cache_key")  # noqa: S608
        return cursor.fetchall()


@pytest.mark.django_db
def test_rewriting_a_stored_key_is_one_update_and_stores_what_django_stores(monkeypatch):
    """The project's database cache (cms.cache) writes a key it already holds with one
    UPDATE instead of Django's five statements, storing the same value and expiry as Django's
    own backend; a new key goes Django's way (counted, culled at MAX_ENTRIES)."""
    from django.test.utils import CaptureQueriesContext

    import cms.cache

    monkeypatch.setattr(cms.cache.DatabaseCache, "_cull", lambda self, *args: culls.append(args))
    culls = []
    ours = {"BACKEND": "cms.cache.DatabaseCache", "LOCATION": "kpi_cache_ours"}
    django_s = {**DB_CACHE["default"], "LOCATION": "kpi_cache_django"}
    from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

    def expiry(self, timeout=DEFAULT_TIMEOUT):  # the same for both, whatever the clock says
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        return None if timeout is None else 1_900_000_000 + timeout

    monkeypatch.setattr(BaseCache, "get_backend_timeout", expiry)
    try:
        with override_settings(CACHES={"default": ours, "django": django_s}):
            create_cache_table(sender=None, using="default")
            for alias in ("default", "django"):
                cache = caches[alias]
                cache.set("throttle", (1.5, 1), 60)
                cache.set("throttle", (1.5, 2), 60)
                cache.set("forever", "x", None)
                cache.set("forever", "y", None)
            with CaptureQueriesContext(connection) as queries:
                caches["default"].set("throttle", (1.5, 3), 30)
            assert [query["sql"].split()[0] for query in queries.captured_queries] == ["UPDATE"]
            caches["django"].set("throttle", (1.5, 3), 30)
            assert _rows("kpi_cache_ours") == _rows("kpi_cache_django")
            assert caches["default"].get("throttle") == (1.5, 3)
            assert caches["default"].get("forever") == "y"
            assert culls == []
            # New keys are counted as Django counts them: past MAX_ENTRIES (300), culled.
            caches["default"].set_many({f"k{n}": n for n in range(299)})  # 301 rows
            assert culls == []
            caches["default"].set("k0", "again")  # a stored key: no count, no cull
            assert culls == [] and caches["default"].get("k0") == "again"
            caches["default"].set("one-more", 1)
            assert len(culls) == 1
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS kpi_cache_ours")
            cursor.execute("DROP TABLE IF EXISTS kpi_cache_django")
