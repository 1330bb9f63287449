"""Who read personal data, and how score inputs changed (Law 91/2025 on personal data).

* :func:`record_read` — one row in the read log (``audit.models.PersonalDataRead``) for every
  read or export of personal data by a person: exports, prints, explain and inspect pages,
  dashboards with names, national-export pulls, API reads with a session, file downloads.
* ``audit.history`` — the change history of score inputs (django-simple-history; every
  historical table lives in this app).

This app depends on ``org`` and ``accounts`` only; the apps above it call into it.
"""


def record_read(request, kind, **details):
    """Record one read of personal data (see :func:`audit.reads.record_read`)."""
    # The package loads with INSTALLED_APPS, before the models that audit.reads uses.
    from audit.reads import record_read as record

    return record(request, kind, **details)
