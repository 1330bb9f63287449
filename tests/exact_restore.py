"""After a transactional test, the migrated database put back row for row.

A transactional test (``transaction=True, serialized_rollback=True``) ends with a flush; the next
test needs the migrated rows back. Django reloads them from a JSON copy through the ORM, which
brings them back *almost* as they were: timestamps lose their microseconds (the JSON serializer
keeps milliseconds) and the rows of the automatic many-to-many tables (group ↔ permission …) get
new ids, because the serializer stores those links as lists, not as rows. Nothing in the
application minds, but every later demo-province load then starts from a database that differs
from the one its recording started from, so ``tests/demo_replay.py`` loads for real (60–180 s)
instead of replaying (~5 s): one transactional test made every later demo test of its process
slow (session 20: "3 real loads, 1 replay" for one browser file and two demo files).

Here the copy is taken with plain SQL once the test database is migrated (``snapshot``), and
put back with plain SQL (``restore``): every table emptied, every row inserted with the values
it had, in one transaction whose foreign-key checks wait for its end (Django creates them
deferrable on both engines). The database after a transactional test is then the migrated one
exactly, and the demo replay's digest recognises it. Sequences are left where they are (never
moved backwards), as Django's flush leaves them.
"""

from __future__ import annotations

from tests.demo_replay import _adapt, _quote, _skipped_tables, _snapshot, _Table

_COPIES: dict[str, dict[str, _Table]] = {}
#: alias → the connection object the test database was set up on (and ``install`` patched).
_INSTALLED: dict[str, object] = {}


def snapshot(connection) -> None:
    """Keep the rows of the migrated test database (the default connection: the only one)."""
    _COPIES[connection.alias] = _snapshot()


def has_copy(connection) -> bool:
    return connection.alias in _COPIES


