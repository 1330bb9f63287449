"""Blocs that close their own period (issue 44 item 1; review 2026-11-25 coverage A8, H2).

Ban Tổ chức Tỉnh ủy's staff close (and reopen, through the same "Mở lại…" page and rules as Sở
Nội vụ's) a month for the bodies of the Party bloc only; every write to that bloc's lines and
marks is then refused with the province close's own sentence, whatever the door; the bloc's
people are scored for the last time, as a province close does for everyone; Sở Nội vụ still
closes everything and sees each bloc's state."""

import pytest

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from dashboards import closing
from org import write_gate
from org.models import BlocLead
from org.roles import ensure_roles
from scoring.models import GeneralCriteriaMark, Period, PeriodScore, PeriodStatus
from scoring.services import lines
from tests.factories import assignment_line, catalog_version, post, with_user
from tests.org.test_blocs import world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

MESSAGE = "Kỳ đánh giá Tháng 03/2026 đã khóa sổ (Đã khóa sổ): không thể thay đổi dữ liệu đầu vào."


@pytest.fixture
def bloc(world):  # noqa: F811
    ensure_roles()
    period = Period.from_code("2026-03", create=True)
    lines_by_body, people = {}, {}
    for key in ("propaganda", "justice", "women"):
        agency = world[key]
        _version, items = catalog_version(agency)
        person = post(agency, full_name=f"Người của {agency.code}")
        people[key] = person
        lines_by_body[key] = assignment_line(person, period, items["X"], agency, 2, 1)
    world.update(
        period=period,
        lines=lines_by_body,
        people=people,
        party_lead=BlocLead.objects.get(root=world["party"]),
        front_lead=BlocLead.objects.get(root=world["front"]),
    )
    return world


def close_url(w, lead="party_lead"):
    return reverse("dashboards_period_bloc_close", args=[w["period"].pk, w[lead].pk])


def reopen_url(w, lead="party_lead"):
    return reverse("dashboards_period_bloc_reopen", args=[w["period"].pk, w[lead].pk])


def denied(response) -> bool:
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def refused_message(action) -> str:
    try:
        with transaction.atomic():
            action()
    except ValidationError as error:
        return " ".join(error.messages)
    except write_gate.Refused as error:
        return error.message
    raise AssertionError("the write was not refused")


def test_the_party_blocs_staff_close_the_month_for_their_bodies_only(bloc, client):
    w = bloc
    client.force_login(w["party_appraiser"])
    page = client.get(close_url(w))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ban Tuyên giáo Tỉnh ủy" in html and "Sở Tư pháp" not in html
    assert "Hội Liên hiệp Phụ nữ tỉnh" not in html
    assert "Khi khóa sổ cho khối:" in html and "Khóa sổ và tính điểm" in html
    # A confirmation first, as for the province.
    unconfirmed = client.post(close_url(w), {})
    assert unconfirmed.status_code == 400
    assert "Hãy xác nhận đã xem các việc còn dở" in unconfirmed.content.decode()
    assert Period.objects.get(pk=w["period"].pk).closed_blocs == {}

    done = client.post(close_url(w), {"confirm": "on"}, follow=True)
    shown = done.content.decode()
    assert "Đã khóa sổ Tháng 03/2026 cho khối Tỉnh ủy Thử Nghiệm và tính điểm cuối kỳ" in shown
    period = Period.objects.get(pk=w["period"].pk)
    assert period.status == PeriodStatus.OPEN  # the province's month stays open
    assert period.closed_for(w["propaganda"]) and period.closed_for(w["btc"])
    assert not period.closed_for(w["justice"]) and not period.closed_for(w["women"])
    # The month-end figures of the bloc's people, written by the close.
    assert PeriodScore.objects.filter(period=period, civil_servant=w["people"]["propaganda"])
    assert not PeriodScore.objects.filter(period=period, civil_servant=w["people"]["justice"])
    # History: who closed which bloc.
    from wagtail.models import ModelLogEntry

    entry = ModelLogEntry.objects.get(action=closing.BLOC_CLOSE_ACTION)
    assert entry.user_id == w["party_appraiser"].pk
    assert entry.data["bloc"] == "Tỉnh ủy Thử Nghiệm"
    # The page now says so and offers no second close.
    again = client.get(close_url(w)).content.decode()
    assert "đã khóa sổ cho khối Tỉnh ủy Thử Nghiệm" in again and 'name="confirm"' not in again
    assert reopen_url(w) in again


