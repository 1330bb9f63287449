"""``OutstandingRecognition`` moves here from ``org_scoring`` (an input of the annual quota,
Decree 335 Art. 20 cl. 5(b)): state only, the table keeps its name
``org_scoring_outstandingrecognition`` so no row moves. Its content type is relabelled, so
its permissions (and the groups holding them), admin log entries and references follow it."""

import django.db.models.deletion
from django.db import migrations, models

MODEL = "outstandingrecognition"


def relabel(old: str, new: str):
    def run(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType").objects
        if not content_types.filter(app_label=new, model=MODEL).exists():
            content_types.filter(app_label=old, model=MODEL).update(app_label=new)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("org", "0003_deputy_charges"),
        ("org_scoring", "0002_outstanding_recognition"),
        ("scoring", "0009_scoring_run_leaders_above"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutstandingRecognition",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField(verbose_name="năm đánh giá")),
                        (
                            "decision_ref",
                            models.CharField(max_length=64, verbose_name="số quyết định công nhận"),
                        ),
                        ("decided_on", models.DateField(verbose_name="ngày quyết định")),
                        ("reason", models.TextField(blank=True, verbose_name="thành tích")),
                        (
                            "agency",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="outstanding_recognitions",
                                to="org.agency",
                                verbose_name="cơ quan, đơn vị",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "công nhận tổ chức có thành tích xuất sắc, nổi trội",
                        "verbose_name_plural": "công nhận tổ chức có thành tích xuất sắc, nổi trội",
                        "db_table": "org_scoring_outstandingrecognition",
                        "ordering": ["-year", "agency__path"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("agency", "year"),
                                name="one_outstanding_recognition_per_agency_year",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            relabel("org_scoring", "scoring"), relabel("scoring", "org_scoring"), elidable=True
        ),
    ]
