"""The admin pages: who sees which lines (by URL too), assigning by POST, the full review flow
through the forms, the home panel and the holiday snippet."""

import datetime
import re
from html import unescape

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from org.access import HOME_AFFAIRS_GROUP
from org.roles import ensure_roles
from scoring.models import AssignmentLine, Evidence
from tests.factories import UserFactory
from worklog.models import WorkItem, WorkStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roles(db):
    ensure_roles()


def today():
    return timezone.localdate()


def later(days=10):
    return today() + datetime.timedelta(days=days)


def denied(response) -> bool:
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def client_for(client, world, key):
    client.force_login(world.users[key])
    return client


def line_for(world, person="nhan", deadline=None, **kwargs):
    return world.line(people=(person,), deadline=deadline or later(), today=today(), **kwargs)


def test_a_person_sees_only_their_own_lines(client, world):
    mine, theirs = line_for(world), line_for(world, "binh")
    client_for(client, world, "nhan")
    page = client.get(reverse("worklog_mine")).content.decode()
    assert f'data-line-id="{mine.pk}"' in page and f'data-line-id="{theirs.pk}"' not in page
    own_line = client.get(reverse("worklog_line", args=[mine.pk]))
    assert own_line.status_code == 200
    # The line's page names the work and whose it is.
    assert mine.item.name in unescape(own_line.content.decode())
    assert world.people["nhan"].full_name in unescape(own_line.content.decode())
    assert denied(client.get(reverse("worklog_line", args=[theirs.pk])))
    assert denied(client.get(reverse("worklog_history", args=[world.people["binh"].pk])))
    assert denied(client.get(reverse("worklog_board")))
    assert denied(client.get(reverse("worklog_assign")))


def test_a_leader_sees_only_their_units_lines(client, world):
    ours = line_for(world)
    other = world.line(leader="truong2", people=("khac",), deadline=later(), today=today())
    client_for(client, world, "truong")
    board = client.get(reverse("worklog_board")).content.decode()
    assert f'data-line-id="{ours.pk}"' in board and f'data-line-id="{other.pk}"' not in board
    assert denied(client.get(reverse("worklog_line", args=[other.pk])))
    assert denied(client.get(reverse("worklog_board") + f"?unit={world.other_unit.pk}"))
    assert denied(client.get(reverse("worklog_history", args=[world.people["khac"].pk])))
    history = client.get(reverse("worklog_history", args=[world.people["nhan"].pk]))
    assert history.status_code == 200
    page = unescape(history.content.decode())
    assert world.people["nhan"].full_name in page and ours.item.name in page


def _assign_post(world, people, **extra):
    return {
        "people": [world.people[p].pk for p in people],
        "item": world.items["X"].pk,
        "quantity": "2",
        "deadline": later().isoformat(),
        "months": "1",
        "note": "Báo cáo chuyên đề",
        "token": "0c2bd8f4-1f6e-4c53-8c36-5f0d9f1b7a21",
        **extra,
    }


def test_assign_by_post_only_to_evaluated_people(client, world):
    client_for(client, world, "truong")
    form = client.get(reverse("worklog_assign")).content.decode()
    assert "Nguyễn Thị Nhàn" in form and "Hoàng Thị Khác" not in form
    # Titled by its menu entry: "Giao việc" is the listing of assigned lines (issue 44).
    title = " ".join(re.search(r"<title>(.*?)</title>", form, re.S).group(1).split())
    assert title == "Giao việc mới - KPI Công vụ"
    # A forged POST for a person of another unit is refused, whatever the form offered.
    response = client.post(reverse("worklog_assign"), _assign_post(world, ["nhan", "khac"]))
    assert denied(response)
    assert not AssignmentLine.objects.exists()
    assert denied(client.get(reverse("worklog_assign") + f"?person={world.people['khac'].pk}"))
    response = client.post(reverse("worklog_assign"), _assign_post(world, ["nhan"]))
    assert response.status_code == 302
    # The same form posted twice (double click): still one line.
    client.post(reverse("worklog_assign"), _assign_post(world, ["nhan"]))
    line = AssignmentLine.objects.get()
    assert (line.civil_servant, line.assigned_quantity) == (world.people["nhan"], 2)


