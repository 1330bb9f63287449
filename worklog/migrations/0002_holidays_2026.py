"""Public holidays of 2026 for civil servants (the rows and their sources are in worklog/seeds.py)."""

from django.db import migrations

from worklog.seeds import seed_holidays_2026, unseed_holidays_2026


class Migration(migrations.Migration):
    dependencies = [("worklog", "0001_initial")]

    operations = [migrations.RunPython(seed_holidays_2026, unseed_holidays_2026)]
