"""Form 01 and the tables a person reads about himself on a 390 px phone (review 2026-11-25 M6:
"At 390 px the Form 01 table shows the self-score column only; the evaluator's column and the
title are off-screen"; the tables of "Kết quả của tôi", "Diễn giải" and the case page scroll
sideways inside their boxes). On a phone each row is a card: every value, the evaluator's
input included, is inside the screen and says which column it belongs to."""

import pytest

from django.urls import reverse

from org.access import CIVIL_SERVANT_GROUP, UNIT_LEADER_GROUP
from org.models import LeadershipRole
from scoring.services import score_person
from tests.browser.conftest import ARTIFACTS, login
from tests.browser.gate import PHONE, PHONE_OPTIONS, browser_page
from tests.browser.test_accessibility import serious
from tests.factories import UserFactory
from tests.factories.ratings import decided_case
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "matkhau-123"


def inside(box) -> bool:
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1


def cut_off(page, selector: str) -> list[str]:
    """The cells (or inputs) of ``selector`` that are not entirely within the phone's width."""
    found = []
    for element in page.locator(selector).all():
        if element.is_visible() and not inside(element.bounding_box()):
            found.append(element.inner_text()[:60] or element.get_attribute("name") or "?")
    return found


def test_form01_and_the_persons_tables_fit_a_phone(browser, live_server):
    from org.roles import ensure_roles

    ensure_roles()
    world = build_world()
    person = world.person("Nguyễn Văn Điền")
    world.full_month(person, 27)
    head = world.person("Trương Văn Chấm", role=LeadershipRole.HEAD)
    person.user = UserFactory(username="dien", groups=[CIVIL_SERVANT_GROUP])
    person.save()
    head.user = UserFactory(username="cham", groups=[UNIT_LEADER_GROUP])
    head.save()
    score = score_person(person, world.period)
    # The case of the scored year, linked to its annual score as opening a case links it, so
    # its page lists the year's months (a table to read as cards).
    from scoring.models import AnnualScore
    from scoring.services.annual import score_year

    score_year(world.period.year, people=[person.pk])
    annual = AnnualScore.objects.get(civil_servant=person, year=world.period.year)
    case = decided_case(person, world.period.year, "good", world.unit, score=annual.score)
    case.annual_score = annual
    case.save(update_fields=["annual_score"])
    with browser_page(browser, live_server, **PHONE_OPTIONS) as page:
        form01 = reverse("ratings_form01_entry", args=[person.pk, world.period.pk])
        # The evaluator on Form 01: the criterion, the self-mark and his own input, on screen.
        login(page, "cham", PASSWORD)
        page.goto(f"{page.base_url}{form01}")
        page.screenshot(path=str(ARTIFACTS / "phone-form01-evaluator.png"), full_page=True)
        rows = page.locator("#form01-entry table.listing tbody tr")
        assert rows.count() >= 5
        first = rows.first
        evaluator = first.locator("td").nth(4)
        assert evaluator.locator("input").is_visible()
        assert inside(evaluator.locator("input").bounding_box()), "the evaluator's input is cut off"
        label = evaluator.evaluate("td => getComputedStyle(td, '::before').content")
        assert "Điểm người đánh giá chấm" in label
        assert inside(first.locator("td").nth(1).bounding_box()), "the criterion is cut off"
        assert cut_off(page, "#form01-entry td, #form01-entry input") == []
        # The visible title (the slim header's last breadcrumb) is read whole on the phone.
        title = page.locator("[data-w-breadcrumbs] li").last
        assert "Phiếu theo dõi" in title.inner_text()
        assert inside(title.bounding_box()), "the page title runs off the screen"
        assert title.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the title is cut"
        assert serious(page) == []
        # The person's own tables: "Kết quả của tôi", "Diễn giải", the case page.
        page.context.clear_cookies()
        login(page, "dien", PASSWORD)
        for name, url in (
            ("ket-qua-cua-toi", reverse("ratings_my")),
            ("dien-giai", reverse("scoring_explain", args=[score.pk])),
            ("ho-so", reverse("ratings_case", args=[case.pk])),
        ):
            page.goto(f"{page.base_url}{url}")
            page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
            assert cut_off(page, "main table.listing td") == [], name
            labels = page.locator("main table.listing td[data-label]")
            assert labels.count(), f"{name}: the cards do not name their columns"
