"""The scores' single-column indexes that a composite index already serves, dropped (issue 48).

``scoring_periodscore (civil_servant_id)`` is the first column of the unique (civil servant,
period) index, ``(period_id)`` the first of the (period, agency) and (period, rating) indexes,
``scoring_annualscore (civil_servant_id)`` the first of the unique (civil servant, year) index:
every lookup the single-column index served, the composite serves. Each index costs on every
row a month's store writes (100,000 at the province's size).

Django's ``AlterField`` would drop and re-add the foreign keys as well (re-checking every row
of 1.2 million); only the indexes are dropped here, found by their column (their names are
Django's hashes), and put back on reversal.
"""

import django.db.models.deletion
from django.db import migrations, models

#: The foreign keys whose single-column, non-unique index is dropped:
#: (model, field, target, related name, verbose name) as the models declare them.
FIELDS = (
    ("annualscore", "civil_servant", "org.civilservant", "annual_scores", "công chức"),
    ("periodscore", "civil_servant", "org.civilservant", "period_scores", "công chức"),
    ("periodscore", "period", "scoring.period", "scores", "kỳ đánh giá"),
)
#: (table, column) of each.
REDUNDANT = tuple((f"scoring_{model}", f"{field}_id") for model, field, *_rest in FIELDS)


def _single_column_indexes(schema_editor, table: str, column: str) -> list[str]:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return sorted(
        name
        for name, info in constraints.items()
        if info["index"]
        and not info["unique"]
        and not info["primary_key"]
        and info["columns"] == [column]
    )


def drop_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, column in REDUNDANT:
        for name in _single_column_indexes(schema_editor, table, column):
            schema_editor.execute(f"DROP INDEX {quote(name)}")


def create_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, column in REDUNDANT:
        if _single_column_indexes(schema_editor, table, column):
            continue
        name = schema_editor._create_index_name(table, [column])
        schema_editor.execute(f"CREATE INDEX {quote(name)} ON {quote(table)} ({quote(column)})")


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0013_agencies_kept_analysed"),
        ("scoring", "0028_explanations_as_json"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name=model,
                    name=field,
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name=related_name,
                        to=target,
                        verbose_name=verbose_name,
                    ),
                )
                for model, field, target, related_name, verbose_name in FIELDS
            ],
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
        ),
    ]
