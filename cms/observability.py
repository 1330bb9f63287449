"""How operators hear about failures (docs/operations.md, "Errors, logs and health").

Everything here is optional and off unless an environment variable turns it on:

* ``SENTRY_DSN``: errors go to a Sentry-compatible server through sentry-sdk — a province's own
  GlitchTip or Sentry, so the data stays in the province. An unhandled error in a view, and
  every log record at ERROR or above (a failed import, a worker that died, an e-mail given up)
  becomes an event; INFO records ride along as breadcrumbs. No personal data is sent
  (sentry-sdk's default data collection: no cookies, no user names, no IP addresses);
  nothing is sent when the variable is unset. ``SENTRY_ENVIRONMENT``, ``SENTRY_RELEASE`` and
  ``SENTRY_TRACES_SAMPLE_RATE`` (default 0: no performance data) tune it; stack frames' local
  variables and request bodies are not sent (``SENTRY_INCLUDE_LOCAL_VARIABLES=on`` sends the
  variables, for a server inside the province only).
* ``DJANGO_ADMINS``: ``"Name <address>, other@example.org"``; every ERROR record is mailed to
  them (Django's ``AdminEmailHandler``, only when ``DEBUG`` is off).
* ``KPI_LOG_FORMAT=json``: one JSON object per log line (python-json-logger), for a log
  collector; the default stays plain text.

This module is imported by the settings: it must not import Django models.
"""

from __future__ import annotations

import os
import re

_ADDRESS = re.compile(r"^\s*(?:(?P<name>[^<]*?)\s*<(?P<angle>[^>]+)>|(?P<plain>\S+@\S+))\s*$")


def parse_admins(value: str) -> list[tuple[str, str]]:
    """``"Trần Văn A <a@so.gov.vn>, b@so.gov.vn"`` → ``[("Trần Văn A", "a@…"), ("b", "b@…")]``;
    Django 5.2's ``ADMINS`` shape. An entry that is not an address is an error (a typo would
    otherwise silence the mail)."""
    admins = []
    for part in value.split(","):
        if not part.strip():
            continue
        match = _ADDRESS.match(part)
        if match is None:
            raise ValueError(f"DJANGO_ADMINS: {part.strip()!r} is not an e-mail address")
        address = match.group("angle") or match.group("plain")
        name = (match.group("name") or "").strip() or address.split("@")[0]
        admins.append((name, address.strip()))
    return admins


def logging_config(level: str, *, json_lines: bool, mail_admins: bool) -> dict:
    """The ``LOGGING`` setting. One path for every record: Django's own loggers propagate to
    the root (so a request error is written and mailed once), and the root writes to the
    console (plain text or JSON) and, with admins, mails ERROR records."""
    formatters = {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}}
    if json_lines:
        formatters["json"] = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    handlers: dict = {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if json_lines else "plain",
        }
    }
    root_handlers = ["console"]
    if mail_admins:
        handlers["mail_admins"] = {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        }
        root_handlers.append("mail_admins")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
        "formatters": formatters,
        "handlers": handlers,
        "root": {"handlers": root_handlers, "level": level},
        "loggers": {
            # Django's default config gives "django" its own console and mail handlers; here
            # its records go up to the root like everyone else's.
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            "django.server": {"handlers": [], "level": "INFO", "propagate": True},
            "django_tasks": {"level": "WARNING"},
        },
    }


def env_on(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def init_sentry(dsn: str | None = None, **overrides) -> bool:
    """Start sentry-sdk when a DSN is given (``SENTRY_DSN``); returns whether it did."""
    dsn = dsn if dsn is not None else os.environ.get("SENTRY_DSN", "")
    if not dsn.strip():
        return False
    import logging

    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    options = {
        "dsn": dsn.strip(),
        "environment": os.environ.get("SENTRY_ENVIRONMENT") or "production",
        "release": os.environ.get("SENTRY_RELEASE") or None,
        "traces_sample_rate": float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or "0"),
        # Neither send_default_pii nor data_collection set: sentry-sdk collects no personal
        # data (no user, no cookies, no client address; sensitive headers filtered). Nor the
        # values of a stack frame's variables or a request's body, which here hold names,
        # marks and ratings.
        "include_local_variables": env_on("SENTRY_INCLUDE_LOCAL_VARIABLES"),
        "max_request_body_size": "never",
        "integrations": [
            DjangoIntegration(),
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
    }
    options.update(overrides)
    sentry_sdk.init(**options)
    return True
