"""The migrated test database, made once per set of migrations and copied by every process.

Migrating an empty database takes 322 migrations and about 110 s of CPU on a quiet 2-core
machine (87 % of it Django re-rendering the project state after each operation, which grows
with the number of models). The suite used to pay that in each of its processes, and again
after every run. Here the first process that creates its test database migrates it as before
and keeps a copy; every other process, in this run or a later one, copies it instead:

* SQLite (the in-memory test database): the copy is a file in the system's temporary directory,
  written and read with SQLite's online backup;
* PostgreSQL: the copy is a database on the same server, ``CREATE DATABASE … TEMPLATE``.

The copy is named by a digest of everything that decides what the migrated database holds: every
migration file of every installed app (the project's and the libraries'), the project's own
source (data migrations call ``seeds.py`` and the apps' ``post_migrate`` receivers), the locked
requirements, the Python version and the database settings. A change to any of them makes a
new copy; the old ones are removed. A file lock makes a second process wait for the first
one's copy rather than migrate beside it.

Only the migration that creates a test database is replaced (``migrate`` with ``run_syncdb``, no
app named, on a test database); ``migrate`` anywhere else, and the migration tests, run as
written."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = Path(tempfile.gettempdir()) / "kpi-migrated-test-db"
#: Copies unused for this long are removed when a new one is written.
KEEP_SECONDS = 7 * 24 * 3600
#: What the last ``migrate`` of this process did: "migrated" or "copied" (for the tests).
LAST: list[str] = []
#: How long a SQLite copy waits for a lock before it gives up. SQLite's online backup retries
#: a locked database for ever (``sqlite3.Connection.backup`` sleeps and tries again on
#: SQLITE_BUSY or SQLITE_LOCKED): a source with a write not yet committed, by its own or
#: another connection, would hang the test process with no message.
BACKUP_WAIT_SECONDS = 60.0

_SKIP_DIRS = {".venv", "tests", "benchmarks", "node_modules", "staticfiles", "media", ".git"}


def _project_sources() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in _SKIP_DIRS or parts[0].startswith("."):
            continue
        found.append(path)
    return sorted(found)


def _migration_files() -> list[Path]:
    from importlib import import_module

    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    files = []
    for config in apps.get_app_configs():
        name, _explicit = MigrationLoader.migrations_module(config.label)
        if name is None:
            continue
        try:
            module = import_module(name)
        except ImportError:
            continue
        for directory in getattr(module, "__path__", []):
            files += Path(directory).glob("*.py")
    return sorted(set(files))


def digest(connection) -> str:
    """Names the migrated database: the same inputs, the same database."""
    sha = hashlib.sha256()
    sha.update(sys.version.encode())
    settings = connection.settings_dict
    sha.update(f"{connection.vendor}|{settings.get('ENGINE')}|{settings.get('OPTIONS')}".encode())
    lock = ROOT / "requirements.lock"
    if lock.exists():
        sha.update(lock.read_bytes())
    for path in [*_migration_files(), *_project_sources()]:
        sha.update(str(path).encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()[:20]


@contextlib.contextmanager
def _locked(name: str):
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with open(CACHE_DIR / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _prune(keep: str) -> None:
    now = time.time()
    for path in CACHE_DIR.glob("*.sqlite3"):
        if keep not in path.name and now - path.stat().st_mtime > KEEP_SECONDS:
            path.unlink(missing_ok=True)


# --------------------------------------------------------------------------------- SQLite


def _backup(source, target, what: str) -> None:
    """SQLite's online backup, given up with a message when it has waited for a lock too long."""
    import sqlite3

    started = time.monotonic()

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and (
            time.monotonic() - started > BACKUP_WAIT_SECONDS
        ):
            raise TimeoutError(
                f"{what}: the database stayed locked for {BACKUP_WAIT_SECONDS:g} s (a write "
                "not yet committed, on this connection or another one); commit or roll it "
                "back before copying"
            )

    source.backup(target, progress=progress)


def _sqlite_copy(connection, name: str) -> bool:
    import sqlite3

    path = CACHE_DIR / f"{name}.sqlite3"
    if not path.exists():
        return False
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        _backup(source, connection.connection, f"copying {path.name}")
    finally:
        source.close()
    os.utime(path)
    return True


def _sqlite_keep(connection, name: str) -> None:
    import sqlite3

    path = CACHE_DIR / f"{name}.sqlite3"
    partial = path.with_suffix(f".{os.getpid()}.part")
    target = sqlite3.connect(partial)
    try:
        connection.ensure_connection()
        _backup(connection.connection, target, f"keeping {path.name}")
    except BaseException:
        target.close()
        partial.unlink(missing_ok=True)
        raise
    target.close()
    os.replace(partial, path)
    _prune(name)


# ----------------------------------------------------------------------------- PostgreSQL


def _template_name(name: str) -> str:
    return f"kpi_migrated_{name}"


@contextlib.contextmanager
def _on_server(connection):
    """A cursor on the server's maintenance database, with the test database's connection
    closed first (``CREATE DATABASE … TEMPLATE`` needs no session on either database)."""
    connection.close()
    with connection._nodb_cursor() as cursor:
        yield cursor, connection.ops.quote_name


def _pg_copy(connection, name: str) -> bool:
    template, target = _template_name(name), connection.settings_dict["NAME"]
    with _on_server(connection) as (cursor, quote):
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        if cursor.fetchone() is None:
            return False
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(template)}")
    return True


def _pg_keep(connection, name: str) -> None:
    template, source = _template_name(name), connection.settings_dict["NAME"]
    with _on_server(connection) as (cursor, quote):
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'kpi\\_migrated\\_%%' "
            "AND datname <> %s",
            [template],
        )
        for (old,) in cursor.fetchall():
            # Without FORCE: a copy another run on this server is making from it goes on.
            with contextlib.suppress(Exception):
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(old)}")
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(template)}")
        cursor.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(source)}")


# ------------------------------------------------------------------------------ the hook


def _replaces(connection, options: dict) -> bool:
    """The ``migrate`` that ``create_test_db`` runs on a new test database."""
    if options.get("app_label") or options.get("migration_name") or options.get("plan"):
        return False
    if not options.get("run_syncdb") or options.get("fake") or options.get("fake_initial"):
        return False
    if connection.vendor == "sqlite":
        return connection.is_in_memory_db()
    if connection.vendor == "postgresql":
        return str(connection.settings_dict["NAME"]).startswith("test_")
    return False


def install() -> None:
    """Replace the test database's migration by a copy where one exists (each process)."""
    from django.core.management.commands import migrate
    from django.db import connections

    if getattr(migrate.Command.handle, "_kpi_migrated_cache", False):
        return
    original = migrate.Command.handle

    def handle(self, *args, **options):
        connection = connections[options.get("database") or "default"]
        if os.environ.get("KPI_NO_MIGRATED_CACHE") or not _replaces(connection, options):
            return original(self, *args, **options)
        copy, keep = {
            "sqlite": (_sqlite_copy, _sqlite_keep),
            "postgresql": (_pg_copy, _pg_keep),
        }[connection.vendor]
        name = digest(connection)
        with _locked(name):
            if copy(connection, name):
                LAST[:] = ["copied"]
                return None
            result = original(self, *args, **options)
            keep(connection, name)
            LAST[:] = ["migrated"]
            return result

    handle._kpi_migrated_cache = True  # type: ignore[attr-defined]
    migrate.Command.handle = handle
