"""The Nghệ An four-group framework (a draft shipped by 0002) gains its satisfaction feed:
citizens' answers to one-time feedback codes feed its criteria S.1 and S.2 (issue 33 item 3;
``scoring.engine`` rule ``feedback``). The entry lives in ``scoring.seeds.NGHE_AN_FEEDS`` (the
seeds 0002 ships carry it too, so a database seeded after it is left as it is); a framework a
province has already given a ``feedback`` entry is left as it is."""

from django.db import migrations

from scoring import seeds


def add_feedback(apps, schema_editor):
    seeds.add_nghe_an_feed(apps, "feedback")


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0015_stale_figures_and_recoverable_runs"),
    ]

    operations = [migrations.RunPython(add_feedback, migrations.RunPython.noop)]
