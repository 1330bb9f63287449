"""Import jobs on the one job model (issue 46, ``cms.models.BackgroundJob``): the shared
fields they lacked."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0005_satisfaction_survey_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="số lần đã thử"),
        ),
        migrations.AddField(
            model_name="importjob",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="thử lại lúc"),
        ),
        migrations.AddField(
            model_name="importjob",
            name="last_error",
            field=models.TextField(blank=True, default="", verbose_name="lỗi lần gần nhất"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="importjob",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="bắt đầu lúc"),
        ),
    ]
