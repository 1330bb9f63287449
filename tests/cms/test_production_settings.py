"""Security review 2026-11-22, L5: production accepted a weak secret key with only a warning,
kept sign-ins for two weeks, let load_demo put published demo passwords into a production
database, and ensure_admin printed the administrator's password."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parent.parent.parent
STRONG = "k" + "x1y2z3w4v5" * 6


def production_settings(secret: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": secret,
        "DJANGO_ALLOWED_HOSTS": "kpi.example.gov.vn",
    }
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SESSION_COOKIE_AGE, settings.SESSION_EXPIRE_AT_BROWSER_CLOSE, "
        "settings.KPI_DEMO_ALLOWED)"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize("secret", ["abc", "a" * 60, "django-insecure-" + "x1y2z3w4v5" * 6])
def test_a_weak_secret_key_stops_production(secret):
    result = production_settings(secret)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr


def test_production_sign_ins_last_a_working_day_and_no_demo():
    result = production_settings(STRONG)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["28800", "True", "False"]


@pytest.mark.django_db
def test_load_demo_refuses_where_the_demo_is_not_allowed(settings):
    settings.KPI_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo", stdout=io.StringIO())


@pytest.mark.django_db
def test_ensure_admin_never_prints_a_real_password(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("KPI_ADMIN_PASSWORD", "Mat-khau-that-2026!")
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    assert "Mat-khau-that-2026!" not in out.getvalue()
    assert "KPI_ADMIN_PASSWORD" in out.getvalue()
