"""Wagtail's own listing exports (``?export=xlsx|csv`` on the snippet listings) above
``KPI_EXPORT_INLINE_ROWS`` rows go through the export kit (``cms.listing_exports``, issue 47):
the same view builds the file in the worker, for the person who asked, with their filters, their
search and their reach; the read of personal data is logged when the file is downloaded."""

import pytest

from django.test import override_settings
from django.urls import reverse

from audit.models import PersonalDataRead, ReadKind
from cms.models import ExportJob, JobStatus
from org.access import HOME_AFFAIRS_GROUP
from tests.export_jobs import READY, REFUSED, body, cells, in_background, refused_everywhere
from tests.factories import UserFactory, agency_admin, post, two_agencies

pytestmark = pytest.mark.django_db

PEOPLE = reverse("wagtailsnippets_org_civilservant:list")
OWN = ["Lê Thị Thu Hà", "Nguyễn Văn An", "Trần Minh Châu", '=HYPERLINK("x")']


@pytest.fixture
def world():
    agencies = two_agencies()
    people = [post(agencies.own_unit, full_name=name) for name in OWN]
    post(agencies.other_unit, full_name="Phạm Quốc Bảo")
    return {
        "own": agencies.own,
        "people": people,
        "agency_admin": agency_admin(agencies.own),
        "home_affairs": UserFactory(groups=[HOME_AFFAIRS_GROUP]),
        "other_admin": agency_admin(agencies.other),
    }


def test_a_long_people_listing_is_built_by_the_worker_with_the_same_cells(client, world):
    client.force_login(world["agency_admin"])
    job, inline, text = in_background(client, PEOPLE, {"export": "xlsx"}, rows=len(OWN))
    assert job.kind == "cms.listing" and job.status == JobStatus.DONE
    assert "Danh sách: " in text
    sheet = next(iter(cells(body(inline)).values()))
    names = [row[1] for row in sheet[1:]]
    # The agency admin's reach: their own people, never the other agency's; the text that looks
    # like a formula stays text.
    assert sorted(names) == sorted(OWN)
    assert "Phạm Quốc Bảo" not in names


def test_the_search_and_the_csv_format_travel_with_the_job(client, world):
    client.force_login(world["home_affairs"])
    inline = client.get(PEOPLE, {"export": "csv", "q": "tran minh"})
    inline_body = b"".join(inline.streaming_content)
    with override_settings(KPI_EXPORT_INLINE_ROWS=0):
        response = client.get(PEOPLE, {"export": "csv", "q": "tran minh"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("cms_export_job", args=[job.pk])
    assert READY.format(rows=1) in client.get(response["Location"]).content.decode()
    download = client.get(reverse("cms_export_job_file", args=[job.pk]))
    assert download["Content-Type"] == "text/csv"
    assert download["Content-Disposition"] == 'attachment; filename="cong-chuc.csv"'
    assert download.content == inline_body
    assert "Trần Minh Châu" in download.content.decode() and "Lê Thị" not in inline_body.decode()


def test_the_read_is_logged_at_the_download_with_the_people_of_the_file(client, world):
    client.force_login(world["agency_admin"])
    with override_settings(KPI_EXPORT_INLINE_ROWS=1):
        response = client.get(PEOPLE, {"export": "xlsx"})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    # Asking and building read nothing yet: the file has not left the server.
    assert not PersonalDataRead.objects.filter(kind=ReadKind.LISTING_EXPORT).exists()
    client.get(reverse("cms_export_job_file", args=[job.pk]))
    read = PersonalDataRead.objects.get(kind=ReadKind.LISTING_EXPORT)
    assert read.user == world["agency_admin"] and read.format == "xlsx"
    assert read.row_count == len(OWN) and read.subject_count == len(OWN)
    assert read.model == "org.civilservant"
    assert {int(i) for i in read.subject_ids.strip(",").split(",")} == {
        person.pk for person in world["people"]
    }


def test_nobody_else_opens_the_listing_job(client, world):
    client.force_login(world["agency_admin"])
    with override_settings(KPI_EXPORT_INLINE_ROWS=1):
        client.get(PEOPLE, {"export": "xlsx"})
    job = ExportJob.objects.get()
    client.force_login(world["other_admin"])
    refused_everywhere(client, job, "Lê Thị Thu Hà")
    client.force_login(world["home_affairs"])
    assert (
        REFUSED
        in client.get(reverse("cms_export_job", args=[job.pk]), follow=True).content.decode()
    )


def test_a_listing_whose_permission_is_gone_fails_with_a_message(client, world):
    """The build asks the listing for the person who asked; when it refuses them (their group
    was taken away after they asked), the job fails with the kit's message, not a file."""
    admin = world["agency_admin"]
    client.force_login(admin)
    with override_settings(KPI_EXPORT_INLINE_ROWS=1), pytest.MonkeyPatch.context() as patch:
        from cms import exports

        patch.setattr(exports, "enqueue", lambda job: None)
        client.get(PEOPLE, {"export": "xlsx"})
    job = ExportJob.objects.get()
    admin.groups.clear()
    assert exports.run(job.pk) == JobStatus.FAILED
    job.refresh_from_db()
    assert "PermissionError" in job.last_error and not job.file
