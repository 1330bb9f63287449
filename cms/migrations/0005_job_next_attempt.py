"""The one job model's next attempt (issue 46, ``cms.models.BackgroundJob``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_export_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="exportjob",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="thử lại lúc"),
        ),
    ]
