"""Settings of the open API, each with a default so the API works without any of them.

* ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["integration"]`` — requests per token; when
  absent, ``KPI_API_INTEGRATION_RATE`` (default ``"1200/min"``);
* ``KPI_API_MAX_BULK_ITEMS`` (5,000) — assignment lines in one bulk request;
* ``KPI_NATIONAL_SYNC_DAYS`` (5) — calendar days from a final result to its export due date;
* ``KPI_NATIONAL_CORRECTION_DAYS`` (= ``KPI_NATIONAL_SYNC_DAYS``) — calendar days from a change
  of an already sent result to the due date of its correction record (plan 002 §II.6);
* ``KPI_NATIONAL_DB_DROP_DIR`` (``<MEDIA_ROOT>/national-db``) — where the file drop writes;
* ``KPI_NATIONAL_DB_TRANSPORT`` (``"api.national_export.FileDropTransport"``) — dotted path of
  the transport class; ``"api.national_export.HttpsTransport"`` posts to the national side;
* ``KPI_NATIONAL_DB_URL`` — the receiver's address (``https://``; plain ``http://`` only to a
  loopback address, for tests);
* ``KPI_NATIONAL_DB_TOKEN`` — the bearer token the receiver issued (keep it in the environment);
* ``KPI_NATIONAL_DB_CLIENT_CERT`` / ``KPI_NATIONAL_DB_CLIENT_KEY`` — a client certificate for
  mutual TLS, when the receiver asks for one; ``KPI_NATIONAL_DB_CA_FILE`` — its CA bundle;
* ``KPI_NATIONAL_DB_TIMEOUT`` (30) — seconds to wait for the receiver;
* ``KPI_NATIONAL_DB_SCHEDULE`` (True) — the worker sends due records by itself (each sweep);
* ``KPI_NATIONAL_DB_RETRY_MINUTES`` (5) — first back-off after a failed send; it doubles with
  each further failure of the record, up to ``KPI_NATIONAL_DB_RETRY_MAX_MINUTES`` (360).
"""

from pathlib import Path

from rest_framework.settings import api_settings

from django.conf import settings

DEFAULT_INTEGRATION_RATE = "1200/min"
DEFAULT_MAX_BULK_ITEMS = 5000
DEFAULT_SYNC_DAYS = 5
DEFAULT_TRANSPORT = "api.national_export.FileDropTransport"


def integration_rate() -> str:
    rates: dict[str, str | None] = api_settings.DEFAULT_THROTTLE_RATES or {}
    rate = rates.get("integration")
    if rate:
        return rate
    return getattr(settings, "KPI_API_INTEGRATION_RATE", DEFAULT_INTEGRATION_RATE)


def max_bulk_items() -> int:
    return int(getattr(settings, "KPI_API_MAX_BULK_ITEMS", DEFAULT_MAX_BULK_ITEMS))


def sync_days() -> int:
    return int(getattr(settings, "KPI_NATIONAL_SYNC_DAYS", DEFAULT_SYNC_DAYS))


def correction_days() -> int:
    return int(getattr(settings, "KPI_NATIONAL_CORRECTION_DAYS", sync_days()))


def drop_dir() -> Path:
    configured = getattr(settings, "KPI_NATIONAL_DB_DROP_DIR", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "national-db"


def transport_path() -> str:
    return getattr(settings, "KPI_NATIONAL_DB_TRANSPORT", DEFAULT_TRANSPORT)


def https_url() -> str:
    return getattr(settings, "KPI_NATIONAL_DB_URL", "")


def https_token() -> str:
    return getattr(settings, "KPI_NATIONAL_DB_TOKEN", "")


def client_cert() -> tuple[str, str] | None:
    cert = getattr(settings, "KPI_NATIONAL_DB_CLIENT_CERT", "")
    return (cert, getattr(settings, "KPI_NATIONAL_DB_CLIENT_KEY", "") or cert) if cert else None


def ca_file() -> str | None:
    return getattr(settings, "KPI_NATIONAL_DB_CA_FILE", None) or None


def timeout() -> float:
    return float(getattr(settings, "KPI_NATIONAL_DB_TIMEOUT", 30))


def schedule_enabled() -> bool:
    return bool(getattr(settings, "KPI_NATIONAL_DB_SCHEDULE", True))


def retry_minutes() -> int:
    return int(getattr(settings, "KPI_NATIONAL_DB_RETRY_MINUTES", 5))


def retry_max_minutes() -> int:
    return int(getattr(settings, "KPI_NATIONAL_DB_RETRY_MAX_MINUTES", 360))
