"""The demo province built once per run, replayed after that in every process of the run.

``load_demo`` takes about 90 seconds and some twenty test modules load it (module fixtures, a
fresh load per test, browser tests with a live server). The first call in a process runs the
real loader and records what it changed: every row it inserted, updated or deleted, table by
table, the files it wrote to the media folders and the commit callbacks it registered. A later
call replays that change set with plain SQL when — and only when — the database is exactly in
the state the recording started from (every row of every table compared through a digest);
otherwise it runs the real loader again (and records that start too). A test therefore sees
the same rows, the same primary keys and the same files as after a real load, inside the same
transaction that its fixture rolls back, so the isolation between tests is what it was.

What a replay does not do, and why that is safe here:

* model signals do not fire. Their effects on the database are in the recording; their effects
  on process memory are caches, so every cache is cleared after a replay (a test never relies
  on a warm cache), and the content-type cache too;
* SQLite's full-text index of Wagtail search (``*_fts`` virtual table) is not replayed: the
  index entries' triggers fill it, as they did during the real load;
* sequences: SQLite's ``sqlite_sequence`` and PostgreSQL's sequences are moved past the replayed
  keys, never backwards;
* PostgreSQL's planner statistics are refreshed (``ANALYZE``) as the real loader does.

With ``--nomigrations`` the seed rows are not in the test database: ``ensure_base_data`` writes
them inside each test with that moment's timestamps, no two starts are alike and every call
loads for real (correct, only not faster). ``make test`` migrates, so the seeds are there.

After a transactional test the migrated rows are put back exactly (``tests/exact_restore.py``),
so a load after one is still replayed. ``KPI_TEST_DEMO_REPLAY_WHY=1`` prints, for a load that
is real although recordings exist, which tables differ from their starts.

Between the processes of one run (pytest-xdist's workers) a recording is shared through a folder
the controller makes (``KPI_TEST_DEMO_SHARED``, removed at the end of the run): the first process
to need a start loads it for real under a file lock and writes the recording there; a process
that needs the same start later (or waits on the lock meanwhile) replays it. The demo province is
thus built once per run. A recording that cannot be written down (a commit callback that is not
a plain function, e.g. a closure) stays in its process; ``KPI_TEST_DEMO_REPLAY_WHY`` says so.
Files are kept by their path inside the media folders, each process having its own.

``KPI_TEST_DEMO_REPLAY=0`` turns the replay off (every call runs the real loader), for a run
that wants to rule the replay out when a demo test behaves strangely.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import functools
import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ENV = "KPI_TEST_DEMO_REPLAY"
#: The folder the processes of one run share their recordings through (set by the controller).
SHARED = "KPI_TEST_DEMO_SHARED"


@dataclass
class _Table:
    columns: tuple[str, ...]
    key: int | None  # index of the primary-key column; None: the whole row is the key
    rows: dict


@dataclass
class _Recording:
    summary: object
    inserts: dict = field(default_factory=dict)  # table -> (columns, [rows])
    updates: dict = field(default_factory=dict)  # table -> (columns, key index, [rows])
    deletes: dict = field(default_factory=dict)  # table -> (key column, [keys]) / whole rows
    sequences: dict = field(default_factory=dict)  # sqlite_sequence name -> seq
    files: dict = field(default_factory=dict)  # (media folder index, relative path) -> bytes
    on_commit: list = field(default_factory=list)  # (callable, robust)


_RECORDINGS: dict[tuple, _Recording] = {}
#: ``KPI_TEST_DEMO_REPLAY_WHY=1``: keep each recording's start and, when a load is real although
#: a recording exists, print which tables differ from the closest start (to find what a test left).
WHY = "KPI_TEST_DEMO_REPLAY_WHY"
_STARTS: list[dict] = []
STATS = {"real": 0, "replayed": 0, "shared": 0}


def _connection():
    from django.db import connection

    return connection


def _skipped_tables(cursor, vendor: str) -> set[str]:
    """SQLite virtual (FTS) tables and their shadow tables: triggers keep them in step."""
    if vendor != "sqlite":
        return set()
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
    )
    virtual = [row[0] for row in cursor.fetchall()]
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    names = [row[0] for row in cursor.fetchall()]
    return {n for n in names for v in virtual if n == v or n.startswith(f"{v}_")}


def _quote(name: str) -> str:
    return _connection().ops.quote_name(name)


def _snapshot() -> dict[str, _Table]:
    connection = _connection()
    tables: dict[str, _Table] = {}
    with connection.cursor() as cursor:
        skipped = _skipped_tables(cursor, connection.vendor)
        names = [
            n
            for n in connection.introspection.table_names(cursor, include_views=False)
            if n not in skipped
        ]
        for name in sorted(names):
            pk = connection.introspection.get_primary_key_column(cursor, name)
            cursor.execute(f"SELECT * FROM {_quote(name)}")  # noqa: S608 (table names)
            columns = tuple(col[0] for col in cursor.description)
            key = columns.index(pk) if pk in columns else None
            rows = {}
            for row in cursor.fetchall():
                # PostgreSQL's bytea comes back as a memoryview: bytes compare, hash and pickle
                row = tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                rows[row if key is None else row[key]] = row
            tables[name] = _Table(columns, key, rows)
    return tables


def _sqlite_sequences() -> dict[str, int]:
    connection = _connection()
    if connection.vendor != "sqlite":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, seq FROM sqlite_sequence")
        return dict(cursor.fetchall())


def _digest(tables: dict[str, _Table]) -> str:
    digest = hashlib.sha256()
    for name, table in tables.items():
        digest.update(repr((name, table.columns)).encode())
        for key in sorted(table.rows, key=repr):
            digest.update(repr(table.rows[key]).encode())
    return digest.hexdigest()


def _media_roots() -> list[Path]:
    from django.conf import settings

    roots = [settings.MEDIA_ROOT, getattr(settings, "PRIVATE_MEDIA_ROOT", None)]
    return [Path(r) for r in roots if r]


def _files() -> dict[str, float]:
    found = {}
    for root in _media_roots():
        if root.is_dir():
            for path in root.rglob("*"):
                if path.is_file():
                    found[str(path)] = path.stat().st_mtime_ns
    return found


def _context_key() -> tuple:
    """What else decides the loader's rows: who the change history says is acting."""
    from audit import history

    acting = history._ACTING.get()
    if acting is None:
        return (None,)
    return (getattr(acting.user, "pk", acting.user), acting.reason)


