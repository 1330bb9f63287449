"""Issue 46: the outbox record is a ``cms.models.Delivery`` and each batch sent a
``cms.models.DeliveryAttempt`` (saleor's delivery/attempt pair). ``attempted_at`` is renamed
``started_at`` (its rows kept), the attempt gains ``finished_at``, and the outcome takes the
shared ``AttemptStatus`` (the same stored values)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0004_delivery_fingerprint'),
    ]

    operations = [
        migrations.RenameField(
            model_name='nationaldelivery',
            old_name='attempted_at',
            new_name='started_at',
        ),
        migrations.AlterModelOptions(
            name='nationaldelivery',
            options={'ordering': ['-started_at', '-id'], 'verbose_name': 'lần gửi CSDL quốc gia', 'verbose_name_plural': 'biên nhận gửi CSDL quốc gia'},
        ),
        migrations.AlterField(
            model_name='nationaldelivery',
            name='started_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='bắt đầu'),
        ),
        migrations.AddField(
            model_name='nationaldelivery',
            name='finished_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='kết thúc'),
        ),
        migrations.AlterField(
            model_name='nationaldelivery',
            name='status',
            field=models.CharField(choices=[('ok', 'Thành công'), ('failed', 'Lỗi')], default='ok', max_length=8, verbose_name='kết quả'),
        ),
        migrations.AlterField(
            model_name='outboxrecord',
            name='next_attempt_at',
            field=models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='gửi lại từ'),
        ),
    ]
