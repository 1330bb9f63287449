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
  collector, its ``time`` in ISO 8601 with the zone (``2026-11-25T16:41:41.445+07:00``); the
  default stays plain text. gunicorn's own access and error logs follow the same setting
  (:func:`gunicorn_logconfig`, loaded by ``deploy/gunicorn.conf.py``).

One cause, one event a minute (reliability review M3): during a database outage every request
fails the same way; :class:`Throttle` lets the first event of a cause through (to the error
reporter and the admins' mail), holds the others for ``Throttle.window`` and sends the next one
with how many were held (``repeated``). A cause is the logger, the exception type and the
message's template (numbers and quoted values left out).

This module is imported by the settings: it must not import Django models.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import threading
import time

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

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


_VARYING = re.compile(r"\d+|'[^']*'|\"[^\"]*\"|0x[0-9a-f]+", re.IGNORECASE)


def cause_of(logger: str, exc_type: str, text: str) -> tuple[str, str, str]:
    """What makes two events "the same": which exception and its text (whoever logged or
    captured it: Django's request logger and sentry-sdk's request hook report one error
    twice), or, without an exception, where and which message template; numbers and quoted
    values (a host, a port, an id, a time) left out."""
    return ("" if exc_type else logger), exc_type, _VARYING.sub("#", text or "")[:200]


class Throttle:
    """One event per cause per ``window`` seconds; the others are counted and the count rides
    on the next event let through. Thread-safe, per process."""

    def __init__(self, window: float = 60.0, clock=time.monotonic):
        self.window = window
        self.clock = clock
        self._lock = threading.Lock()
        self._seen: dict[tuple, list] = {}  # cause → [time let through, held since then]

    def admit(self, cause: tuple) -> int | None:
        """None when the event is held; else how many like it were held before it."""
        now = self.clock()
        with self._lock:
            entry = self._seen.get(cause)
            if entry is not None and now - entry[0] < self.window:
                entry[1] += 1
                return None
            held = entry[1] if entry is not None else 0
            self._seen[cause] = [now, 0]
            if len(self._seen) > 1000:  # forget the oldest causes
                for key in sorted(self._seen, key=lambda k: self._seen[k][0])[:500]:
                    del self._seen[key]
            return held


def _record_cause(record: logging.LogRecord) -> tuple:
    if record.exc_info and record.exc_info[0]:
        return cause_of(record.name, record.exc_info[0].__name__, str(record.exc_info[1]))
    return cause_of(record.name, "", str(record.msg))


class ThrottleFilter(logging.Filter):
    """For the mail handler: ERROR records one per cause per minute, with the count held."""

    def __init__(self, window: float = 60.0):
        super().__init__()
        self.throttle = Throttle(window)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            return True
        held = self.throttle.admit(_record_cause(record))
        if held is None:
            return False
        if held:
            record.repeated = held
            record.msg = f"{record.msg} (+{held} like this in the last minute)"
        return True


#: The throttle of the running sentry-sdk client (a new one at each :func:`init_sentry`).
SENTRY_THROTTLE = Throttle()


def before_send(event: dict, hint: dict) -> dict | None:
    """sentry-sdk's hook: one event per cause per minute; the next one carries ``repeated``."""
    values = (event.get("exception") or {}).get("values") or []
    exc_type = values[-1].get("type", "") if values else ""
    entry = event.get("logentry") or {}
    text = (values[-1].get("value") or "") if values else (entry.get("message") or "")
    held = SENTRY_THROTTLE.admit(cause_of(event.get("logger") or "", exc_type, text))
    if held is None:
        return None
    if held:
        event.setdefault("extra", {})["repeated"] = held
        event.setdefault("tags", {})["repeated"] = "yes"
    return event


class JsonFormatter(_JsonFormatter):
    """python-json-logger's formatter with the time in ISO 8601 with its zone, and gunicorn's
    access records as fields (remote address, request line, status, bytes, milliseconds)."""

    def formatTime(self, record, datefmt=None):
        moment = datetime.datetime.fromtimestamp(record.created).astimezone()
        return moment.isoformat(timespec="milliseconds")

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            atoms = record.args
            for field, atom in (
                ("remote", "h"),
                ("request", "r"),
                ("status", "s"),
                ("bytes", "B"),
                ("duration_ms", "M"),
                ("user_agent", "a"),
            ):
                if atom in atoms:
                    log_record[field] = atoms[atom]


JSON_FORMATTER: dict = {
    "()": "cms.observability.JsonFormatter",
    "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}


def gunicorn_logconfig() -> dict | None:
    """gunicorn's ``logconfig_dict`` when ``KPI_LOG_FORMAT=json``: its error log ("Booting
    worker", "WORKER TIMEOUT") and access log as JSON lines on standard error and output, with
    the application's formatter; None (gunicorn's own plain text) otherwise."""
    if os.environ.get("KPI_LOG_FORMAT", "").strip().lower() != "json":
        return None
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": JSON_FORMATTER},
        "handlers": {
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
        },
        "root": {"level": "INFO", "handlers": []},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }


def logging_config(level: str, *, json_lines: bool, mail_admins: bool) -> dict:
    """The ``LOGGING`` setting. One path for every record: Django's own loggers propagate to
    the root (so a request error is written and mailed once), and the root writes to the
    console (plain text or JSON) and, with admins, mails ERROR records."""
    formatters: dict = {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}}
    if json_lines:
        formatters["json"] = dict(JSON_FORMATTER)
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
            "filters": ["require_debug_false", "one_per_cause"],
        }
        root_handlers.append("mail_admins")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
            "one_per_cause": {"()": "cms.observability.ThrottleFilter"},
        },
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
    global SENTRY_THROTTLE
    dsn = dsn if dsn is not None else os.environ.get("SENTRY_DSN", "")
    if not dsn.strip():
        return False
    SENTRY_THROTTLE = Throttle()
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    options: dict = {
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
        # One event per cause per minute, with the count (a database outage: one, not 2,206).
        "before_send": before_send,
        "integrations": [
            DjangoIntegration(),
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
    }
    options.update(overrides)
    sentry_sdk.init(**options)
    return True
