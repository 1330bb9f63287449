"""Security review 2026-11-22, M4: 40 wrong passwords in a row were all answered with the form
again, and the right one then worked: no brute-force protection on the sign-in forms."""

import pytest

from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "matkhau-123"


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_repeated_wrong_passwords_lock_that_account_from_that_address(client, settings):
    user = UserFactory(username="congchuc.thu")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, user.username, "sai-mat-khau").status_code == 200
    assert sign_in(client, user.username, "sai-mat-khau").status_code == 429  # the limit
    locked = sign_in(client, user.username, PASSWORD)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Tạm khóa đăng nhập" in page and "15 phút" in page
    assert "_auth_user_id" not in client.session
    # A colleague at the same address, and the same account from elsewhere, still sign in.
    other = UserFactory(username="dongnghiep.thu")
    assert sign_in(client, other.username, PASSWORD).status_code == 302
    assert sign_in(client, user.username, PASSWORD, address="198.51.100.9").status_code == 302


def test_a_forged_forwarded_for_does_not_escape_the_lock(client, settings):
    user = UserFactory(username="congchuc.xff")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("wagtailadmin_login"),
            {"username": user.username, "password": "sai"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )
    assert response.status_code == 429


def test_a_correct_sign_in_resets_the_count(client, settings):
    user = UserFactory(username="congchuc.reset")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, user.username, "sai")
    assert sign_in(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, user.username, "sai")
    assert sign_in(client, user.username, PASSWORD).status_code == 302
