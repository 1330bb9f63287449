"""The same rules by URL: pages, actions, files and exports answer 403 to the wrong people."""

import html
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ratings.models import CaseState, Complaint, RatingCalendar, RatingCase
from tests.ratings.world import TODAY, reload

pytestmark = pytest.mark.django_db

# A decision is a fact: dated today at the latest, never before the meeting (issue 42).
DECIDED_ON = timezone.localdate().isoformat()


@pytest.fixture
def setup(world, client):
    person = world.staff("Đinh Văn Xem", 85, username="subject")
    world.staff("Trần Thị Bên", 80, username="colleague")
    case = world.case_for(person)

    def as_user(username):
        client.force_login(world.users[username])
        return client

    return world, case, as_user


def act(client, case, action, data=None, files=None):
    payload = {f"{action}-{key}": value for key, value in (data or {}).items()}
    payload.update({f"{action}-{key}": value for key, value in (files or {}).items()})
    return client.post(reverse("ratings_case_action", args=[case.pk, action]), payload)


def denied(response) -> bool:
    """Wagtail turns PermissionDenied in admin views into a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def done(response) -> bool:
    return response.status_code == 302 and not denied(response)


def pdf(name="bien-ban.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def test_case_page_visibility(setup):
    _world, case, as_user = setup
    url = reverse("ratings_case", args=[case.pk])
    name = case.civil_servant.full_name
    for username in ("subject", "truongphong", "giamdoc", "quantri", "sonoivu", "chutich"):
        response = as_user(username).get(url)
        assert response.status_code == 200, username
        # The case of this person and year, its state in words.
        page = html.unescape(response.content.decode())
        assert name in page and str(case.year) in page, username
        assert case.get_state_display() in page, username
    for username in ("colleague", "quantrikhac", "giamdockhac", "truongphong2"):
        assert denied(as_user(username).get(url)), username


def test_each_step_by_url_for_the_right_role_only(setup):
    _world, case, as_user = setup
    self_data = {"self_assessment": "Hoàn thành tốt.", "self_level": "good"}
    for username in ("truongphong", "quantri", "giamdoc", "sonoivu"):
        assert denied(act(as_user(username), case, "self_assess", self_data))
    assert denied(act(as_user("colleague"), case, "self_assess", self_data))
    response = act(as_user("subject"), case, "self_assess", self_data)
    assert done(response) and reload(case).state == CaseState.SELF_ASSESSED

    meeting = {"meeting_date": "2026-11-25", "meeting_comments": "Tập thể thống nhất."}
    for username in ("subject", "quantri", "giamdoc"):
        assert denied(act(as_user(username), case, "review", meeting, {"minutes": pdf()}))
    # A missing file is a form error (400), not a move.
    response = act(as_user("truongphong"), case, "review", meeting)
    assert response.status_code == 400 and reload(case).state == CaseState.SELF_ASSESSED
    # The reason is summarised at the top, naming the field (review 2026-11-23 C4).
    page = response.content.decode()
    top = page[: page.index('id="case-subject-kind"')]
    assert "Chưa lưu được. Hãy sửa rồi gửi lại: Biên bản cuộc họp (tệp):" in top
    assert done(act(as_user("truongphong"), case, "review", meeting, {"minutes": pdf()}))

    proposal = {"proposal_level": "good", "proposal_comment": "Đủ điều kiện."}
    for username in ("subject", "truongphong", "giamdoc", "sonoivu", "quantrikhac"):
        assert denied(act(as_user(username), case, "appraise", proposal)), username
    assert done(act(as_user("quantri"), case, "appraise", proposal))

    decision = {
        "decision_level": "excellent",
        "decision_ref": "20/QĐ-STN",
        "decision_date": DECIDED_ON,
    }
    for username in ("subject", "truongphong", "quantri", "sonoivu", "chutich"):
        assert denied(act(as_user(username), case, "decide", decision)), username
    refused = act(as_user("giamdoc"), case, "decide", decision)
    assert refused.status_code == 400
    assert "cao hơn mức mà điểm" in refused.content.decode()
    assert reload(case).state == CaseState.APPRAISED
    decision["decision_level"] = "good"
    assert done(act(as_user("giamdoc"), case, "decide", decision))

    for username in ("subject", "truongphong"):
        assert denied(act(as_user(username), case, "notify"))
    assert done(act(as_user("quantri"), case, "notify"))
    assert reload(case).state == CaseState.NOTIFIED

    for username in ("subject", "truongphong", "sonoivu"):
        assert denied(act(as_user(username), case, "cancel", {"comment": "x"}))
    assert act(as_user("subject"), case, "no-such-action").status_code == 404


def test_a_move_from_the_wrong_state_is_400_with_the_reason(setup):
    _world, case, as_user = setup
    assert done(act(as_user("giamdoc"), case, "hold", {"comment": "Xác minh.", "confirm": "on"}))
    response = act(as_user("giamdoc"), case, "hold", {"comment": "Lần nữa.", "confirm": "on"})
    assert response.status_code == 400
    assert "Tạm dừng để kiểm tra, xác minh" in response.content.decode()
    assert reload(case).transitions.filter(action="hold").count() == 1


def test_complaint_with_attachments_puts_the_case_on_hold(setup):
    world, case, as_user = setup
    world.to_appraised(case)
    world.decide(reload(case))
    client = as_user("subject")
    response = client.post(
        reverse("ratings_case_action", args=[case.pk, "complain"]),
        {
            "complain-complaint_text": "Đề nghị xem xét lại kết quả.",
            "complain-attachments": [pdf("don.pdf"), pdf("minh-chung.pdf")],
        },
    )
    assert done(response)
    case = reload(case)
    assert (case.state, case.held_from) == (CaseState.ON_HOLD, CaseState.DECIDED)
    complaint = Complaint.objects.get(case=case)
    names = sorted(a.original_name for a in complaint.attachments.all())
    assert names == ["don.pdf", "minh-chung.pdf"]
    attachment = complaint.attachments.first()
    url = reverse("ratings_attachment", args=[attachment.pk])
    for username in ("subject", "quantri"):
        response = as_user(username).get(url)
        # The file itself, under the name it was sent with.
        assert response.status_code == 200, username
        assert b"".join(response.streaming_content) == b"%PDF-1.4 test", username
        assert attachment.original_name in response["Content-Disposition"], username
    assert denied(as_user("colleague").get(url))
    # Resuming resolves the complaint.
    assert done(act(as_user("giamdoc"), case, "resume", {"comment": "Giữ nguyên kết quả."}))
    complaint.refresh_from_db()
    assert complaint.status == "resolved" and complaint.resolution == "Giữ nguyên kết quả."
    assert reload(case).state == CaseState.DECIDED


def test_complaint_window_after_notification(setup):
    world, case, _as_user = setup
    world.to_appraised(case)
    world.decide(reload(case))
    from ratings.workflow.machine import Refused, perform

    perform(reload(case), "notify", world.users["quantri"], today=TODAY)
    RatingCalendar.objects.create(
        year=2026, deadline="2026-12-15", special_deadline="2027-01-15", complaint_days=5
    )
    import datetime

    from django.utils import timezone

    # The window counts days in the province's time zone (a notice at 06:00 in Hà Nội is the
    # previous day in UTC).
    late = timezone.localtime(reload(case).notified_at).date() + datetime.timedelta(days=6)
    with pytest.raises(Refused, match="hết thời hạn kiến nghị"):
        perform(
            reload(case),
            "complain",
            world.users["subject"],
            data={"complaint_text": "Muộn."},
            today=late,
        )
    perform(
        reload(case),
        "complain",
        world.users["subject"],
        data={"complaint_text": "Kịp."},
        today=late - datetime.timedelta(days=1),
    )
    assert reload(case).state == CaseState.ON_HOLD


def test_files_and_printouts_follow_case_visibility(setup):
    world, case, as_user = setup
    world.to_appraised(case)
    world.decide(reload(case), ref="99/QĐ-STN")
    for name in ("ratings_minutes", "ratings_form02", "ratings_form02_xlsx"):
        url = reverse(name, args=[case.pk])
        assert as_user("subject").get(url).status_code == 200, name
        assert denied(as_user("colleague").get(url)), name
        assert denied(as_user("quantrikhac").get(url)), name
    page = as_user("subject").get(reverse("ratings_form02", args=[case.pk])).content.decode()
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC",
        "SỞ THỬ NGHIỆM",
        "Đinh Văn Xem",
        "Hoàn thành đầy đủ nhiệm vụ được giao.",
        "Tập thể thống nhất.",
        "Đủ điều kiện.",
        "99/QĐ-STN",
        "10/12/2026",
        "@page",
        "A4",
        "Lê Giám Đốc",
    ):
        assert text in page, text
    response = as_user("subject").get(reverse("ratings_form02_xlsx", args=[case.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {str(c.value) for row in sheet.iter_rows() for c in row if c.value}
    assert {
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Đinh Văn Xem",
        "99/QĐ-STN",
        "Hoàn thành tốt nhiệm vụ",
    } <= values


def test_case_list_shows_only_visible_cases(setup):
    world, _case, as_user = setup
    world.case_for(world.people["Trần Thị Bên"])
    body = as_user("subject").get(reverse("ratings_cases")).content.decode()
    assert "Đinh Văn Xem" in body and "Trần Thị Bên" not in body
    body = as_user("quantri").get(reverse("ratings_cases")).content.decode()
    assert "Đinh Văn Xem" in body and "Trần Thị Bên" in body
    body = as_user("quantrikhac").get(reverse("ratings_cases")).content.decode()
    assert "Đinh Văn Xem" not in body


def test_case_list_filters(setup):
    world, case, as_user = setup
    world.case_for(world.people["Trần Thị Bên"])
    both = {"Đinh Văn Xem", "Trần Thị Bên"}

    def listed(username, url="ratings_cases", **params):
        body = as_user(username).get(reverse(url), params).content.decode()
        return {name for name in both if name in body}

    assert listed("quantri") == both  # the latest year by default
    assert listed("quantri", year=str(case.year)) == both
    assert listed("quantri", q="Đinh") == listed("quantri", q="xem") == {"Đinh Văn Xem"}
    assert listed("quantri", kind="agency") == set()
    assert listed("quantri", state=case.state) == both
    assert listed("quantri", state="decided") == set()
    # The filter drawer refreshes the table from the results URL, with the same scope.
    assert listed("quantri", "ratings_cases_results", q="xem") == {"Đinh Văn Xem"}
    assert listed("quantrikhac", "ratings_cases_results") == set()
    # "Waiting on me": the subject's own self-assessment, nobody else's.
    assert listed("subject", mine="1") == {"Đinh Văn Xem"}
    assert listed("quantri", mine="1") == set()
    # The active filter's pill names the yes/no value in Vietnamese, not Python's "True".
    page = as_user("subject").get(reverse("ratings_cases"), {"mine": "1"}).content.decode()
    assert "Chỉ hồ sơ đang chờ tôi: Có" in " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "True" not in page


def test_opening_cases_and_manager_pages_need_an_hr_role(setup, django_capture_on_commit_callbacks):
    world, _case, as_user = setup
    for name in ("ratings_deadlines", "ratings_bonus_export"):
        assert denied(as_user("subject").get(reverse(name)))
        assert denied(as_user("truongphong").get(reverse(name)))
        assert as_user("quantri").get(reverse(name)).status_code == 200
    assert denied(as_user("subject").post(reverse("ratings_open"), {"year": 2026}))
    with django_capture_on_commit_callbacks(execute=True):  # the job's task, run at once here
        assert done(as_user("quantri").post(reverse("ratings_open"), {"year": 2026}))
    page = html.unescape(as_user("quantri").get(reverse("ratings_cases")).content.decode())
    # every case of the year but the one the fixture opened is new
    new = RatingCase.objects.filter(year=2026).count() - 1
    assert f"Đã tạo {new} hồ sơ; 1 hồ sơ đã có; 0 người chưa đủ dữ liệu để xếp loại." in page
    opened = RatingCase.objects.filter(year=2026)
    assert opened.filter(subject_agency=world.unit).exists()
    assert opened.filter(subject_agency=world.department).exists()
    assert not opened.filter(subject_agency=world.other_department).exists()
    assert opened.filter(civil_servant=world.people["Trần Thị Bên"]).exists()


def test_deadline_page_lists_overdue_cases_per_agency(setup):
    _world, _case, as_user = setup
    RatingCalendar.objects.create(year=2026, deadline="2026-01-31", special_deadline="2027-01-15")
    body = as_user("quantri").get(reverse("ratings_deadlines")).content.decode()
    assert "Sở Thử nghiệm" in body and "Đinh Văn Xem" in body and "quá hạn" in body


def test_my_page(setup):
    world, case, as_user = setup
    world.to_appraised(case)
    world.decide(reload(case), ref="77/QĐ-STN")
    body = as_user("subject").get(reverse("ratings_my")).content.decode()
    assert "Hoàn thành tốt nhiệm vụ" in body and "77/QĐ-STN" in body
    body = as_user("quantri").get(reverse("ratings_my")).content.decode()
    assert "chưa được liên kết" in body


def test_admin_menu_and_case_page_per_role(setup):
    world, case, as_user = setup
    for username, expected in (
        ("subject", {"ratings-mine", "ratings-cases"}),
        ("truongphong", {"ratings-mine"}),
        ("quantri", {"ratings-deadlines", "ratings-bonus"}),
        ("sonoivu", {"ratings-calendar", "ratings-schedules"}),
    ):
        body = as_user(username).get(reverse("wagtailadmin_home")).content.decode()
        assert '"name": "ratings"' in body, username  # the sidebar menu is JSON for React
        for name in expected:
            assert f'"name": "{name}"' in body, (username, name)
    body = as_user("subject").get(reverse("wagtailadmin_home")).content.decode()
    assert '"name": "ratings-deadlines"' not in body
    assert '"name": "ratings-calendar"' not in body
    world.to_appraised(case)
    page = as_user("giamdoc").get(reverse("ratings_case", args=[case.pk])).content.decode()
    assert 'data-action="decide"' in page and "Mức tối đa được phép" in page
    assert "Tỷ lệ hoàn thành xuất sắc trong nhóm" in page
    page = as_user("subject").get(reverse("ratings_case", args=[case.pk])).content.decode()
    assert 'data-action="decide"' not in page and "Mức tối đa được phép" not in page
    assert 'data-action="complain"' in page  # reviewed and later: the subject may complain


def test_config_snippets_for_home_affairs_only(setup):
    _world, _case, as_user = setup
    url = reverse("wagtailsnippets_ratings_ratingcalendar:add")
    assert as_user("sonoivu").get(url).status_code == 200
    assert as_user("quantri").get(url).status_code in (302, 403)
    response = as_user("sonoivu").post(
        url,
        {
            "year": 2027,
            "deadline": "2027-12-15",
            "special_deadline": "2028-01-15",
            "at_risk_days": 10,
            "complaint_days": 10,
            "period_complaint_days": 10,
            "period_answer_days": 10,
            "note": "",
        },
    )
    assert response.status_code == 302
    assert RatingCalendar.objects.filter(year=2027).exists()


def test_minutes_keep_the_uploaded_name_when_storage_renames(setup):
    """Two units upload "bien-ban.pdf" in the same year: storage renames the second file, Form 02
    and the download still show the name the unit uploaded."""
    world, case, as_user = setup
    other = world.case_for(world.staff("Phan Văn Hai", 82, username="second"))
    for each in (case, other):
        world.self_assess(each)
        world.review(reload(each))
    first, second = reload(case), reload(other)
    assert first.minutes.name != second.minutes.name
    for each in (first, second):
        assert each.minutes_filename == "bien-ban.pdf"
        page = as_user("sonoivu").get(reverse("ratings_form02", args=[each.pk])).content.decode()
        assert "bien-ban.pdf" in page
        response = as_user("sonoivu").get(reverse("ratings_minutes", args=[each.pk]))
        assert 'filename="bien-ban.pdf"' in response["Content-Disposition"]


def test_form02_of_a_year_mixing_months_and_a_quarter_adds_up(world, client):
    """T2 (legal review 2026-11-23 D3): April–June at 95,00 in a monthly agency, Q3 at 75,00
    after a transfer to a quarterly one. The months-weighted mean is 85,00; the printed form
    shows how many months each period counts for and the sum, so whoever signs can re-add it
    (the plain mean of the printed totals would be 90,00, another band)."""
    import datetime

    from scoring.models import Period
    from scoring.services import score_year
    from tests.factories import period_score, post

    person = post(world.unit, full_name="Tạ Văn Chuyển", end=datetime.date(2026, 6, 30))
    post(world.unit2, person=person, start=datetime.date(2026, 7, 1))
    for number in (4, 5, 6):
        period = Period.for_date(datetime.date(2026, number, 1), create=True)
        period_score(person, period, 95, world.unit)
    quarter, _created = Period.objects.get_or_create(kind="quarter", year=2026, number=3)
    period_score(person, quarter, 75, world.unit2)
    score_year(2026)
    annual = person.annual_scores.get(year=2026)
    assert annual.score == Decimal("85.00")
    case = world.case_for(person)
    client.force_login(world.users.get("sonoivu") or _home_affairs())
    page = client.get(reverse("ratings_form02", args=[case.pk])).content.decode()
    assert "Số tháng tính" in page
    assert "(95,00 × 1 + 95,00 × 1 + 95,00 × 1 + 75,00 × 3) ÷ 6 = 85,00" in page
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("ratings_form02_xlsx", args=[case.pk])).content)
    ).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert any("÷ 6 = 85,00" in value for value in cells)


def _home_affairs():
    from org.access import HOME_AFFAIRS_GROUP
    from tests.factories import UserFactory

    return UserFactory(username="sonoivu.form02", groups=[HOME_AFFAIRS_GROUP])
