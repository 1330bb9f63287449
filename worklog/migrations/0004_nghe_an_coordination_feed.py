"""The Nghệ An four-group framework (a draft shipped by scoring 0002) gains its coordination
feed: the related units' ratings on shared tasks feed its criterion C.2 "Phối hợp với cơ quan,
đơn vị liên quan" (issue 33 item 3; ``scoring.engine`` rule ``coordination``). The entry lives
in ``scoring.seeds.NGHE_AN_FEEDS``, as scoring 0016's does; a framework a province has already
given a ``coordination`` entry is left as it is. Kept in the worklog's migrations (the app of
the ratings) so that the scoring app's numbering is not contended."""

from django.db import migrations

from scoring import seeds


def add_coordination(apps, schema_editor):
    seeds.add_nghe_an_feed(apps, "coordination")


class Migration(migrations.Migration):
    dependencies = [
        ("worklog", "0003_coordinating_units"),
        ("scoring", "0017_scoring_settings_transfer_rule"),
    ]

    operations = [migrations.RunPython(add_coordination, migrations.RunPython.noop)]
