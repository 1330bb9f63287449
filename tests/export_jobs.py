"""Helpers of the tests of the exports the kit builds in the background (``cms.exports``, issue
47): ask an export below and above the threshold, and compare the two workbooks cell by cell."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from django.test import override_settings
from django.urls import reverse

READY = "Tệp đã sẵn sàng ({rows} dòng)."
REFUSED = "Bạn không có quyền truy cập"


def body(response) -> bytes:
    """The bytes of a response, streamed (Wagtail's listing exports) or not."""
    if response.streaming:
        if not hasattr(response, "_kpi_body"):
            response._kpi_body = b"".join(response.streaming_content)
        return response._kpi_body
    return response.content


def cells(content: bytes) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }


READ_FIELDS = ("kind", "format", "model", "label", "row_count", "subject_ids", "subject_count")


def last_read(kind) -> dict | None:
    from audit.models import PersonalDataRead

    read = PersonalDataRead.objects.filter(kind=kind).order_by("-pk").first()
    if read is None:
        return None
    return {field: getattr(read, field) for field in (*READ_FIELDS, "agency_id")}


def in_background(client, url: str, query: dict, rows: int | None = None, read_kind=None):
    """Ask the export at once, then with a threshold below its rows: the person lands on the
    job's page, which says the file is ready, and the file has the inline download's cells and
    name; with ``read_kind``, its download is logged as the inline one was. Returns ``(job,
    inline response, page text)``."""
    from cms.models import ExportJob

    inline = client.get(url, query)
    logged = last_read(read_kind) if read_kind else None
    if read_kind:
        assert logged is not None
    assert inline.status_code == 200, body(inline)[:500]
    assert inline["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()
    # Just below the export's rows when they are known: at the threshold it stays at once.
    with override_settings(KPI_EXPORT_INLINE_ROWS=rows - 1 if rows else 0):
        response = client.get(url, query)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cms_export_job", args=[job.pk])
    if rows is not None:
        assert job.rows_total == rows
    text = client.get(response["Location"]).content.decode()
    assert READY.format(rows=job.rows_total) in text
    assert "Tải tệp về" in text
    download = client.get(reverse("cms_export_job_file", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == inline["Content-Disposition"]
    assert cells(download.content) == cells(body(inline))
    if read_kind:
        assert last_read(read_kind) == logged
    return job, inline, text


def refused_everywhere(client, job, hidden: str) -> None:
    """``client`` (signed in as someone else) neither opens the job's page nor its file: the
    admin's refusal, "Bạn không có quyền truy cập…", and nothing of the file shown."""
    for name in ("cms_export_job", "cms_export_job_file"):
        url = reverse(name, args=[job.pk])
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].split("?")[0] in ("/admin/", "/admin"), url
        followed = client.get(url, follow=True).content.decode()
        assert REFUSED in followed, url
        assert hidden not in followed, url
