"""The annual score's own fingerprint and quota group (issue 48): with them a change to one
person re-ranks their quota group from the other members' stored figures instead of
recomputing every member. Empty until the next annual run stores them (a row without them
takes the whole-group path, as before)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0024_scoring_run_background_job"),
    ]

    operations = [
        migrations.AddField(
            model_name="annualscore",
            name="own_digest",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=64,
                verbose_name="dấu vân tay nguồn của riêng người",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="annualscore",
            name="quota_group",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=64,
                verbose_name="nhóm tính tỷ lệ",
            ),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="annualscore",
            index=models.Index(fields=["year", "quota_group"], name="annual_year_quota_group"),
        ),
    ]
