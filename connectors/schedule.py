"""Pulling sources on a schedule, with a cursor, retries with back-off, and a log of every run.

:func:`pull` reads a folder source's new packages — files ``*.xml`` / ``*.edxml`` after the
cursor (modification time, then name) — through :func:`connectors.ingest.receive`, one by one,
advancing the cursor after each. A run that fails (the folder is missing or unreadable) is
logged with its error and the source is tried again after a back-off that doubles with each
failure (``interval × 2^failures``, at most a day); a run that succeeds schedules the next one
``interval_minutes`` later. Packages already received change nothing, so a repeated run (or a
reset cursor) is harmless.

:func:`pull_due_sources` is the worker's check (registered with the sweeper, which every
``db_worker`` runs each minute): it pulls every active folder source whose time has come.
"""

from __future__ import annotations

import datetime
import logging
import os
from pathlib import Path

from django.utils import timezone

from .ingest import Counts, receive
from .models import Run, RunStatus, RunTrigger, Source, SourceKind

logger = logging.getLogger(__name__)

SUFFIXES = (".xml", ".edxml")
MAX_BACKOFF = datetime.timedelta(days=1)


def backoff(source: Source) -> datetime.timedelta:
    minutes = source.interval_minutes * (2 ** min(source.failures, 10))
    return min(datetime.timedelta(minutes=minutes), MAX_BACKOFF)


def _cursor_of(entry: os.DirEntry) -> str:
    return f"{entry.stat().st_mtime_ns:020d}|{entry.name}"


def new_files(source: Source) -> list[tuple[str, Path]]:
    """``(cursor, path)`` of the folder's packages after the source's cursor, oldest first."""
    folder = Path(source.folder)
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file() and entry.name.lower().endswith(SUFFIXES):
                cursor = _cursor_of(entry)
                if cursor > source.cursor:
                    found.append((cursor, Path(entry.path)))
    return sorted(found)


def _finish(run: Run, counts: Counts) -> Run:
    for name in ("received", "created", "updated", "unchanged", "waiting", "refused"):
        setattr(run, name, getattr(counts, name))
    run.finished_at = timezone.now()
    run.save()
    return run


def pull(
    source: Source, trigger: str = RunTrigger.MANUAL, now: datetime.datetime | None = None
) -> Run:
    """One pull of a folder source; returns its logged run."""
    now = now or timezone.now()
    run = Run.objects.create(source=source, trigger=trigger, started_at=now)
    counts = Counts()
    try:
        if source.kind != SourceKind.FOLDER:
            raise ValueError("only folder sources are pulled")
        for cursor, path in new_files(source):
            receive(source, path.read_bytes(), file_name=path.name, counts=counts)
            source.cursor = cursor
            Source.objects.filter(pk=source.pk).update(cursor=cursor)
    except Exception as exc:  # logged on the run, then retried after the back-off  # noqa: BLE001
        logger.warning("Pulling %s failed: %s", source, exc)
        run.status = RunStatus.FAILED
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        source.failures += 1
        source.next_run_at = now + backoff(source)
    else:
        source.failures = 0
        source.next_run_at = now + datetime.timedelta(minutes=source.interval_minutes)
    Source.objects.filter(pk=source.pk).update(
        failures=source.failures, next_run_at=source.next_run_at
    )
    return _finish(run, counts)


def pull_due_sources(now: datetime.datetime | None = None) -> list[int]:
    """Pull every active folder source that is due; returns the ids of the runs."""
    now = now or timezone.now()
    runs = []
    for source in Source.objects.filter(is_active=True, kind=SourceKind.FOLDER).select_related(
        "agency"
    ):
        if source.is_due(now):
            runs.append(pull(source, RunTrigger.SCHEDULE, now).pk)
    return runs


def log_push(source: Source, data: bytes):
    """One package pushed to the webhook, received and logged as a run; returns the run, what
    happened and the package."""
    run = Run.objects.create(source=source, trigger=RunTrigger.WEBHOOK)
    counts = Counts()
    status = receive(source, data, file_name="webhook", counts=counts)
    return _finish(run, counts), status, counts.last
