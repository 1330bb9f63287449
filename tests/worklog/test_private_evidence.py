"""Security review 2026-11-22, H2 and M1: evidence became public Wagtail documents — listed at
/admin/api/main/documents/ to every signed-in user and served to anonymous visitors at
/documents/<id>/<name> — and any file type was accepted (an HTML page ran on the app's origin
from /media/). Evidence is a private upload, allow-listed, served only as a checked download."""

import hashlib
import os
from pathlib import Path

import pytest

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wagtail.documents import get_document_model

from scoring.models import Evidence
from tests.worklog.test_views import client_for, line_for, today

pytestmark = pytest.mark.django_db


def submit(client, line, upload):
    return client.post(
        reverse("worklog_line_action", args=[line.pk, "submit"]),
        {"quantity": "1", "completed_on": today().isoformat(), "file": upload},
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evil.html", b"<html><script>alert(document.cookie)</script></html>"),
        ("../../../evil.svg", b"<svg onload=alert(1)></svg>"),
        ("bao-cao.pdf", b"<html><script>alert(1)</script></html>"),  # a web page renamed
        ("ghi-chu.txt", b"<script>alert(1)</script>"),
    ],
)
def test_uploads_outside_the_allow_list_are_refused(client, world, name, content):
    line = line_for(world)
    nhan = client_for(client, world, "nhan")
    response = submit(nhan, line, SimpleUploadedFile(name, content, content_type="text/html"))
    assert response.status_code in (200, 400)
    assert not Evidence.objects.filter(line=line).exists()


def test_evidence_is_a_private_download_and_never_a_public_document(client, world):
    line = line_for(world)
    nhan = client_for(client, world, "nhan")
    upload = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 bao cao", content_type="application/pdf")
    assert submit(nhan, line, upload).status_code == 302
    evidence = Evidence.objects.get(line=line)
    assert not get_document_model().objects.exists()

    response = nhan.get(reverse("worklog_evidence_file", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]

    anonymous = Client()
    for path in (
        f"/media/{evidence.file.name}",
        f"/documents/1/{evidence.file_name}",
        reverse("worklog_evidence_file", args=[evidence.pk]),
    ):
        response = anonymous.get(path)
        assert response.status_code in (302, 404), path
        assert b"%PDF" not in response.content

    # A colleague of another unit, signed in, is refused too.
    other = client_for(Client(), world, "khac")
    assert other.get(reverse("worklog_evidence_file", args=[evidence.pk])).status_code in (
        302,
        403,
        404,
    )
    assert b"bao-cao" not in other.get("/admin/api/main/documents/").content


def test_evidence_file_lives_in_the_private_store_outside_media_with_its_facts(client, world):
    """The file is stored under KPI_PRIVATE_MEDIA_ROOT (never under MEDIA_ROOT, which the proxy
    may serve) with its size, type and sha256 recorded."""
    line = line_for(world)
    nhan = client_for(client, world, "nhan")
    content = b"%PDF-1.4 bao cao thang 3"
    upload = SimpleUploadedFile("Báo cáo tháng 3.pdf", content, content_type="text/html")
    assert submit(nhan, line, upload).status_code == 302
    evidence = Evidence.objects.get(line=line)

    stored = Path(evidence.file.path).resolve()
    assert Path(settings.PRIVATE_MEDIA_ROOT).resolve() in stored.parents
    assert Path(settings.MEDIA_ROOT).resolve() not in stored.parents
    assert stored.read_bytes() == content
    assert evidence.file_name == "Báo cáo tháng 3.pdf"
    assert evidence.file_size == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    # The type comes from the checked content and name, not from what the browser claimed.
    assert evidence.content_type == "application/pdf"

    response = nhan.get(reverse("worklog_evidence_file", args=[evidence.pk]))
    assert b"".join(response) == content
    assert "filename*=utf-8''b%c3%a1o%20c%c3%a1o%20th%c3%a1ng%203.pdf" in (
        response["Content-Disposition"].lower()
    )


def test_an_uploaded_evidence_file_is_reachable_anonymously_by_no_url(client, world, settings):
    line = line_for(world)
    nhan = client_for(client, world, "nhan")
    content = b"%PDF-1.4 SECRET-EVIDENCE"
    upload = SimpleUploadedFile("bao-cao.pdf", content, content_type="application/pdf")
    assert submit(nhan, line, upload).status_code == 302
    evidence = Evidence.objects.get(line=line)
    name = evidence.file.name
    relative_private = os.path.relpath(settings.PRIVATE_MEDIA_ROOT, settings.MEDIA_ROOT)
    candidates = [
        f"/media/{name}",
        f"/media/{relative_private}/{name}",
        f"/private/{name}",
        f"/_private-files/{name}",
        f"/documents/1/{evidence.file_name}",
        f"/documents/{evidence.pk}/{evidence.file_name}",
        f"/static/{name}",
        reverse("worklog_evidence_file", args=[evidence.pk]),
    ]
    for debug in (False, True):
        settings.DEBUG = debug
        anonymous = Client()
        for path in candidates:
            response = anonymous.get(path)
            body = b"".join(response) if response.streaming else response.content
            assert b"SECRET-EVIDENCE" not in body, path
            assert response.status_code in (302, 404), path
