"""Fast writes for large imports, below the ORM but through Django's connection and field
conversions (so values are stored exactly as the ORM would store them).

Data comes as columns (a value per row, or one constant for all rows). Each column is converted
with the model field's ``get_db_prep_save`` once per *distinct* value (``pandas.factorize``),
then rows are zipped together and sent:

- insert: PostgreSQL ``COPY … FROM STDIN``; other databases ``executemany`` in batches;
- update: rows go into a temporary table, then one ``UPDATE … FROM`` (PostgreSQL, SQLite ≥ 3.33);
- delete: ``QuerySet.delete()`` in chunks, so cascades and signals still apply.

Model ``save()``/``clean()`` are NOT called: callers validate first (the importer's rules) and
check what model methods would have checked (e.g. an open period).

Every write leaves its rows in the change history of score inputs (``audit.history``), with
who and how from ``audit.history.acting`` or the request.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from itertools import islice
from typing import TYPE_CHECKING

from psycopg.adapt import PyFormat, Transformer

from django.db import connections, router

from audit import history
from cms.lazy import lazy_module
from cms.postgres import refresh_after_bulk_write

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

BATCH = 5_000

#: SQLite's page cache while a large write runs, in KiB (``PRAGMA cache_size`` takes a negative
#: number as KiB). SQLite's default is 2 MB; 100,000 lines with their indexes and history rows
#: touch about 40 MB of pages, so with the default every index insertion evicts and re-reads
#: pages. Pages are only allocated as they are used, and the size is put back afterwards.
SQLITE_BULK_CACHE_KIB = 256 * 1024


@contextlib.contextmanager
def roomy_cache(using: str = "default", kib: int = SQLITE_BULK_CACHE_KIB) -> Iterator[None]:
    """On SQLite, a page cache of ``kib`` for the block (wrap the whole transaction, so that the
    pages it dirties stay in memory until COMMIT writes them once); nothing elsewhere. Only
    memory changes: what is written, when it is synced and what a crash leaves are SQLite's
    usual (the rollback journal, ``synchronous`` untouched)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    # sqlite3's own connection: the setting is no statement of the transaction, and putting it
    # back must work even when the block ends by an error that broke an enclosing atomic().
    connection.ensure_connection()
    raw = connection.connection
    previous = int(raw.execute("PRAGMA cache_size").fetchone()[0])
    # A negative size is KiB, a positive one pages: never make the cache smaller.
    roomier = previous >= 0 or -previous < kib
    if roomier:
        raw.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        if roomier and connection.connection is raw:
            raw.execute(f"PRAGMA cache_size = {previous}")


class Constant:
    """One value for every row, even a list or tuple (a JSON default such as ``[]``), which
    would otherwise be taken for a column."""

    def __init__(self, value):
        self.value = value


def _is_column(values) -> bool:
    return isinstance(values, list | tuple | np.ndarray | pd.Series)


def convert_column(field, values, count: int, connection, then: Callable | None = None) -> list:
    """``values`` (a sequence, or a constant) → database values, one per row; ``then`` (the
    COPY text of a database value, say) is applied to each distinct database value once."""

    # A text field stores a str as it is (its get_prep_value is the identity on str): skip the
    # field machinery for the 100,000 distinct codes and notes of a large import.
    as_is = field.get_internal_type() in ("CharField", "TextField")

    def prepared(value):
        if not (as_is and isinstance(value, str)):
            value = field.get_db_prep_save(value, connection)
        return value if then is None else then(value)

    if isinstance(values, Constant):
        return [prepared(values.value)] * count
    if not _is_column(values):
        return [prepared(values)] * count
    if as_is and then in (None, _sqlite_value):
        # A text column of text (a file's 100,000 distinct line codes): stored as it is.
        listed = values.tolist() if hasattr(values, "tolist") else list(values)
        if all(type(value) is str for value in listed):
            return listed
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:] = [prepared(u) for u in uniques] + [prepared(None)]
    return table[np.where(codes < 0, len(uniques), codes)].tolist()


# COPY's text format: the characters it escapes (as psycopg's own row writer does).
_COPY_SPECIAL = re.compile(rb"[\b\t\n\v\f\r\\]")
_COPY_ESCAPED = {
    b"\b": b"\\b",
    b"\t": b"\\t",
    b"\n": b"\\n",
    b"\v": b"\\v",
    b"\f": b"\\f",
    b"\r": b"\\r",
    b"\\": b"\\\\",
}
_COPY_TEXT = str.maketrans({key.decode(): value.decode() for key, value in _COPY_ESCAPED.items()})
_COPY_CHUNK = 10_000


