"""Pulling sources on a schedule, with a cursor, retries with back-off, and a log of every run.

:func:`pull` reads a folder source's new packages — regular files ``*.xml`` / ``*.edxml`` after
the cursor (modification time, then name), and those put in the folder since the last pull
although their modification time is older (:func:`new_files`) — through
:func:`connectors.ingest.receive`, one by one, advancing the cursor after each. **Each package
is received or refused on its own**: a file that cannot be read (permissions, a symbolic link
— never followed —, larger than ``edxml.MAX_BYTES`` by its size before reading, an error while
applying it) is kept in the dead-letter list with its reason and the pull goes on with the
next; a file made readable later is read at the next pull (its change time is newer), and its
dead letter is removed. The file's modification time is the time the folder vouches for: it
orders two versions of a document that carry no ``Timestamp`` of their own. A run that fails as a
whole (the folder is missing or unreadable) is logged with its error and the source is tried
again after the back-off of :func:`retry_policy` (``cms.retry``); ``/healthz/work`` shows the
failing sources. A run that succeeds schedules the next one ``interval_minutes`` later.
Packages already received change nothing, so a repeated run (or a reset cursor) is harmless.

:func:`pull_due_sources` is the worker's check (registered with the sweeper, which every
``db_worker`` runs each minute): it pulls every active folder source whose time has come.
"""

from __future__ import annotations

import datetime
import logging
import os
import stat
from pathlib import Path

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.jobs import HealthItem
from cms.models import AttemptStatus
from cms.retry import RetryPolicy

from . import edxml
from .ingest import Counts, receive, refuse
from .models import Package, Run, RunTrigger, Source, SourceKind

logger = logging.getLogger(__name__)

SUFFIXES = (".xml", ".edxml")
#: After this many failed runs in a row a source shows as failing on ``/healthz/work`` (it is
#: still tried, at most a day apart).
FAILING_AFTER = 3


def retry_policy(source: Source) -> RetryPolicy:
    """The back-off of a source's failed runs (``cms.retry``): its interval, then doubling, at
    most a day; never given up (a folder comes back), shown failing after
    :data:`FAILING_AFTER`."""
    return RetryPolicy(
        max_attempts=FAILING_AFTER,
        first=datetime.timedelta(minutes=source.interval_minutes),
        longest=datetime.timedelta(days=1),
    )


def backoff(source: Source) -> datetime.timedelta:
    """The wait before the next try after ``source.failures`` failed runs."""
    return retry_policy(source).delay(source.failures)


def _cursor_of(entry: os.DirEntry) -> str:
    return f"{entry.stat(follow_symlinks=False).st_mtime_ns:020d}|{entry.name}"


def new_files(source: Source) -> list[tuple[str, Path]]:
    """``(cursor, path)`` of the folder's packages not read yet, oldest first (symbolic links
    included, to be refused: they are never followed): those after the source's cursor, and
    those put in the folder (or whose permissions changed) since the last pull listed it
    although their modification time is older — a copy that keeps its times (``cp -p``,
    ``rsync -t``, an SFTP upload with ``-p``), a file made readable after it was refused."""
    folder = Path(source.folder)
    since = int(source.scanned_at.timestamp() * 1e9) if source.scanned_at else None
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.lower().endswith(SUFFIXES):
                continue
            if entry.is_symlink() or entry.is_file(follow_symlinks=False):
                cursor = _cursor_of(entry)
                late = since is not None and entry.stat(follow_symlinks=False).st_ctime_ns > since
                if cursor > source.cursor or late:
                    found.append((cursor, Path(entry.path)))
    return sorted(found)


