"""Settings of the worklog app, with their defaults (override in Django settings)."""

from django.conf import settings

DEFAULTS = {
    # Warn this many working days before a deadline (the deadline day itself counts as 0).
    "WORKLOG_WARNING_WORKING_DAYS": 2,
    # Longest recurring assignment, in monthly periods.
    "WORKLOG_MAX_RECURRING_MONTHS": 12,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def warning_working_days() -> int:
    return int(get("WORKLOG_WARNING_WORKING_DAYS"))


def max_recurring_months() -> int:
    return int(get("WORKLOG_MAX_RECURRING_MONTHS"))
