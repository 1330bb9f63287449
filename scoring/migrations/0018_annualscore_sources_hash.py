"""The annual score's pre-engine fingerprint (issue 34): empty until the next annual run, which
recomputes such a year and stores it (its figures are rewritten only where they differ)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0017_scoring_settings_transfer_rule"),
    ]

    operations = [
        migrations.AddField(
            model_name="annualscore",
            name="sources_hash",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=64,
                verbose_name="dấu vân tay nguồn tính điểm năm",
            ),
            preserve_default=False,
        ),
    ]
