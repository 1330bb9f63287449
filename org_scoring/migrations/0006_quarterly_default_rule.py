"""The default quarterly rule (docs/organisation-scoring.md §9; the seed is in org_scoring/seeds.py)."""

from django.db import migrations

from org_scoring.seeds import create_quarterly_default_rule


class Migration(migrations.Migration):
    dependencies = [("org_scoring", "0005_quarterly")]

    operations = [migrations.RunPython(create_quarterly_default_rule, migrations.RunPython.noop)]
