"""A bloc's report to the Party standing committee (issue 32 item 4; Nghệ An §V.1–V.4): Ban
Tổ chức Tỉnh ủy's appraiser opens it from the menu and reads the Party bloc's agencies (catalog
appraised or not, organisation score and level, decided ratings per level), downloads it as
xlsx, and cannot open the Front's; the Front's appraiser reads the Front's; a state agency's
admin has no such page."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from django.utils import timezone

from org.models import BlocLead
from org_scoring.models import DecidedRating, OrganisationScore
from tests.factories import catalog_version
from tests.org.test_blocs import world  # noqa: F401 (the blocs' small province)

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
URL = "/admin/bao-cao-khoi/"


def _score(agency, score, rating):
    return OrganisationScore.objects.create(
        agency=agency,
        year=YEAR,
        engine_version="1",
        inputs_hash="x",
        computed_at=timezone.now(),
        scored=True,
        score=Decimal(score),
        rating=rating,
        score_rating=rating,
    )


def test_ban_to_chuc_reads_its_blocs_report_and_only_its_bloc(world, client):  # noqa: F811
    catalog_version(world["propaganda"], effective_from=datetime.date(YEAR, 1, 1))
    _score(world["propaganda"], "91.50", "good")
    DecidedRating.objects.create(agency=world["btc"], year=YEAR, level="excellent")
    _score(world["women"], "70", "completed")

    client.force_login(world["party_appraiser"])
    home = client.get("/admin/").content.decode()
    assert '"name": "bloc-report"' in home and URL in home  # the sidebar is JSON for React
    page = client.get(URL).content.decode()
    assert "Ban Tổ chức Tỉnh ủy báo cáo Ban Thường vụ Tỉnh ủy" in page
    assert "Danh mục đã thẩm định, phê duyệt: 1" in page
    assert "Ban Tuyên giáo Tỉnh ủy" in page and "91,50" in page and "Hoàn thành tốt" in page
    assert "Hoàn thành xuất sắc" in page  # Ban Tổ chức's decided level
    assert "Chưa có danh mục được phê duyệt" in page
    # Only its bloc: the Front's agencies are not in it, and the Front's report is refused.
    assert "Hội Liên hiệp Phụ nữ tỉnh" not in page and "Sở Tư pháp" not in page
    front_lead = BlocLead.objects.get(root=world["front"])
    assert client.get(f"{URL}?khoi={front_lead.pk}").status_code == 404

    response = client.get(f"{URL}?format=xlsx")
    assert response["Content-Disposition"].startswith("attachment;")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    names = [row[1] for row in book.worksheets[0].iter_rows(min_row=3, values_only=True)]
    assert "Ban Tuyên giáo Tỉnh ủy" in names and "Hội Liên hiệp Phụ nữ tỉnh" not in names

    client.force_login(world["front_appraiser"])
    page = client.get(URL).content.decode()
    assert "Hội Liên hiệp Phụ nữ tỉnh" in page and "Ban Tuyên giáo Tỉnh ủy" not in page


def test_home_affairs_reads_every_bloc_and_a_state_admin_none(world, client):  # noqa: F811
    client.force_login(world["home"])
    front_lead = BlocLead.objects.get(root=world["front"])
    page = client.get(f"{URL}?khoi={front_lead.pk}").content.decode()
    assert "Hội Liên hiệp Phụ nữ tỉnh" in page
    client.force_login(world["admins"]["STP"])
    assert client.get(URL).status_code in (302, 403)
    assert '"name": "bloc-report"' not in client.get("/admin/").content.decode()
