"""A scoring run that fails is retried with a growing wait, a bounded number of times (issue 42;
reliability review H1): its attempts, its last error and when it is tried again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0018_annualscore_sources_hash"),
    ]

    operations = [
        migrations.AddField(
            model_name="scoringrun",
            name="attempts",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text=(
                    "Lượt tính lỗi được tự thử lại sau một khoảng chờ tăng dần, tối đa một số "
                    "lần; sau đó hiện là lỗi cho đến khi được tính lại thành công."
                ),
                verbose_name="số lần thử lỗi",
            ),
        ),
        migrations.AddField(
            model_name="scoringrun",
            name="error",
            field=models.TextField(blank=True, verbose_name="lỗi lần thử gần nhất"),
        ),
        migrations.AddField(
            model_name="scoringrun",
            name="retry_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="thử lại lúc"),
        ),
    ]
