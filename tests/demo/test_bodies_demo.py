"""The demo's Party, Front and public-service bodies, viên chức and contract workers (issue 18
item 5, docs/scope.md): every flow works for them or refuses them with the reason — catalogs,
scoring with the framework their category names, the quota groups, the national export, the
default authority of each new agency kind, the public pages (never mixing categories) and the
API."""

import datetime

import pytest

from api.models import OutboxRecord
from api.outbox import collect_final_results
from catalog_pages.models import AgencyCatalogPage, CatalogVersion
from demo.bodies_demo import FRAMEWORK_CODE
from demo.data import bodies as data
from org.authority import AuthorityError, resolve_authority
from org.categories import rules_for
from org.models import Agency, AgencyKind, CivilServant, LeadershipRole, PersonCategory, Posting
from ratings.models import RatingCase
from ratings.services.quota import group_cases
from scoring.models import AnnualScore, Period, PeriodKind, PeriodScore

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 1)
JANUARY = datetime.date(2026, 1, 1)


def holder(code, role=LeadershipRole.HEAD) -> CivilServant:
    return (
        Posting.objects.filter(agency__code=code, role=role)
        .select_related("civil_servant")
        .first()
        .civil_servant
    )


def people_of(category) -> list[CivilServant]:
    return list(CivilServant.objects.filter(postings__category=category).distinct())


# --- the shape ----------------------------------------------------------------------------------


def test_the_demo_has_the_three_trees_and_every_category(demo):
    roots = set(Agency.objects.filter(parent=None).values_list("kind", flat=True))
    assert roots == {AgencyKind.PROVINCE, AgencyKind.PARTY, AgencyKind.FRONT}
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert set(AgencyKind.values) <= kinds  # every kind, the five of issue 18 included
    # 287 people of the state administration, 30 in the bodies, 3 contract workers.
    assert CivilServant.objects.count() == 287 + 30 + 3
    counts = {c: len(people_of(c)) for c in PersonCategory.values}
    assert counts[PersonCategory.PUBLIC_EMPLOYEE] == 9
    assert counts[PersonCategory.CONTRACT_WORKER] == 3
    assert counts[PersonCategory.CADRE] == 6
    switches = dict(
        Agency.objects.filter(code__in=data.CONTRACT_SWITCH).values_list(
            "code", "applies_to_contract_workers"
        )
    )
    assert switches == data.CONTRACT_SWITCH
    assert all(p.official_id.startswith("HD-") for p in people_of(PersonCategory.CONTRACT_WORKER))


def test_every_body_has_an_approved_catalog(demo):
    for code in data.CATALOG_OWNERS:
        page = AgencyCatalogPage.objects.get(agency__code=code)
        assert page.live, code
        assert CatalogVersion.objects.in_force(page.agency, JANUARY) is not None, code


# --- authority of each new agency kind (org/migrations/0005, docs/scope.md §3) -----------------

BTC, TCCB, MTTQ, DCPL, HPN, BV, NOI = (
    "TU-BTC",
    "TU-BTC-TCCB",
    "MTTQ",
    "MTTQ-DCPL",
    "MTTQ-HLHPN",
    "SYT-BVDK",
    "SYT-BVDK-NOI",
)
H, D, S = LeadershipRole.HEAD, LeadershipRole.DEPUTY, LeadershipRole.STAFF

