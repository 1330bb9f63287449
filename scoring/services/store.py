"""Writing stored scores: one upsert per batch, keyed on (person, period) or (person, year).

``… ON CONFLICT (…) DO UPDATE SET col = excluded.col`` — what
``bulk_create(update_conflicts=True)`` emits — without building a model instance and running
every field's full save-preparation for each of tens of thousands of rows. Values are adapted
with the same backend hooks Django uses (``adapt_json_value``, ``adapt_datetimefield_value``,
``adapt_decimalfield_value``). SQLite gets multi-row ``INSERT … VALUES`` statements, and so
does PostgreSQL for a few rows (below :data:`COPY_FROM`); more rows go to PostgreSQL by
``COPY`` into a temporary table and one ``INSERT … SELECT``; rows the caller
knows are new (no stored row when it read them: a month's first run) are copied straight into
the table, which costs the server about a quarter less (issue 48). The JSON
columns are written by :func:`dump_json` (msgspec's encoder: the same JSON as ``json.dumps``).
"""

import functools
import itertools
import json
from collections.abc import Collection

import msgspec

from django.db import IntegrityError, connection, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations

from cms.postgres import prefer_lz4, refresh_after_bulk_write
from scoring.models import AnnualScore, Period, PeriodScore
from scoring.services.freshness import annual_changed, mark_annual

MAX_PARAMETERS = 30_000  # below SQLite's default limit of 32,766 bound parameters

#: From this many rows, PostgreSQL gets ``COPY``; fewer go as ``INSERT … VALUES … ON CONFLICT``,
#: one statement, as on SQLite. The staging table costs five statements of its own (and a
#: temporary table in the catalogue) on every write: one person's chain after a change writes
#: one row (issue 48: the period link 24 statements, 7 of them the staging table's).
COPY_FROM = 200


def _adapter(field):
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else ops.adapt_json_value(value, field.encoder)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DecimalField):
        if type(ops).adapt_decimalfield_value is BaseDatabaseOperations.adapt_decimalfield_value:
            return None  # the backend sends a Decimal as it is (SQLite, PostgreSQL)
        return lambda value: ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    return None


