"""A document's identity is its sender and DocumentId (or sender, number and year): stored
packages and their lines get the new identity, so a later version of the same document still
finds its line."""

import hashlib

from django.db import migrations


def _external_id(source_id: int, document_id: str) -> str:
    key = (
        document_id
        if len(document_id) <= 60
        else hashlib.sha256(document_id.encode()).hexdigest()[:40]
    )
    return f"edxml:{source_id}:{key}"


def _identity(data: dict) -> str | None:
    old = data.get("document_id") or ""
    sender = (data.get("from") or {}).get("id") or ""
    if not sender or "|" in old:
        return None
    if old.startswith(f"{sender},"):  # the former fallback "<sender>,<number/notation>"
        year = (data.get("promulgation_date") or "")[:4]
        return f"{sender}|{data.get('code') or ''}|{year}" if year else None
    return f"{sender}|{old}"


def forwards(apps, schema_editor):
    Package = apps.get_model("connectors", "Package")
    AssignmentLine = apps.get_model("scoring", "AssignmentLine")
    for package in Package.objects.filter(kind="document").exclude(key__startswith="sha256:"):
        new = _identity(package.data or {})
        if new is None:
            continue
        old = package.document_id
        key = f"document:{new}"
        if len(key) > 200:
            key = f"document:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
        if Package.objects.filter(source_id=package.source_id, key=key).exists():
            continue
        AssignmentLine.objects.filter(
            source="api", external_id=_external_id(package.source_id, old)
        ).update(external_id=_external_id(package.source_id, new))
        package.data["document_id"] = new
        package.document_id = new[:200]
        package.key = key
        package.save(update_fields=["data", "document_id", "key"])


class Migration(migrations.Migration):
    dependencies = [
        ("connectors", "0002_feeds_order_review_dead_letters"),
        ("scoring", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