# (subject's agency, role) → (evaluator, rater, opinion) as (agency code, role) of the holder.
AUTHORITY = [
    (("TU", S), ("TU", H), ("TU", H), None),  # party: staff of the Party committee
    ((BTC, H), ("TU", H), ("TU", H), None),  # party_body head
    ((BTC, D), (BTC, H), (BTC, H), ("TU", H)),  # party_body deputy, opinion of the committee
    ((BTC, S), (BTC, H), (BTC, H), None),  # party_body staff
    ((TCCB, H), (BTC, H), (BTC, H), None),  # unit of a party_body: head
    ((TCCB, S), (TCCB, H), (BTC, H), None),  # … staff: unit head evaluates, body head rates
    ((MTTQ, D), (MTTQ, H), (MTTQ, H), None),  # front deputy
    ((MTTQ, S), (MTTQ, H), (MTTQ, H), None),  # front staff
    ((DCPL, S), (DCPL, H), (MTTQ, H), None),  # unit of the front
    ((HPN, H), (MTTQ, H), (MTTQ, H), None),  # socio_political head → Chủ tịch MTTQ
    ((HPN, D), (HPN, H), (HPN, H), (MTTQ, H)),  # socio_political deputy
    ((HPN, S), (HPN, H), (HPN, H), None),  # socio_political staff
    ((BV, H), ("SYT", H), ("SYT", H), None),  # public_service head → managing department
    ((BV, D), (BV, H), (BV, H), None),  # public_service deputy
    ((NOI, H), (BV, H), (BV, H), None),  # khoa of a public_service unit: head
    ((NOI, S), (NOI, H), (BV, H), None),  # … staff
]


@pytest.mark.parametrize(("subject", "evaluator", "rater", "opinion"), AUTHORITY)
def test_each_new_agency_kind_resolves_its_default_authority(
    demo, subject, evaluator, rater, opinion
):
    authority = resolve_authority(holder(*subject), DAY)
    assert authority.evaluator.person == holder(*evaluator)
    assert authority.rater.person == holder(*rater)
    if opinion is None:
        assert authority.opinion is None
    else:
        assert authority.opinion.person == holder(*opinion)
    assert "[giả định — tỉnh cần xác nhận]" in authority.rule.citation


@pytest.mark.parametrize("root", ["TU", "MTTQ"])
def test_the_heads_of_the_party_and_front_roots_have_no_rule_and_say_so(demo, root):
    with pytest.raises(AuthorityError, match="Chưa có quy tắc thẩm quyền"):
        resolve_authority(holder(root), DAY)


def test_contract_workers_are_evaluated_like_staff_of_their_department(demo):
    worker = CivilServant.objects.get(official_id="HD-0001")
    authority = resolve_authority(worker, DAY)
    assert authority.evaluator.person == holder("SKHCN")


# --- scoring: who is scored, with which framework ----------------------------------------------


def january_scores(**filters):
    return PeriodScore.objects.filter(
        period__kind=PeriodKind.MONTH, period__start_date=JANUARY, **filters
    )


def test_viên_chức_are_scored_with_their_own_framework_and_the_others_are_not(demo):
    employees = january_scores(posting__category=PersonCategory.PUBLIC_EMPLOYEE)
    assert employees.count() == 9
    assert set(employees.values_list("framework__code", flat=True)) == {FRAMEWORK_CODE}
    others = january_scores().exclude(posting__category=PersonCategory.PUBLIC_EMPLOYEE)
    assert FRAMEWORK_CODE not in set(others.values_list("framework__code", flat=True))
    assert rules_for(PersonCategory.PUBLIC_EMPLOYEE).framework == "public_employee"


def test_contract_workers_are_scored_only_where_the_department_switched_them_on(demo):
    scored = set(
        january_scores(posting__category=PersonCategory.CONTRACT_WORKER).values_list(
            "civil_servant__official_id", flat=True
        )
    )
    assert scored == {"HD-0001", "HD-0002"}
    assert not AnnualScore.objects.filter(civil_servant__official_id="HD-0003").exists()


def test_every_body_has_period_and_annual_scores_and_rating_cases(demo):
    for code in ("TU", "TU-BTC", "MTTQ", "MTTQ-HLHPN", "SYT-BVDK"):
        path = Agency.objects.get(code=code).path
        assert january_scores(agency__path__startswith=path, scored=True).exists(), code
        assert AnnualScore.objects.filter(agency__path__startswith=path).exists(), code
        assert RatingCase.objects.filter(agency__path__startswith=path).exists(), code


# --- quota groups -------------------------------------------------------------------------------


