"""The explain page and the scoring listings: rendering and row-level access by URL."""

import re

import pytest

from django.urls import reverse

from org.access import AGENCY_ADMIN_GROUP, CIVIL_SERVANT_GROUP, HOME_AFFAIRS_GROUP
from org.models import LeadershipRole
from scoring.models import DeductionKind, PeriodScore
from scoring.services import grant_exemption, record_deduction, score_period, score_person
from tests.factories import AgencyAccessFactory, AgencyFactory, UnitFactory, UserFactory, post
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    world = build_world()
    person = world.person("Nguyễn Thị Minh Thư")
    line = world.line(person, "X", 6, 6)
    world.line(person, "Y", 2, 1)
    review = record_deduction(
        line, DeductionKind.REVIEW, note="Sai thể thức văn bản", decided_by="test-setup"
    )
    record_deduction(line, DeductionKind.DELAY, decided_by="test-setup")
    grant_exemption(review, reason="Thông tư hướng dẫn thay đổi giữa kỳ", decided_by="test-setup")
    world.marks(person, 27)
    score = score_person(person, world.period)
    other_department = AgencyFactory(parent=world.province, name="Sở Y tế thử nghiệm")
    other_person = post(UnitFactory(parent=other_department), full_name="Đỗ Văn Khác")
    own_user = UserFactory(groups=[CIVIL_SERVANT_GROUP])
    person.user = own_user
    person.save()
    own_admin = UserFactory(groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=own_admin, agency=world.department)
    other_admin = UserFactory(groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=other_admin, agency=other_department)
    other_user = UserFactory(groups=[CIVIL_SERVANT_GROUP])
    other_person.user = other_user
    other_person.save()
    return {
        "score": score,
        "url": reverse("scoring_explain", args=[score.pk]),
        "own": own_user,
        "own_admin": own_admin,
        "other_admin": other_admin,
        "other_user": other_user,
        "home_affairs": UserFactory(groups=[HOME_AFFAIRS_GROUP]),
    }


def test_explain_page_shows_lines_exemptions_and_arithmetic(client, setup):
    client.force_login(setup["own"])
    response = client.get(setup["url"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nguyễn Thị Minh Thư" in html
    assert "Sản phẩm X" in html and "Sản phẩm Y" in html
    assert "Thông tư hướng dẫn thay đổi giữa kỳ" in html  # the exemption's reason
    assert "Sai thể thức văn bản" in html
    assert "Cách tính" in html
    assert "Tổng điểm kỳ = 27,00 + 55,42 = 82,42 điểm." in html
    # The rounding the framework revision used (review U2/U13, docs/scoring.md §2).
    assert "Làm tròn 2 chữ số thập phân" in html and "số sau tính từ số đã làm tròn" in html
    assert "Tiến độ (c) = 7,75 / 10,00 = 77,50%." in html
    exempted = "Dòng 1: đạt chất lượng = 6 × 1 = 6,00 (miễn trừ 1 lần do nguyên nhân khách quan)."
    assert exempted in html
    assert "Hoàn thành tốt nhiệm vụ" in html


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("own", True),
        ("own_admin", True),
        ("home_affairs", True),
        ("other_admin", False),
        ("other_user", False),
    ],
)
def test_explain_access_is_enforced_on_the_url(client, setup, who, allowed):
    client.force_login(setup[who])
    response = client.get(setup["url"])
    if allowed:
        assert response.status_code == 200
    else:  # Wagtail turns PermissionDenied into a redirect to the dashboard
        assert response.status_code in (302, 403)
        assert "Nguyễn Thị Minh Thư" not in response.content.decode()


