"""Security review 2026-11-22, L1 and M3."""

import pytest
from rest_framework.settings import api_settings

from django.core.cache import cache
from django.test import override_settings

pytestmark = pytest.mark.django_db
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    "path", ["/api/v1/score-preview/", "/api/v1/integration/assignment-lines/"]
)
def test_deeply_nested_json_is_a_parse_error_not_a_crash(client, path):
    """L1: RecursionError became HTTP 500 (with a traceback logged), even without a sign-in."""
    response = client.post(path, DEEP, content_type="application/json")
    assert response.status_code in (400, 401)
    if path.endswith("score-preview/"):
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "parse_error"


def test_a_forged_forwarded_for_header_does_not_reset_the_anonymous_throttle(client):
    """M3: rotating X-Forwarded-For gave every request a fresh throttle bucket."""
    cache.clear()
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/min"}
    with override_settings(
        REST_FRAMEWORK={**_rest_framework(), "DEFAULT_THROTTLE_RATES": rates, "NUM_PROXIES": 0}
    ):
        api_settings.reload()
        try:
            codes = [
                client.post(
                    "/api/v1/score-preview/",
                    "{}",
                    content_type="application/json",
                    HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
                ).status_code
                for n in range(6)
            ]
        finally:
            api_settings.reload()
    assert 429 in codes[3:], codes


def _rest_framework():
    from django.conf import settings

    return settings.REST_FRAMEWORK