def _copy_encoder(cursor) -> Callable:
    """A database value → its field in a ``COPY … FROM STDIN`` text stream, written by the
    connection's own dumpers (the bytes psycopg's ``write_row`` would send)."""
    transformer = Transformer.from_context(cursor.cursor)  # Django's wrapper → psycopg's cursor

    def encode(value) -> bytes:
        if value is None:
            return b"\\N"
        if type(value) is str:
            return value.translate(_COPY_TEXT).encode()
        buffer = transformer.get_dumper(value, PyFormat.TEXT).dump(value)
        if buffer is None:  # a dumper's NULL
            return b"\\N"
        dumped = bytes(buffer)
        return _COPY_SPECIAL.sub(lambda match: _COPY_ESCAPED[match.group(0)], dumped)

    return encode


def _copy_columns(cursor, sql: str, columns: list[list[bytes]]) -> None:
    """COPY rows given as columns of already encoded fields, in chunks of whole lines: each
    distinct value was dumped once, so a row costs one join instead of a dumper per value."""
    count = len(columns[0])
    with cursor.copy(sql) as copy:
        for start in range(0, count, _COPY_CHUNK):
            chunk = [column[start : start + _COPY_CHUNK] for column in columns]
            copy.write(b"".join(b"\t".join(row) + b"\n" for row in zip(*chunk, strict=True)))


def decimal_column(values, places: int = 2) -> np.ndarray:
    """Floats → ``Decimal`` rounded to ``places`` (NaN → None), each distinct value once."""
    array = np.round(np.asarray(values, dtype=np.float64), places)
    codes, uniques = pd.factorize(array, use_na_sentinel=True)
    quantum = Decimal(1).scaleb(-places)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:] = [Decimal(repr(float(u))).quantize(quantum) for u in uniques] + [None]
    return table[np.where(codes < 0, len(uniques), codes)]


def int_column(values) -> list:
    return np.asarray(values, dtype=np.float64).astype(np.int64).tolist()


def _sqlite_value(value):
    """A database value as sqlite3 would bind it: Django registers ``str`` as the adapter of
    ``Decimal``; applied here once per distinct value instead of once per row and column."""
    return str(value) if type(value) is Decimal else value


def _rows(model, columns: dict, count: int, connection):
    then = _sqlite_value if connection.vendor == "sqlite" else None
    converted = [
        convert_column(model._meta.get_field(name), values, count, connection, then=then)
        for name, values in columns.items()
    ]
    return zip(*converted, strict=True)


def _count(columns: dict) -> int:
    lengths = {len(values) for values in columns.values() if _is_column(values)}
    if len(lengths) != 1:
        raise ValueError("columns must have one common length")
    return lengths.pop()


def insert_columns(model, columns: dict, *, history_filter: dict | None = None) -> int:
    """INSERT one row per position of the column sequences; returns how many were written.

    A model whose changes are kept (``audit.history``) needs ``history_filter``: a filter that
    picks exactly the rows just written (their common ``created_at``, say), whose "created"
    history rows are then written by one ``INSERT … SELECT`` in the same transaction. On
    PostgreSQL, when the columns hold every tracked value, the historical rows are instead
    copied in the same pass from the values just sent (ids taken from the sequence first), so
    nothing is read back."""
    tracked = history.is_tracked(model)
    if tracked and history_filter is None:
        raise ValueError(f"{model._meta.label}: its history needs a history_filter")
    alias = router.db_for_write(model)
    connection = connections[alias]
    if tracked and connection.vendor == "postgresql":
        completed = _with_defaults(model, columns)
        if _holds_history(model, completed):
            count = _copied_with_history(model, completed, connection)
            refresh_after_bulk_write(model, count, alias)
            return count
    count = _inserted(model, columns)
    if count and tracked and history_filter is not None:  # tracked: checked above
        history.record_query(
            model, model._default_manager.filter(**history_filter), history.CREATED
        )
    refresh_after_bulk_write(model, count, alias)
    return count


