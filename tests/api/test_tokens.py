"""Integration systems: hashed tokens, the management command, authentication, throttling."""

import hashlib
from io import StringIO

import pytest
from rest_framework.test import APIClient

from django.core.management import CommandError, call_command
from django.utils import timezone

from api.models import IntegrationSystem, IntegrationToken

pytestmark = pytest.mark.django_db

ME = "/api/v1/integration/me/"


def _client(header: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    return client


def test_only_the_sha256_of_a_token_is_stored(world):
    token = world.tokens["snv-docs"]
    row = IntegrationToken.objects.get(system=world.systems["snv-docs"])
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {value for value in row.__dict__.values() if isinstance(value, str)}
    assert row.prefix == token[:12]


@pytest.mark.parametrize("keyword", ["Token", "Bearer", "token", "bearer"])
def test_token_and_bearer_keywords(world, keyword):
    response = _client(f"{keyword} {world.tokens['snv-docs']}").get(ME)
    assert response.status_code == 200
    assert response.json() == {
        "name": "snv-docs",
        "agencies": ["SNV"],
        "can_write": True,
        "national_export": False,
        "token_prefix": world.tokens["snv-docs"][:12],
    }


@pytest.mark.parametrize(
    "header",
    ["Token wrong-token", "Bearer", "Token a b", "Token \u00e9\u00e9"],
)
def test_bad_tokens_are_refused_with_401(world, header):
    response = _client(header).get("/api/v1/period-scores/")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Token")


def test_no_credentials_is_401_with_the_api_error_body(world):
    response = APIClient().get("/api/v1/period-scores/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response.json()["error"]["message"] == "Bạn cần đăng nhập để thực hiện thao tác này."


def test_revoked_token_and_inactive_system_are_refused(world):
    token = IntegrationToken.objects.get(system=world.systems["snv-docs"])
    token.revoke()
    assert world.client_for("snv-docs").get(ME).status_code == 401
    system = world.systems["stc-docs"]
    system.is_active = False
    system.save()
    assert world.client_for("stc-docs").get(ME).status_code == 401


def test_last_used_is_recorded(world):
    world.client_for("snv-docs").get(ME)
    assert IntegrationToken.objects.get(system=world.systems["snv-docs"]).last_used_at


def test_me_is_for_systems_only(world):
    response = world.client_for("home_affairs").get(ME)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


# --------------------------------------------------------------------------- command


def test_create_integration_token_prints_the_token_once(world):
    out = StringIO()
    call_command(
        "create_integration_token",
        "Phần mềm QLVB",
        "--agency",
        "SNV",
        "--agency",
        "STC",
        stdout=out,
    )
    token = out.getvalue().strip().splitlines()[-1]
    assert token.startswith("kpi_")
    system = IntegrationSystem.objects.get(name="Phần mềm QLVB")
    assert sorted(system.agencies.values_list("code", flat=True)) == ["SNV", "STC"]
    assert system.can_write and not system.national_export
    stored = IntegrationToken.objects.get(system=system)
    assert stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert _client(f"Bearer {token}").get(ME).status_code == 200

    # A second token for the same system; --revoke-others rotates.
    out = StringIO()
    call_command("create_integration_token", "Phần mềm QLVB", "--revoke-others", stdout=out)
    new_token = out.getvalue().strip().splitlines()[-1]
    assert new_token != token
    assert _client(f"Bearer {token}").get(ME).status_code == 401
    assert _client(f"Bearer {new_token}").get(ME).status_code == 200


def test_create_integration_token_needs_known_agencies(world):
    with pytest.raises(CommandError, match="KHONGCO"):
        call_command("create_integration_token", "X", "--agency", "KHONGCO", stdout=StringIO())
    with pytest.raises(CommandError, match="--agency"):
        call_command("create_integration_token", "Hệ thống mới", stdout=StringIO())


def test_read_only_and_national_export_options(world):
    call_command(
        "create_integration_token",
        "Kho dữ liệu",
        "--agency",
        "TINH",
        "--read-only",
        "--national-export",
        stdout=StringIO(),
    )
    system = IntegrationSystem.objects.get(name="Kho dữ liệu")
    assert not system.can_write and system.national_export


# --------------------------------------------------------------------------- throttling


def test_each_token_has_its_own_rate(world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "integration": "3/min",
        },
    }
    snv = world.client_for("snv-docs")
    assert [snv.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    response = snv.get(ME)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    # Another token is not affected, nor are signed-in people.
    assert world.client_for("stc-docs").get(ME).status_code == 200
    assert world.client_for("home_affairs").get("/api/v1/periods/").status_code == 200


def test_integration_rate_falls_back_to_its_own_setting(settings):
    from api.conf import integration_rate

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/min", "user": "1/min"},
    }
    settings.KPI_API_INTEGRATION_RATE = "77/min"
    assert integration_rate() == "77/min"


def test_a_revocation_in_another_process_is_immediate(world, settings):
    """Security review 2026-11-22, L2: a token revoked by another process (the admin's worker,
    the command line) kept working for up to 30 s here, writes included. Simulated: this
    process remembers the token; the other process's revocation reaches this one only through
    the database and the shared cache, not through this process's signals."""
    from django.core.cache import cache

    from api import authentication

    settings.KPI_API_TOKEN_CACHE_SECONDS = 30
    client = world.client_for("snv-docs")
    assert client.get(ME).status_code == 200  # remembered in this process
    # The other process: revokes in the database and writes a new shared generation.
    IntegrationToken.objects.filter(system=world.systems["snv-docs"]).update(
        revoked_at=timezone.now()
    )
    cache.set(authentication.GENERATION_KEY, "written-by-another-process", None)
    assert client.get(ME).status_code == 401
