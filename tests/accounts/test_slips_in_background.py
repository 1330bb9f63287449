"""Issue 47: the activation slips of a whole agency's batch are printed from a page the export
kit builds in the background (``accounts.slips``, ``cms.exports``) once the batch is larger than
``KPI_EXPORT_INLINE_ROWS``; a small batch prints at once. Same page either way; the codes are
never stored in clear; only who ran the batch opens it."""

import re

import pytest

from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import AccountBatch
from cms.models import ExportJob
from org.access import HOME_AFFAIRS_GROUP
from org.roles import ensure_roles
from tests.factories import AgencyFactory, UnitFactory, UserFactory, post

pytestmark = pytest.mark.django_db
PEOPLE = 6


@pytest.fixture
def batch(django_capture_on_commit_callbacks):
    ensure_roles()
    dept = AgencyFactory(code="STC", name="Sở Tài chính")
    unit = UnitFactory(code="STC-NS", name="Phòng Ngân sách", parent=dept)
    for n in range(PEOPLE):
        post(unit, full_name=f"Người Số {n:02d}")
    sonoivu = UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    client = _signed_in(sonoivu)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts_index"), {"agency": dept.pk})
    made = AccountBatch.objects.get()
    assert (made.status, made.done) == (AccountBatch.Status.DONE, PEOPLE)
    return made


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _codes(html: str) -> list[str]:
    return re.findall(r'<span class="code">([A-Z0-9-]+)</span>', html)


def test_a_small_batch_prints_at_once(batch):
    page = _signed_in(batch.created_by).get(reverse("accounts_slips", args=[batch.pk]))
    assert page.status_code == 200 and len(_codes(page.content.decode())) == PEOPLE
    assert not ExportJob.objects.exists()


def test_a_large_batch_prints_from_a_page_built_in_the_background(batch):
    client = _signed_in(batch.created_by)
    inline = client.get(reverse("accounts_slips", args=[batch.pk])).content.decode()
    with override_settings(KPI_EXPORT_INLINE_ROWS=PEOPLE - 1):
        response = client.get(reverse("accounts_slips", args=[batch.pk]))
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cms_export_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert f"Tệp đã sẵn sàng ({PEOPLE} dòng)." in page and "Mở trang in" in page
    assert f"Phiếu kích hoạt tài khoản, lần tạo #{batch.pk}" in page
    printed = client.get(reverse("cms_export_job_file", args=[job.pk]))
    assert printed.status_code == 200 and printed["Content-Type"].startswith("text/html")
    assert printed["Content-Disposition"].startswith("inline;")
    html = printed.content.decode()
    assert html == inline and len(set(_codes(html))) == PEOPLE
    # Neither the job's parameters nor the stored page hold a code in clear.
    stored = job.file.open("rb").read()
    for code in _codes(html):
        assert code not in str(job.params) and code.encode() not in stored
    # Another Sở Nội vụ user, or the anonymous, never opens it.
    other = _signed_in(UserFactory(username="snv2", groups=[HOME_AFFAIRS_GROUP]))
    for url in (response["Location"], reverse("cms_export_job_file", args=[job.pk])):
        refused = other.get(url)
        assert refused.status_code == 302 and refused["Location"] == "/admin/", url
        assert "Người Số" not in refused.content.decode()
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
