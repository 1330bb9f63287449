"""Shared tasks and the related units' coordination ratings (issue 33 item 3; Nghệ An plan §I.2,
§III.2.1): the evaluator names the related units of a task; only the leader of a named unit
rates it — never the person's own unit, never a unit not named; the state seen, the history
row and the rescoring; the ratings feed the framework's ``coordination`` rule on both sides of
its minimum, with an explanation line naming the units that rated."""

import copy
import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cms import seen as cms_seen
from org import write_gate
from org.access import CIVIL_SERVANT_GROUP
from org.models import LeadershipRole
from org.roles import ensure_roles
from scoring.models import CriteriaFramework, GeneralCriteriaMark, PeriodStatus
from scoring.services import score_person
from tests.factories import UnitFactory, UserFactory
from tests.scoring.helpers import build_world as build_scoring_world
from worklog.models import CoordinatingUnit
from worklog.services import coordination

pytestmark = pytest.mark.django_db

OTHER = "Phòng Tổ chức (Sở Nội vụ thử nghiệm)"
THIRD = "Phòng Pháp chế (Sở Nội vụ thử nghiệm)"
OWN = "Phòng Công chức (Sở Nội vụ thử nghiệm)"


def today():
    return timezone.localdate()


TODAY = today()


@pytest.fixture(autouse=True)
def roles(db):
    ensure_roles()


def denied(response) -> bool:
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


@pytest.fixture
def shared(world):
    """Nhàn's task, shared by her head with Phòng Tổ chức; Phòng Pháp chế is not named."""
    world.third = UnitFactory(parent=world.department, code="SNV-P3", name="Phòng Pháp chế")
    world.person("truong3", world.third, LeadershipRole.HEAD, "Vũ Văn Trưởng Ba")
    world.person("pho2", world.other_unit, LeadershipRole.DEPUTY, "Ngô Thị Phó Hai")
    line = world.line(deadline=TODAY + datetime.timedelta(days=10), today=TODAY)
    coordination.share(world.users["truong"], line, world.other_unit, today=TODAY)
    world.shared_line = line
    return world


@pytest.fixture
def rescored(monkeypatch):
    calls = []
    from scoring.services import rescoring

    monkeypatch.setattr(
        rescoring,
        "request_rescore",
        lambda period, *, people=(), **kw: calls.append((period.pk, tuple(people))),
    )
    return calls


def test_the_evaluator_names_related_units_never_the_own_unit(shared):
    line = shared.shared_line
    row = CoordinatingUnit.objects.get(line=line)
    assert (row.agency, row.added_by, row.rating) == (
        shared.other_unit,
        shared.users["truong"],
        None,
    )
    with pytest.raises(write_gate.Refused) as own:
        coordination.share(shared.users["truong"], line, shared.unit, today=TODAY)
    assert own.value.message == (
        f"{OWN} là đơn vị của người thực hiện: đơn vị không tự đánh giá việc phối hợp của chính "
        "mình; chỉ các đơn vị phối hợp được ghi trên việc này đánh giá."
    )
    with pytest.raises(write_gate.Refused) as twice:
        coordination.share(shared.users["truong"], line, shared.other_unit, today=TODAY)
    assert twice.value.message == f"{OTHER} đã là đơn vị phối hợp của việc này."
    with pytest.raises(write_gate.Refused) as other_head:
        coordination.share(shared.users["truong2"], line, shared.third, today=TODAY)
    assert other_head.value.message == (
        "Chỉ người đánh giá của Nguyễn Thị Nhàn (người giao và nghiệm thu việc này) ghi đơn vị "
        "phối hợp."
    )
    assert CoordinatingUnit.objects.filter(line=line).count() == 1


def test_only_the_named_units_leaders_rate_never_the_own_unit(shared, rescored):
    line = shared.shared_line
    refusals = {
        # a unit not named on the task
        "truong3": (shared.third.pk, f"{THIRD} không phải đơn vị phối hợp của việc này"),
        # the person's own unit
        "truong": (shared.unit.pk, f"{OWN} là đơn vị của người thực hiện"),
        # a member of the named unit who does not lead it
        "khac": (
            shared.other_unit.pk,
            f"Chỉ lãnh đạo (cấp trưởng, cấp phó) của {OTHER} đánh giá việc phối hợp",
        ),
        # the person herself
        "nhan": (shared.other_unit.pk, "Không ai tự đánh giá việc phối hợp của chính mình."),
    }
    for user, (unit, message) in refusals.items():
        with pytest.raises(write_gate.Refused) as refused:
            coordination.rate(shared.users[user], line, unit, 5, today=TODAY)
        assert refused.value.message.startswith(message), user
    assert not CoordinatingUnit.objects.filter(rating__isnull=False).exists()
    assert rescored == []

    with pytest.raises(ValidationError) as bad:
        coordination.rate(shared.users["truong2"], line, shared.other_unit.pk, 7, today=TODAY)
    assert bad.value.message_dict == {"rating": ["Hãy chọn một mức đánh giá phối hợp."]}

    row = CoordinatingUnit.objects.get(line=line)
    seen = cms_seen.snapshot(row)
    coordination.rate(
        shared.users["pho2"], line, shared.other_unit.pk, 4, "Phối hợp kịp thời", today=TODAY
    )
    row.refresh_from_db()
    assert (row.rating, row.comment, row.rated_by) == (4, "Phối hợp kịp thời", shared.users["pho2"])
    assert (line.period_id, (shared.people["nhan"].pk,)) in rescored
    # One history row for the naming, one for the rating.
    assert list(row.history.order_by("history_id").values_list("history_type", "rating")) == [
        ("+", None),
        ("~", 4),
    ]
    # The head saw the row before the deputy rated it: refused, naming the change.
    with pytest.raises(write_gate.Stale) as stale:
        coordination.rate(
            shared.users["truong2"], line, shared.other_unit.pk, 2, seen=seen, today=TODAY
        )
    assert "đánh giá phối hợp: lúc bạn mở trang là “—”, nay là “4”." in stale.value.message
    row.refresh_from_db()
    assert row.rating == 4

    line.period.status = PeriodStatus.CLOSED
    line.period.save()
    with pytest.raises(write_gate.Refused) as closed:
        coordination.rate(shared.users["truong2"], line, shared.other_unit.pk, 5, today=TODAY)
    assert "đã khóa sổ" in closed.value.message


