"""The progress board and its export, scoped by the one permission layer; the agency's own
milestones on its dashboard."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from django.urls import reverse

from tests.factories import MilestoneFactory, MilestoneRecordFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 3, 5)


@pytest.fixture
def milestone(province):
    milestone = MilestoneFactory(code="danh-muc-nop", name="Gửi danh mục", due_date=DUE)
    MilestoneRecordFactory(
        milestone=milestone,
        agency=province.justice,
        submitted_on=datetime.date(2026, 3, 3),
        approved_on=datetime.date(2026, 3, 13),
        decision_ref="125/QĐ-UBND",
    )
    return milestone


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_home_affairs_sees_every_agency_late_highlighted(client, province, milestone):
    response = _get(client, province.sonoivu, reverse("oversight_milestones"), nam="2026")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sở Tư pháp" in html and "Sở Y tế" in html and "xã An" in html
    assert 'data-agency="SYT" data-state="overdue" class="oversight-late"' in html
    assert "03/03/2026" in html and "13/03/2026" in html and "05/03/2026" in html


def test_filters_not_submitted_and_kind(client, province, milestone):
    url = reverse("oversight_milestones")
    html = _get(client, province.sonoivu, url, hien="chua-nop").content.decode()
    assert 'data-agency="STP"' not in html and 'data-agency="SYT"' in html
    html = _get(client, province.sonoivu, url, loai="commune").content.decode()
    assert 'data-agency="SYT"' not in html and 'data-agency="X-AN"' in html


def test_agency_admin_sees_only_their_agency(client, province, milestone):
    html = _get(client, province.admin_stp, reverse("oversight_milestones")).content.decode()
    assert 'data-agency="STP"' in html
    assert "Sở Y tế" not in html and "xã An" not in html


def _refused(response) -> bool:
    """Wagtail turns a refusal in the admin into a redirect to the admin home."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"].split("?")[0] == "/admin/"
    )


def test_civil_servant_and_anonymous_are_refused(client, province, milestone):
    assert _refused(_get(client, province.clerk, reverse("oversight_milestones")))
    assert _refused(_get(client, province.clerk, reverse("oversight_milestones_xlsx")))
    client.logout()
    response = client.get(reverse("oversight_milestones_xlsx"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_export_is_scoped_with_dates_as_dates(client, province, milestone):
    response = _get(client, province.admin_stp, reverse("oversight_milestones_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[3] for row in rows] == ["STP"]
    assert rows[0][7].date() == datetime.date(2026, 3, 3)
    assert sheet.cell(row=3, column=8).number_format == "dd/mm/yyyy"
    response = _get(client, province.sonoivu, reverse("oversight_milestones_xlsx"))
    codes = [
        row[3]
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(
            min_row=3, values_only=True
        )
    ]
    assert codes == ["STP", "SYT", "X-AN"]


def test_agency_dashboard_shows_its_milestones(client, province, milestone, settings):
    MilestoneFactory(code="khac", name="Mốc của xã", agency_kinds=["commune"])
    response = _get(
        client, province.admin_stp, reverse("dashboards_node", args=[province.justice.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-milestone="danh-muc-nop" data-state="approved"' in html
    assert "Mốc của xã" not in html


def test_a_long_export_is_built_in_the_background_with_the_same_cells(client, province, milestone):
    """Issue 47: above KPI_EXPORT_INLINE_ROWS the board's export lands on the export job's page;
    the file has the inline download's cells (the agencies Sở Nội vụ reaches); an agency's admin
    never opens it."""
    from tests.export_jobs import in_background, refused_everywhere

    client.force_login(province.sonoivu)
    url = reverse("oversight_milestones_xlsx")
    job, _inline, page = in_background(client, url, {"nam": "2026"}, rows=3)
    assert "Tiến độ thực hiện kế hoạch năm 2026" in page
    client.force_login(province.admin_stp)
    refused_everywhere(client, job, "Sở Y tế")
