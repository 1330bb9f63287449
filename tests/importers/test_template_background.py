"""Issue 48: a template of tens of thousands of rows (the Form 01 marks of a very large agency)
outlasted the web server's timeout and gave the clerk an error page. Above
``KPI_TEMPLATE_INLINE_ROWS`` the template door hands it to the export kit (``cms.exports``): the
clerk lands on the job's page, which shows the progress, and downloads the same workbook the
door gives at once below the threshold — only the clerk who asked, while they still import for
that agency."""

import re

import pytest

from django.test import override_settings
from django.urls import reverse

from importers.kinds import KINDS
from importers.kinds.base import Context
from tests.importers.conftest import load
from tests.importers.test_background_exports import cells, page, refused

pytestmark = pytest.mark.django_db

#: Every template above the threshold: built in the background.
LOW = override_settings(KPI_TEMPLATE_INLINE_ROWS=0)

#: (kind, needs a period, the file's name).
KINDS_ASKED = [
    ("general_marks", True, "mau-general-marks-stp-2026-03.xlsx"),
    ("results", True, "mau-results-stp-2026-03.xlsx"),
    ("personnel", False, "mau-personnel-stp.xlsx"),
    ("catalog", False, "mau-catalog-stp.xlsx"),
]


def ask(client, world, kind: str, with_period: bool):
    query = {"tpl-kind": kind, "tpl-agency": world["justice"].pk}
    if with_period:
        query["tpl-period"] = world["march"].pk
    return client.get(reverse("importers_template"), query)


def data_rows(content: bytes, kind: str) -> int:
    """The rows the clerk fills in: every data sheet's rows below its header."""
    specs = KINDS[kind].sheets
    book = load(content)
    return sum(
        sum(
            1
            for row in book[str(spec.name)].iter_rows(min_row=spec.first_data_row)
            if any(cell.value not in (None, "") for cell in row)
        )
        for spec in specs
    )


def same_template(built: bytes, inline: bytes) -> bool:
    """Every sheet's cells equal, but the moment each was made (``_meta``'s ``generated_at``)."""

    def without_moment(content):
        return {
            sheet: [row for row in rows if row[:1] != ["generated_at"]]
            for sheet, rows in cells(content).items()
        }

    return without_moment(built) == without_moment(inline)


@pytest.mark.parametrize(("kind", "with_period", "file_name"), KINDS_ASKED)
def test_a_long_template_lands_on_its_page_and_downloads_the_same_workbook(
    client, world, kind, with_period, file_name
):
    from cms.models import ExportJob

    # The catalog's template is its editors' (catalog_importer), the others the agency clerk's.
    client.force_login(world["justice_editor" if kind == "catalog" else "justice_admin"])
    inline = ask(client, world, kind, with_period)
    assert inline.status_code == 200 and not ExportJob.objects.exists()
    with LOW:
        response = ask(client, world, kind, with_period)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cms_export_job", args=[job.pk])
    rows = data_rows(inline.content, kind)
    assert rows > 0
    # The count the page shows is the rows written (the builder says them as it goes).
    text = page(client, job)
    assert f"Tệp đã sẵn sàng ({rows} dòng)." in text, text
    label = str(KINDS[kind].label)
    title = f"Mẫu “{label}” của Sở Tư pháp" + (", Tháng 03/2026" if with_period else "")
    assert title in text, re.findall(r"[^>]*Sở Tư pháp[^<]*", text)
    shown = re.sub(r"<[^>]+>", " ", text.split('id="export-job"')[1].split("</main>")[0])
    for raw in ("True", "False", "None", "importers.template", kind):
        assert raw not in shown, raw
    download = client.get(reverse("cms_export_job_file", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{file_name}"'
    assert same_template(download.content, inline.content)


@pytest.mark.parametrize(("kind", "with_period", "file_name"), KINDS_ASKED)
def test_the_door_reads_the_templates_size_before_building_it(world, kind, with_period, file_name):
    """What decides at once or in the background: the marks' and the catalog's rows exactly, the
    results' at most the lines and a starter row a person, the personnel file's its people."""
    period = world["march"] if with_period else None
    context = Context(
        agency=world["justice"], period=period, period_code=period.code if period else ""
    )
    template = KINDS[kind]
    written = data_rows(template.build_template(context), kind)
    estimate = template.template_rows(context)
    if kind in ("general_marks", "catalog"):
        assert estimate == written
    elif kind == "results":
        assert written <= estimate <= written + len(world["people"])
    else:  # the personnel file: its people (Sở Tư pháp's three), beside its units' rows
        assert estimate == 3 < written


def test_the_templates_own_threshold_not_the_listings(client, world):
    """A listing of more than ``KPI_EXPORT_INLINE_ROWS`` goes to the background; a template of
    the same size is still given at once (it is built many times faster a row)."""
    from cms.models import ExportJob

    client.force_login(world["justice_admin"])
    with override_settings(KPI_EXPORT_INLINE_ROWS=1):
        response = ask(client, world, "general_marks", True)
    assert response.status_code == 200
    assert 'filename="mau-general-marks-stp-2026-03.xlsx"' in response["Content-Disposition"]
    assert not ExportJob.objects.exists()


def test_only_who_asked_while_they_still_import_for_the_agency(client, world):
    from cms.models import ExportJob
    from org.models import AgencyAccess

    client.force_login(world["justice_admin"])
    with LOW:
        ask(client, world, "general_marks", True)
    job = ExportJob.objects.get()
    urls = [
        reverse("cms_export_job", args=[job.pk]),
        reverse("cms_export_job_file", args=[job.pk]),
    ]
    # Another agency's clerk, and Sở Nội vụ (who reaches every agency but did not ask).
    for other in ("health_admin", "home_affairs"):
        client.force_login(world[other])
        response = client.get(urls[1])
        assert refused(response), other
        assert "Trần Thị Bình" not in response.content.decode()
    # The clerk who asked, once no longer the agency's importer: refused, the file unread.
    client.force_login(world["justice_admin"])
    assert client.get(urls[1]).status_code == 200
    AgencyAccess.objects.filter(user=world["justice_admin"]).delete()
    for url in urls:
        assert refused(client.get(url)), url
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_a_refused_request_makes_no_job(client, world):
    """The template form's own refusal comes first: another agency's template is refused on the
    form, with nothing queued."""
    from cms.models import ExportJob

    client.force_login(world["health_admin"])
    with LOW:
        response = ask(client, world, "general_marks", True)
    assert response.status_code == 400 and 'data-error-for="agency"' in response.content.decode()
    assert not ExportJob.objects.exists()