def test_anonymous_is_sent_to_login(client, setup):
    response = client.get(setup["url"])
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_period_score_listing_is_scoped_and_read_only(client, setup):
    listing = reverse("wagtailsnippets_scoring_periodscore:list")
    client.force_login(setup["other_admin"])
    assert "Nguyễn Thị Minh Thư" not in client.get(listing).content.decode()
    client.force_login(setup["own_admin"])
    html = client.get(listing).content.decode()
    assert "Nguyễn Thị Minh Thư" in html and setup["url"] in html
    edit = reverse("wagtailsnippets_scoring_periodscore:edit", args=[setup["score"].pk])
    client.force_login(setup["home_affairs"])
    assert client.get(edit).status_code in (302, 403)


def test_period_score_export(client, setup):
    client.force_login(setup["home_affairs"])
    response = client.get(reverse("wagtailsnippets_scoring_periodscore:list") + "?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "82.42" in body and setup["score"].civil_servant.official_id in body


def test_assignment_lines_of_another_agency_cannot_be_opened(client, setup):
    line = setup["score"].civil_servant.assignment_lines.first()
    edit = reverse("wagtailsnippets_scoring_assignmentline:edit", args=[line.pk])
    person = setup["score"].civil_servant
    client.force_login(setup["own_admin"])
    own = client.get(edit)
    assert own.status_code == 200 and person.full_name in own.content.decode()
    assert 'name="assigned_quantity"' in own.content.decode()
    client.force_login(setup["other_admin"])
    other = client.get(edit, follow=True)
    # Sent elsewhere (or refused): never the line's form, never the person's name.
    assert 'name="assigned_quantity"' not in other.content.decode()
    assert person.full_name not in other.content.decode()


def test_framework_inspect_renders_rules(client, setup):
    framework = setup["score"].framework
    client.force_login(setup["home_affairs"])
    url = reverse("wagtailsnippets_scoring_criteriaframework:inspect", args=[framework.pk])
    html = client.get(url).content.decode()
    assert "Phẩm chất chính trị, đạo đức, văn hóa công vụ" in html
    assert "đã xác nhận" in html and "nguồn thứ cấp" in html
    assert "Nghị định 335/2025/NĐ-CP, Điều 14 (điểm b)" in html


def test_a_leaders_charge_is_counted_by_rating_and_listed_a_page_at_a_time(client, monkeypatch):
    """Issue 48: the chairman's charge is the province (87,000 names and their lines on one
    page took 15 s at 100,000 people). The page counts the charge by rating — what criterion d
    is computed from — and lists the people and their lines a page at a time."""
    from scoring.services import explain_data

    monkeypatch.setattr(explain_data, "CHARGE_PER_PAGE", 2)
    world = build_world()
    head = world.person("Trưởng phòng Lê Văn An", role=LeadershipRole.HEAD)
    world.full_month(head, 30)
    world.leader_marks(head)
    for number, completed in enumerate([1, 1, 1, 0], start=1):
        staff = world.person(f"Chuyên viên số {number}")
        world.line(staff, "X", 1, completed)
        world.marks(staff, 27)
    score_period(world.period)
    score = PeriodScore.objects.get(civil_servant=head, period=world.period)
    client.force_login(UserFactory(groups=[HOME_AFFAIRS_GROUP]))
    url = reverse("scoring_explain", args=[score.pk])
    html = client.get(url).content.decode()
    summary = html[
        html.index('id="charge-summary"') : html.index(
            "</table>", html.index('id="charge-summary"')
        )
    ]
    cells = [" ".join(c.split()) for c in re.findall(r"<td>(.*?)</td>", summary, re.S)]
    assert cells == ["Hoàn thành xuất sắc nhiệm vụ", "3", "Không hoàn thành nhiệm vụ", "1"]
    assert "Chuyên viên số 1" in html and "Chuyên viên số 3" not in html
    assert html.count("Trang 1/2 (4 dòng)") == 2  # the people, and their lines (a, b, c)
    second = client.get(url, {"ds": 2}).content.decode()
    assert "Chuyên viên số 3: Hoàn thành xuất sắc nhiệm vụ" in second
    assert "Chuyên viên số 4: Không hoàn thành nhiệm vụ" in second
    assert "Trang 2/2 (4 dòng)" in second