def _with_defaults(model, columns: dict) -> dict:
    """``columns`` plus the default of every tracked field they leave out that has one (a
    per-product list left empty, say), so the row and its historical row get the same value."""
    given = {model._meta.get_field(name).name for name in columns}
    extra = {}
    for field in history.history_model(model).tracked_fields:
        if field.name in given or field.primary_key:
            continue
        own = model._meta.get_field(field.name)
        if own.has_default():
            extra[own.attname] = Constant(own.get_default())
    return {**columns, **extra}


def _holds_history(model, columns: dict) -> bool:
    """Whether ``columns`` give every value the historical row keeps (the id aside)."""
    given = {model._meta.get_field(name).name for name in columns}
    tracked = {field.name for field in history.history_model(model).tracked_fields}
    return tracked - {model._meta.pk.name} <= given


def _copied_with_history(model, columns: dict, connection) -> int:
    count = _count(columns)
    if not count:
        return 0
    quote = connection.ops.quote_name
    pk = model._meta.pk
    fields = {model._meta.get_field(name).name: model._meta.get_field(name) for name in columns}
    table, tracked, extra_columns, extra_values = history.copy_plan(model, connection)
    historical = history.history_model(model)
    kept = [name for name in tracked if name != pk.name]
    main_columns = ", ".join(quote(c) for c in [pk.column, *(f.column for f in fields.values())])
    history_columns = ", ".join(
        quote(c)
        for c in [
            historical._meta.get_field(pk.name).column,
            *(historical._meta.get_field(name).column for name in kept),
            *extra_columns,
        ]
    )
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, count],
        )
        ids = [str(row[0]).encode() for row in cursor.fetchall()]
        encode = _copy_encoder(cursor)
        encoded = {
            name: convert_column(fields[name], values, count, connection, then=encode)
            for name, values in zip(fields, columns.values(), strict=True)
        }
        _copy_columns(
            cursor,
            f"COPY {quote(model._meta.db_table)} ({main_columns}) FROM STDIN",
            [ids, *encoded.values()],
        )
        # The extra values (who and how) are the same on every row.
        constants = [[encode(value)] * count for value in extra_values]
        _copy_columns(
            cursor,
            f"COPY {quote(table)} ({history_columns}) FROM STDIN",
            [ids, *(encoded[name] for name in kept), *constants],
        )
    return count


def _inserted(model, columns: dict) -> int:
    count = _count(columns)
    if not count:
        return 0
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A raw COPY bypasses Django's error translation: wrap it so that a duplicate key
            # raises django.db.IntegrityError like every other write (callers catch that).
            with connection.wrap_database_errors:
                encode = _copy_encoder(cursor)
                _copy_columns(
                    cursor,
                    f"COPY {table} ({names}) FROM STDIN",
                    [
                        convert_column(
                            model._meta.get_field(name), values, count, connection, then=encode
                        )
                        for name, values in columns.items()
                    ],
                )
            return count
        rows = _rows(model, columns, count, connection)
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
        while batch := list(islice(rows, BATCH)):
            cursor.executemany(sql, batch)
    return count


def update_columns(model, pks: Sequence[int], columns: dict) -> int:
    """UPDATE the rows whose primary keys are ``pks`` with the values of ``columns``; their
    history rows (``audit.history``) are written as they are stored after the update."""
    count = _updated(model, pks, columns)
    history.record_rows(model, list(pks), history.CHANGED)
    return count


def _updated(model, pks: Sequence[int], columns: dict) -> int:
    count = len(pks)
    if not count:
        return 0
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = model._meta.pk
    temp = quote(f"tmp_import_{model._meta.db_table}")
    fields = [pk, *(model._meta.get_field(name) for name in columns)]
    types = [field.db_type(connection) for field in fields]
    if pk.get_internal_type() in ("AutoField", "BigAutoField"):
        types[0] = "bigint"
    definition = ", ".join(f"{quote(f.column)} {t}" for f, t in zip(fields, types, strict=True))
    assignments = ", ".join(f"{quote(f.column)} = src.{quote(f.column)}" for f in fields[1:])
    quoted = ", ".join(quote(f.column) for f in fields)
    rows = _rows(model, {pk.name: list(pks), **columns}, count, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(f"CREATE TEMPORARY TABLE {temp} ({definition})")
        try:
            if connection.vendor == "postgresql":
                with (
                    connection.wrap_database_errors,
                    cursor.copy(f"COPY {temp} ({quoted}) FROM STDIN") as copy,
                ):
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {temp} ({quoted}) VALUES ({placeholders})"  # noqa: S608
                while batch := list(islice(rows, BATCH)):
                    cursor.executemany(sql, batch)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM {temp} AS src "  # noqa: S608
                f"WHERE {table}.{quote(pk.column)} = src.{quote(pk.column)}"
            )
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {temp}")
    return count


