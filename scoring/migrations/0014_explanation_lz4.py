"""PostgreSQL: the stored explanations are compressed with lz4 instead of pglz.

Each stored score keeps its explanation (4–5 KB of JSON on average, 435 MB a month at 100,000
people). PostgreSQL compresses such values when it stores them, and with its default (pglz)
that compression was most of the time to store a month: inserting 100,000 explanations took
10.6 s with pglz and 5.0 s with lz4 (docs/operations.md §10). Reading is unchanged for the
application; values written before keep their pglz compression until rewritten.

Only on PostgreSQL 14 or later built with lz4 (Debian's and the official images are); anywhere
else this migration does nothing, and the upsert keeps the server's default.
"""

from django.db import migrations

from cms.postgres import lz4_available

COLUMNS = [("scoring_periodscore", "explanation"), ("scoring_annualscore", "explanation")]


def set_compression(method: str):
    def apply(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            if not lz4_available(cursor):
                return
            for table, column in COLUMNS:
                cursor.execute(
                    f"ALTER TABLE {connection.ops.quote_name(table)} ALTER COLUMN "
                    f"{connection.ops.quote_name(column)} SET COMPRESSION {method}"
                )

    return apply


class Migration(migrations.Migration):
    dependencies = [("scoring", "0013_default_variant_policy")]

    operations = [
        migrations.RunPython(set_compression("lz4"), set_compression("pglz")),
    ]
