"""The page cache a large import writes with (``importers.bulk.roomy_cache``, issue 34): on SQLite
a larger cache for the block, put back afterwards — also when the block fails inside a
transaction; nothing on PostgreSQL. Only memory changes: durability settings stay as they are."""

import pytest

from django.db import connection, transaction

from importers import bulk

pytestmark = pytest.mark.django_db


def _pragma(name: str):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page cache")
def test_the_cache_is_larger_in_the_block_and_put_back_after():
    before, synchronous = _pragma("cache_size"), _pragma("synchronous")
    with bulk.roomy_cache(kib=64 * 1024):
        assert _pragma("cache_size") == -64 * 1024
        assert _pragma("synchronous") == synchronous
    assert _pragma("cache_size") == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page cache")
def test_a_failed_block_inside_a_transaction_still_puts_the_cache_back():
    before = _pragma("cache_size")
    with (
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
        bulk.roomy_cache(kib=64 * 1024),
    ):
        assert _pragma("cache_size") == -64 * 1024
        1 / 0  # noqa: B018
    assert _pragma("cache_size") == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page cache")
def test_a_cache_already_larger_is_left_as_it_is():
    with bulk.roomy_cache(kib=128 * 1024):
        with bulk.roomy_cache(kib=64 * 1024):
            assert _pragma("cache_size") == -128 * 1024
        assert _pragma("cache_size") == -128 * 1024


@pytest.mark.skipif(connection.vendor != "postgresql", reason="nothing to do on PostgreSQL")
def test_nothing_changes_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        before = cursor.fetchone()[0]
        with bulk.roomy_cache():
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == before
