"""The allowed changes of agencies' variants of the default framework (docs/scoring.md §13.7;
the seed is ``create_variant_policy`` in scoring/seeds.py)."""

from django.db import migrations

from scoring.seeds import create_variant_policy


class Migration(migrations.Migration):
    dependencies = [("scoring", "0012_framework_proposals")]

    operations = [migrations.RunPython(create_variant_policy, migrations.RunPython.noop)]