def _record(real, before: dict[str, _Table], files_before: dict[str, float]) -> _Recording:
    from django.db import transaction

    connection = _connection()
    with transaction.atomic():
        callbacks_before = len(connection.run_on_commit)
        summary = real()
        added = connection.run_on_commit[callbacks_before:]
        after = _snapshot()
        recording = _Recording(summary=summary)
        recording.on_commit = [(entry[1], entry[2]) for entry in added]
        recording.sequences = _sqlite_sequences()
    for name, table in after.items():
        old = before.get(name)
        old_rows = old.rows if old else {}
        inserts = [row for key, row in table.rows.items() if key not in old_rows]
        updates = [
            row for key, row in table.rows.items() if key in old_rows and old_rows[key] != row
        ]
        deletes = [key for key in old_rows if key not in table.rows]
        if inserts:
            recording.inserts[name] = (table.columns, inserts)
        if updates:
            recording.updates[name] = (table.columns, table.key, updates)
        if deletes:
            recording.deletes[name] = (table.columns, table.key, deletes)
    roots = _media_roots()
    for path, mtime in _files().items():
        if files_before.get(path) != mtime:
            recording.files[_portable(Path(path), roots)] = Path(path).read_bytes()
    return recording


def _portable(path: Path, roots: list[Path]) -> tuple[int, str]:
    """A file's place as (media folder, path inside it): each process has its own folders."""
    for index, root in enumerate(roots):
        if path.is_relative_to(root):
            return index, str(path.relative_to(root))
    raise ValueError(f"{path} is outside the media folders")


def _adapt(connection, columns, rows):
    """PostgreSQL: JSON columns come back as Python objects and go in through Jsonb."""
    if connection.vendor != "postgresql":
        return rows
    from psycopg.types.json import Jsonb

    def wrap(value):
        return Jsonb(value) if isinstance(value, (dict, list)) else value

    # Arrays come back as lists too; a JSON column is told apart by the model field.
    json_columns = _json_columns()
    out = []
    for row in rows:
        out.append(
            tuple(wrap(v) if c in json_columns else v for c, v in zip(columns, row, strict=True))
        )
    return out


