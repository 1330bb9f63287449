"""Reliability review M5: the validation's enqueue fails at upload (a database hiccup). The
upload is kept and validated later by the sweep, so the page must say that — not "nothing
was written, try again", which made the clerk upload a second copy."""

from html import unescape

import pytest

from django.contrib.messages import get_messages
from django.db import OperationalError
from django.urls import reverse

from importers import tasks
from importers.models import ImportJob, ImportStatus
from tests.importers.test_pipeline_web import latest_job, line, results_bytes, upload

pytestmark = pytest.mark.django_db


def test_a_failed_enqueue_at_upload_says_the_file_was_kept(client, world, tmp_path, monkeypatch):
    client.force_login(world["justice_admin"])
    data = results_bytes(world, [line()], tmp_path)

    def refused(job):
        raise OperationalError("could not serialize access")  # the task row's INSERT fails

    monkeypatch.setattr(tasks, "enqueue_validation", refused)
    response = upload(client, world, data)
    job = latest_job()
    assert response.status_code == 302
    assert response["Location"] == reverse("importers_job", args=[job.pk])
    assert ImportJob.objects.count() == 1 and job.status == ImportStatus.QUEUED and job.file
    said = [unescape(str(message)) for message in get_messages(response.wsgi_request)]
    assert any(
        f"Đã nhận và lưu tệp (lần nhập số {job.pk})" in text and "Không cần tải tệp lên lại" in text
        for text in said
    ), said
    page = client.get(reverse("importers_job", args=[job.pk]))
    assert page.status_code == 200
