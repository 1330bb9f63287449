"""Issue 42 items 2 and 3 (legal review 2026-11-25 F2, F3; ux review B1): Form 02, the case page
and the national record show one annual figure — the one its working line re-adds to — never the
score the case was opened with; while the figure is being recomputed they say so instead of
printing or sending a number; a figure that moves after it was sent gets a correction."""

import datetime
import re
from decimal import Decimal

import pytest

from django.urls import reverse

from api.models import OutboxKind, OutboxRecord, OutboxStatus
from api.outbox import collect_final_results
from ratings.models import RatingCase
from ratings.printing.form02 import build_form02
from ratings.services.cases import open_cases
from scoring.models import AnnualScore, Period
from scoring.services import score_person, score_year
from tests.ratings.world import YEAR, reload
from tests.scoring.helpers import build_world, work_off

pytestmark = pytest.mark.django_db

HEADLINE = "Điểm đánh giá năm (trung bình các kỳ, tính theo số tháng mỗi kỳ)"
APRIL = datetime.date(2026, 4, 1)


def _row(form, label):
    return next(
        row.value for section in form.sections for row in section.rows if row.label == label
    )


def _printed(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _re_added(working: str) -> Decimal:
    """The working line "(62,00 × 1 + 97,00 × 1) ÷ 2 = 79,50" re-added by hand."""
    terms = re.findall(r"(\d+,\d+) × (\d+)", working)
    divisor = re.search(r"÷ (\d+)", working).group(1)
    total = sum(_printed(t) * int(w) for t, w in terms)
    return (total / int(divisor)).quantize(Decimal("0.01"))


@pytest.fixture
def opened():
    """C1 of the review: two months at 27 general points, every product done; the case opened."""
    world = build_world()
    person = world.person("Cao Văn Một")
    april = Period.for_date(APRIL, create=True)
    world.full_month(person, 27)
    world.line(person, "X", 3, 3)
    world.full_month(person, 27, period=april)
    score_person(person, world.period)
    score_person(person, april)
    score_year(YEAR)
    work_off()
    open_cases(YEAR, world.department)
    case = RatingCase.objects.get(civil_servant=person)
    return world, person, april, case


def _correct_april(world, person, april):
    """April corrected: four more products assigned, none done (as an upheld complaint or an
    integration line would); April is rescored, the year is not yet."""
    world.line(person, "Y", 4, 0, period=april)
    score_person(person, april)


def test_form02_prints_the_figure_its_working_line_adds_up_to(opened):
    world, person, april, case = opened
    opening = case.score
    _correct_april(world, person, april)
    work_off()  # the worker has run: the month's run and the year are recomputed
    annual = AnnualScore.objects.get(civil_servant=person, year=YEAR)
    assert annual.score < opening

    form = build_form02(reload(case))
    printed = _row(form, HEADLINE)
    assert printed == str(annual.score).replace(".", ",")
    assert form.working.endswith("= " + printed)
    assert _re_added(form.working) == _printed(printed)
    opening_text = str(opening).replace(".", ",")
    assert not any(opening_text in row.value for row in form.sections[0].rows), (
        "the score the case was opened with is printed as the year's score"
    )


def test_while_the_year_is_recomputed_form02_says_so_instead_of_a_number(opened):
    world, person, april, case = opened
    opening = str(case.score).replace(".", ",")
    _correct_april(world, person, april)  # the worker has not run yet

    form = build_form02(reload(case))
    printed = _row(form, HEADLINE)
    assert "Đang tính lại" in printed and opening not in printed
    assert _row(form, "Tình trạng số liệu").startswith("Đang tính lại")
    assert form.working == ""


def test_the_case_page_shows_the_current_figure_with_a_true_reason(opened, client):
    world, person, april, case = opened
    opening = str(case.score).replace(".", ",")
    _correct_april(world, person, april)
    work_off()
    annual = AnnualScore.objects.get(civil_servant=person, year=YEAR)
    client.force_login(world_admin())
    page = client.get(reverse("ratings_case", args=[case.pk])).content.decode()
    shown = re.search(r'<span id="case-score">([^<]*)</span>', page).group(1)
    assert shown == str(annual.score).replace(".", ",")
    assert f"khi lập hồ sơ là {opening}" in page
    assert "quý IV" not in page


def world_admin():
    from tests.factories import UserFactory

    return UserFactory(username="sonoivu-test", is_superuser=True)


def test_the_national_record_sends_the_figure_of_now_and_corrects_it_after_sending(opened):
    world, person, april, case = opened
    RatingCase.objects.filter(pk=case.pk).update(
        state="decided",
        decision_level="good",
        decision_ref="KT/QĐ",
        decision_date=datetime.date(2026, 11, 20),
    )
    _correct_april(world, person, april)

    # While the year is being recomputed nothing is written for the national database.
    collect_final_results()
    assert not OutboxRecord.objects.filter(rating_case=case).exists()

    work_off()
    collect_final_results()
    annual = AnnualScore.objects.get(civil_servant=person, year=YEAR)
    record = OutboxRecord.objects.get(rating_case=case)
    assert record.payload["result"]["score"] == f"{annual.score:f}"
    assert record.payload["result"]["score"] != f"{case.score:f}"

    # Sent; then May's products change the year again: one correction with the new figure.
    OutboxRecord.objects.filter(pk=record.pk).update(status=OutboxStatus.SENT)
    before = annual.score
    world.line(person, "Y", 2, 0, period=world.period)
    score_person(person, world.period)
    work_off()
    collect_final_results()
    after = AnnualScore.objects.get(civil_servant=person, year=YEAR).score
    assert after != before
    correction = OutboxRecord.objects.get(corrects=record)
    assert correction.kind == OutboxKind.CORRECTION
    assert correction.payload["result"]["score"] == f"{after:f}"
    assert "Điểm năm được tính lại" in correction.reason
    # Collecting again changes nothing.
    collect_final_results()
    assert OutboxRecord.objects.filter(corrects=record).count() == 1


# --- many cases read together (a listing, the season's check) ---------------------------------


def _both(cases):
    from ratings.services.case_figure import case_figure, case_figures

    together = case_figures(cases)
    alone = {case.pk: case_figure(case) for case in cases}
    assert together == alone
    return together


def test_many_cases_read_together_give_each_case_its_own_figure(opened):
    """Current, then a period corrected and not yet recomputed (stale: the same reason), then
    recomputed after a decision (the decision's figure differs, said the same way)."""
    from ratings.models import CaseState, CaseTransition

    world, person, april, case = opened
    figure = _both([case])[case.pk]
    assert figure.score == case.score and figure.working and not figure.stale

    _correct_april(world, person, april)
    figure = _both([case])[case.pk]
    assert figure.score is None and "Đang tính lại" in figure.stale

    work_off()
    RatingCase.objects.filter(pk=case.pk).update(
        state=CaseState.DECIDED, decision_level="good", decision_date=datetime.date(2027, 1, 10)
    )
    CaseTransition.objects.create(
        case=case,
        action="decide",
        from_state="appraised",
        to_state="decided",
        data={"score": "99.00"},
    )
    case = reload(case)
    figure = _both([case])[case.pk]
    assert figure.decided == Decimal("99.00") and figure.decided_differs
    assert "khi quyết định: 99,00" in figure.decided_note()


def test_the_demo_provinces_cases_read_together(demo):
    cases = list(RatingCase.objects.select_related("civil_servant", "subject_agency"))
    assert len(cases) > 10
    figures = _both(cases)
    assert any(f.working for f in figures.values())


def test_many_cases_read_together_in_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    from ratings.services.case_figure import case_figures

    cases = [
        c
        for c in RatingCase.objects.select_related("civil_servant", "subject_agency")
        if not c.is_agency_case
    ]
    # Per year of the cases: the marks, the runs that still owe, the annual scores; then the
    # period scores, their periods, the unscored ones' steps, the decisions and the revisions
    # once.
    years = {case.year for case in cases}
    assert len(years) > 1
    with django_assert_max_num_queries(3 * len(years) + 5):
        case_figures(cases)
