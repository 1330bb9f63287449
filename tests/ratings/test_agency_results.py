"""An agency's own results (issue 30 item 6; review 2026-11-23 C6 "agencies cannot see their own
quarterly assessment or rating result"): the agency admin and the agency head open, from the
menu, their agency's quarters (score, level, whether the province chairman confirmed them) and
its annual rating (decided level, decision number and date) — their own agency only, with
Vietnamese dates and decimal commas."""

import datetime
import json
import re
from decimal import Decimal
from html import unescape

import pytest

from django.urls import reverse
from django.utils import timezone

from org.access import AGENCY_ADMIN_GROUP, CIVIL_SERVANT_GROUP
from org.models import LeadershipRole
from org.roles import ensure_roles
from org_scoring.models import QuarterlyAssessment
from tests.factories import AgencyAccessFactory, AgencyFactory, UserFactory, post, with_user
from tests.factories.ratings import rating_case

pytestmark = pytest.mark.django_db
URL = "ratings_agency_results"


@pytest.fixture
def world():
    ensure_roles()
    own = AgencyFactory(code="STP", name="Sở Tư pháp")
    other = AgencyFactory(code="SNN", name="Sở Nông nghiệp")
    admin = UserFactory(username="quantri", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=own)
    head = with_user(post(own, LeadershipRole.HEAD, full_name="Giám Đốc Tư Pháp"), "giamdoc")
    staff = with_user(post(own, full_name="Công Chức Thường"), "congchuc", [CIVIL_SERVANT_GROUP])
    QuarterlyAssessment.objects.create(
        agency=own,
        year=2026,
        quarter=1,
        assessed=True,
        tasks_counted=4,
        score=Decimal("87.50"),
        level="good",
        confirmed_by=head,
        confirmed_at=timezone.make_aware(datetime.datetime(2026, 4, 20, 9, 0)),
    )
    QuarterlyAssessment.objects.create(
        agency=own,
        year=2026,
        quarter=2,
        assessed=True,
        tasks_counted=3,
        score=Decimal("66.67"),
        level="completed",
    )
    QuarterlyAssessment.objects.create(
        agency=other,
        year=2026,
        quarter=1,
        assessed=True,
        score=Decimal("12.34"),
        level="not_completed",
    )
    rating_case(
        own,
        2025,
        "excellent",
        decision_ref="315/QĐ-UBND",
        decision_date=datetime.date(2025, 12, 22),
    )
    rating_case(other, 2025, "not_completed", decision_ref="999/QĐ-UBND")
    return {"own": own, "other": other, "admin": admin, "head": head, "staff": staff}


def menu_labels(html: str) -> list[str]:
    """The labels of the sidebar's entries (Wagtail serialises the menu as JSON)."""
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    menu = json.dumps(json.loads(unescape(props.group(1))), ensure_ascii=False)
    return re.findall(r'"label": "([^"]*)"', menu)


def _text(response) -> str:
    from bs4 import BeautifulSoup

    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


@pytest.mark.parametrize("username", ["quantri", "giamdoc"])
def test_the_agency_sees_its_own_quarters_and_annual_rating(client, world, username):
    client.force_login(world[username.replace("quantri", "admin").replace("giamdoc", "head")])
    response = client.get(reverse(URL))
    assert response.status_code == 200
    text = _text(response)
    assert "Sở Tư pháp" in text
    # The quarters: score with a decimal comma, the level in words, the confirmation state.
    assert "Quý 1/2026" in text and "87,50" in text and "Hoàn thành tốt nhiệm vụ" in text
    assert "Chủ tịch UBND tỉnh đã xác nhận ngày 20/04/2026" in text
    assert "Quý 2/2026" in text and "66,67" in text
    assert "Chờ Chủ tịch UBND tỉnh xác nhận (tạm tính)" in text
    # The annual rating: decided level, decision number and date.
    assert "Hoàn thành xuất sắc nhiệm vụ" in text
    assert "315/QĐ-UBND" in text and "22/12/2025" in text
    # Never another agency's, never a raw code or a dot decimal.
    assert "12,34" not in text and "999/QĐ-UBND" not in text and "Sở Nông nghiệp" not in text
    assert "87.50" not in text and "excellent" not in text and "True" not in text


def test_another_agency_is_refused(client, world):
    client.force_login(world["admin"])
    response = client.get(reverse(URL), {"co_quan": world["other"].pk})
    assert response.status_code == 404


def test_menu_entry_for_the_agency_only(client, world):
    from tests.cms.test_listing_values import menu_urls

    home = reverse("wagtailadmin_home")
    for who in ("admin", "head"):
        client.force_login(world[who])
        html = client.get(home).content.decode()
        assert reverse(URL) in menu_urls(html)
        label = "Kết quả đánh giá, xếp loại của cơ quan"
        i = html.index("agency-results")
        print(html[i - 300 : i + 50])
        assert label in html or json.dumps(label)[1:-1] in html  # the sidebar is JSON
    client.force_login(world["staff"])
    assert reverse(URL) not in menu_urls(client.get(home).content.decode())
    refused = client.get(reverse(URL))  # Wagtail sends a refused user home with a message
    assert refused.status_code == 302 and refused["Location"] == home
