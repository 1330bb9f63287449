"""Local development: DEBUG on, console e-mail, SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403
from .base import env_bool, os

# On unless DJANGO_DEBUG says otherwise (a staging copy run with these settings sets it to 0:
# no traceback pages).
DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-not-secret-kpi-cong-vu")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405 (private by default, public media for renditions)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files come from the app finders here; WhiteNoise serves the collected ones in production.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]  # noqa: F405
KPI_DEMO_ALLOWED = True  # the demo province and its published demo password
