"""axe-core (``axe-playwright-python``, axe 4.12) on the key pages of the civil servant and the
unit leader: no critical and no serious violation (review 2026-11-23 §5: Form 01's 20
unlabelled inputs); Form 01 and "Kết quả của tôi" usable on a 390 px phone (the page never
overflows: a wide table scrolls inside its own region, which the keyboard can reach)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from django.urls import reverse

from org.access import CIVIL_SERVANT_GROUP, UNIT_LEADER_GROUP
from org.models import LeadershipRole
from tests.browser.conftest import login
from tests.factories import UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "matkhau-123"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world():
    from org.roles import ensure_roles

    ensure_roles()
    world = build_world()
    person = world.person("Nguyễn Văn Điền")
    world.line(person, "X", 2, 1)
    head = world.person("Trương Văn Chấm", role=LeadershipRole.HEAD)
    person.user = UserFactory(username="dien", groups=[CIVIL_SERVANT_GROUP])
    person.save()
    head.user = UserFactory(username="cham", groups=[UNIT_LEADER_GROUP])
    head.save()
    world.people = {"dien": person, "cham": head}
    return world


def serious(page) -> list[str]:
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in ("critical", "serious"):
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


def overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


def test_key_pages_have_no_serious_violation_and_fit_a_phone(page, world):
    person = world.people["dien"]
    form01 = reverse("ratings_form01_entry", args=[person.pk, world.period.pk])
    pages = {
        "dien": ["/admin/", form01, reverse("ratings_my"), reverse("worklog_mine")],
        "cham": ["/admin/", form01, reverse("worklog_board")],
    }
    problems = []
    for username, urls in pages.items():
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1280, "height": 900})
        login(page, username, PASSWORD)
        for url in urls:
            page.goto(f"{page.base_url}{url}")
            problems += [f"{username} {url}: {found}" for found in serious(page)]
        page.set_viewport_size(PHONE)
        for url in (form01, reverse("ratings_my")):
            page.goto(f"{page.base_url}{url}")
            if overflows(page):
                problems.append(f"{username} {url}: wider than a 390 px phone")
    assert not problems, "\n".join(problems)


def test_the_agency_results_page_from_the_menu_is_accessible_and_fits_a_phone(page):
    """Issue 30 item 6: the agency admin opens "Kết quả đánh giá, xếp loại của cơ quan" from
    the menu; it has no critical or serious axe violation and fits a 390 px phone. Its picture
    is the guide's (can-bo-nhap-lieu §9)."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from org.access import AGENCY_ADMIN_GROUP
    from org.roles import ensure_roles
    from org_scoring.models import QuarterlyAssessment
    from tests.browser.test_guide import menu, shot
    from tests.factories import AgencyAccessFactory
    from tests.factories.ratings import rating_case

    ensure_roles()
    world = build_world()
    admin = UserFactory(username="quantri", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.department)
    for quarter, score, level, confirmed in (
        (1, "87.50", "good", True),
        (2, "66.67", "completed", False),
    ):
        QuarterlyAssessment.objects.create(
            agency=world.department,
            year=2026,
            quarter=quarter,
            assessed=True,
            tasks_counted=4,
            score=Decimal(score),
            level=level,
            confirmed_at=timezone.now() if confirmed else None,
        )
    rating_case(
        world.department,
        2025,
        "excellent",
        decision_ref="315/QĐ-UBND",
        decision_date=datetime.date(2025, 12, 22),
    )
    login(page, "quantri", PASSWORD)
    menu(page, "Xếp loại chất lượng", "Kết quả đánh giá, xếp loại của cơ quan")
    assert page.url.endswith(reverse("ratings_agency_results"))
    body = page.locator("main").inner_text()
    assert "87,50" in body and "Hoàn thành xuất sắc nhiệm vụ" in body and "315/QĐ-UBND" in body
    assert serious(page) == []
    shot(page, "ket-qua-co-quan")
    page.set_viewport_size(PHONE)
    page.reload()
    assert not overflows(page)


def test_key_pages_of_home_affairs_the_chairman_and_a_bloc_appraiser(page):
    """Issue 30 (accessibility): the key pages of Sở Nội vụ, the province chairman and a bloc
    appraiser have no critical or serious axe violation, and their home fits a 390 px phone.
    Each page is checked to be the one asked for (its heading) before axe runs."""
    from org.access import BLOC_APPRAISER_GROUP, HOME_AFFAIRS_GROUP
    from org.models import AccessRole
    from org.roles import ensure_roles
    from tests.factories import AgencyAccessFactory, post, with_user

    ensure_roles()
    world = build_world()
    UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP])
    with_user(post(world.province, LeadershipRole.HEAD, full_name="Chủ Tịch Tỉnh"), "chutich")
    appraiser = UserFactory(username="thamdinh", groups=[BLOC_APPRAISER_GROUP])
    AgencyAccessFactory(user=appraiser, agency=world.department, role=AccessRole.BLOC_APPRAISER)
    home = "KPI Công vụ"
    cases = "Hồ sơ xếp loại chất lượng"
    quarters = "Đánh giá quý sở, ngành, UBND xã, phường"
    # Each page with the heading it must show: axe runs only on the page asked for, not on the
    # home page or the sign-in form it could have been sent back to.
    pages = {
        "sonoivu": [
            ("/admin/", home),
            (reverse("dashboards_index"), f"{world.province.name}: {world.period.label}"),
            (reverse("ratings_cases"), cases),
            (reverse("org_scoring_quarter_board"), quarters),
            (reverse("catalog_common_adoptions"), "Quyết định ban hành danh mục dùng chung"),
            (reverse("ratings_period_complaints"), "Kiến nghị kết quả tháng/quý"),
        ],
        "chutich": [
            ("/admin/", home),
            (reverse("ratings_cases"), cases),
            (reverse("org_scoring_quarter_board"), quarters),
        ],
        "thamdinh": [("/admin/", home), (reverse("ratings_cases"), cases)],
    }
    problems = []
    for username, urls in pages.items():
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1280, "height": 900})
        login(page, username, PASSWORD)
        for url, heading in urls:
            page.goto(f"{page.base_url}{url}")
            assert "/admin/login/" not in page.url, f"{username} {url}: sent to the sign-in"
            if url != "/admin/":
                assert page.url != f"{page.base_url}/admin/", f"{username} {url}: sent home"
            assert page.locator("h1").first.inner_text().strip() == heading, (username, url)
            problems += [f"{username} {url}: {found}" for found in serious(page)]
        page.set_viewport_size(PHONE)
        page.goto(f"{page.base_url}/admin/")
        if overflows(page):
            problems.append(f"{username} /admin/: wider than a 390 px phone")
    assert not problems, "\n".join(problems)
