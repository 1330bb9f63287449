"""Fixtures for the API tests."""

import json

import pytest

from django.core.cache import cache

PREVIEW_URL = "/api/v1/score-preview/"


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Throttle counters live in the cache: every test starts with none (and no cached token
    lookups: rolled-back rows send no signal)."""
    from api.authentication import forget_tokens

    cache.clear()
    forget_tokens()
    yield
    cache.clear()
    forget_tokens()


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    """Messages are asserted in Vietnamese, whatever TEST_LANGUAGE_CODE says."""
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture
def preview(client):
    """POST a JSON body to the score-preview endpoint; returns the response."""

    def post(payload, **extra):
        body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
        return client.post(PREVIEW_URL, data=body, content_type="application/json", **extra)

    return post


def line(coefficient=1, assigned=1, completed=1, **counts):
    """One product line; counts (failed_reviews, delays, exempt_*) default to 0."""
    return {"coefficient": coefficient, "assigned": assigned, "completed": completed, **counts}


@pytest.fixture
def world(db):
    """The small province of tests/api/world.py (scored, with users and systems), fresh."""
    from .world import build_world

    return build_world()


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction that is rolled back at the end; each test
    runs in its own savepoint (pytest-django's ``db``), so what a test writes is undone."""
    from django.db import transaction

    from demo.base_data import ensure_base_data

    from .world import build_world

    with django_db_blocker.unblock(), transaction.atomic():
        # A transactional test of the same process may have flushed the seeded rows (the home
        # page first): put them back, as the per-test fixture does (tests/conftest.py).
        ensure_base_data()
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def shared_world(_module_world, db):
    """The same province as ``world``, shared by a module's tests: for tests that only read
    (or whose writes need no fresh Python objects)."""
    return _module_world