def delete_ids(model, ids: Sequence[int]) -> int:
    """Delete the rows ``ids`` of ``model`` by set, in time proportional to what is deleted
    (reliability review M7: 100,000 lines through the ORM, row by row with cascades and
    signals, held the agency's locks for 236 s).

    The rows that depend on them are followed through the models' own relations: CASCADE
    rows are deleted the same way (recursively), SET_NULL columns cleared, many-to-many links
    removed; a PROTECT or RESTRICT row that exists sends the whole deletion through the ORM,
    which refuses it as usual. Each tracked model's "deleted" history rows
    (``audit.history``) are written first, in one ``INSERT … SELECT`` per chunk. No model
    signal is sent: the callers (the importers) ask for the rescoring of what they changed
    themselves. Returns the number of ``model`` rows deleted."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return 0
    connection = connections[router.db_for_write(model)]
    size = 10_000 if connection.vendor == "postgresql" else 900
    if _protected(model, ids, size):
        for start in range(0, len(ids), 900):
            model.objects.filter(pk__in=ids[start : start + 900]).delete()
        return len(ids)
    deleted = 0
    for start in range(0, len(ids), size):
        deleted += _delete_set(model, ids[start : start + size], size)
    if connection.vendor == "postgresql":
        refresh_after_bulk_write(model, deleted)
    return deleted


def _dependents(model):
    """(relation, related model, foreign-key field) of every row type pointing at ``model``,
    hidden relations (``related_name="+"``) included."""
    for relation in model._meta.get_fields(include_hidden=True):
        if (
            relation.auto_created
            and not relation.concrete
            and (relation.one_to_many or relation.one_to_one or relation.many_to_many)
        ):
            yield relation


def _protected(model, ids, size, depth=0) -> bool:
    from django.db.models import PROTECT, RESTRICT

    if depth > 4:
        return True  # deeper than any schema here: leave it to the ORM
    for relation in _dependents(model):
        if relation.many_to_many:
            continue
        related, field = relation.related_model, relation.field
        if relation.on_delete in (PROTECT, RESTRICT):
            for start in range(0, len(ids), size):
                if related._base_manager.filter(
                    **{f"{field.name}__in": ids[start : start + size]}
                ).exists():
                    return True
        elif relation.on_delete.__name__ == "CASCADE":
            for start in range(0, len(ids), size):
                chunk = ids[start : start + size]
                children = list(
                    related._base_manager.filter(**{f"{field.name}__in": chunk}).values_list(
                        "pk", flat=True
                    )
                )
                if children and _protected(related, children, size, depth + 1):
                    return True
    return False


def _delete_set(model, ids: list, size: int) -> int:
    from django.db.models import CASCADE, DO_NOTHING, SET_NULL

    for relation in _dependents(model):
        related, field = relation.related_model, relation.field
        if relation.many_to_many:
            through = field.remote_field.through
            column = field.m2m_reverse_field_name()
            through._base_manager.filter(**{f"{column}__in": ids})._raw_delete(
                router.db_for_write(through)
            )
            continue
        rows = related._base_manager.filter(**{f"{field.name}__in": ids})
        if relation.on_delete is CASCADE:
            children = list(rows.values_list("pk", flat=True))
            for start in range(0, len(children), size):
                _delete_set(related, children[start : start + size], size)
        elif relation.on_delete is SET_NULL:
            rows.update(**{field.name: None})
        elif relation.on_delete is not DO_NOTHING:
            raise NotImplementedError(f"{related.__name__}.{field.name}: {relation.on_delete}")
    for field in model._meta.many_to_many:
        field.remote_field.through._base_manager.filter(
            **{f"{field.m2m_field_name()}__in": ids}
        )._raw_delete(router.db_for_write(model))
    history.record_rows(model, ids, history.DELETED)
    return model._base_manager.filter(pk__in=ids)._raw_delete(router.db_for_write(model))
