from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("org", "0007_job_description_texts")]

    operations = [
        migrations.RemoveField(model_name="jobposition", name="competency_framework"),
        migrations.RemoveField(model_name="jobposition", name="description"),
    ]
