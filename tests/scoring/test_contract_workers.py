"""M7 — contract workers' own method, wired (legal review §3; docs/scoring.md §14): under the
framework option ``individual.contract_workers`` = ``own_method`` [secondary, unverified: MOHA
handbook ch. III] a person whose governing posting is of category ``contract_worker`` is scored
(quality + compliance + effectiveness) / 3 from their three marks (``GeneralCriteriaMark`` of
component ``hop_dong``), by the batch and by the one-person door alike; the score, rating and
explanation are stored like a period score and the annual mean works. Default
(``civil_servant_method``): scored on the civil-servant framework, as before."""

import datetime
from decimal import Decimal as D

import pytest

from django.core.exceptions import ValidationError
from django.utils import translation

from org.models import PersonCategory
from scoring.explain import render_steps
from scoring.models import AnnualScore, GeneralCriteriaMark, Period, PeriodScore
from scoring.services import general_marks, score_period, score_person, score_year
from scoring.services.contract_workers import applies_to
from tests.factories import contract_marks
from tests.scoring.helpers import build_world, contract_method

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    world.department.applies_to_contract_workers = True  # Gia Lai plan §V.1.e
    world.department.save()
    return world


def contract_worker(world, name="Vũ Văn Lái"):
    return world.person(name, category=PersonCategory.CONTRACT_WORKER)


def stored(person, period):
    return PeriodScore.objects.get(civil_servant=person, period=period)


def lines_of(score) -> list[str]:
    with translation.override("vi"):
        return render_steps(score.explanation["steps"])


def codes(score) -> list[str]:
    return [step["code"] for step in score.explanation["steps"]]


# --- default: the civil-servant method, unchanged ----------------------------------------------


def test_by_default_a_contract_worker_is_scored_like_a_civil_servant(world):
    worker = contract_worker(world)
    servant = world.person("Nguyễn Văn Công")
    for person in (worker, servant):
        world.full_month(person, total=27)
    contract_marks(worker, world.period, 100, 100, 100)  # entered, but not the method in force
    score_period(world.period)
    mine, theirs = stored(worker, world.period), stored(servant, world.period)
    assert not applies_to(worker, world.period)
    assert mine.scored and (mine.total, mine.rating) == (theirs.total, theirs.rating)
    assert mine.general_points == D("27.00") and mine.task_points is not None
    assert "contract_worker" not in codes(mine)


# --- own method: the band boundary 89.99 / 90 through both doors ------------------------------


def one_person(person, period):
    return score_person(person, period)


def batch(person, period):
    score_period(period)
    return stored(person, period)


@pytest.mark.parametrize("door", [batch, one_person], ids=["batch", "one_person"])
@pytest.mark.parametrize(
    ("marks", "total", "rating", "label"),
    [
        ((90, 90, 90), D("90.00"), "excellent", "Hoàn thành xuất sắc nhiệm vụ"),
        ((90, 90, "89.97"), D("89.99"), "good", "Hoàn thành tốt nhiệm vụ"),
    ],
    ids=["90_excellent", "89.99_good"],
)
def test_own_method_scores_the_three_marks_at_the_band_boundary(
    world, door, marks, total, rating, label
):
    contract_method("own_method")
    worker = contract_worker(world)
    world.full_month(worker, total=10)  # the civil-servant inputs no longer count
    contract_marks(worker, world.period, *marks)
    score = door(worker, world.period)
    assert applies_to(worker, world.period)
    assert score.scored and score.total == total and score.rating == rating
    assert score.component_points == {"hop_dong": f"{total:f}"}
    assert score.general_points is None and score.task_points is None
    assert codes(score) == ["framework", "contract_worker", "contract_worker_score", "final_rating"]
    counted = score.explanation["marks"]["hop_dong"]
    assert {code: D(value) for code, value in counted.items()} == {
        "chat_luong": D(str(marks[0])),
        "chap_hanh": D(str(marks[1])),
        "hieu_qua": D(str(marks[2])),
    }
    text = lines_of(score)
    assert text[1].startswith("Lao động hợp đồng (cách chấm riêng): chất lượng 90,00%")
    shown = f"{total:f}".replace(".", ",")
    assert text[2] == (f"Điểm = (chất lượng + chấp hành + hiệu quả) / 3 = {shown} điểm: {label}.")


def test_own_method_leaves_civil_servants_to_the_framework(world):
    contract_method("own_method")
    servant = world.person("Nguyễn Văn Công")
    world.full_month(servant, total=27)
    score_period(world.period)
    score = stored(servant, world.period)
    assert score.scored and score.general_points == D("27.00")
    assert "contract_worker" not in codes(score)


def test_missing_or_self_only_marks_leave_the_period_unscored_saying_why(world):
    contract_method("own_method")
    worker = contract_worker(world)
    contract_marks(worker, world.period, 90, 90, None)
    score = score_person(worker, world.period)
    assert not score.scored and score.total is None and not score.input_errors
    assert codes(score)[-1] == "contract_worker_missing"
    assert lines_of(score)[-1] == (
        "Lao động hợp đồng (cách chấm riêng): chưa có điểm hiệu quả công việc; kỳ này chưa "
        "được chấm điểm."
    )

    contract_marks(worker, world.period, 90, 90, 90, appraised=False)
    score = score_person(worker, world.period)
    assert not score.scored and score.awaits_evaluator
    assert "chất lượng thực hiện công việc" in lines_of(score)[-1]
    assert "chờ lãnh đạo" in lines_of(score)[-1]


