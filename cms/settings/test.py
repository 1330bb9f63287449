"""Test settings: fast hashing, in-memory e-mail, isolated media."""

import tempfile

from .base import *  # noqa: F403
from .base import os

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="kpi-test-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="kpi-test-private-")
STORAGES = {
    **STORAGES,  # noqa: F405 (private by default)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = os.environ.get("TEST_LANGUAGE_CODE", "vi")

# Static files come from the app finders here; WhiteNoise serves the collected ones in production.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]  # noqa: F405
KPI_DEMO_ALLOWED = True  # the demo province and its published demo password

# The second factor is asked per test (tests/accounts/test_second_factor.py), not of every demo
# sign-in the suite uses.
KPI_2FA_REQUIRED = False
# Single sign-on: the backend is installed; the endpoints are set by the test that starts a
# local OpenID provider (tests/accounts/test_sso.py).
AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "accounts.oidc.OIDCBackend"]  # noqa: F405
