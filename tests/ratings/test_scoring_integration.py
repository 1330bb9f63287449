"""From real scoring to a rating case: Form 01 from a stored period score and its marks, cases
opened from ``score_year``, the ceiling read from the framework revision that scored the year."""

import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from openpyxl import load_workbook

from django.urls import reverse

from org.access import AGENCY_ADMIN_GROUP, CIVIL_SERVANT_GROUP, HOME_AFFAIRS_GROUP
from org.models import LeadershipRole
from ratings.models import RatingCase
from ratings.printing.form01 import build_form01
from ratings.services.cases import open_cases
from ratings.services.ceilings import civil_servant_ceiling
from ratings.services.labels import level_label
from scoring.engine import DECREE_335_DEFAULT, band_for
from scoring.models import AnnualScore
from scoring.services import score_person, score_year
from tests.factories import AgencyAccessFactory, UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored():
    world = build_world()
    person = world.person("Nguyễn Thị Mẫu Một")
    world.line(person, "X", 4, 4)
    world.marks(person, 27, evaluator_total=26)
    head = world.person("Lại Văn Trưởng", role=LeadershipRole.HEAD)
    world.full_month(head, 28)
    world.leader_marks(head)
    score = score_person(person, world.period)
    score_person(head, world.period)
    person.user = UserFactory(username="maumot", groups=[CIVIL_SERVANT_GROUP])
    person.save()
    admin = UserFactory(username="tccb", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.department)
    return world, person, head, score


def test_form01_from_the_stored_score_and_marks(scored):
    _world, _person, head, score = scored
    form = build_form01(score)
    codes = [row.code for row in form.marks if not row.is_group]
    assert codes == [
        "I.1",
        "I.2",
        "II.1",
        "II.2",
        "II.3",
        "II.4",
        "III.1",
        "III.2",
        "III.3",
        "III.4",
    ]
    assert [row.code for row in form.marks if row.is_group] == ["I", "II", "III"]
    first = next(row for row in form.marks if row.code == "I.1")
    assert first.max_points == "5" and first.self_mark != "—" and first.evaluator_mark != "—"
    labels = [row.label for row in form.tasks]
    assert labels[0].startswith("a)") and labels[2].startswith("c)")
    assert not any(label.startswith("d)") for label in labels)
    assert form.general_total == "26,00" and form.total == str(score.total).replace(".", ",")

    leader_form = build_form01(head.period_scores.get())
    assert leader_form.is_leader
    assert [r.label[:2] for r in leader_form.tasks[:6]] == ["a)", "b)", "c)", "d)", "đ)", "e)"]


