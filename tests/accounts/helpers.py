"""Signing in as a person would, for the second-factor tests: the password on the sign-in
page, then a TOTP code of the person's device."""

import time

from django_otp.oath import TOTP

from django.test import Client
from django.urls import reverse

PASSWORD = "matkhau-123"


def sign_in(username, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}
    )
    assert response.status_code == 302, response.content.decode()[:300]
    return client


def code(device, ahead: int = 0) -> str:
    """The device's code now (``ahead`` steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + ahead * device.step
    return f"{totp.token():0{device.digits}d}"
