import datetime

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command

from demo.personnel_file_demo import AGENCY_CODE as PERSONNEL_FILE_AGENCY
from org.authority import resolve_authority
from org.models import Agency, AgencyKind, CivilServant, LeadershipRole, PositionGroup, Posting
from tests.org.authority_reference import subjects_by_own_authority

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_db_blocker):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def counts():
    return (
        Agency.objects.count(),
        CivilServant.objects.count(),
        Posting.objects.count(),
    )


def test_demo_province_shape(demo):
    assert Agency.objects.filter(kind=AgencyKind.PROVINCE).count() == 1
    assert set(Agency.objects.filter(parent=None).values_list("kind", flat=True)) == {
        AgencyKind.PROVINCE,
        AgencyKind.PARTY,
        AgencyKind.FRONT,
    }
    assert Agency.objects.filter(kind=AgencyKind.DEPARTMENT).count() >= 6
    assert Agency.objects.filter(kind=AgencyKind.COMMUNE).count() >= 4
    assert 250 <= CivilServant.objects.count() <= 400
    groups = set(Posting.objects.values_list("job_position__group", flat=True))
    assert groups == {PositionGroup.LEADERSHIP, PositionGroup.PROFESSIONAL, PositionGroup.SUPPORT}
    # Sở Văn hóa, Thể thao và Du lịch is staffed only from the personnel file the demo ships
    # (demo.personnel_file_demo, tests/demo/test_personnel_file_demo.py).
    for top in Agency.objects.filter(kind__in=[AgencyKind.DEPARTMENT, AgencyKind.COMMUNE]).exclude(
        code=PERSONNEL_FILE_AGENCY
    ):
        roles = set(top.postings.values_list("role", flat=True))
        assert {LeadershipRole.HEAD, LeadershipRole.DEPUTY} <= roles, top


def test_demo_has_a_transfer_and_every_authority_resolves(demo):
    moved = [p for p in CivilServant.objects.all() if p.postings.count() > 1]
    assert len(moved) >= 1
    person = moved[0]
    before = person.primary_posting_on(datetime.date(2026, 3, 1))
    after = person.primary_posting_on(datetime.date(2026, 9, 1))
    assert before.agency != after.agency
    assert before.end_date == datetime.date(2026, 6, 30)
    every_demo_civil_servant_below_the_province_has_an_authority()


def every_demo_civil_servant_below_the_province_has_an_authority():
    """Everyone but the heads of the three roots (the chairman of the People's Committee, the
    Bí thư Tỉnh ủy, the Chủ tịch Ủy ban MTTQ tỉnh: evaluated by the central level, no rule —
    docs/scope.md §3, tests/demo/test_bodies_demo.py)."""
    day = datetime.date(2026, 5, 1)
    heads = Posting.objects.filter(agency__parent=None, role=LeadershipRole.HEAD)
    for person in CivilServant.objects.posted_on(day).exclude(
        pk__in=heads.values("civil_servant_id")
    ):
        authority = resolve_authority(person, day)
        assert authority.evaluator.person is not None, person
        assert authority.rater.person is not None, person


def test_load_demo_is_idempotent(demo):
    before = counts()
    names = list(CivilServant.objects.order_by("official_id").values_list("full_name", flat=True))
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == before
    assert names == list(
        CivilServant.objects.order_by("official_id").values_list("full_name", flat=True)
    )


def test_people_evaluated_by_agrees_with_each_persons_authority_in_few_queries(
    demo, django_assert_max_num_queries
):
    """Review 2026-11-22 (ux #2): the chairman's admin pages took seconds because
    ``people_evaluated_by`` resolved the authority of every person of the province one by one.
    The batched answer must equal the per-person reference for every leader, on the days before
    and after the demo's mid-year transfer, in a fixed number of queries."""
    from org.authority import evaluated_ids, people_evaluated_by

    for day in (datetime.date(2026, 5, 1), datetime.date(2026, 9, 1)):
        expected = subjects_by_own_authority(
            CivilServant.objects.posted_on(day).prefetch_related("postings"), day
        )
        leaders = CivilServant.objects.filter(postings__role=LeadershipRole.HEAD).distinct()
        for leader in leaders:
            for as_rater in (False, True):
                # The ids in 7 queries; the people themselves, with their postings, 3 more.
                with django_assert_max_num_queries(7):
                    ids = evaluated_ids(leader, day, as_rater=as_rater)
                with django_assert_max_num_queries(10):
                    found = people_evaluated_by(leader, day, as_rater=as_rater)
                assert {p.pk for p in found} == ids
                assert {p.pk for p in found} == expected.get((leader.pk, as_rater), set()), (
                    leader,
                    day,
                    as_rater,
                )


