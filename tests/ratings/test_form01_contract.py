"""Form 01 of a contract worker scored by the framework's own method (M7, docs/scoring.md §14):
the three marks — quality, compliance, effectiveness, 0–100 % — with their Vietnamese labels,
written through the general-marks write service (the worker their self-marks, the evaluator the
counted ones), the period rescored and its result shown; under the default method the form is
the civil-servant one."""

import io

import pytest
from openpyxl import load_workbook

from django.urls import reverse

from org.access import CIVIL_SERVANT_GROUP, UNIT_LEADER_GROUP
from org.models import LeadershipRole, PersonCategory
from scoring.models import GeneralCriteriaMark, PeriodScore
from scoring.services import score_person
from tests.factories import UserFactory, contract_marks
from tests.scoring.helpers import build_world, contract_method

pytestmark = pytest.mark.django_db

CODES = ("chat_luong", "chap_hanh", "hieu_qua")
LABELS = (
    "Chất lượng thực hiện công việc (%)",
    "Ý thức chấp hành nội quy, kỷ luật lao động (%)",
    "Hiệu quả công việc (%)",
)


@pytest.fixture
def setup():
    world = build_world()
    world.department.applies_to_contract_workers = True
    world.department.save()
    worker = world.person("Vũ Văn Lái", category=PersonCategory.CONTRACT_WORKER)
    head = world.person("Trương Văn Chấm", role=LeadershipRole.HEAD)
    worker.user = UserFactory(username="lai", groups=[CIVIL_SERVANT_GROUP])
    worker.save()
    head.user = UserFactory(username="cham", groups=[UNIT_LEADER_GROUP])
    head.save()
    url = reverse("ratings_form01_entry", args=[worker.pk, world.period.pk])
    return world, worker, head, url


def fields(prefix, *values):
    return {f"{prefix}_{code}": value for code, value in zip(CODES, values, strict=True)}


def test_by_default_the_form_is_the_civil_servant_one(client, setup):
    _world, worker, _head, url = setup
    client.force_login(worker.user)
    page = client.get(url).content.decode()
    assert "I. Kết quả đánh giá tiêu chí chung" in page and "III.4" in page
    assert "Chất lượng thực hiện công việc" not in page


def test_the_worker_and_the_evaluator_enter_the_three_marks(client, setup):
    contract_method("own_method")
    _world, worker, head, url = setup
    client.force_login(worker.user)
    page = client.get(url).content.decode()
    assert "I. Đánh giá người lao động hợp đồng (cách chấm riêng)" in page
    assert all(label in page for label in LABELS)
    assert "III.4" not in page and 'name="self_chat_luong"' in page

    response = client.post(url, fields("self", "95", "90", "85"), follow=True)
    page = response.content.decode()
    assert "Đã lưu điểm tự chấm; kỳ này chờ lãnh đạo chấm." in page
    stored = GeneralCriteriaMark.objects.filter(civil_servant=worker, component="hop_dong")
    assert {m.criterion: m.self_mark for m in stored} == {"chat_luong": 95, "chap_hanh": 90,
                                                          "hieu_qua": 85}  # fmt: skip
    assert PeriodScore.objects.get(civil_servant=worker).awaits_evaluator

    client.force_login(head.user)
    response = client.post(url, fields("eval", "90", "90", "89,97"), follow=True)
    page = response.content.decode()
    assert "Đã lưu điểm và tính lại kết quả của kỳ." in page
    score = PeriodScore.objects.get(civil_servant=worker)
    assert score.scored and str(score.total) == "89.99" and score.rating == "good"
    assert (
        "Điểm theo ba tiêu chí riêng của người lao động hợp đồng: 89,99 điểm, Hoàn thành tốt "
        "nhiệm vụ." in page
    )
    marks = {m.criterion: m for m in stored.all()}
    assert marks["hieu_qua"].evaluator == head.user and marks["hieu_qua"].self_mark == 85


def test_a_mark_above_100_is_refused_with_the_field_named(client, setup):
    contract_method("own_method")
    _world, _worker, head, url = setup
    client.force_login(head.user)
    response = client.post(url, fields("eval", "101", "90", "90"))
    assert response.status_code == 400
    assert "100" in response.content.decode()
    assert not GeneralCriteriaMark.objects.filter(component="hop_dong").exists()


def test_the_printed_form_shows_the_three_marks_and_no_task_section(client, setup):
    contract_method("own_method")
    world, worker, _head, _url = setup
    contract_marks(worker, world.period, 90, 90, "89.97")
    score = score_person(worker, world.period)
    client.force_login(worker.user)
    html = client.get(reverse("ratings_form01", args=[score.pk])).content.decode()
    assert "I. ĐÁNH GIÁ NGƯỜI LAO ĐỘNG HỢP ĐỒNG (CÁCH CHẤM RIÊNG)" in html
    assert "Hiệu quả công việc (%)" in html and "89,97" in html
    assert "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ" not in html
    assert "II. TỔNG ĐIỂM THEO DÕI, ĐÁNH GIÁ" in html and "89,99" in html
    book = load_workbook(
        io.BytesIO(client.get(reverse("ratings_form01_xlsx", args=[score.pk])).content)
    )
    cells = [str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None]
    assert "I. ĐÁNH GIÁ NGƯỜI LAO ĐỘNG HỢP ĐỒNG (CÁCH CHẤM RIÊNG)" in cells
    assert "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ" not in cells