@functools.cache
def _json_columns() -> frozenset[str]:
    from django.apps import apps
    from django.db.models import JSONField

    return frozenset(
        f.column
        for model in apps.get_models(include_auto_created=True)
        for f in model._meta.concrete_fields
        if isinstance(f, JSONField)
    )


def _replay(recording: _Recording):
    from django.core.cache import caches
    from django.db import transaction

    connection = _connection()
    with transaction.atomic(), connection.cursor() as cursor:
        for name, (columns, key, keys) in recording.deletes.items():
            if key is None:
                where = " AND ".join(f"{_quote(c)} IS %s" for c in columns)
                if connection.vendor == "postgresql":
                    where = " AND ".join(f"{_quote(c)} IS NOT DISTINCT FROM %s" for c in columns)
                params = _adapt(connection, columns, keys)
            else:
                where = f"{_quote(columns[key])} = %s"
                params = [(k,) for k in keys]
            cursor.executemany(f"DELETE FROM {_quote(name)} WHERE {where}", params)  # noqa: S608
        for name, (columns, key, rows) in recording.updates.items():
            sets = ", ".join(f"{_quote(c)} = %s" for c in columns)
            params = [(*row, row[key]) for row in _adapt(connection, columns, rows)]
            cursor.executemany(
                f"UPDATE {_quote(name)} SET {sets} WHERE {_quote(columns[key])} = %s",  # noqa: S608
                params,
            )
        for name, (columns, rows) in recording.inserts.items():
            marks = ", ".join(["%s"] * len(columns))
            cols = ", ".join(_quote(c) for c in columns)
            cursor.executemany(
                f"INSERT INTO {_quote(name)} ({cols}) VALUES ({marks})",  # noqa: S608
                _adapt(connection, columns, rows),
            )
        _move_sequences(cursor, recording)
        if connection.vendor == "postgresql":
            # The real loader ANALYZEs after its bulk steps (``refresh_planner_statistics``);
            # a replay writes the same rows, so it refreshes the planner's statistics too.
            # Without it the planner keeps whatever an earlier test left and may pick nested
            # loops that turn a page's query from a second into minutes (CI, session 10: two
            # demo tests hit the ten-minute timeout on PostgreSQL).
            cursor.execute("ANALYZE")
        for func, robust in recording.on_commit:
            transaction.on_commit(func, robust=robust)
    roots = _media_roots()
    for (index, relative), content in recording.files.items():
        target = roots[index] / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()
    return recording.summary


def _move_sequences(cursor, recording: _Recording) -> None:
    connection = _connection()
    if connection.vendor == "sqlite":
        for name, seq in recording.sequences.items():
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [seq, name]
            )
            if cursor.rowcount == 0:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [name, seq]
                )
    elif connection.vendor == "postgresql":
        for name in recording.inserts:
            pk = connection.introspection.get_primary_key_column(cursor, name)
            if pk is None:
                continue
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [_quote(name), pk])
            sequence = cursor.fetchone()[0]
            if sequence:
                cursor.execute(
                    f"SELECT setval(%s, GREATEST((SELECT MAX({_quote(pk)}) FROM {_quote(name)}),"  # noqa: S608
                    f" (SELECT last_value FROM {sequence})))",
                    [sequence],
                )


def replaying(real):
    """``real`` (``demo.loader.load_demo``) recorded once per process and start state, replayed
    after that."""

    loader = f"{getattr(real, '__module__', '')}.{getattr(real, '__qualname__', '')}"

    @functools.wraps(real)
    def load_demo():
        if os.environ.get(ENV, "1") == "0":
            return real()
        before = _snapshot()
        # the loader, the start state and who acts: one key in memory and in the run's folder
        key = (loader, _digest(before), _context_key())
        recording = _RECORDINGS.get(key)
        if recording is not None:
            STATS["replayed"] += 1
            return copy.deepcopy(_replay(recording))
        with _shared(key) as shared:
            if shared.recording is not None:
                _RECORDINGS[key] = shared.recording
                STATS["replayed"] += 1
                STATS["shared"] += 1
                return copy.deepcopy(_replay(shared.recording))
            STATS["real"] += 1
            if os.environ.get(WHY):
                _explain(before)
            recording = _record(real, before, _files())
            _RECORDINGS[key] = recording
            shared.keep(recording)
        return copy.deepcopy(recording.summary)

    load_demo.__wrapped_real__ = real
    return load_demo


