"""Fill ``org_scoring.DecidedRating`` from the agency cases already decided: the level of each
agency's case of a year that is not cancelled (what the organisation scoring read from the
cases directly before). From now on ``ratings.signals`` keeps it."""

from django.db import migrations


def record(apps, schema_editor):
    RatingCase = apps.get_model("ratings", "RatingCase")
    DecidedRating = apps.get_model("org_scoring", "DecidedRating")
    decided = {}
    for agency_id, year, level in (
        RatingCase.objects.filter(kind="agency", subject_agency__isnull=False)
        .exclude(state="cancelled")
        .exclude(decision_level="")
        .order_by("pk")
        .values_list("subject_agency_id", "year", "decision_level")
    ):
        decided.setdefault((agency_id, year), level)
    DecidedRating.objects.bulk_create(
        DecidedRating(agency_id=agency_id, year=year, level=level)
        for (agency_id, year), level in decided.items()
    )


def forget(apps, schema_editor):
    apps.get_model("org_scoring", "DecidedRating").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("org_scoring", "0004_decided_rating"),
        ("ratings", "0003_force_majeure_lift"),
    ]

    operations = [migrations.RunPython(record, forget)]
