"""Evidence files become private uploads instead of public Wagtail documents.

Each evidence row that pointed at a document takes over that document's stored file (the same
name under MEDIA_ROOT, which nothing serves directly) and its original file name; the document
row is then removed — without deleting the file (historical models send no delete signals) —
so ``/documents/<id>/…`` and the admin's document listing no longer expose it.
"""

from django.db import migrations, models


def documents_to_private_files(apps, schema_editor):
    Evidence = apps.get_model("scoring", "Evidence")
    Document = apps.get_model("wagtaildocs", "Document")
    moved = []
    for evidence in Evidence.objects.exclude(document=None).select_related("document"):
        document = evidence.document
        name = document.file.name
        evidence.file = name
        evidence.file_name = name.rsplit("/", 1)[-1]
        evidence.save(update_fields=["file", "file_name"])
        moved.append(document.pk)
    Evidence.objects.filter(document__in=moved).update(document=None)
    Document.objects.filter(pk__in=moved).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0002_default_frameworks"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="file",
            field=models.FileField(
                blank=True, max_length=255, upload_to="evidence/%Y/%m/", verbose_name="tệp đính kèm"
            ),
        ),
        migrations.AddField(
            model_name="evidence",
            name="file_name",
            field=models.CharField(blank=True, max_length=255, verbose_name="tên tệp"),
        ),
        migrations.RunPython(documents_to_private_files, migrations.RunPython.noop),
        migrations.RemoveField(model_name="evidence", name="document"),
    ]