def test_every_write_to_a_closed_blocs_inputs_is_refused_with_the_province_sentence(bloc):
    w = bloc
    closing.close_bloc(w["period"], w["party_lead"], w["party_appraiser"])
    line = type(w["lines"]["propaganda"]).objects.get(pk=w["lines"]["propaganda"].pk)

    def orm_save():
        line.completed_quantity = 2
        line.save()

    def service_lock():
        lines.lock(line)

    def new_mark():
        GeneralCriteriaMark.objects.create(
            civil_servant=w["people"]["propaganda"],
            period=line.period,
            criterion="I.1",
            self_mark=5,
        )

    for action in (orm_save, service_lock, new_mark):
        assert refused_message(action) == MESSAGE
    # The other blocs and the state bodies still write.
    for key in ("justice", "women"):
        other = w["lines"][key]
        other.completed_quantity = 2
        other.save()
        GeneralCriteriaMark.objects.create(
            civil_servant=w["people"][key], period=other.period, criterion="I.1", self_mark=5
        )
    # The same sentence as when Sở Nội vụ closes the whole province.
    closing.reopen_bloc(w["period"], w["party_lead"], w["party_appraiser"], reason="Sửa số liệu")
    closing.close(Period.objects.get(pk=w["period"].pk), w["home"])
    line = type(line).objects.get(pk=line.pk)
    assert refused_message(orm_save) == MESSAGE


def test_the_bulk_line_writer_refuses_a_closed_blocs_lines(bloc):
    """The set-based door (the Excel results import, the API, the connectors) asks per unit."""
    w = bloc
    closing.close_bloc(w["period"], w["party_lead"], w["party_appraiser"])
    period = w["period"]
    targets = [
        lines.Target(("row", key), w["people"][key].pk, period.pk, w[key].pk)
        for key in ("justice", "propaganda")
    ]
    with pytest.raises(lines.PeriodsClosed) as raised:
        lines.write_many(
            w["home"], targets=targets, period_ids=[period.pk], write=lambda rows: None
        )
    assert [key for key, _where, _text in raised.value.problems] == [("row", "propaganda")]
    assert raised.value.problems[0][2] == MESSAGE


def test_the_blocs_people_keep_their_final_scores_until_the_bloc_reopens(bloc):
    """A later batch leaves the closed bloc's people alone, as a closed period's; an upheld
    re-check is refused naming the body that reopens."""
    from ratings.models import PeriodComplaintStatus
    from ratings.services import period_complaints
    from scoring.services.period_batch import score_period
    from tests.factories.ratings import period_complaint

    w = bloc
    closing.close_bloc(w["period"], w["party_lead"], w["party_appraiser"])
    period = Period.objects.get(pk=w["period"].pk)
    person = w["people"]["propaganda"]
    final = PeriodScore.objects.get(period=period, civil_servant=person)
    PeriodScore.objects.filter(pk=final.pk).update(inputs_hash="changed-meanwhile")
    score_period(period)
    assert PeriodScore.objects.get(pk=final.pk).inputs_hash == "changed-meanwhile"
    assert PeriodScore.objects.filter(period=period, civil_servant=w["people"]["justice"])

    with_user(person, "congchuc.btg")
    complaint = period_complaint(
        PeriodScore.objects.get(pk=final.pk), status=PeriodComplaintStatus.RECHECK
    )
    with pytest.raises(ValidationError) as raised:
        period_complaints.recheck(
            w["party_appraiser"], complaint, upheld=True, text="Có căn cứ, chấp nhận."
        )
    assert "đề nghị Ban Tổ chức Tỉnh ủy mở lại kỳ cho khối" in " ".join(raised.value.messages)

    closing.reopen_bloc(period, w["party_lead"], w["party_appraiser"], reason="Phúc tra")
    score_period(Period.objects.get(pk=period.pk))
    assert PeriodScore.objects.get(pk=final.pk).inputs_hash != "changed-meanwhile"


def test_only_the_blocs_lead_body_and_home_affairs_close_or_reopen_a_bloc(bloc, client):
    w = bloc
    outsiders = [w["front_appraiser"], w["admins"]["TU-BTG"], w["admins"]["STP"]]
    for user in outsiders:
        client.force_login(user)
        for url in (close_url(w), reopen_url(w)):
            assert denied(client.get(url)), user
            assert denied(client.post(url, {"confirm": "on", "reason": "x"})), user
    assert Period.objects.get(pk=w["period"].pk).closed_blocs == {}
    client.force_login(w["party_appraiser"])
    assert denied(client.get(close_url(w, "front_lead")))
    assert denied(client.post(close_url(w, "front_lead"), {"confirm": "on"}))
    # The province's own close stays Sở Nội vụ's.
    assert denied(client.post(reverse("dashboards_period_close", args=[w["period"].pk])))
    assert Period.objects.get(pk=w["period"].pk).closed_blocs == {}
    # Sở Nội vụ may close and reopen any bloc.
    client.force_login(w["home"])
    assert client.post(close_url(w, "front_lead"), {"confirm": "on"}).status_code == 302
    assert Period.objects.get(pk=w["period"].pk).closed_for(w["women"])