def _receive_file(source: Source, cursor: str, path: Path, counts: Counts) -> None:
    """One file, received or refused on its own (never raises for the file's sake)."""
    key = f"file:{cursor}"
    received = counts.received
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
            refuse(
                source,
                _("“%(name)s” là liên kết hoặc không phải tệp thường: không đọc.")
                % {"name": path.name},
                file_name=path.name,
                key=key,
                counts=counts,
            )
            return
        if info.st_size > edxml.MAX_BYTES:
            refuse(
                source,
                _(
                    "Tệp “%(name)s” lớn hơn %(size)d MB: không đọc. Đề nghị phần mềm nguồn gửi "
                    "tệp đính kèm qua đường khác rồi gửi lại gói tin."
                )
                % {"name": path.name, "size": edxml.MAX_MEGABYTES},
                file_name=path.name,
                key=key,
                counts=counts,
            )
            return
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
        # The folder's door vouches for the file's modification time: it orders two versions
        # of a document that carry no time of their own (connectors.rules.is_older).
        modified = datetime.datetime.fromtimestamp(info.st_mtime, tz=datetime.UTC)
        with os.fdopen(os.open(path, flags), "rb") as stream, transaction.atomic():
            receive(source, stream=stream, file_name=path.name, counts=counts, sent_at=modified)
            # Read at last (made readable after it was refused): its dead letter is resolved.
            Package.objects.filter(source=source, key=key).delete()
    except Exception as exc:  # the file is refused on its own; the pull goes on  # noqa: BLE001
        logger.warning("Package %s of %s refused: %s", path.name, source, exc)
        counts.received = received
        refuse(
            source,
            _("Không đọc hoặc không ghi được gói tin “%(name)s” (%(error)s).")
            % {"name": path.name, "error": f"{type(exc).__name__}: {exc}"[:500]},
            file_name=path.name,
            key=key,
            counts=counts,
        )


def _finish(run: Run, counts: Counts, error: str = "") -> Run:
    for name in ("received", "created", "updated", "unchanged", "waiting", "refused"):
        setattr(run, name, getattr(counts, name))
    run.finish(error)
    run.save()
    return run


def pull(
    source: Source, trigger: str = RunTrigger.MANUAL, now: datetime.datetime | None = None
) -> Run:
    """One pull of a folder source; returns its logged run."""
    now = now or timezone.now()
    run = Run.objects.create(source=source, trigger=trigger, started_at=now)
    counts = Counts()
    error = ""
    scanned_at = timezone.now()  # the wall clock, as the files' change times (not ``now``)
    try:
        if source.kind != SourceKind.FOLDER:
            raise ValueError("only folder sources are pulled")
        for cursor, path in new_files(source):
            _receive_file(source, cursor, path, counts)
            if cursor > source.cursor:
                source.cursor = cursor
                Source.objects.filter(pk=source.pk).update(cursor=cursor)
    except Exception as exc:  # logged on the run, then retried after the back-off  # noqa: BLE001
        logger.warning("Pulling %s failed: %s", source, exc)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        source.failures += 1
        source.next_run_at = now + backoff(source)  # never given up: shown as failing
    else:
        source.failures = 0
        source.next_run_at = now + datetime.timedelta(minutes=source.interval_minutes)
        source.scanned_at = scanned_at
    Source.objects.filter(pk=source.pk).update(
        failures=source.failures, next_run_at=source.next_run_at, scanned_at=source.scanned_at
    )
    return _finish(run, counts, error)


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


def failing_sources():
    """Active sources whose last :data:`FAILING_AFTER` runs failed."""
    return Source.objects.filter(is_active=True, failures__gte=FAILING_AFTER)


def health_items(now) -> list[HealthItem]:
    """``/healthz/work``'s item for the document sources (``cms.jobs.register_health``): the
    sources whose last :data:`FAILING_AFTER` runs failed — still tried, alarmed until a run
    succeeds."""
    failing = failing_sources()
    oldest = (
        Run.objects.filter(source__in=failing, status=AttemptStatus.FAILED).aggregate(
            at=Min("started_at")
        )["at"]
        if failing.exists()
        else None
    )
    return [
        HealthItem(
            "connector_sources_failing",
            _("Nguồn văn bản lấy gói tin lỗi liên tiếp"),
            failing.count(),
            oldest,
            oldest is not None,
            _("Xem Kết nối văn bản → Nhật ký nhận gói tin: thư mục nhận có còn, có đọc được?"),
        )
    ]


def log_push(
    source: Source,
    data: bytes | None = None,
    *,
    stream=None,
    sent_at: datetime.datetime | None = None,
):
    """One package pushed to the webhook (``data``, or read from ``stream``), received and
    logged as a run; returns the run, what happened and the package."""
    run = Run.objects.create(source=source, trigger=RunTrigger.WEBHOOK)
    counts = Counts()
    status = receive(
        source, data, stream=stream, file_name="webhook", counts=counts, sent_at=sent_at
    )
    return _finish(run, counts), status, counts.last