def restore(connection) -> None:
    """Make ``connection``'s tables hold exactly the rows :func:`snapshot` kept."""
    from django.db import transaction

    tables = _COPIES[connection.alias]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        skipped = _skipped_tables(cursor, connection.vendor)
        names = [
            n
            for n in connection.introspection.table_names(cursor, include_views=False)
            if n not in skipped
        ]
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("TRUNCATE " + ", ".join(_quote(n) for n in names))
        else:
            for name in names:
                cursor.execute(f"DELETE FROM {_quote(name)}")  # noqa: S608 (table names)
        for name, table in tables.items():
            if not table.rows:
                continue
            marks = ", ".join(["%s"] * len(table.columns))
            cols = ", ".join(_quote(c) for c in table.columns)
            cursor.executemany(
                f"INSERT INTO {_quote(name)} ({cols}) VALUES ({marks})",  # noqa: S608
                _adapt(connection, table.columns, list(table.rows.values())),
            )
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def row_counts(connection, tables) -> dict[str, int]:
    """``table → rows`` for ``tables``, in one ``UNION ALL`` of counts (a few milliseconds where
    a query per table costs a round trip each)."""
    names = sorted(set(tables))
    if not names:
        return {}
    query = " UNION ALL ".join(
        f"SELECT {i}, COUNT(*) FROM {_quote(n)}"  # noqa: S608 (table names, not input)
        for i, n in enumerate(names)
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        return {names[i]: count for i, count in cursor.fetchall()}


def leftovers(connection) -> dict[str, tuple[int, int]]:
    """``table → (rows migrated, rows now)`` for every kept table whose row count is not the
    migrated one: what a test module left behind once its fixtures were torn down."""
    tables = _COPIES[connection.alias]
    counts = row_counts(connection, tables)
    return {n: (len(t.rows), counts[n]) for n, t in tables.items() if counts[n] != len(t.rows)}


#: What test modules left behind: ``"<module> left <table> …"`` (the run's summary lists them).
LEFT_BEHIND: list[str] = []


def check_module_start(connection, previous: str) -> None:
    """At the first test of a module, before its fixtures: the database is the migrated one.

    A module whose fixtures committed rows, or left a transaction open, would otherwise hand
    them to every later module of its process, and a test there would pass or fail by the
    order the files were handed out. What is found is noted against ``previous`` (the
    module that ran before) and undone: an open transaction rolled back, the migrated rows
    put back."""
    if connection.in_atomic_block:
        LEFT_BEHIND.append(f"{previous}: a transaction left open")
        connection.atomic_blocks.clear()
        connection.savepoint_ids.clear()
        connection.needs_rollback = False
        connection.in_atomic_block = False
        connection.rollback()
        connection.set_autocommit(True)
    elif _transaction_open_beside_django(connection):
        # Django is in autocommit, the database is not: a statement was cut off in another
        # thread sharing the connection (a live server's request during a teardown, CI of
        # stop 70), or ``BEGIN`` was sent by hand.
        LEFT_BEHIND.append(f"{previous}: a transaction left open beside Django's")
        connection.connection.rollback()
    found = leftovers(connection)
    if found:
        shown = ", ".join(f"{n} {was}→{now}" for n, (was, now) in sorted(found.items())[:6])
        more = f" (+{len(found) - 6} tables)" if len(found) > 6 else ""
        LEFT_BEHIND.append(f"{previous}: {shown}{more}")
        restore(connection)


def _transaction_open_beside_django(connection) -> bool:
    """The database connection is in a transaction that Django did not open (Django believes it
    is in autocommit)."""
    raw = connection.connection
    if raw is None or not connection.get_autocommit():
        return False
    if connection.vendor == "sqlite":
        return bool(raw.in_transaction)
    if connection.vendor == "postgresql":
        return raw.info.transaction_status != 0  # psycopg's TransactionStatus.IDLE
    return False


def install(connection) -> None:
    """Take the copy and let the connection's ``deserialize_db_from_string`` (what Django's
    transactional test case calls to reload the serialized copy) restore it instead."""
    from django.db import connections

    snapshot(connection)
    wrapper = connections[connection.alias]
    _INSTALLED[connection.alias] = wrapper
    if hasattr(wrapper, "_test_serialized_contents"):
        _SERIALIZED[connection.alias] = wrapper._test_serialized_contents

    def deserialize_db_from_string(data, _connection=connection):
        restore(_connection)

    connection.creation.deserialize_db_from_string = deserialize_db_from_string


def keep_connections() -> None:
    """After Playwright's sync API has started in this thread: the test code keeps the
    connection objects the test database was set up on.

    Between its calls Playwright marks its event loop as running in the calling thread
    (``playwright/_impl/_greenlets.py``), and while a loop runs Django keeps connections per
    context rather than per thread (asgiref's thread-critical ``Local``), so
    ``connections["default"]`` can be a second object. That one has neither the serialized
    copy nor :func:`install`'s patch: a serialized-rollback test on it skips its reload and
    ends with a flush that re-runs post_migrate. The full runs of 26/11 (CI of stop 51 and one
    here) showed exactly that late in both processes; a short browser-then-test sequence did
    not, so the trigger is not pinned down and :func:`adopt` checks before every test."""
    from django.db import connections

    for alias, wrapper in _INSTALLED.items():
        connections[alias] = wrapper


#: Tests before whose set-up ``connections[alias]`` was another object, or had lost its
#: serialized copy (see :func:`adopt`), and the last tests of the process (for messages).
ADOPTED: list[str] = []
RECENT: list[str] = []
_SERIALIZED: dict[str, str] = {}


def adopt(nodeid: str = "") -> None:
    """Before each test: ``connections[alias]`` is the object the test database was set up on.

    Where it is not (see :func:`keep_connections`), Django's transactional test case would
    read a connection object with neither the serialized copy nor :func:`install`'s patch:
    it would skip the reload before a serialized-rollback test and flush with post_migrate
    after it. The object set up first is
    put back (and the serialized copy, should the object have lost it), and the test is noted
    (the run's summary counts them)."""
    from django.db import connections

    RECENT[:] = [*RECENT[-4:], nodeid]
    for alias, wrapper in _INSTALLED.items():
        if connections[alias] is not wrapper:
            connections[alias] = wrapper
            ADOPTED.append(f"{nodeid} (another connection object)")
        if alias in _SERIALIZED and not hasattr(wrapper, "_test_serialized_contents"):
            wrapper._test_serialized_contents = _SERIALIZED[alias]
            ADOPTED.append(f"{nodeid} (the serialized copy was gone)")