def _columns(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _refuse(value):
    """What the standard encoder refuses (a Decimal, a lazy translation, any other object),
    msgspec's refuses too: :func:`dump_json` then asks ``json.dumps``, which raises as before."""
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_ENCODE = msgspec.json.Encoder(enc_hook=_refuse, decimal_format=_refuse).encode


def dump_json(value, encoder=None) -> str:
    """``json.dumps(value, cls=encoder)`` as JSON — the same document once parsed, not the
    same bytes: compact, and UTF-8 where ``json.dumps`` writes ``\\uXXXX`` (SQLite stores the
    text as is, PostgreSQL parses it into ``jsonb``; nothing hashes or searches the stored
    text). msgspec's encoder writes a month's 80,000 documents several times faster than the
    standard library's. Only for the standard encoder (``encoder`` ``None``, every column
    written here); whatever it refuses goes to ``json.dumps``, so a Decimal, a lazy string
    or an unknown object fails exactly as before, and a dict with ``True``/``None`` keys is
    written by ``json.dumps``. The one value written differently: a float NaN or infinity
    (``null`` instead of ``NaN``), which no score's document holds (Decimal figures are
    written as text by the engine). Dates, UUIDs, bytes and sets, which ``json.dumps``
    refuses, msgspec would write: no document built here holds one (``tests/scoring/
    test_store.py`` checks the equality on the documents of every kind of score)."""
    if encoder is None:
        try:
            return _ENCODE(value).decode()
        except TypeError:
            pass
    return json.dumps(value, cls=encoder)


class JSONText(str):
    """A JSON column's value already serialised, exactly as ``json.dumps`` would write it
    (the annual step serialises each distinct period line once): written as it is."""

    __slots__ = ()


def _row_adapter(fields, *, json_text: bool = False):
    """A function turning a row dict into its column values, adapted as the backend writes
    them; with ``json_text`` the JSON columns become text (:func:`dump_json` with the field's
    encoder: the JSON the backend's own ``adapt_json_value`` sends; SQLite stores it as is,
    PostgreSQL's ``COPY`` parses it into ``jsonb``; a :class:`JSONText` is such a text)."""
    names = [f.attname for f in fields]
    adapters = []
    for i, field in enumerate(fields):
        if json_text and isinstance(field, models.JSONField):
            adapters.append(
                (
                    i,
                    lambda v, e=field.encoder: (
                        None if v is None else v if type(v) is JSONText else dump_json(v, e)
                    ),
                )
            )
        elif isinstance(field, models.DateTimeField):
            # A batch stamps every row with the same time: adapted once.
            adapters.append((i, functools.lru_cache(maxsize=4)(_adapter(field))))
        elif (adapt := _adapter(field)) is not None:
            adapters.append((i, adapt))

    def adapt_row(row: dict) -> list:
        values = [row[name] for name in names]
        for i, adapt in adapters:
            values[i] = adapt(values[i])
        return values

    return adapt_row


def _adapted(fields, rows: list[dict], *, json_text: bool = False):
    adapt_row = _row_adapter(fields, json_text=json_text)
    for row in rows:
        yield adapt_row(row)


def row_adapter(model):
    """``row dict → column values`` as ``upsert(…, adapted=True)`` writes them, JSON already
    text (built while scoring each person, so the write only sends them)."""
    return _row_adapter(_columns(model), json_text=True)


def upsert(
    model,
    rows: list,
    unique: tuple[str, ...],
    *,
    adapted: bool = False,
    update: tuple[str, ...] | None = None,
    new: list | None = None,
) -> None:
    """Insert or update ``rows`` (dicts keyed by field attname) of ``model``; or, with
    ``adapted``, lists of column values from :func:`row_adapter`. A row already stored gets
    every other column, or only the fields named in ``update``.

    ``new``: more rows, of which the caller found none stored when it read; on PostgreSQL
    they are copied straight into the table (no staging table, no conflict handling). Should
    one have been stored since (another writer between the caller's read and this write), the
    copy is undone and they are upserted with the others."""
    new = new or []
    written = len(rows) + len(new)
    if not written:
        return
    fields = _columns(model)
    quote = connection.ops.quote_name
    unique_columns = [model._meta.get_field(name).column for name in unique]
    if update is None:
        updates = [f.column for f in fields if f.column not in unique_columns]
    else:
        updates = [model._meta.get_field(name).column for name in update]
    # Identifiers come from the model's meta and are quoted; values are parameters.
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    conflict = (
        f"ON CONFLICT ({', '.join(quote(c) for c in unique_columns)}) DO UPDATE SET "
        + ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in updates)
    )
    # All or nothing; inside a caller's transaction no savepoint of its own (two statements a
    # write): a failure here fails the caller's transaction, which no caller goes on with.
    # On PostgreSQL the JSON goes as text, as ``COPY`` and the batch's adapted rows send it:
    # Django's own adaptation would send ``'…'::jsonb``, which a ``json`` column
    # (``cms.postgres.DocumentField``) would keep in jsonb's order of keys, not the document's.
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        values = rows if adapted else _adapted(fields, rows, json_text=postgres)
        fresh = new if adapted else list(_adapted(fields, new, json_text=postgres))
        if postgres and written >= COPY_FROM:
            if fresh and not _copy_insert(cursor, table, columns, fresh):
                rows, values = [*rows, *new], itertools.chain(values, fresh)
            if rows:
                _copy_upsert(cursor, table, columns, conflict, values)
        else:
            values = itertools.chain(values, fresh)
            _values_upsert(cursor, table, columns, conflict, len(fields), values)
    refresh_after_bulk_write(model, written)


