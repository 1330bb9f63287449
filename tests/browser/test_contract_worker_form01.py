"""Form 01 of a contract worker in a browser (M7, docs/scoring.md §14): under the framework's
own method the evaluator finds the three marks by their Vietnamese labels, types them with a
decimal comma, saves, and reads the period's score and rating (89,99: good — the band
boundary as the person sees it)."""

import pytest

from django.urls import reverse

from org.access import CIVIL_SERVANT_GROUP, UNIT_LEADER_GROUP
from org.models import LeadershipRole, PersonCategory
from scoring.models import PeriodScore
from tests.browser.conftest import login
from tests.factories import UserFactory
from tests.scoring.helpers import build_world, contract_method

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "matkhau-123"


@pytest.fixture
def world():
    from org.roles import ensure_roles

    ensure_roles()
    world = build_world()
    world.department.applies_to_contract_workers = True
    world.department.save()
    contract_method("own_method")
    worker = world.person("Vũ Văn Lái", category=PersonCategory.CONTRACT_WORKER)
    head = world.person("Trương Văn Chấm", role=LeadershipRole.HEAD)
    worker.user = UserFactory(username="lai", groups=[CIVIL_SERVANT_GROUP])
    worker.save()
    head.user = UserFactory(username="cham", groups=[UNIT_LEADER_GROUP])
    head.save()
    world.people = {"lai": worker, "cham": head}
    return world


def test_the_evaluator_enters_the_three_marks_and_reads_the_result(page, world):
    worker = world.people["lai"]
    login(page, "cham", PASSWORD)
    page.goto(page.base_url + reverse("ratings_form01_entry", args=[worker.pk, world.period.pk]))
    entry = page.locator("#form01-entry")
    assert "I. Đánh giá người lao động hợp đồng (cách chấm riêng)" in entry.inner_text()
    for label, value in (
        ("Chất lượng thực hiện công việc (%)", "90"),
        ("Ý thức chấp hành nội quy, kỷ luật lao động (%)", "90"),
        ("Hiệu quả công việc (%)", "89,97"),
    ):
        row = entry.locator("tr", has_text=label)
        assert row.count() == 1
        page.get_by_label(f"Điểm người đánh giá chấm tiêu chí {label}").fill(value)
    page.get_by_role("button", name="Lưu điểm").click()
    page.wait_for_selector("#form01-contract-result")
    result = page.locator("#form01-contract-result").inner_text()
    assert (
        "Điểm theo ba tiêu chí riêng của người lao động hợp đồng: 89,99 điểm, Hoàn thành tốt "
        "nhiệm vụ." in result
    )
    assert "Đã lưu điểm và tính lại kết quả của kỳ." in page.content()
    score = PeriodScore.objects.get(civil_servant=worker, period=world.period)
    assert (str(score.total), score.rating) == ("89.99", "good")