def test_demo_job_descriptions_are_approved_and_shown_with_the_catalog(demo, client):
    """Sở Tư pháp's positions have an approved job description in force, shown on its public
    catalog page; one position waits for approval, one has a version 2 being written."""
    from catalog_pages.models import AgencyCatalogPage
    from demo.job_descriptions_demo import load_job_descriptions_demo
    from org.models import DescriptionStatus, JobDescription, JobPosition

    day = datetime.date(2026, 5, 1)
    for code in ("CV-PC", "CV-HCTP", "CV-TH"):
        version = JobPosition.objects.get(code=code).description_in_force(day)
        assert version is not None and version.competencies.count() >= 3, code
    assert JobDescription.objects.filter(status=DescriptionStatus.SUBMITTED).exists()
    assert JobDescription.objects.filter(status=DescriptionStatus.DRAFT, number=2).exists()
    before = JobDescription.objects.count()
    load_job_descriptions_demo()
    assert JobDescription.objects.count() == before
    page = AgencyCatalogPage.objects.get(agency__code="STP")
    html = client.get(page.url).content.decode()
    assert "áp dụng từ ngày 01/01/2026 (Quyết định số 12/QĐ-SNV ngày 26/12/2025)" in html


def test_demo_common_catalog_changes_a_coefficient_from_march(demo, client):
    """Decision 25/QĐ-UBND adopts the common catalog from 01/03/2026: Sở Tư pháp's STP-006
    counts 12 in February (closed, kept) and the common 10 in March; the change is listed."""
    from django.urls import reverse

    from catalog_pages.common_catalog import effective_items
    from catalog_pages.models import CatalogVersionItem, CommonCatalogAdoption
    from demo.common_catalog_demo import load_common_catalog_demo
    from scoring.models import AssignmentLine, Period, PeriodScore

    adoption = CommonCatalogAdoption.objects.get(decision_number="25/QĐ-UBND")
    assert adoption.is_adopted and adoption.effective_from == datetime.date(2026, 3, 1)
    item = CatalogVersionItem.objects.filter(version__agency__code="STP", code="STP-006").first()
    feb, mar = datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)
    assert effective_items([item.pk], feb)[item.pk].coefficient == 12
    assert effective_items([item.pk], mar)[item.pk].coefficient == 10
    march = Period.from_code("2026-03")
    people = set(
        AssignmentLine.objects.filter(item=item, period=march).values_list(
            "civil_servant_id", flat=True
        )
    )
    assert people
    scores = PeriodScore.objects.filter(period=march, civil_servant__in=people)
    assert scores.exists()
    for score in scores:
        assert score.explanation["common"][str(item.pk)]["coefficient"] == "10"
    for score in PeriodScore.objects.filter(period=Period.from_code("2026-02")):
        assert "common" not in score.explanation
    assert load_common_catalog_demo() is None
    client.force_login(get_user_model().objects.get(username="quantri.stp"))
    page = client.get(reverse("catalog_common_changes")).content.decode()
    assert "STP-006" in page and "12 → <strong>10</strong>" in page and "01/03/2026" in page


def test_the_demo_opens_with_every_derived_figure_settled(demo, client):
    """CI, 24/11/2026: the loader changed inputs after scoring the years (an upheld complaint,
    a decided organisation level) and left them marked stale; the demo's cases then refused
    their appraisal ("Điểm năm 2026 đang được tính lại …") until a worker ran. The demo is
    settled when the loader returns: nothing marked, and the director's case can go on."""
    from org.authority import head_posting
    from scoring.models import StaleFigure
    from scoring.services.freshness import annual_refusal

    assert list(StaleFigure.objects.values_list("kind", "year", "subject_id", "reason")) == []
    department = Agency.objects.get(code="STP")
    director = head_posting(department, datetime.date(2026, 11, 1)).civil_servant
    assert annual_refusal(director.pk, 2026) is None
    client.force_login(get_user_model().objects.get(username="sonoivu"))
    page = client.get("/admin/").content.decode()
    assert "Đang tính lại" not in page
