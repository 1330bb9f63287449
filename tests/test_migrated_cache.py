"""The migrated test database is copied only when it is the same one
(``tests/migrated_cache.py``)."""

import pytest

from django.db import connection

from tests import migrated_cache


def test_the_name_follows_every_input(tmp_path, monkeypatch):
    source = tmp_path / "seeds.py"
    source.write_text("SEEDS = 1\n")
    monkeypatch.setattr(migrated_cache, "_project_sources", lambda: [source])
    first = migrated_cache.digest(connection)
    assert migrated_cache.digest(connection) == first
    source.write_text("SEEDS = 2\n")
    assert migrated_cache.digest(connection) != first


def test_the_project_sources_include_the_seeds_and_not_the_tests():
    names = {str(p.relative_to(migrated_cache.ROOT)) for p in migrated_cache._project_sources()}
    assert "scoring/seeds.py" in names
    assert "org/roles.py" in names  # a post_migrate receiver
    assert not any(name.startswith(("tests/", "benchmarks/", ".venv/")) for name in names)


@pytest.mark.django_db
def test_only_the_migration_that_creates_a_test_database_is_replaced():
    whole = {"run_syncdb": True, "app_label": None, "migration_name": None}
    if connection.vendor == "sqlite":
        assert migrated_cache._replaces(connection, whole)
    assert not migrated_cache._replaces(connection, {**whole, "app_label": "org"})
    assert not migrated_cache._replaces(connection, {**whole, "migration_name": "0006"})
    assert not migrated_cache._replaces(connection, {**whole, "run_syncdb": False})
    assert not migrated_cache._replaces(connection, {**whole, "fake": True})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_copy_holds_the_same_tables_and_rows(tmp_path, monkeypatch):
    """Copied in autocommit, as ``create_test_db`` does: an ordinary database test's
    transaction may hold a write (``_seed_data_after_flush`` puts back the seeds after another
    file's flush), and SQLite's backup cannot read past a write not yet committed (a whole CI
    run hung here on 29/11)."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite copy; PostgreSQL copies with CREATE DATABASE … TEMPLATE")
    from django.db.backends.sqlite3.base import DatabaseWrapper

    assert not connection.in_atomic_block
    monkeypatch.setattr(migrated_cache, "CACHE_DIR", tmp_path)
    migrated_cache._sqlite_keep(connection, "here")
    other = DatabaseWrapper({**connection.settings_dict, "NAME": ":memory:"}, alias="copy")
    try:
        assert migrated_cache._sqlite_copy(other, "here")
        assert not migrated_cache._sqlite_copy(other, "elsewhere")
        connection.ensure_connection()
        assert _contents(other) == _contents(connection)
        assert _contents(other)[1]["django_migrations"] > 300
    finally:
        other.close()


def test_a_locked_database_stops_the_copy_with_a_message(tmp_path, monkeypatch, django_db_blocker):
    """A write not yet committed on the source made SQLite's backup retry for ever (a whole
    CI run hung on it); the copy now gives up after ``BACKUP_WAIT_SECONDS`` and says why, and
    leaves no partial file."""
    import sqlite3

    from django.db.backends.sqlite3.base import DatabaseWrapper

    monkeypatch.setattr(migrated_cache, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(migrated_cache, "BACKUP_WAIT_SECONDS", 0.3)
    source = DatabaseWrapper({"NAME": ":memory:", **_SQLITE}, alias="locked")
    with django_db_blocker.unblock():
        try:
            source.ensure_connection()
            raw = source.connection
            raw.execute("CREATE TABLE t (x integer)")
            raw.execute("BEGIN")
            raw.execute("INSERT INTO t VALUES (1)")
            with pytest.raises(TimeoutError, match=r"stayed locked for 0\.3 s"):
                migrated_cache._sqlite_keep(source, "locked")
            assert list(tmp_path.iterdir()) == []
            raw.execute("COMMIT")
            migrated_cache._sqlite_keep(source, "locked")
            copy = sqlite3.connect(tmp_path / "locked.sqlite3")
            assert copy.execute("SELECT x FROM t").fetchall() == [(1,)]
            copy.close()
        finally:
            source.close()


_SQLITE = {
    "ENGINE": "django.db.backends.sqlite3",
    "OPTIONS": {},
    "TIME_ZONE": None,
    "CONN_MAX_AGE": 0,
    "CONN_HEALTH_CHECKS": False,
    "AUTOCOMMIT": True,
    "ATOMIC_REQUESTS": False,
    "TEST": {},
    "USER": "",
    "PASSWORD": "",
    "HOST": "",
    "PORT": "",
}


def _contents(conn):
    cursor = conn.connection.cursor()
    schema = cursor.execute(
        "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()
    counts = {
        name: cursor.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608
        for _type, name, _sql in schema
        if _type == "table"
    }
    return schema, counts