def test_form01_print_and_xlsx_by_url(client, scored):
    _world, person, _head, score = scored
    client.force_login(person.user)
    page = client.get(reverse("ratings_form01", args=[score.pk])).content.decode()
    for text in (
        "PHIẾU THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC",
        "Tháng 03/2026",
        "I.1",
        "III.4",
        "Điểm tự chấm",
        "Điểm người đánh giá chấm",
        "a) Số lượng",
        "(3 = 1 + 2)",
        "Độc lập - Tự do - Hạnh phúc",
        "Nguyễn Thị Mẫu Một",
    ):
        assert text in page, text
    response = client.get(reverse("ratings_form01_xlsx", args=[score.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "II.3" in values and "Điểm người đánh giá chấm" in values
    # Someone else's civil servant account may not print it.
    client.force_login(UserFactory(username="khac", groups=[CIVIL_SERVANT_GROUP]))
    response = client.get(reverse("ratings_form01", args=[score.pk]))
    assert response.status_code in (302, 403)


def test_each_persons_form01_has_its_own_title(client, scored):
    """Issue 44's crawl: every Form 01 print was titled "PHIẾU THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC"
    alone; the title names the person and the period (a saved PDF, a browser tab)."""
    _world, person, head, score = scored
    client.force_login(UserFactory(username="snv.form01", groups=[HOME_AFFAIRS_GROUP]))
    titles = {}
    for who, row in ((person, score), (head, head.period_scores.get())):
        page = client.get(reverse("ratings_form01", args=[row.pk])).content.decode()
        titles[who.full_name] = page.split("<title>", 1)[1].split("</title>", 1)[0].strip()
    assert titles["Nguyễn Thị Mẫu Một"] == (
        "PHIẾU THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC — Nguyễn Thị Mẫu Một — "
        "Kỳ theo dõi, đánh giá: Tháng 03/2026"
    )
    assert "Lại Văn Trưởng" in titles["Lại Văn Trưởng"]


def test_cases_open_from_score_year_with_the_scoring_framework(scored):
    world, person, _head, _score = scored
    score_year(2026)
    report = open_cases(2026, world.department)
    subjects = {c.subject_name for c in report.created}
    assert {
        "Nguyễn Thị Mẫu Một",
        "Lại Văn Trưởng",
        world.unit.name,
        world.department.name,
    } <= subjects
    case = RatingCase.objects.get(civil_servant=person)
    annual = AnnualScore.objects.get(civil_servant=person)
    assert case.annual_score == annual and case.score == annual.score
    assert case.rater_agency == world.department and case.agency == world.unit
    ceiling = civil_servant_ceiling(case)
    assert ceiling.level == annual.rating_before_quota
    # Idempotent.
    again = open_cases(2026, world.department)
    assert not again.created and again.existing == len(report.created)


def _printed(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def test_c23_form01_printed_figures_add_up_to_the_printed_total_and_band():
    """Review C23 / U13 (issue 13 item 10), rounding ``each_printed_figure`` [inferred, default]:
    3 products all done, 1 delay, general 21.94. Form 01 prints what the engine used; re-added
    by hand, the printed a/b/c give the printed task %, task points, total and band."""
    world = build_world()
    person = world.person("Trần Văn Giấy")
    world.line(person, "X", 3, 3, delays=1)
    world.marks(person, Decimal("21.94"))
    score = score_person(person, world.period)
    form = build_form01(score)
    figures = [_printed(row.value) for row in form.tasks]
    a, b, c, task_percent, task_points = figures
    assert (a, b, c) == (Decimal("100"), Decimal("100"), Decimal("91.67"))
    cent = Decimal("0.01")
    assert (
        task_percent == ((a + b + c) / 3).quantize(cent, rounding=ROUND_HALF_UP) == Decimal("97.22")
    )
    assert task_points == (task_percent * 70 / 100).quantize(cent, rounding=ROUND_HALF_UP)
    total = task_points + _printed(form.general_total)
    assert total == _printed(form.total) == Decimal("89.99")
    assert band_for(total, DECREE_335_DEFAULT) == "good"
    assert form.rating == level_label("good")
    assert "từng số in trên Phiếu" in form.rounding


@pytest.mark.parametrize(("banding", "level"), [("rounded", "excellent"), ("exact", "good")])
def test_c08_ceiling_follows_the_framework_banding(scored, monkeypatch, banding, level):
    """Review C08 / U2 (Art. 20 "từ 90 điểm trở lên", rounding.banding [inferred]): an annual
    mean of 89.995 is stored as 90.00; with ``exact`` banding the engine stored the band "good"
    and the ceiling keeps it instead of re-banding the rounded 90.00."""
    import dataclasses

    from ratings.services import ceilings
    from scoring.engine import Choice, RoundingRule

    world, person, _head, _score = scored
    score_year(2026)
    open_cases(2026, world.department)
    case = RatingCase.objects.get(civil_servant=person)
    exact_band = "good" if banding == "exact" else "excellent"
    AnnualScore.objects.filter(civil_servant=person).update(
        score=Decimal("90.00"), score_rating=exact_band
    )
    rules = dataclasses.replace(DECREE_335_DEFAULT, rounding=RoundingRule(banding=Choice(banding)))
    monkeypatch.setattr(ceilings, "rules_for_annual_score", lambda annual: rules)
    assert civil_servant_ceiling(case).level == level


def test_a_public_employee_is_named_by_their_own_category(client, scored):
    """Review 2026-11-23 C2 (issue 30 item 3): a viên chức was called công chức on the case
    page, Form 01, Form 02 and the explanation."""
    from org.models import PersonCategory
    from ratings.printing.form02 import build_form02
    from scoring.explain import render_step

    world, person, _head, score = scored
    score.posting.category = PersonCategory.PUBLIC_EMPLOYEE
    score.posting.save()
    form = build_form01(score)
    assert form.header.title == "PHIẾU THEO DÕI, ĐÁNH GIÁ VIÊN CHỨC"
    assert form.signatures[0].title == "VIÊN CHỨC TỰ ĐÁNH GIÁ"

    score_year(2026)
    open_cases(2026, world.department)
    case = RatingCase.objects.get(civil_servant=person)
    form02 = build_form02(case)
    assert form02.header.title == "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG VIÊN CHỨC"
    assert form02.identity[1].label == "Mã số viên chức"
    assert case.subject_kind_label == "Viên chức"

    text = render_step(
        {"code": "framework", "framework": "decree-335-default", "version": 1, "role": "staff"}
    )
    assert "công chức" not in text and "decree-335-default" not in text
