"""Review 2026-11-25 (ux L6, L7): the import page shows no SHA-256 line; an upload without a
file is said in the red banner at the top."""

import re

import pytest

from django.urls import reverse

from tests.importers.test_pipeline_web import latest_job, upload

pytestmark = pytest.mark.django_db


def _banner(html: str) -> str:
    found = re.search(r'<li class="[^"]*\berror\b[^"]*"[^>]*>(.*?)</li>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


def test_no_file_is_said_at_the_top(client, world):
    client.force_login(world["justice_admin"])
    response = client.post(
        reverse("importers_upload"),
        {"kind": "results", "agency": world["justice"].pk, "period": world["march"].pk},
    )
    assert _banner(response.content.decode()).startswith("Chưa lưu được. Hãy sửa rồi gửi lại:")


def test_the_job_page_shows_no_checksum(client, world):
    client.force_login(world["justice_admin"])
    upload(client, world, b"Ma;Ten\nCT0001;An\n", name="ket-qua.csv")
    page = client.get(reverse("importers_job", args=[latest_job().pk])).content.decode()
    assert "SHA-256" not in page and latest_job().sha256 not in page
