"""Default evaluation-authority rules for the Party bodies, the Fatherland Front, the
socio-political organisations and the public-service units (``POLITICAL_RULES`` in
org/seeds.py; the seed reads the historical models from ``apps``)."""

from django.db import migrations

from org.seeds import create_political_rules, remove_political_rules


class Migration(migrations.Migration):
    dependencies = [("org", "0004_person_categories_political_bodies")]

    operations = [migrations.RunPython(create_political_rules, remove_political_rules)]
