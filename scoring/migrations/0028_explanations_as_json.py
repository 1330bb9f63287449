"""PostgreSQL: the stored scores' explanations as ``json`` (the text as written) instead of
``jsonb`` (cms.postgres.DocumentField).

Storing a month of 100,000 scores, the server spent most of its time parsing the explanations
into ``jsonb`` (440 MB of JSON): ``COPY`` into the staging table 11.6–16.6 s, as ``json``
5.3–6.1 s (issue 48). The values read back are the same. Changing the type rewrites the two
tables (ALTER COLUMN … TYPE json, through PostgreSQL's cast): about a minute a year of months at
100,000 people (docs/operations.md §2, "Upgrades"); the column's lz4 compression (scoring 0014)
is kept. On SQLite nothing changes: JSON is text there.
"""

from django.db import migrations

import cms.postgres
from cms.postgres import lz4_available

TABLES = ("scoring_periodscore", "scoring_annualscore")


def column_type(kind: str):
    """The explanation columns to ``kind``, rewritten with lz4 where the server has it: the
    type change alone would reset the columns' compression (scoring 0014) to the server's
    default and rewrite every value with pglz."""

    def apply(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            lz4 = lz4_available(cursor)
            compression = ', ALTER COLUMN "explanation" SET COMPRESSION lz4' if lz4 else ""
            for table in TABLES:
                cursor.execute(
                    f"ALTER TABLE {connection.ops.quote_name(table)} "
                    f'ALTER COLUMN "explanation" TYPE {kind}{compression}'
                )

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0027_periods_kept_analysed"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(column_type("json"), column_type("jsonb"))],
            state_operations=[
                migrations.AlterField(
                    model_name="annualscore",
                    name="explanation",
                    field=cms.postgres.DocumentField(default=dict, verbose_name="diễn giải"),
                ),
                migrations.AlterField(
                    model_name="periodscore",
                    name="explanation",
                    field=cms.postgres.DocumentField(default=dict, verbose_name="diễn giải"),
                ),
            ],
        ),
    ]