def test_viên_chức_and_contract_workers_stay_outside_the_quota_groups(demo):
    outside = [
        *people_of(PersonCategory.PUBLIC_EMPLOYEE),
        *people_of(PersonCategory.CONTRACT_WORKER),
    ]
    for score in AnnualScore.objects.filter(civil_servant__in=outside, year=2026):
        assert score.explanation.get("quota") is None, score
    worker_case = RatingCase.objects.get(civil_servant__official_id="HD-0001", year=2026)
    servant_case = (
        RatingCase.objects.filter(agency__code__startswith="SKHCN", year=2026)
        .exclude(civil_servant=None)
        .exclude(civil_servant__official_id__startswith="HD-")
        .first()
    )
    members = set(group_cases(servant_case).values_list("civil_servant__official_id", flat=True))
    assert worker_case.civil_servant.official_id not in members
    cadre = AnnualScore.objects.get(civil_servant=holder(HPN, D), year=2026)
    assert rules_for(PersonCategory.CADRE).quota and cadre.scored


# --- national export ----------------------------------------------------------------------------


def test_the_national_export_holds_no_viên_chức_nor_contract_worker(demo):
    collect_final_results()
    exported = set(
        OutboxRecord.objects.exclude(civil_servant=None).values_list(
            "civil_servant__postings__category", flat=True
        )
    )
    assert exported, "the closed months of the demo are in the outbox"
    assert PersonCategory.PUBLIC_EMPLOYEE not in exported
    assert PersonCategory.CONTRACT_WORKER not in exported
    # The bodies' cán bộ and công chức are exported like everyone else's.
    assert OutboxRecord.objects.filter(civil_servant=holder("MTTQ")).exists()


# --- public pages -------------------------------------------------------------------------------


def test_the_public_figures_count_only_cán_bộ_and_công_chức(demo):
    from dashboards.snapshots import public_tables

    period = Period.objects.get(kind=PeriodKind.MONTH, start_date=JANUARY)
    assert period.published
    table = public_tables([period])[period.pk]
    counted = january_scores(
        scored=True, posting__category__in=[PersonCategory.CADRE, PersonCategory.CIVIL_SERVANT]
    ).exclude(rating="")
    assert table.province.rated == counted.count()
    health = Agency.objects.get(code="SYT")
    row = table.row_for(health.pk)
    in_health = counted.filter(agency__path__startswith=health.path).count()
    assert row.rated == in_health  # the hospital's viên chức are not in Sở Y tế's figures
    science = Agency.objects.get(code="SKHCN")
    assert (
        table.row_for(science.pk).rated
        == counted.filter(agency__path__startswith=science.path).count()
    )
    party = table.row_for(Agency.objects.get(code="TU-BTC").pk)
    assert party is not None and party.rated


def test_the_public_agency_list_shows_the_bodies_in_their_own_groups(demo, client):
    from dashboards.models import AgencyResultsPage

    page = AgencyResultsPage.objects.live().first()
    response = client.get(page.url)
    assert response.status_code == 200
    groups = {group["kind"]: [n.code for n, _url in group["agencies"]] for group in
              response.context["groups"]}  # fmt: skip
    assert {"TU", "TU-BTC"} <= set(groups["Cơ quan Đảng"])
    assert {"MTTQ", "MTTQ-HLHPN"} <= set(
        groups["Mặt trận Tổ quốc và các tổ chức chính trị - xã hội"]
    )
    assert not {"TU", "MTTQ"} & set(groups["Sở, ban, ngành"])
    assert "Viên chức và người lao động hợp đồng" in response.content.decode()
    detail = client.get(page.agency_url("TU-BTC"))
    assert detail.status_code == 200


# --- API ----------------------------------------------------------------------------------------


def test_the_api_shows_the_category_of_each_period_result(demo):
    from api.serializers.results import PeriodScoreSerializer

    score = january_scores(civil_servant__official_id="HD-0001").get()
    assert PeriodScoreSerializer(score).data["category"] == PersonCategory.CONTRACT_WORKER
    employee = january_scores(posting__category=PersonCategory.PUBLIC_EMPLOYEE).first()
    assert PeriodScoreSerializer(employee).data["category"] == PersonCategory.PUBLIC_EMPLOYEE
