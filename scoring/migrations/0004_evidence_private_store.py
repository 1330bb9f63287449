"""Uploads move into the private store (PRIVATE_MEDIA_ROOT) when it is set apart from
MEDIA_ROOT, and evidence files get their size, type and sha256.

Every upload lies under MEDIA_ROOT until now: work evidence (and the files of the Wagtail
documents migration 0003 turned into evidence), rating minutes and complaint attachments,
imported workbooks, Wagtail's original images and documents, national-database batches. The
project's default storage is now the private one (cms.private_files.PrivateFileStorage, no URL).
By default PRIVATE_MEDIA_ROOT *is* MEDIA_ROOT (nothing moves; the reverse proxy serves nothing
there). A province that sets KPI_PRIVATE_MEDIA_ROOT to another folder gets every file under
MEDIA_ROOT moved to the same relative name there — every file field keeps pointing at it —
except Wagtail's image renditions (``images/``), which are public by nature and stay.

The move never overwrites: a name already present in the private store is left where it was and
listed. Nothing moves when the two settings name the same or nested folders. Running it again
moves only what is still left.
"""

import hashlib
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import migrations, models

#: Top-level folders of MEDIA_ROOT that are public media and stay there.
PUBLIC_FOLDERS = {"images"}

#: The type each allowed evidence extension is sent with (as in cms.private_files).
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "txt": "text/plain",
}


def _roots():
    media = Path(settings.MEDIA_ROOT).resolve()
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    if media == private or media in private.parents or private in media.parents:
        sys.stdout.write(
            f"\n  Private files NOT moved: MEDIA_ROOT ({media}) and KPI_PRIVATE_MEDIA_ROOT "
            f"({private}) must be separate folders.\n"
        )
        return None
    return media, private


def _move(source: Path, target: Path, keep=lambda relative: False):
    """Move every file under ``source`` to the same name under ``target``, never overwriting."""
    if not source.is_dir():
        return
    clashes = []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_symlink() or not path.is_file() or keep(relative):
            continue
        destination = target / relative
        if destination.exists():
            clashes.append(str(relative))
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), str(destination))
    for folder in sorted((p for p in source.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    if clashes:
        sys.stdout.write(
            f"\n  {len(clashes)} file(s) left in {source}: the same name already exists in "
            f"{target}. Compare them by hand: " + ", ".join(clashes[:20]) + "\n"
        )


def move_uploads_to_private_store(apps, schema_editor):
    roots = _roots()
    if roots:
        media, private = roots
        _move(media, private, keep=lambda relative: relative.parts[0] in PUBLIC_FOLDERS)


def move_uploads_back_to_media(apps, schema_editor):
    roots = _roots()
    if roots:
        media, private = roots
        _move(private, media)


def record_evidence_facts(apps, schema_editor):
    Evidence = apps.get_model("scoring", "Evidence")
    missing = []
    for evidence in Evidence.objects.exclude(file="").filter(sha256=""):
        try:
            handle = default_storage.open(evidence.file.name, "rb")
        except FileNotFoundError:
            missing.append(evidence.file.name)
            continue
        digest, size = hashlib.sha256(), 0
        with handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
        name = evidence.file_name or evidence.file.name
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        evidence.file_size = size
        evidence.sha256 = digest.hexdigest()
        evidence.content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
        evidence.save(update_fields=["file_size", "sha256", "content_type"])
    if missing:
        sys.stdout.write(
            f"\n  {len(missing)} evidence file(s) not found in the private store: "
            + ", ".join(missing[:20])
            + "\n"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0003_evidence_private_file"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="content_type",
            field=models.CharField(blank=True, max_length=100, verbose_name="loại tệp"),
        ),
        migrations.AddField(
            model_name="evidence",
            name="file_size",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, verbose_name="dung lượng tệp (byte)"
            ),
        ),
        migrations.AddField(
            model_name="evidence",
            name="sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="mã băm SHA-256 của tệp"),
        ),
        migrations.RunPython(move_uploads_to_private_store, move_uploads_back_to_media),
        migrations.RunPython(record_evidence_facts, migrations.RunPython.noop),
    ]
