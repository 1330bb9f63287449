"""PostgreSQL storage tuning shared by the bulk writers: lz4 compression where the server has
it, fresh planner statistics after a bulk write, and the stored scores' explanations kept as
the text they were written (:class:`DocumentField`). Nothing here does anything on SQLite.

lz4: each stored score keeps its explanation (4–5 KB of JSON, 435 MB a month at 100,000
people); inserting 100,000 of them took 10.6 s with PostgreSQL's default pglz compression and
5.0 s with lz4 (docs/operations.md §10). Migration ``scoring 0014`` sets lz4 on those
columns; :func:`prefer_lz4` makes a bulk writer's staging table use it too.

Statistics:

A batch that writes a new period's rows (100,000 scores of a month, a 200,000-line import)
changes a table faster than autovacuum re-analyses it. Until it does, PostgreSQL believes the
new period has almost no rows and reads "this person's score of this period" through the
period index, filtering the whole period: measured at 100,000 people, one person's rescoring
took 85 ms instead of 15 ms right after the month was first scored (two such reads of
33 ms each). ``ANALYZE`` of the table after the batch commits takes 0.3 s at 1.2 million
scores and puts the unique (person, period) index back in use.
"""

import logging

from django.db import DatabaseError, connections, models, transaction

logger = logging.getLogger(__name__)

#: Fewer rows than this leave the statistics to autovacuum.
BULK_ROWS = 1000


def refresh_after_bulk_write(model, rows: int, using: str = "default") -> None:
    """Once the current transaction commits, ``ANALYZE`` ``model``'s table when ``rows`` (the
    number just written) is a bulk write; nothing on other databases. A failure is logged,
    never raised: the data is already committed and autovacuum will analyse it later."""
    connection = connections[using]
    if rows < BULK_ROWS or connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(model._meta.db_table)

    def analyze() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {table}")
        except DatabaseError:
            logger.warning("ANALYZE %s after a bulk write failed", table, exc_info=True)

    transaction.on_commit(analyze, using=using)


#: The autovacuum settings of :func:`keep_analysed`'s tables: analysed after any change.
KEPT_ANALYSED = {"autovacuum_analyze_threshold": 1, "autovacuum_analyze_scale_factor": 0}


def keep_analysed(*tables: str):
    """A migration's forward and backward functions that make autovacuum analyse each of
    ``tables`` after any change (its threshold 1 row, no share of the table), and analyse it
    once now; nothing on other databases.

    For small tables whose keys grow a few rows at a time and which the planner joins with the
    large ones (the periods, the agencies): with the default threshold (50 rows and 10 %)
    autovacuum never analyses them again, and PostgreSQL keeps believing, say, that the
    periods' ids end at 6 when five months were added since — it then read a unit's lines by
    the period index expecting to stop at period 6, and walked them all (a unit head's count
    of lines 33 → 390 ms at 100,000 people; issue 48). Analysing a table of a few hundred rows
    costs a millisecond."""

    def run(*statements: str):
        def apply(apps, schema_editor):
            connection = schema_editor.connection
            if connection.vendor != "postgresql":
                return
            with connection.cursor() as cursor:
                for table in tables:
                    for statement in statements:
                        cursor.execute(statement.format(connection.ops.quote_name(table)))

        return apply

    chosen = ", ".join(f"{name} = {value}" for name, value in KEPT_ANALYSED.items())
    forward = run(f"ALTER TABLE {{}} SET ({chosen})", "ANALYZE {}")
    backward = run(f"ALTER TABLE {{}} RESET ({', '.join(KEPT_ANALYSED)})")
    return forward, backward


#: True where the server was built with lz4 (Debian's and the official packages are).
_LZ4 = "FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"


def lz4_available(cursor) -> bool:
    """Whether this PostgreSQL server can compress with lz4."""
    cursor.execute(f"SELECT 1 {_LZ4}")
    return cursor.fetchone() is not None


def prefer_lz4(cursor) -> None:
    """Make lz4 the default compression until the end of the current transaction (tables it
    creates, columns without their own setting), where the server has it."""
    cursor.execute(f"SELECT set_config('default_toast_compression', 'lz4', true) {_LZ4}")


class DocumentField(models.JSONField):
    """A JSON document written once and read whole — a stored score's explanation: PostgreSQL's
    ``json`` type, which keeps the text as it was written (checking that it is JSON), instead of
    ``jsonb``, which parses every value into its binary form when it is stored.

    Each score keeps its explanation (3–5 KB of JSON, 440 MB for a month at 100,000 people).
    Written as ``jsonb``, parsing them was most of the server's work in storing a month:
    ``COPY`` of the month's 100,000 rows into the staging table 11.6–16.6 s, as ``json``
    5.3–6.1 s, as bare text 3.6–4.9 s (issue 48, 29/11/2026; docs/operations.md §10).

    Nothing asks of these columns what ``jsonb`` alone gives (equality, ``@>``, ``?``, GIN
    indexes): they are read whole, or one key of them (``explanation__steps``: ``->`` works on
    both types). The values read back are the same: :func:`read_json_as_text` has psycopg
    return ``json`` as text, as Django has it return ``jsonb``, and ``JSONField`` decodes it.
    On SQLite JSON is text in any case: the same column as ``JSONField``'s."""

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)


#: psycopg's text format (``psycopg.pq.Format.TEXT``), named here so that this module does not
#: import psycopg (half a second) in processes that never use PostgreSQL.
_TEXT_FORMAT = 0


def read_json_as_text(sender, connection, **kwargs) -> None:
    """``connection_created``: psycopg would decode ``json`` values itself (into Python values,
    with the standard library); Django expects the text and decodes it in
    ``JSONField.from_db_value`` (the API's lookups with msgspec). So ``json`` is read with the
    loader Django registers for ``jsonb`` (psycopg's text loader)."""
    if connection.vendor == "postgresql":
        adapters = connection.connection.adapters
        loader = adapters.get_loader(adapters.types["jsonb"].oid, _TEXT_FORMAT)
        adapters.register_loader("json", loader)
