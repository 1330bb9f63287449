"""Review 2026-11-22 (ux #7, issue 16 item 6): closing a period was a bare status dropdown in a
generic form, with no summary of what was still open and no final scoring. Closing is now a
guided step for Sở Nội vụ: what is still open per agency, a confirmation, then the close and
the final scoring of the period."""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org.models import AccessRole
from org.roles import ensure_roles
from scoring.models import GeneralCriteriaMark, Period, PeriodScore, PeriodStatus
from tests.factories import AgencyAccessFactory, UserFactory
from tests.worklog.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    ensure_roles()
    w = build_world()
    # Nhàn reported her line (awaiting review); Bình's line is open and overdue.
    w.submitted = w.line(people=("nhan",), deadline=datetime.date(2026, 3, 20))
    w.submit(w.submitted)
    w.open_line = w.line(people=("binh",), deadline=datetime.date(2026, 3, 12))
    w.period = w.submitted.period
    GeneralCriteriaMark.objects.create(
        civil_servant=w.people["nhan"], period=w.period, criterion="I.1", evaluator_mark=Decimal(5)
    )
    w.home_affairs = UserFactory(username="snv.close", groups=[HOME_AFFAIRS_GROUP])
    return w


def close_url(period):
    return reverse("dashboards_period_close", args=[period.pk])


def denied(response) -> bool:
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_the_page_lists_what_is_still_open_per_agency(client, world):
    client.force_login(world.home_affairs)
    html = client.get(close_url(world.period)).content.decode()
    row = next(part for part in html.split("<tr") if "Sở Nội vụ thử nghiệm" in part)
    cells = [c.split(">", 1)[1].split("<", 1)[0].strip() for c in row.split("<td")[1:]]
    # open lines, of which overdue, awaiting review, people, people without the evaluator's marks
    assert cells[:5] == ["1", "1", "1", "6", "5"]
    # Column headers in sentence case, as every listing's (issue 44's crawl).
    assert '<th class="kpi-num">Trong đó quá hạn</th>' in html
    assert "Khóa sổ và tính điểm" in html
    assert world.period.label in html


def test_closing_needs_a_confirmation(client, world):
    client.force_login(world.home_affairs)
    response = client.post(close_url(world.period), {})
    assert response.status_code == 400
    assert "Hãy xác nhận" in response.content.decode()
    world.period.refresh_from_db()
    assert world.period.status == PeriodStatus.OPEN


def test_closing_closes_and_scores_the_period(client, world):
    client.force_login(world.home_affairs)
    assert not PeriodScore.objects.filter(period=world.period).exists()
    response = client.post(close_url(world.period), {"confirm": "on"}, follow=True)
    world.period.refresh_from_db()
    assert world.period.status == PeriodStatus.CLOSED and world.period.closed_at is not None
    assert PeriodScore.objects.filter(
        period=world.period, civil_servant=world.people["nhan"]
    ).exists()
    page = response.content.decode()
    assert f"Đã khóa sổ {world.period.label}" in page
    # Once closed, the page says so and offers no second close.
    html = client.get(close_url(world.period)).content.decode()
    assert "đã khóa sổ" in html.lower() and 'name="confirm"' not in html


def test_a_failed_final_scoring_says_what_happens_next_without_a_command(
    client, world, monkeypatch
):
    """The close committed but its final run failed: the page says the daily check scores it
    again and where to follow it — never a command to type (brief: nothing needs a shell)."""
    from dashboards import closing

    def close_failing(period, user):
        Period.objects.filter(pk=period.pk).update(status=PeriodStatus.CLOSED)
        period.refresh_from_db()
        return closing.CloseResult(period, scored=False, summary=None, error="tính điểm lỗi")

    monkeypatch.setattr(closing, "close", close_failing)
    client.force_login(world.home_affairs)
    page = client.post(close_url(world.period), {"confirm": "on"}, follow=True).content.decode()
    assert f"Đã khóa sổ {world.period.label}, nhưng tính điểm lỗi" in page
    assert "tự tính lại trong lần đối chiếu hằng ngày" in page and "Việc chạy nền" in page
    assert "manage.py" not in page


