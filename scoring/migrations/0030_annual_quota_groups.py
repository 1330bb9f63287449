"""A quota group's sources fingerprint kept once per group and year (issue 48).

``AnnualScore.sources_hash`` held the group's fingerprint inside every member's: a change to one
member rewrote the fingerprints of the ~140 others (on PostgreSQL the largest statement of one
person's recomputation). The group's part now sits in ``AnnualQuotaGroup`` and each member's
covers their own sources and the group's name. The table starts empty: the next run of each year
finds no group row and recomputes the year once, rewriting only the fingerprints of rows whose
figures come out the same (as after ``scoring 0018`` and ``0025``; docs/operations.md §2).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0029_scores_without_redundant_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="AnnualQuotaGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="năm")),
                ("group", models.CharField(max_length=64, verbose_name="nhóm tính tỷ lệ")),
                (
                    "sources_hash",
                    models.CharField(max_length=64, verbose_name="dấu vân tay nguồn của nhóm"),
                ),
            ],
            options={
                "verbose_name": "nhóm tính tỷ lệ của năm",
                "verbose_name_plural": "nhóm tính tỷ lệ của năm",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("year", "group"), name="unique_annual_quota_group"
                    )
                ],
            },
        ),
    ]