def test_reopening_a_bloc_takes_the_same_path_and_rules_as_the_province(bloc, client):
    w = bloc
    closing.close_bloc(w["period"], w["party_lead"], w["party_appraiser"])
    client.force_login(w["party_appraiser"])
    page = client.get(reopen_url(w)).content.decode()
    assert "Khi mở lại kỳ cho khối:" in page and "Lý do mở lại" in page
    missing = client.post(reopen_url(w), {"confirm": "1"})
    assert missing.status_code == 400
    assert "Hãy ghi lý do mở lại và đánh dấu ô xác nhận" in missing.content.decode()
    assert Period.objects.get(pk=w["period"].pk).closed_for(w["propaganda"])
    done = client.post(
        reopen_url(w), {"confirm": "1", "reason": "Phúc tra kiến nghị số 3"}, follow=True
    )
    assert "Đã mở lại Tháng 03/2026 cho khối Tỉnh ủy Thử Nghiệm" in done.content.decode()
    assert not Period.objects.get(pk=w["period"].pk).closed_for(w["propaganda"])
    from wagtail.models import ModelLogEntry

    entry = ModelLogEntry.objects.get(action=closing.BLOC_REOPEN_ACTION)
    assert entry.data["reason"] == "Phúc tra kiến nghị số 3"
    line = w["lines"]["propaganda"]
    line.completed_quantity = 2
    line.save()  # writes again
    again = client.post(reopen_url(w), {"confirm": "1", "reason": "lần hai"}, follow=True)
    assert "không ở trạng thái đã khóa sổ cho khối" in again.content.decode()


def test_home_affairs_sees_each_blocs_state_on_the_province_close_page(bloc, client):
    w = bloc
    closing.close_bloc(w["period"], w["party_lead"], w["party_appraiser"])
    client.force_login(w["home"])
    html = client.get(reverse("dashboards_period_close", args=[w["period"].pk])).content.decode()
    assert "Khóa sổ riêng của các khối" in html
    party = next(part for part in html.split("<tr") if "Tỉnh ủy Thử Nghiệm" in part)
    front = next(part for part in html.split("<tr") if "Ủy ban Mặt trận" in part)
    assert "Đã khóa sổ lúc" in party and "Đang mở" in front
    # Closing the province closes everything (the bloc's entry stays, the status rules).
    client.post(reverse("dashboards_period_close", args=[w["period"].pk]), {"confirm": "on"})
    period = Period.objects.get(pk=w["period"].pk)
    assert period.status == PeriodStatus.CLOSED
    assert not period.accepts_inputs_for(w["justice"])
    assert not period.accepts_inputs_for(w["women"])


def test_the_bloc_page_shows_the_periods_rechecks_and_inspections_of_the_bloc(bloc, client):
    """Item 2: the lead body's page says, per month, whether its bodies are open or closed, and
    leads to the close, the re-checks waiting and the inspections."""
    from tests.factories.oversight import InspectionFactory

    w = bloc
    InspectionFactory(agency=w["propaganda"], decision_ref="07-QĐ/BTCTU")
    InspectionFactory(agency=w["justice"], decision_ref="08-QĐ/SNV")
    client.force_login(w["party_appraiser"])
    url = reverse("dashboards_bloc_report")
    html = client.get(url).content.decode()
    assert "Việc của cơ quan chủ trì khối" in html
    row = next(part for part in html.split("<tr") if 'data-period="2026-03"' in part)
    assert "Đang mở" in row and close_url(w) in row
    assert "0 kiến nghị chờ phúc tra" in html
    assert "1 cuộc kiểm tra công tác đánh giá trong khối" in html
    assert reverse("wagtailsnippets_oversight_inspection:add") in html
    closing.close_bloc(w["period"], w["party_lead"], w["party_appraiser"])
    html = client.get(url).content.decode()
    row = next(part for part in html.split("<tr") if 'data-period="2026-03"' in part)
    assert "Đã khóa sổ cho khối lúc" in row and reopen_url(w) in row
    # The menu leads there.
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url in home
