"""Ship the two frameworks of the engine as snippet rows with a revision each (the rules are
literals in scoring/seeds.py; the seed reads the historical models from ``apps``)."""

from django.db import migrations

from scoring.seeds import create_frameworks, remove_frameworks


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_frameworks, remove_frameworks)]