class _Shared:
    """One start's recording in the run's shared folder, if the run has one."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.recording: _Recording | None = None
        if path is not None and path.exists():
            self.recording = pickle.loads(path.read_bytes())  # noqa: S301 (this run's own file)

    def keep(self, recording: _Recording) -> None:
        if self.path is None:
            return
        try:
            data = pickle.dumps(recording, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, AttributeError, TypeError) as error:
            _say(
                f"recording kept in this process only, it cannot be written down: {error}",
                *(f"  commit callback {name}" for name in _unpicklable(recording.on_commit)),
            )
            return
        with tempfile.NamedTemporaryFile(dir=self.path.parent, delete=False) as out:
            out.write(data)
        Path(out.name).replace(self.path)


def _unpicklable(callbacks: list) -> list[str]:
    found = []
    for func, _robust in callbacks:
        try:
            pickle.dumps(func)
        except (pickle.PicklingError, AttributeError, TypeError):
            found.append(getattr(func, "__qualname__", repr(func)))
    return found


@contextlib.contextmanager
def _shared(key: tuple):
    """The start's recording from the run's folder, under a lock held while a process loads it
    for real, so another process that needs the same start waits and replays it."""
    folder = os.environ.get(SHARED)
    if not folder or not Path(folder).is_dir():
        yield _Shared(None)
        return
    name = hashlib.sha256(repr(key).encode()).hexdigest()
    with open(Path(folder) / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield _Shared(Path(folder) / f"{name}.pickle")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _say(*lines: str) -> None:
    """``KPI_TEST_DEMO_REPLAY_WHY=1``: to stderr; any other value: appended to that file."""
    target = os.environ.get(WHY)
    if not target:
        return
    import sys

    out = sys.stderr if target == "1" else open(target, "a", encoding="utf-8")  # noqa: SIM115
    out.writelines(f"demo replay: {line}\n" for line in lines)
    if out is not sys.stderr:
        out.close()


def _explain(before: dict[str, _Table]) -> None:
    """Why a load is real although recordings exist: how its start differs from each known one."""
    lines = [
        f"real load in {os.environ.get('PYTEST_CURRENT_TEST')}"
        f" ({len(_STARTS)} starts known; acting: {_context_key()})"
    ]
    for start in _STARTS:
        lines.extend(differences(start, before))
        lines.append("---")
    _STARTS.append(before)
    _say(*lines)


def differences(old: dict[str, _Table], new: dict[str, _Table]) -> list[str]:
    """What differs between two snapshots, table by table: columns (their order too) and rows
    gone, added or changed, with one changed row as an example."""
    found = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if before is None or after is None:
            found.append(f"{name}: {'only after' if before is None else 'only before'}")
            continue
        if before.columns != after.columns:
            found.append(f"{name}: columns {before.columns} -> {after.columns}")
            continue
        if before.rows == after.rows:
            continue
        gone = set(before.rows) - set(after.rows)
        added = set(after.rows) - set(before.rows)
        changed = [k for k in before.rows if k in after.rows and before.rows[k] != after.rows[k]]
        example = changed[:1] and (before.rows[changed[0]], after.rows[changed[0]])
        found.append(
            f"{name} differs: -{len(gone)} +{len(added)} ~{len(changed)}"
            f" e.g. {example or sorted(map(repr, gone | added))[:2]}"
        )
    return found


def install() -> None:
    """Put the replaying loader where the tests and the management command find it."""
    import demo.loader
    import demo.management.commands.load_demo as command

    if hasattr(demo.loader.load_demo, "__wrapped_real__"):
        return
    wrapped = replaying(demo.loader.load_demo)
    demo.loader.load_demo = wrapped
    command.load_demo = wrapped
