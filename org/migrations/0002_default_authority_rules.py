"""Default evaluation-authority rules of the state administration, after the Gia Lai plan
(``STATE_RULES`` in org/seeds.py; the seed reads the historical models from ``apps``)."""

from django.db import migrations

from org.seeds import create_state_rules


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [migrations.RunPython(create_state_rules, migrations.RunPython.noop)]
