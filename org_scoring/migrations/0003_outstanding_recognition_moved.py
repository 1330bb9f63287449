"""``OutstandingRecognition`` is now ``scoring.OutstandingRecognition`` (scoring 0010): removed
from this app's state only; the table (``org_scoring_outstandingrecognition``) and its rows stay.
After the audit app's history baseline, which reads the model under this app's label."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_history_per_product_events"),
        ("org_scoring", "0002_outstanding_recognition"),
        ("scoring", "0010_outstanding_recognition"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutstandingRecognition")],
            database_operations=[],
        ),
    ]