def test_assign_to_a_unit_by_post(client, world):
    client_for(client, world, "truong")
    data = _assign_post(world, [], units=[world.unit.pk])
    assert client.post(reverse("worklog_assign"), data).status_code == 302
    assert {line.civil_servant.pk for line in AssignmentLine.objects.all()} == {
        world.people["nhan"].pk,
        world.people["binh"].pk,
    }


def test_other_leader_cannot_review_by_post(client, world):
    line = line_for(world)
    world.submit(line, completed_on=today(), today=today())
    client_for(client, world, "truong2")
    response = client.post(
        reverse("worklog_line_action", args=[line.pk, "return"]),
        {"round": 1, "comment": "Không đạt"},
    )
    assert denied(response)
    assert AssignmentLine.objects.get(pk=line.pk).failed_reviews == 0


def test_full_flow_through_the_forms(client, world):
    line = line_for(world)
    nhan = client_for(client, world, "nhan")
    url = reverse("worklog_line_action", args=[line.pk, "submit"])
    upload = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 bao cao", content_type="application/pdf")
    response = nhan.post(
        url,
        {
            "quantity": "1",
            "completed_on": today().isoformat(),
            "file": upload,
            "description": "Báo cáo",
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(line=line)
    assert evidence.file_name.startswith("bao-cao")
    assert nhan.get(reverse("worklog_evidence_file", args=[evidence.pk])).status_code == 200

    leader = client_for(client, world, "truong")
    page = leader.get(reverse("worklog_line", args=[line.pk])).content.decode()
    assert 'id="form-return"' in page
    ret = reverse("worklog_line_action", args=[line.pk, "return"])
    # Objective cause without a reason: refused, nothing recorded.
    response = leader.post(ret, {"round": 1, "comment": "Sai biểu", "exempt": "on", "reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    # The page comes back with the form, what was typed and a red message saying what to fix.
    assert 'id="form-return"' in page and "Sai biểu</textarea>" in page
    assert "Miễn trừ phải ghi rõ nguyên nhân khách quan được xác nhận." in page
    assert "Chưa lưu được" in page
    assert AssignmentLine.objects.get(pk=line.pk).failed_reviews == 0
    leader.post(ret, {"round": 1, "comment": "Sai biểu"})
    leader.post(ret, {"round": 1, "comment": "Sai biểu"})  # double submit
    assert AssignmentLine.objects.get(pk=line.pk).failed_reviews == 1

    nhan = client_for(client, world, "nhan")
    nhan.post(
        url, {"quantity": "1", "completed_on": today().isoformat(), "document_number": "15/BC-SNV"}
    )
    leader = client_for(client, world, "truong")
    leader.post(
        reverse("worklog_line_action", args=[line.pk, "accept"]),
        {"round": 2, "confirmed_on": today().isoformat()},
    )
    assert WorkItem.objects.get(line=line).status == WorkStatus.ACCEPTED
    history = leader.get(
        reverse("worklog_history", args=[world.people["nhan"].pk]) + f"?period={line.period.pk}"
    ).content.decode()
    assert re.search(r'id="score-quality">[^<]*<strong>75.00%', history)
    assert "25%" in history


def test_home_panel_shows_overdue_work(client, world):
    line_for(world, deadline=today() - datetime.timedelta(days=1))
    for key, name in (("nhan", None), ("truong", "Nguyễn Thị Nhàn")):
        page = client_for(client, world, key).get(reverse("wagtailadmin_home")).content.decode()
        assert "Việc sắp đến hạn, quá hạn" in page
        assert "Quá hạn" in page
        if name:
            assert name in page


def test_home_panel_lists_the_most_urgent_of_the_team_and_links_to_the_rest(
    client, world, monkeypatch
):
    """A unit at a month-end has thousands of open lines: the leader's dashboard lists the
    most urgent (``TEAM_ROWS``) and says how many there are, linking to the board (issue 48)."""
    from worklog import panels

    monkeypatch.setattr(panels, "TEAM_ROWS", 1)
    oldest = line_for(world, deadline=today() - datetime.timedelta(days=5))
    newer = line_for(world, "binh", deadline=today() - datetime.timedelta(days=1))
    page = client_for(client, world, "truong").get(reverse("wagtailadmin_home")).content.decode()
    team = page.split("Việc của công chức do tôi theo dõi, đánh giá", 1)[1]
    assert f'data-line-id="{oldest.pk}"' in team and f'data-line-id="{newer.pk}"' not in team
    assert "Đang hiện 1 việc gấp nhất trong 2 việc sắp đến hạn, quá hạn" in team
    assert f'href="{reverse("worklog_board")}"' in team.split("Đang hiện", 1)[0][-300:]


def test_holiday_snippet_for_home_affairs(client, world):
    officer = UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP])
    client.force_login(officer)
    page = client.get(reverse("wagtailsnippets_worklog_holiday:list"))
    assert page.status_code == 200 and "Giỗ Tổ Hùng Vương" in page.content.decode()
    client_for(client, world, "truong")
    refused = client.get(reverse("wagtailsnippets_worklog_holiday:list"), follow=True)
    # A unit head is turned away (Wagtail's "no permission" page or the sign-in page), and
    # never shown the province's holiday list.
    assert "Giỗ Tổ Hùng Vương" not in refused.content.decode()
    assert refused.redirect_chain or refused.status_code == 403


def test_board_of_an_agency_admin_opens_on_a_unit_in_few_queries(
    client, world, django_assert_max_num_queries
):
    """Review 2026-11-22 (ux #2): at 20,000 people an agency admin's board took 2.2 s with one
    query per person of the department (benchmarks/admin_pages.py). It opens on one of the
    agency's units and its queries do not grow with the number of people."""
    from org.models import AccessRole
    from tests.factories import AgencyAccessFactory, post

    admin = UserFactory(username="quantri.board", groups=["Quản trị cơ quan"])
    AgencyAccessFactory(user=admin, agency=world.department, role=AccessRole.AGENCY_ADMIN)
    client.force_login(admin)
    client.get(reverse("worklog_board"))
    # 42: the menu also asks whether the user may read some agency's catalog (the common
    # catalog changes entry, one query for the groups and one for the agencies); 44 since the
    # signed-in person's postings are read once (their rights follow them, accounts.backends)
    # and the menu asks whether the user administers sign-ins (accounts.roles); 45 since the
    # menu asks whether the user appraises a bloc (org.blocs: the support and catalog entries);
    # 46 since it asks which agencies the user answers for (org.access.own_agencies: the
    # agency's own results, one query cached on the user); 48 since the marks' list asks
    # whose posting changes inside the period and whom the user evaluates on its other
    # decisive day (the transfer rule: two queries, whatever the number of people).
    with django_assert_max_num_queries(48) as few:
        page = client.get(reverse("worklog_board")).content.decode()
    for n in range(30):
        post(world.unit, full_name=f"Công chức thêm {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("worklog_board"))
    assert "<h2>Phòng Công chức</h2>" in page
    assert "Nguyễn Thị Nhàn" in page and "Hoàng Thị Khác" not in page


def test_the_board_pages_a_large_unit_most_overdue_person_first(client, world, monkeypatch):
    """Issue 17 (100,000 people): the board lists a unit's people and lines a page at a time,
    each list on its own page parameter, and the person with overdue work opens the list."""
    from tests.factories import post
    from worklog.services import tracking

    monkeypatch.setattr(tracking, "BOARD_PAGE_SIZE", 5)
    for n in range(10):
        post(world.unit, full_name=f"Công chức thêm {n:02d}")
    overdue = world.line(people=("binh",))  # due 20/03/2026: overdue today
    for n in range(6):
        line_for(world, quantity=n + 1)
    client_for(client, world, "truong")
    first = client.get(reverse("worklog_board")).content.decode()
    people = re.findall(r'<tr data-person-id="(\d+)"', first)
    assert len(people) == 5 and people[0] == str(world.people["binh"].pk)
    assert "Trang 1/3 (12 dòng)" in first  # 10 added + Nhàn + Bình; the viewer is not listed
    shown = re.findall(r'data-line-id="(\d+)"', first)
    assert shown[0] == str(overdue.pk) and len(shown) == 5
    assert "Trang 1/2 (7 dòng)" in first

    last = client.get(reverse("worklog_board") + "?p=3&lp=2").content.decode()
    assert len(re.findall(r'<tr data-person-id="', last)) == 2
    assert len(re.findall(r'data-line-id="(\d+)"', last)) == 2
    # Each list's links keep the other list's page.
    assert 'href="?lp=2&amp;p=2#board-people"' in last
    assert 'href="?p=3&amp;lp=1#board-lines"' in last


def _error_page(response) -> str:
    """A refused action: the line page again (not the browser's blank error), with the banner."""
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="line-facts"' in page
    assert "Chưa lưu được" in page
    return page


def test_worklog_errors_come_back_with_the_form_and_what_was_typed(client, world):
    line = line_for(world, deadline=today() - datetime.timedelta(days=1))
    nhan = client_for(client, world, "nhan")
    action = lambda name: reverse("worklog_line_action", args=[line.pk, name])  # noqa: E731

    # Report completion without any evidence: told what is missing; the note is kept.
    page = _error_page(
        nhan.post(
            action("submit"),
            {"quantity": "1", "completed_on": today().isoformat(), "note": "Đã gửi bản giấy"},
        )
    )
    assert "Cần ít nhất một minh chứng trước khi báo cáo hoàn thành." in page
    assert "Đã gửi bản giấy</textarea>" in page
    assert WorkItem.objects.get(line=line).status != WorkStatus.SUBMITTED

    # Progress out of range: the field's message and the typed note.
    page = _error_page(nhan.post(action("progress"), {"percent": "150", "note": "Gần xong"}))
    assert "Gần xong</textarea>" in page
    assert 'id="form-progress"' in page and "error-message" in page

    # Evidence with nothing in it.
    page = _error_page(nhan.post(action("evidence"), {"description": "Ảnh chụp"}))
    assert "Minh chứng cần có tài liệu đính kèm, đường dẫn hoặc số, ký hiệu văn bản." in page
    assert 'value="Ảnh chụp"' in page

    # The leader accepts a late report, ticking "objective cause" without a reason.
    nhan.post(
        action("submit"),
        {"quantity": "1", "completed_on": today().isoformat(), "document_number": "15/BC-SNV"},
    )
    leader = client_for(client, world, "truong")
    page = _error_page(
        leader.post(
            action("accept"),
            {
                "round": 1,
                "confirmed_on": today().isoformat(),
                "comment": "Tốt",
                "delay_exempt": "on",
                "delay_reason": "",
            },
        )
    )
    assert "Miễn trừ phải ghi rõ nguyên nhân khách quan được xác nhận." in page
    assert "Tốt</textarea>" in page
    assert WorkItem.objects.get(line=line).status == WorkStatus.SUBMITTED


def test_the_waiting_link_opens_the_board_on_the_products_to_review(client, world):
    """Review 2026-11-23 C6: "2 sản phẩm chờ nghiệm thu" opened the unfiltered board."""
    waiting, other = line_for(world), line_for(world)
    world.submit(waiting, completed_on=today(), today=today())
    leader = client_for(client, world, "truong")
    home = leader.get(reverse("wagtailadmin_home")).content.decode()
    target = reverse("worklog_board") + "?cho=nghiem-thu#board-lines"
    assert f'<a href="{target}">1 sản phẩm chờ nghiệm thu</a>' in home
    board = leader.get(target.split("#")[0]).content.decode()
    lines = board[board.index('id="board-lines"') :]
    assert "Sản phẩm chờ nghiệm thu" in lines
    assert f'data-line-id="{waiting.pk}"' in lines and f'data-line-id="{other.pk}"' not in lines


def test_the_home_page_search_is_only_offered_to_those_who_may_search_pages(client, world):
    """Review 2026-11-23 C5: the box "Tìm trong tất cả các trang…" sent a civil servant to
    "Bạn không có quyền truy cập vào khu vực này"."""
    home = client_for(client, world, "nhan").get(reverse("wagtailadmin_home")).content.decode()
    assert "Tìm trong tất cả các trang" not in home and "Search all pages" not in home
    assert 'class="w-mb-12"' not in home  # the home page's search form


def test_the_assign_form_shows_coefficients_with_a_decimal_comma(client, world):
    """Review 2026-11-23 K2: "(×0.6)" on the assign form."""
    item = world.items["Y"]
    type(item).objects.filter(pk=item.pk).update(coefficient="0.6")
    page = client_for(client, world, "truong").get(reverse("worklog_assign")).content.decode()
    assert "Sản phẩm Y (×0,6)" in page and "×0.6" not in page


def _shown(page: str) -> str:
    """The snapshot the page's action forms carry (worklog.services.seen)."""
    from html import unescape

    return unescape(re.search(r'name="kpi_seen" value="([^"]+)"', page).group(1))


def test_a_review_on_a_stale_page_is_told_what_changed_and_writes_nothing(client, world):
    """Issue 27 item 3: the leader opened the report; meanwhile the civil servant added a
    second piece of evidence. Accepting from the old page is refused with the difference named,
    the page comes back with a fresh snapshot, nothing is written; a second click, made
    knowing, accepts. A return from another tab opened before the acceptance is refused the
    same way and records no failed review."""
    from html import unescape

    line = line_for(world)
    nhan = client_for(client, world, "nhan")
    submit = reverse("worklog_line_action", args=[line.pk, "submit"])
    nhan.post(
        submit, {"quantity": "1", "completed_on": today().isoformat(), "document_number": "1/BC"}
    )
    leader = client_for(client, world, "truong")
    stale = _shown(leader.get(reverse("worklog_line", args=[line.pk])).content.decode())

    nhan = client_for(client, world, "nhan")
    response = nhan.post(
        reverse("worklog_line_action", args=[line.pk, "evidence"]),
        {"document_number": "2/BC", "description": "Bổ sung"},
    )
    assert response.status_code == 302

    leader = client_for(client, world, "truong")
    accept = reverse("worklog_line_action", args=[line.pk, "accept"])
    response = leader.post(
        accept, {"round": 1, "confirmed_on": today().isoformat(), "kpi_seen": stale}
    )
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert "Dữ liệu này đã được người khác thay đổi từ lúc bạn mở trang" in page
    assert "số minh chứng: lúc bạn mở trang là “1”, nay là “2”." in page
    assert WorkItem.objects.get(line=line).status == WorkStatus.SUBMITTED
    fresh = _shown(page)
    assert fresh != stale
    response = leader.post(
        accept, {"round": 1, "confirmed_on": today().isoformat(), "kpi_seen": fresh}
    )
    assert response.status_code == 302
    assert WorkItem.objects.get(line=line).status == WorkStatus.ACCEPTED

    # The other tab, opened before the acceptance: its return is refused, nothing recorded.
    response = leader.post(
        reverse("worklog_line_action", args=[line.pk, "return"]),
        {"round": 1, "comment": "Sai biểu", "kpi_seen": fresh},
    )
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert "trạng thái: lúc bạn mở trang là" in page
    assert AssignmentLine.objects.get(pk=line.pk).failed_reviews == 0
    assert WorkItem.objects.get(line=line).status == WorkStatus.ACCEPTED


def test_the_assign_form_shows_the_coefficient_the_score_uses(client, world):
    """Review 2026-11-23 C3 (issue 30 item 4): "(×12)" for STP-006 on the assign form, scored
    at 10 under the common catalog. The form shows the coefficient ``effective_items`` scores
    this month with."""
    import datetime

    from catalog_pages.common_catalog import effective_items
    from tests.factories import common_adoption, common_product

    item = world.items["Y"]
    type(item).objects.filter(pk=item.pk).update(coefficient="12")
    item.refresh_from_db()
    common_product("DMC-006", "10", "báo cáo", items=[item])
    first = today().replace(day=1)
    common_adoption(first - datetime.timedelta(days=31), user=None)
    assert effective_items([item.pk], first)[item.pk].coefficient == 10
    page = client_for(client, world, "truong").get(reverse("worklog_assign")).content.decode()
    assert f"{item.code} — {item.name} (×10)" in page and "(×12)" not in page
