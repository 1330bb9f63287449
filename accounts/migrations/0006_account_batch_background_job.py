"""Sign-in batches on the one job model (issue 46, ``cms.models.BackgroundJob``): the shared
fields they lacked."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_activation_code_issued_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="accountbatch",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="số lần đã thử"),
        ),
        migrations.AddField(
            model_name="accountbatch",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="thử lại lúc"),
        ),
        migrations.AddField(
            model_name="accountbatch",
            name="last_error",
            field=models.TextField(blank=True, default="", verbose_name="lỗi lần gần nhất"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="accountbatch",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="cập nhật lúc"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="accountbatch",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="bắt đầu lúc"),
        ),
        migrations.AddField(
            model_name="accountbatch",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="xong lúc"),
        ),
    ]
