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


def install(connection) -> None:
    """Take the copy and let the connection's ``deserialize_db_from_string`` (what Django's
    transactional test case calls to reload the serialized copy) restore it instead."""
    snapshot(connection)

    def deserialize_db_from_string(data, _connection=connection):
        restore(_connection)

    connection.creation.deserialize_db_from_string = deserialize_db_from_string
