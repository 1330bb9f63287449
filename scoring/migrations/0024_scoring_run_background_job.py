"""Scoring runs on the one job model (issue 46, ``cms.models.BackgroundJob``): the fields are
renamed to the shared names (data kept) and the job's update time is added."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0023_period_closed_blocs"),
    ]

    operations = [
        migrations.RenameField("scoringrun", "requested_at", "created_at"),
        migrations.RenameField("scoringrun", "retry_at", "next_attempt_at"),
        migrations.RenameField("scoringrun", "error", "last_error"),
        migrations.AlterModelOptions(
            name="scoringrun",
            options={
                "ordering": ["-created_at", "-id"],
                "verbose_name": "lượt tính điểm",
                "verbose_name_plural": "lượt tính điểm tự động",
            },
        ),
        migrations.AddField(
            model_name="scoringrun",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="cập nhật lúc"
            ),
            preserve_default=False,
        ),
    ]
