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
    assert cache == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kpi_cache",
    }


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