def test_the_period_listing_links_to_the_guided_close(client, world):
    client.force_login(world.home_affairs)
    listing = client.get(reverse("wagtailsnippets_scoring_period:list")).content.decode()
    assert close_url(world.period) in listing


def test_only_home_affairs_may_close(client, world):
    admin = UserFactory(username="qt.close", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.department, role=AccessRole.AGENCY_ADMIN)
    for user in (admin, world.users["truong"], world.users["nhan"]):
        client.force_login(user)
        assert denied(client.get(close_url(world.period)))
        assert denied(client.post(close_url(world.period), {"confirm": "on"}))
    assert Period.objects.get(pk=world.period.pk).status == PeriodStatus.OPEN
    client.logout()
    response = client.post(close_url(world.period), {"confirm": "on"})
    assert response.status_code == 302 and "login" in response.url
    assert Period.objects.get(pk=world.period.pk).status == PeriodStatus.OPEN


def test_the_listing_offers_the_close_to_home_affairs_only(client, world):
    admin = UserFactory(username="qt.list", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.department, role=AccessRole.AGENCY_ADMIN)
    client.force_login(admin)
    response = client.get(reverse("wagtailsnippets_scoring_period:list"))
    if response.status_code == 200:
        assert close_url(world.period) not in response.content.decode()


# --- reopening (issue 30 item 11, review 2026-11-23 C16) -------------------------------------


def reopen_url(period):
    return reverse("dashboards_period_reopen", args=[period.pk])


def test_reopening_says_what_happens_and_asks_to_confirm(client, world):
    client.force_login(world.home_affairs)
    client.post(close_url(world.period), {"confirm": "on"})
    listing = client.get(reverse("wagtailsnippets_scoring_period:list")).content.decode()
    assert reopen_url(world.period) in listing and "Mở lại…" in listing

    html = client.get(reopen_url(world.period)).content.decode()
    assert "Khi mở lại kỳ:" in html
    assert "trở thành điểm tạm tính" in html and "khóa sổ lại" in html
    assert 'name="confirm"' in html and "Lý do mở lại" in html

    # Without the tick box or the reason: the page again, the period still closed.
    for data in ({"reason": "Giải quyết kiến nghị"}, {"confirm": "1"}):
        response = client.post(reopen_url(world.period), data)
        assert response.status_code == 400
        assert "Hãy ghi lý do mở lại và đánh dấu ô xác nhận" in response.content.decode()
        assert Period.objects.get(pk=world.period.pk).status == PeriodStatus.CLOSED

    response = client.post(
        reopen_url(world.period),
        {"confirm": "1", "reason": "Giải quyết kiến nghị của công chức"},
        follow=True,
    )
    assert Period.objects.get(pk=world.period.pk).status == PeriodStatus.OPEN
    assert f"Đã mở lại {world.period.label}" in response.content.decode()


def test_the_period_form_no_longer_reopens(client, world):
    client.force_login(world.home_affairs)
    client.post(close_url(world.period), {"confirm": "on"})
    edit = reverse("wagtailsnippets_scoring_period:edit", args=[world.period.pk])
    html = client.get(edit).content.decode()
    assert 'value="open"' not in html and "Mở lại…" in html


def test_only_home_affairs_may_reopen(client, world):
    client.force_login(world.home_affairs)
    client.post(close_url(world.period), {"confirm": "on"})
    for user in (world.users["truong"], world.users["nhan"]):
        client.force_login(user)
        assert denied(client.get(reopen_url(world.period)))
        assert denied(client.post(reopen_url(world.period), {"confirm": "1", "reason": "x"}))
    assert Period.objects.get(pk=world.period.pk).status == PeriodStatus.CLOSED