def test_switching_the_option_rescores_the_stored_row_both_ways(world):
    worker = contract_worker(world)
    world.full_month(worker, total=27)
    contract_marks(worker, world.period, 60, 60, 60)
    score_period(world.period)
    before = stored(worker, world.period)
    assert before.general_points == D("27.00")

    contract_method("own_method")
    assert score_period(world.period).written >= 1
    own = stored(worker, world.period)
    assert (own.total, own.rating) == (D("60.00"), "completed")
    assert own.inputs_hash != before.inputs_hash

    contract_method("civil_servant_method")
    score_period(world.period)
    back = stored(worker, world.period)
    assert (back.total, back.general_points) == (before.total, D("27.00"))


def test_the_annual_mean_works_on_own_method_months(world):
    contract_method("own_method")
    worker = contract_worker(world)
    february = Period.for_date(datetime.date(2026, 2, 1), create=True)
    contract_marks(worker, february, 100, 100, 100)
    contract_marks(worker, world.period, 80, 80, 80)
    for period in (february, world.period):
        score_period(period)
    score_year(2026)
    annual = AnnualScore.objects.get(civil_servant=worker, year=2026)
    assert annual.score == D("90.00") and annual.score_rating == "excellent"


# --- the marks themselves: only for a contract worker under the own method ---------------------


def mark(person, period, criterion="chat_luong", **values):
    return GeneralCriteriaMark(
        civil_servant=person, period=period, component="hop_dong", criterion=criterion, **values
    )


def test_the_three_marks_are_accepted_only_where_the_own_method_applies(world):
    worker = contract_worker(world)
    servant = world.person("Nguyễn Văn Công")
    with translation.override("vi"):
        for person in (worker, servant):  # default: the general criteria of the framework
            with pytest.raises(ValidationError) as refused:
                general_marks.validate(mark(person, world.period, self_mark=D(90)))
            assert "chỉ dùng cho người lao động hợp đồng" in str(refused.value)
        contract_method("own_method")
        with pytest.raises(ValidationError):
            general_marks.validate(mark(servant, world.period, self_mark=D(90)))
        general_marks.validate(mark(worker, world.period, self_mark=D(100)))  # 100 % is the maximum
        with pytest.raises(ValidationError) as refused:
            general_marks.validate(mark(worker, world.period, self_mark=D("100.01")))
        assert "điểm tối đa 100" in str(refused.value)
        with pytest.raises(ValidationError) as refused:
            general_marks.validate(mark(worker, world.period, criterion="I.1", self_mark=D(1)))
        assert "I.1" in str(refused.value)


def test_the_explain_page_shows_the_three_marks_and_the_lines(client, world):
    from django.urls import reverse

    from org.access import CIVIL_SERVANT_GROUP
    from tests.factories import UserFactory

    contract_method("own_method")
    worker = contract_worker(world)
    worker.user = UserFactory(groups=[CIVIL_SERVANT_GROUP])
    worker.save()
    contract_marks(worker, world.period, 90, 90, "89.97")
    score = score_person(worker, world.period)
    client.force_login(worker.user)
    html = client.get(reverse("scoring_explain", args=[score.pk])).content.decode()
    assert "Đánh giá người lao động hợp đồng (cách chấm riêng)" in html
    assert "Hiệu quả công việc (%)" in html and "chat_luong" not in html
    assert (
        "Điểm = (chất lượng + chấp hành + hiệu quả) / 3 = 89,99 điểm: Hoàn thành tốt nhiệm vụ."
        in html
    )


def test_the_worklog_preview_says_the_worker_is_scored_on_form01(world):
    from worklog.services.preview import period_preview

    worker = contract_worker(world)
    world.line(worker, "X", 1, 1)
    assert period_preview(worker, world.period, world.period.end_date).result is not None
    contract_method("own_method")
    preview = period_preview(worker, world.period, world.period.end_date)
    assert preview.result is None
    with translation.override("vi"):
        assert "ba tiêu chí riêng" in str(preview.errors["method"])


def test_the_framework_editors_trial_scores_the_worker_by_the_edited_option(world):
    """The editor's before/after trial follows the scorer: switching the option on shows the
    contract worker's own-method score on the "after" side; nothing is written."""
    from scoring.models import CriteriaFramework
    from scoring.services import framework_editor

    worker = contract_worker(world)
    world.full_month(worker, total=27)
    contract_marks(worker, world.period, 90, 90, 90)
    score_period(world.period)
    stored_before = stored(worker, world.period)
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    live = framework.live_revision.content["rules"]
    edited = {**live, "individual": {**live.get("individual", {}), "contract_workers": {
        "value": "own_method", "citation": "Sổ tay", "confidence": "secondary"}}}  # fmt: skip
    trial = framework_editor.preview(worker, world.period, framework, edited, live)
    assert trial["before"].total == stored_before.total
    assert (
        trial["after"].total == D("90.00")
        and trial["after"].rating == "Hoàn thành xuất sắc nhiệm vụ"
    )
    assert trial["changed"]
    assert stored(worker, world.period).inputs_hash == stored_before.inputs_hash