def test_the_leader_rates_on_the_page_and_the_person_sees_it_on_the_line(client, shared):
    line = shared.shared_line
    url = reverse("worklog_coordination_rate", args=[line.pk])
    # A head of a unit not named: the page is closed to them.
    client.force_login(shared.users["truong3"])
    assert denied(client.get(url))
    assert denied(client.post(url, {"unit": shared.third.pk, "rating": "5"}))
    client.force_login(shared.users["truong2"])
    listing = client.get(reverse("worklog_coordination")).content.decode()
    assert "Nguyễn Thị Nhàn" in listing and url in listing
    page = client.get(url).content.decode()
    assert f"Đánh giá của {OTHER}" in page and "Phối hợp rất tốt" in page
    missing = client.post(url, {"unit": shared.other_unit.pk, "comment": "x"})
    assert missing.status_code == 400
    assert "Hãy chọn một mức đánh giá phối hợp." in missing.content.decode()
    # The own unit, posted by hand: refused with the sentence, nothing written.
    client.force_login(shared.users["truong"])
    own = client.post(url, {"unit": shared.unit.pk, "rating": "5"})
    assert own.status_code == 400
    assert f"{OWN} là đơn vị của người thực hiện" in own.content.decode()
    client.force_login(shared.users["truong2"])
    done = client.post(url, {"unit": shared.other_unit.pk, "rating": "5", "comment": "Tốt"})
    assert done.status_code == 302
    client.force_login(shared.users["nhan"])
    html = client.get(reverse("worklog_line", args=[line.pk])).content.decode()
    assert OTHER in html and "Phối hợp rất tốt" in html and "Phạm Văn Trưởng Hai" in html
    # The evaluator names a related unit on the line page.
    client.force_login(shared.users["truong"])
    added = client.post(
        reverse("worklog_line_action", args=[line.pk, "share"]), {"agency": shared.third.pk}
    )
    assert added.status_code == 302
    assert (
        f"Đã ghi {THIRD} là đơn vị phối hợp của việc này."
        in client.get(added["Location"]).content.decode()
    )


def _feed_coordination_into_ii4():
    """The province lists Form 01's II.4 (…; phối hợp với đồng nghiệp) as fed by the ratings."""
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    rules = copy.deepcopy(framework.live_revision.content["rules"])
    rules["coordination"] = {
        "criteria": ["general.II.4"],
        "citation": "thử",
        "confidence": "inferred",
    }
    framework.rules = rules
    framework.save()
    framework.save_revision().publish()


def test_the_ratings_feed_the_criterion_on_both_sides_of_the_minimum(client):
    world = build_scoring_world()
    person = world.person("Trần Thị Phối Hợp")
    world.full_month(person, total=27)
    line = person.assignment_lines.get()
    other = UnitFactory(parent=world.department, code="SNV-P2", name="Phòng Tổ chức")
    third = UnitFactory(parent=world.department, code="SNV-P3", name="Phòng Pháp chế")
    _feed_coordination_into_ii4()
    evaluator = GeneralCriteriaMark.objects.get(
        civil_servant=person, period=world.period, criterion="II.4"
    ).evaluator_mark

    CoordinatingUnit.objects.create(line=line, agency=other, rating=5)
    below = score_person(person, world.period)
    step = next(s for s in below.explanation["steps"] if s["code"] == "coordination_below_min")
    assert step["ratings"] == 1 and step["units"] == [OTHER]
    assert Decimal(below.explanation["marks"]["general"]["II.4"]) == evaluator

    CoordinatingUnit.objects.create(line=line, agency=third, rating=4)
    at = score_person(person, world.period)
    # (100 + 75) / 2 = 87.5 % of 2.5 = 2.1875 → 2.19
    assert at.explanation["marks"]["general"]["II.4"] == "2.19"
    assert at.inputs_hash != below.inputs_hash
    own = UserFactory(groups=[CIVIL_SERVANT_GROUP])
    person.user = own
    person.save()
    client.force_login(own)
    html = client.get(reverse("scoring_explain", args=[at.pk])).content.decode()
    assert (
        f"Năng lực phối hợp do các đơn vị phối hợp đánh giá ({THIRD}, {OTHER}): 2 đánh giá, "
        "bình quân 87,50% → điểm tiêu chí general.II.4 = 2,19." in html
    )
