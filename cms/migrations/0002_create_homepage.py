"""Replace Wagtail's placeholder welcome page with our home page (the seed is in cms/seeds.py;
it reads the historical models from ``apps``)."""

from django.db import migrations

from cms.seeds import create_homepage


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
