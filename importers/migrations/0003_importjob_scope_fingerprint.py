from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0002_job_changes_and_allowed_removals"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="scope_fingerprint",
            field=models.CharField(
                blank=True,
                default="",
                help_text=(
                    "Mã băm của các dòng đang lưu mà bản xem trước đã so sánh với tệp; khi xác "
                    "nhận, nếu các dòng đó đã đổi thì không ghi và phải xem trước lại."
                ),
                max_length=64,
                verbose_name="dấu dữ liệu đã so sánh",
            ),
        ),
    ]
