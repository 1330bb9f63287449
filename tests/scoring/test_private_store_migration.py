"""Migration scoring/0004: uploads made before the private store existed lay under MEDIA_ROOT
(evidence, Wagtail's documents of the old evidence, rating minutes and complaints, imported
workbooks, national-database batches). When a province sets KPI_PRIVATE_MEDIA_ROOT apart from
the media folder, the migration moves every one of them there under the same name (the database
rows keep pointing at them); by default the two are one folder and nothing moves. It also
records each evidence file's size, type and sha256. Only Wagtail's image renditions, which are
public by nature, stay."""

import hashlib
import importlib
from pathlib import Path

import pytest

from django.apps import apps

from org.roles import ensure_roles
from scoring.models import Evidence
from tests.worklog.helpers import build_world
from tests.worklog.test_views import line_for

pytestmark = pytest.mark.django_db

migration = importlib.import_module("scoring.migrations.0004_evidence_private_store")


@pytest.fixture
def world(db):
    ensure_roles()
    return build_world()


@pytest.fixture
def roots(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)


def put(root: Path, name: str, content: bytes) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def test_legacy_uploads_move_to_the_private_store_and_evidence_gets_its_facts(roots, world):
    media, private = roots
    legacy = {
        "documents/bao-cao.pdf": b"%PDF-1.4 old evidence",
        "evidence/2026/11/to-trinh.docx": b"PK\x03\x04 docx",
        "imports/2026/11/3bb2.xlsx": b"PK\x03\x04 workbook",
        "ratings/minutes/2026/bien-ban.pdf": b"%PDF-1.4 minutes",
        "ratings/complaints/2026/don.pdf": b"%PDF-1.4 complaint",
        "national-db/kpi-2026-12-31.json": b"{}",
        "original_images/anh.png": b"\x89PNG\r\n\x1a\n",
    }
    for name, content in legacy.items():
        put(media, name, content)
    put(media, "images/anh.width-400.png", b"\x89PNG\r\n\x1a\n rendition")
    line = line_for(world)
    old = Evidence.objects.create(line=line, file="documents/bao-cao.pdf", file_name="bao-cao.pdf")
    newer = Evidence.objects.create(
        line=line, file="evidence/2026/11/to-trinh.docx", file_name="to-trinh.docx"
    )
    link = Evidence.objects.create(line=line, url="https://vb.example.vn/1")

    migration.move_uploads_to_private_store(apps, None)
    migration.record_evidence_facts(apps, None)

    for name, content in legacy.items():
        assert (private / name).read_bytes() == content, name
        assert not (media / name).exists(), name
    assert (media / "images/anh.width-400.png").exists()
    assert not (private / "images").exists()

    old.refresh_from_db()
    assert old.file.name == "documents/bao-cao.pdf"
    assert old.file_size == len(legacy["documents/bao-cao.pdf"])
    assert old.sha256 == hashlib.sha256(legacy["documents/bao-cao.pdf"]).hexdigest()
    assert old.content_type == "application/pdf"
    assert Path(old.file.path).read_bytes() == legacy["documents/bao-cao.pdf"]
    newer.refresh_from_db()
    assert newer.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    link.refresh_from_db()
    assert (link.file_size, link.sha256) == (None, "")


def test_the_move_is_idempotent_and_never_overwrites(roots):
    media, private = roots
    put(media, "evidence/a.pdf", b"%PDF-1.4 from media")
    put(private, "evidence/a.pdf", b"%PDF-1.4 already private")
    put(media, "evidence/b.pdf", b"%PDF-1.4 b")

    migration.move_uploads_to_private_store(apps, None)
    migration.move_uploads_to_private_store(apps, None)

    assert (private / "evidence/a.pdf").read_bytes() == b"%PDF-1.4 already private"
    # The clash stays where it was, for the operator to compare (the migration says so).
    assert (media / "evidence/a.pdf").read_bytes() == b"%PDF-1.4 from media"
    assert (private / "evidence/b.pdf").read_bytes() == b"%PDF-1.4 b"


def test_nothing_moves_when_the_two_roots_are_the_same_folder(roots, settings):
    media, _private = roots
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT
    put(media, "evidence/a.pdf", b"%PDF-1.4")
    migration.move_uploads_to_private_store(apps, None)
    assert (media / "evidence/a.pdf").exists()


def test_by_default_private_uploads_stay_in_the_media_folder(monkeypatch):
    """An upgrade keeps every file where it was and the backups (DJANGO_MEDIA_ROOT) cover it."""
    import cms.settings.base as base

    monkeypatch.delenv("KPI_PRIVATE_MEDIA_ROOT", raising=False)
    reloaded = importlib.reload(base)
    try:
        assert Path(reloaded.PRIVATE_MEDIA_ROOT) == Path(reloaded.MEDIA_ROOT)
    finally:
        importlib.reload(base)
