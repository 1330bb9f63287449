"""Every read endpoint, every role: each caller sees exactly its rows (tests/api/world.py).

People: Alice and Hùng work in SNV-P1 (under SNV), Bình in STC-P1 (under STC). Alice's sign-in
is linked to her record. Two months (February closed, March open) are scored; the year 2026
has annual scores for all three and decided ratings for Alice and Bình.
"""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    """Read-only tests: one province for the whole module."""
    return shared_world


ALL = {"alice", "hung", "binh"}
SNV = {"alice", "hung"}

#: Who sees whose personal rows.
VISIBLE = {
    "home_affairs": ALL,
    "snv_admin": SNV,
    "alice": {"alice"},
    "outsider": set(),
    "snv-docs": SNV,
    "stc-docs": {"binh"},
    "province-hr": ALL,
}
ROLES = sorted(VISIBLE)
#: Rows per person in each personal list (two months of lines and scores).
LINES_PER_PERSON = {"alice": 4, "hung": 2, "binh": 2}


def _official_ids(world, names):
    return {world.people[name].official_id for name in names}


def _all_results(client, url):
    """Every row of a paginated list (follows cursor or page links)."""
    rows = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        url = body["next"]
    return rows


@pytest.mark.parametrize("role", ROLES)
def test_civil_servants(world, role):
    rows = _all_results(world.client_for(role), "/api/v1/civil-servants/")
    assert {row["official_id"] for row in rows} == _official_ids(world, VISIBLE[role])


@pytest.mark.parametrize("role", ROLES)
def test_assignment_lines(world, role):
    rows = _all_results(world.client_for(role), "/api/v1/assignment-lines/?page_size=2")
    assert {row["civil_servant"] for row in rows} == _official_ids(world, VISIBLE[role])
    assert len(rows) == sum(LINES_PER_PERSON[name] for name in VISIBLE[role])


@pytest.mark.parametrize("role", ROLES)
def test_period_scores(world, role):
    rows = _all_results(world.client_for(role), "/api/v1/period-scores/")
    assert {row["civil_servant"] for row in rows} == _official_ids(world, VISIBLE[role])
    assert len(rows) == 2 * len(VISIBLE[role])


@pytest.mark.parametrize("role", ROLES)
def test_annual_scores(world, role):
    rows = _all_results(world.client_for(role), "/api/v1/annual-scores/")
    assert {row["civil_servant"] for row in rows} == _official_ids(world, VISIBLE[role])


@pytest.mark.parametrize("role", ROLES)
def test_annual_ratings(world, role):
    rows = _all_results(world.client_for(role), "/api/v1/annual-ratings/")
    decided = {"alice", "binh"}
    assert {row["civil_servant"] for row in rows} == _official_ids(world, VISIBLE[role] & decided)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "endpoint", ["civil-servants", "period-scores", "annual-scores", "assignment-lines"]
)
def test_detail_outside_the_scope_is_404(world, role, endpoint):
    """Single-object URLs go through the same layer: out of scope looks like not existing."""
    from scoring.models import AnnualScore, AssignmentLine, PeriodScore

    client = world.client_for(role)
    for name, person in world.people.items():
        if endpoint == "civil-servants":
            key = person.official_id
        elif endpoint == "period-scores":
            key = PeriodScore.objects.filter(civil_servant=person).first().pk
        elif endpoint == "annual-scores":
            key = AnnualScore.objects.get(civil_servant=person).pk
        else:
            key = AssignmentLine.objects.filter(civil_servant=person).first().pk
        response = client.get(f"/api/v1/{endpoint}/{key}/")
        expected = 200 if name in VISIBLE[role] else 404
        assert response.status_code == expected, (name, response.content)
        if expected == 404:
            assert response.json()["error"]["code"] == "not_found"


REFERENCE = [
    "/api/v1/agencies/",
    "/api/v1/agencies/SNV/",
    "/api/v1/job-positions/",
    "/api/v1/job-descriptions/",
    "/api/v1/competencies/",
    "/api/v1/catalogs/",
    "/api/v1/catalog-versions/",
    "/api/v1/catalog-items/",
    "/api/v1/frameworks/",
    "/api/v1/periods/",
]


@pytest.mark.parametrize("role", ROLES)
def test_reference_data_is_readable_by_every_caller(world, role):
    client = world.client_for(role)
    for url in REFERENCE:
        assert client.get(url).status_code == 200, url


PROTECTED = [
    *REFERENCE,
    "/api/v1/civil-servants/",
    "/api/v1/assignment-lines/",
    "/api/v1/period-scores/",
    "/api/v1/annual-scores/",
    "/api/v1/annual-ratings/",
    "/api/v1/aggregates/agencies/?period=2026-03",
    "/api/v1/aggregates/province/?period=2026-03",
    "/api/v1/national-export/",
]


@pytest.mark.parametrize("url", PROTECTED)
def test_anonymous_callers_get_nothing(world, url):
    response = world.client_for("anonymous").get(url)
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"


# --------------------------------------------------------------------------- aggregates

AGGREGATE_ROWS = {
    "home_affairs": {"SNV": 2, "STC": 1},
    "snv_admin": {"SNV": 2},
    "alice": {},
    "outsider": {},
    "snv-docs": {"SNV": 2},
    "stc-docs": {"STC": 1},
    "province-hr": {"SNV": 2, "STC": 1},
}


@pytest.mark.parametrize("role", ROLES)
def test_agency_aggregates_cover_only_visible_agencies(world, role):
    response = world.client_for(role).get("/api/v1/aggregates/agencies/?period=2026-03")
    assert response.status_code == 200
    assert {row["agency"]: row["rated"] for row in response.json()} == AGGREGATE_ROWS[role]


@pytest.mark.parametrize("role", ROLES)
def test_province_aggregate_is_for_the_whole_province_scope_only(world, role):
    response = world.client_for(role).get("/api/v1/aggregates/province/?period=2026-03")
    if role in ("home_affairs", "province-hr"):
        assert response.status_code == 200
        assert response.json()["rated"] == 3
    else:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("role", ROLES)
def test_national_export_is_for_home_affairs_and_allowed_systems(world, role):
    response = world.client_for(role).get("/api/v1/national-export/")
    assert response.status_code == (200 if role in ("home_affairs", "province-hr") else 403)
