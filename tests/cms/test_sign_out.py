"""Signing out (security review 2026-11-23 L3, L4)."""

import importlib

import pytest

from django.test import Client

from org.access import CIVIL_SERVANT_GROUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_get_to_the_sign_out_address_keeps_the_user_signed_in():
    """A link or an image on another site pointing at /admin/logout/ must not sign anyone out."""
    client = Client()
    client.force_login(UserFactory(username="canbo.thu", groups=[CIVIL_SERVANT_GROUP]))
    assert client.get("/admin/").status_code == 200
    response = client.get("/admin/logout/")
    assert response.status_code == 405
    assert client.get("/admin/").status_code == 200
    # The sign-out button posts, and that works.
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_development_settings_obey_django_debug(monkeypatch):
    """A staging copy run with the development settings and DJANGO_DEBUG=0 shows no traceback."""
    import cms.settings.dev as dev

    monkeypatch.setenv("DJANGO_DEBUG", "0")
    assert importlib.reload(dev).DEBUG is False
    monkeypatch.delenv("DJANGO_DEBUG")
    assert importlib.reload(dev).DEBUG is True