def _values_upsert(cursor, table, columns, conflict, width, values) -> None:
    """Multi-row ``INSERT … VALUES`` statements (SQLite)."""
    batch = max(1, min(500, MAX_PARAMETERS // width))
    row_marks = "(" + ", ".join(["%s"] * width) + ")"
    chunk: list = []

    def flush():
        if chunk:
            marks = ", ".join([row_marks] * (len(chunk) // width))
            sql = f"INSERT INTO {table} ({columns}) VALUES {marks} {conflict}"  # noqa: S608
            cursor.execute(sql, chunk)
            chunk.clear()

    for row in values:
        chunk.extend(row)
        if len(chunk) >= batch * width:
            flush()
    flush()


def _copy_insert(cursor, table, columns, values) -> bool:
    """``COPY`` straight into the table, in a savepoint: ``False`` (and nothing written) when
    one of the rows is stored already."""
    try:
        with transaction.atomic():
            prefer_lz4(cursor)
            _copy_rows(cursor, table, columns, values)
    except IntegrityError:
        return False
    return True


def _copy_rows(cursor, table, columns, values) -> None:
    """``COPY`` of ``values`` into ``table`` through psycopg's own cursor, its errors raised as
    Django's (``IntegrityError``, ``DataError`` …) as every other statement's are."""
    with (
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in values:
            copy.write_row(row)


def _copy_upsert(cursor, table, columns, conflict, values) -> None:
    """``COPY`` into a temporary table, then one ``INSERT … SELECT … ON CONFLICT``
    (PostgreSQL: far faster than parameterised inserts for tens of thousands of rows)."""
    staging = "scoring_upsert_staging"
    cursor.execute(f"DROP TABLE IF EXISTS {staging}")
    # The staging table takes the server's default compression, not the column's: lz4 like
    # the explanations' columns (migration scoring 0014), where the server has it.
    prefer_lz4(cursor)
    cursor.execute(
        f"CREATE TEMP TABLE {staging} ON COMMIT DROP AS "  # noqa: S608
        f"SELECT {columns} FROM {table} WITH NO DATA"
    )
    _copy_rows(cursor, staging, columns, values)
    cursor.execute(
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} {conflict}"  # noqa: S608
    )
    cursor.execute(f"DROP TABLE {staging}")


def upsert_period_scores(
    rows: list, *, adapted: bool = False, years=None, stored: Collection[int] | None = None
) -> None:
    """Write period scores and, in the same transaction, mark the annual scores of their
    people and years stale (``scoring.services.freshness``): a changed month can never leave
    its year's stored score silently behind. ``years``: period id → year, when the caller
    has the periods (else read). ``stored``: with ``adapted`` rows of one period, the people
    whose score of it the caller read as stored; the others' rows are written as new
    (:func:`upsert`'s ``new``)."""
    if not rows:
        return
    if adapted:
        names = [f.attname for f in _columns(PeriodScore)]
        person, period = names.index("civil_servant_id"), names.index("period_id")
        pairs = {(row[person], row[period]) for row in rows}
    else:
        pairs = {(row["civil_servant_id"], row["period_id"]) for row in rows}
    new: list = []
    if adapted and stored is not None:
        known: list = []
        for row in rows:
            (known if row[person] in stored else new).append(row)
        rows = known
    with transaction.atomic(savepoint=False):  # as in :func:`upsert`
        upsert(PeriodScore, rows, ("civil_servant", "period"), adapted=adapted, new=new)
        mark_period_people(pairs, years)


def mark_period_people(pairs, years=None) -> None:
    """``(person id, period id)`` pairs whose period score changed → their annual scores
    (``years``: period id → year, read when not given)."""
    from django.utils.translation import gettext as _

    periods = {period for _person, period in pairs}
    if years is None or not periods <= set(years):
        years = dict(Period.objects.filter(pk__in=periods).values_list("pk", "year"))
    mark_annual(
        {(int(person), years[period]) for person, period in pairs if period in years},
        reason=_("Kết quả kỳ đánh giá thay đổi"),
    )


def upsert_annual_scores(rows: list, *, adapted: bool = False) -> None:
    """Write annual scores and, in the same transaction, mark what depends on them
    (``scoring.services.freshness.annual_changed``: the organisation score under M2)."""
    if not rows:
        return
    if adapted:
        names = [f.attname for f in _columns(AnnualScore)]
        at = [names.index(name) for name in ("civil_servant_id", "year", "agency_id")]
        triples = {(row[at[0]], row[at[1]], row[at[2]]) for row in rows}
    else:
        triples = {(row["civil_servant_id"], row["year"], row.get("agency_id")) for row in rows}
    with transaction.atomic(savepoint=False):  # as in :func:`upsert`
        upsert(AnnualScore, rows, ("civil_servant", "year"), adapted=adapted)
        annual_changed(triples)


def field_defaults(model) -> dict:
    """attname → default of every column (so row dicts may leave optional ones out)."""
    return {f.attname: f.get_default() for f in _columns(model)}
