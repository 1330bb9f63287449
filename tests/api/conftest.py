"""Fixtures for the API tests."""

import json

import pytest
from django.core.cache import cache

PREVIEW_URL = "/api/v1/score-preview/"


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Throttle counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


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
