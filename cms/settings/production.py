"""Production: PostgreSQL via DATABASE_URL, HTTPS, secrets from the environment only."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool, os

DEBUG = False
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
# Django's own check (security.W009) only warns; a weak key signs every session and reset link.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak: use at least 50 random characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    )

# Sign-ins to an admin holding personal data: a working day, ended with the browser.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview shows pages in a same-origin iframe, so DENY would break editing.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# One cache for every worker and host: throttle counters, the public pages' cache generation
# (bumped when a period is published) and the cached pages themselves. The database cache needs
# no extra service; its table is created by `migrate` (cms.cache_table). It is Django's, with a
# key already stored rewritten by one UPDATE (cms.cache: the API throttle's window, on every
# request). A Memcached server can be used instead:
# DJANGO_CACHE_BACKEND=django.core.cache.backends.memcached.PyMemcacheCache and
# DJANGO_CACHE_LOCATION=host:port (after installing pymemcache).
CACHES = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_CACHE_BACKEND", "cms.cache.DatabaseCache"),
        "LOCATION": os.environ.get("DJANGO_CACHE_LOCATION", "kpi_cache"),
    }
}


# Imports, scoring batches and notifications run in a separate worker process
# (`python manage.py db_worker`), queued in the database: an upload answers at once and a long
# validation never hits the web server's timeout.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
