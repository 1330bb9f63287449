"""Records leave Wagtail's reference index (docs/architecture.md, "Usage" is for content): the
rows their earlier saves wrote are removed, so an agency's or a position's "Sử dụng" tab does not
list people saved before the upgrade and not those saved after. The list is frozen here as it
stood on 27/11/2026; tests/cms/test_reference_index.py keeps the living one."""

from django.db import migrations

RECORDS = (
    ("org", "agencyaccess"),
    ("org", "bloclead"),
    ("org", "civilservant"),
    ("org", "deputycharge"),
    ("org_scoring", "organisationdisqualification"),
    ("org_scoring", "organisationgeneralmark"),
    ("org_scoring", "organisationshortcoming"),
    ("org_scoring", "organisationtask"),
    ("org_scoring", "outstandingrecognition"),
    ("oversight", "inspection"),
    ("oversight", "milestonerecord"),
    ("scoring", "annualscore"),
    ("scoring", "assignmentline"),
    ("scoring", "disqualification"),
    ("scoring", "frameworkassignment"),
    ("scoring", "periodscore"),
    ("scoring", "scoringrun"),
    ("workplans", "workplan"),
)


def forget_records(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    ids = [ct.pk for ct in ContentType.objects.all() if (ct.app_label, ct.model) in RECORDS]
    if ids:
        ReferenceIndex.objects.filter(base_content_type_id__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_outgoing_mail_attempts"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(forget_records, migrations.RunPython.noop)]
