"""The calculator is public, so it is throttled: per IP when anonymous, per user otherwise."""

import pytest

from django.conf import settings

from tests.factories import UserFactory

from .conftest import PREVIEW_URL, line

CASE = {"role": "staff", "general": 27, "lines": [line()]}


@pytest.fixture
def tiny_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"},
    }


def _post(client, **extra):
    return client.post(PREVIEW_URL, data=CASE, content_type="application/json", **extra)


def test_default_rates_are_configured():
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates["anon"]
    assert rates["user"]


@pytest.mark.django_db
@pytest.mark.usefixtures("tiny_rates")
def test_anonymous_clients_are_throttled_per_ip(client):
    assert [_post(client).status_code for _ in range(3)] == [200, 200, 200]
    response = _post(client)
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert error["fields"] == {}
    assert 0 < error["retry_after"] <= 60
    assert response["Retry-After"] == str(error["retry_after"])
    assert "quá nhiều yêu cầu" in error["message"]
    # Another address has its own budget.
    assert _post(client, REMOTE_ADDR="10.0.0.2").status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("tiny_rates")
def test_signed_in_users_have_their_own_rate(client):
    for _ in range(3):
        _post(client)
    assert _post(client).status_code == 429  # the office's shared address is used up…
    client.force_login(UserFactory())
    statuses = [_post(client).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]  # …but a signed-in user counts on their own
