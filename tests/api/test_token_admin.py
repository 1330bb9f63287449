"""Admin pages for API tokens: Sở Nội vụ issues a token (shown once) and revokes it; others
get 403; both actions land in the system's audit log and take effect on the API at once."""

import re

import pytest
from rest_framework.test import APIClient

from django.urls import reverse

from wagtail.models import ModelLogEntry

from api.admin_tokens import ISSUE_ACTION, REVOKE_ACTION
from api.models import IntegrationToken, hash_token

pytestmark = pytest.mark.django_db

ME = "/api/v1/integration/me/"


def _signed_in(client, user):
    client.force_login(user)
    return client


def _denied(response) -> bool:
    """403, or Wagtail's redirect to the login page for users without admin access."""
    return response.status_code == 403 or (
        response.status_code == 302
        and response["Location"].startswith(reverse("wagtailadmin_login"))
    )


def _shown_token(html: str) -> str:
    match = re.search(r'id="new-token-value"[^>]*>([^<]+)<', html)
    assert match, "the new token is not on the page"
    return match.group(1).strip()


def test_home_affairs_issues_a_token_shown_once_that_works(world, client):
    system = world.systems["snv-docs"]
    url = reverse("api_system_tokens", args=[system.pk])
    _signed_in(client, world.users["home_affairs"])

    page = client.get(url)
    assert page.status_code == 200
    assert world.tokens["snv-docs"][:12] in page.content.decode()

    response = client.post(url, {"label": "Máy chủ QLVB mới"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = _shown_token(response.content.decode())
    row = IntegrationToken.objects.get(key_hash=hash_token(token))
    assert row.system == system and row.label == "Máy chủ QLVB mới"
    # The old token still works; so does the new one.
    assert world.client_for("snv-docs").get(ME).status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(ME).json()["token_prefix"] == token[:12]
    # Shown once: the listing afterwards has the prefix, never the token.
    _signed_in(client, world.users["home_affairs"])
    again = client.get(url).content.decode()
    assert token[:12] in again and token not in again
    entry = ModelLogEntry.objects.filter(action=ISSUE_ACTION, object_id=str(system.pk)).get()
    assert entry.data["prefix"] == token[:12] and entry.user == world.users["home_affairs"]


def test_rotating_revokes_the_other_tokens(world, client):
    system = world.systems["snv-docs"]
    _signed_in(client, world.users["home_affairs"])
    response = client.post(reverse("api_system_tokens", args=[system.pk]), {"revoke_others": "on"})
    token = _shown_token(response.content.decode())
    assert world.client_for("snv-docs").get(ME).status_code == 401
    assert list(system.tokens.filter(revoked_at__isnull=True).values_list("prefix", flat=True)) == [
        token[:12]
    ]


def test_revoke_confirms_then_refuses_the_token(world, client):
    system = world.systems["snv-docs"]
    row = system.tokens.get()
    url = reverse("api_revoke_token", args=[row.pk])
    _signed_in(client, world.users["home_affairs"])
    confirm = client.get(url)
    assert confirm.status_code == 200 and row.prefix in confirm.content.decode()
    assert world.client_for("snv-docs").get(ME).status_code == 200  # a GET changes nothing

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("api_system_tokens", args=[system.pk])
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert world.client_for("snv-docs").get(ME).status_code == 401
    assert ModelLogEntry.objects.filter(action=REVOKE_ACTION, object_id=str(system.pk)).count() == 1
    # Revoking twice is harmless and not logged twice.
    client.post(url)
    assert ModelLogEntry.objects.filter(action=REVOKE_ACTION, object_id=str(system.pk)).count() == 1


@pytest.mark.parametrize("who", ["snv_admin", "alice", "outsider"])
def test_nobody_else_sees_issues_or_revokes(world, client, who):
    system = world.systems["snv-docs"]
    row = system.tokens.get()
    _signed_in(client, world.users[who])
    before = IntegrationToken.objects.count()
    assert _denied(client.get(reverse("api_system_tokens", args=[system.pk])))
    assert _denied(client.post(reverse("api_system_tokens", args=[system.pk]), {}))
    assert _denied(client.post(reverse("api_revoke_token", args=[row.pk])))
    assert IntegrationToken.objects.count() == before
    row.refresh_from_db()
    assert row.revoked_at is None


def test_a_paused_system_gets_no_new_token(world, client):
    system = world.systems["snv-docs"]
    system.is_active = False
    system.save()
    _signed_in(client, world.users["home_affairs"])
    response = client.post(reverse("api_system_tokens", args=[system.pk]), {"label": "x"})
    assert response.status_code == 400
    assert "tạm dừng" in response.content.decode()
    assert system.tokens.count() == 1


def test_systems_listing_links_to_the_tokens(world, client):
    _signed_in(client, world.users["home_affairs"])
    html = client.get(reverse("integration_systems:index")).content.decode()
    assert reverse("api_system_tokens", args=[world.systems["snv-docs"].pk]) in html
    assert "1 mã đang dùng" in html
    edit = client.get(reverse("integration_systems:edit", args=[world.systems["snv-docs"].pk]))
    assert (
        reverse("api_system_tokens", args=[world.systems["snv-docs"].pk]) in edit.content.decode()
    )
