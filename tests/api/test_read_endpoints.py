"""Shapes, filters, ordering and pagination of the read endpoints (as Sở Nội vụ)."""

import pytest

from wagtail.models import Revision

from scoring.models import CriteriaFramework, PeriodScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def get(world):
    client = world.client_for("home_affairs")

    def fetch(url, status=200):
        response = client.get(url)
        assert response.status_code == status, response.content
        return response.json()

    return fetch


def _codes(rows, key="civil_servant"):
    return sorted(row[key] for row in rows)


# --------------------------------------------------------------------------- reference data


def test_agency_tree_fields(world, get):
    body = get("/api/v1/agencies/SNV/")
    assert body["code"] == "SNV"
    assert body["parent"] == world.province.pk
    assert body["parent_code"] == "TINH"
    assert body["path"] == f"/{world.province.pk}/{world.snv.pk}/"
    assert body["depth"] == 1
    assert body["children"] == [world.snv_unit.pk]
    root = get("/api/v1/agencies/TINH/")
    assert root["parent"] is None and root["parent_code"] is None
    assert sorted(root["children"]) == sorted([world.snv.pk, world.stc.pk])


def test_agency_filters(get):
    assert [a["code"] for a in get("/api/v1/agencies/?within=SNV")["results"]] == [
        "SNV",
        "SNV-P1",
    ]
    assert [a["code"] for a in get("/api/v1/agencies/?parent=TINH")["results"]] == ["SNV", "STC"]
    assert {a["code"] for a in get("/api/v1/agencies/?kind=unit")["results"]} == {
        "SNV-P1",
        "STC-P1",
    }
    assert [a["code"] for a in get("/api/v1/agencies/?q=tai%20chinh")["results"]] == ["STC"]
    page = get("/api/v1/agencies/?page_size=2&ordering=code")
    assert page["count"] == 5
    assert [a["code"] for a in page["results"]] == ["SNV", "SNV-P1"]
    assert page["next"].endswith("page=2&page_size=2&ordering=code") or "page=2" in page["next"]


def test_unknown_agency_code_in_a_filter_is_a_400(get):
    error = get("/api/v1/period-scores/?agency=NOPE", status=400)["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["agency"]


def test_catalogs_versions_and_items(world, get):
    catalogs = get("/api/v1/catalogs/")["results"]
    assert [c["agency"] for c in catalogs] == ["SNV", "STC"]
    snv = catalogs[0]
    assert len(snv["versions"]) == 1
    assert snv["in_force_version"] == snv["versions"][0]["id"]
    assert snv["versions"][0]["item_count"] == 2
    assert get("/api/v1/catalogs/SNV/?on=2025-06-01")["in_force_version"] is None
    version = get(f"/api/v1/catalog-versions/{snv['in_force_version']}/")
    assert [item["code"] for item in version["items"]] == ["X", "Y"]
    assert version["items"][1]["coefficient"] == "2.0000"
    items = get("/api/v1/catalog-items/?agency=STC")["results"]
    assert [item["code"] for item in items] == ["X", "Z"]
    in_force = get("/api/v1/catalog-versions/?in_force_on=2026-03-15")["results"]
    assert {v["agency"] for v in in_force} == {"SNV", "STC"}


def test_frameworks_are_live_revisions_only(world, get):
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    live_rules = framework.live_revision.content["rules"]
    # A draft in the row must never show.
    framework.name = "BẢN NHÁP chưa công bố"
    framework.rules = {**live_rules, "version": "draft"}
    framework.save_revision()
    listed = get("/api/v1/frameworks/")["results"]
    assert [f["code"] for f in listed] == ["nghi-dinh-335-mac-dinh"]
    assert listed[0]["name"] != "BẢN NHÁP chưa công bố"
    assert "rules" not in listed[0]
    detail = get(f"/api/v1/frameworks/{framework.pk}/")
    assert detail["rules"] == live_rules
    assert detail["live_version"]["id"] == framework.live_revision_id
    # The draft revision itself is not served; the live one is.
    draft = Revision.objects.filter(object_id=str(framework.pk)).order_by("-id").first()
    assert draft.pk != framework.live_revision_id
    get(f"/api/v1/framework-versions/{draft.pk}/", status=404)
    live = get(f"/api/v1/framework-versions/{framework.live_revision_id}/")
    assert live["is_live"] is True and live["rules"] == live_rules
    # The other shipped framework is a draft: not listed.
    assert not CriteriaFramework.objects.filter(live=True).exclude(pk=framework.pk).exists()


def test_periods(get):
    rows = get("/api/v1/periods/")["results"]
    assert [(p["code"], p["status"]) for p in rows] == [("2026-03", "open"), ("2026-02", "closed")]
    assert get("/api/v1/periods/?code=2026-02")["results"][0]["label"] == "Tháng 02/2026"
    assert get("/api/v1/periods/?code=2026-99", status=400)["error"]["fields"]["code"]


# --------------------------------------------------------------------------- people


def test_civil_servant_with_postings(world, get):
    body = get(f"/api/v1/civil-servants/{world.people['hung'].official_id}/")
    assert body["full_name"] == "Trần Văn Hùng"
    assert body["postings"][0]["agency"] == "SNV-P1"
    assert body["postings"][0]["role"] == "head"
    assert set(body) == {"id", "official_id", "full_name", "gender", "is_active", "postings"}


def test_civil_servant_filters(world, get):
    def ids(query):
        return sorted(r["official_id"] for r in get(f"/api/v1/civil-servants/?{query}")["results"])

    people = {name: person.official_id for name, person in world.people.items()}
    assert ids("agency=SNV") == sorted([people["alice"], people["hung"]])
    assert ids("agency=STC-P1") == [people["binh"]]
    assert ids("leader=true") == [people["hung"]]
    assert ids("leader=false") == sorted([people["alice"], people["binh"]])
    assert ids("position_group=professional") == sorted(people.values())
    assert ids("position_group=support") == []


# --------------------------------------------------------------------------- lines and scores


def test_period_score_has_the_explanation(world, get):
    alice = world.people["alice"]
    body = get(f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-03")
    (score,) = body["results"]
    assert score["total"] == "83.00"
    assert score["rating"] == "good"
    assert score["period"] == "2026-03"
    assert score["agency"] == "SNV-P1"
    assert score["explanation"]["steps"]
    assert score["explanation_text"][-1].startswith("Mức theo điểm")
    assert all(isinstance(step, str) for step in score["explanation_text"])
    detail = get(f"/api/v1/period-scores/{score['id']}/")
    assert detail == score


def test_score_filters(world, get):
    def rows(query):
        return get(f"/api/v1/period-scores/?{query}")["results"]

    people = {name: person.official_id for name, person in world.people.items()}
    assert _codes(rows("agency=SNV&period=2026-02")) == sorted([people["alice"], people["hung"]])
    assert _codes(rows("agency=SNV-P1&leader=true")) == [people["hung"]] * 2
    assert {r["rating"] for r in rows("rating=excellent&rating=good")} <= {"excellent", "good"}
    assert _codes(rows("rating=excellent&period=2026-03")) == sorted(
        [people["hung"], people["binh"]]
    )
    assert len(rows("position_group=professional")) == 6
    assert rows("computed_after=2100-01-01T00:00:00Z") == []
    assert len(rows("min_total=90")) == 4
    assert len(rows("period_kind=month&year=2026")) == 6


def test_score_ordering_and_cursor_pagination(get):
    first = get("/api/v1/period-scores/?ordering=-total&page_size=4")
    totals = [row["total"] for row in first["results"]]
    assert totals == sorted(totals, key=float, reverse=True)
    assert "cursor=" in first["next"]
    assert "count" not in first
    rest = get(first["next"].replace("http://testserver", ""))
    assert len(first["results"]) + len(rest["results"]) == 6
    assert rest["next"] is None


def test_assignment_line_filters(world, get):
    def count(query):
        return len(get(f"/api/v1/assignment-lines/?{query}")["results"])

    assert count("period=2026-03") == 4
    assert count("period=2026-03&agency=STC") == 1
    assert count(f"civil_servant={world.people['alice'].official_id}") == 4
    assert count("product_code=Y") == 2
    assert count("source=manual") == 8
    assert count("updated_before=2000-01-01T00:00:00Z") == 0
    line = get("/api/v1/assignment-lines/?product_code=Z&period=2026-02")["results"][0]
    assert line["item"]["code"] == "Z"
    assert line["unit"] == "STC-P1"
    assert line["assigned_quantity"] == "2.00"


def test_annual_scores_and_ratings(world, get):
    alice = world.people["alice"].official_id
    annual = get(f"/api/v1/annual-scores/?year=2026&civil_servant={alice}")["results"][0]
    assert annual["score"] == "83.00"
    assert annual["explanation_text"]
    rating = get(f"/api/v1/annual-ratings/?civil_servant={alice}")["results"][0]
    assert rating["decision_level"] == "good"
    assert rating["decision_date"] == "2026-12-20"
    # The year's score, as Form 02 prints it (the case was opened at 85.00; issue 42, F3).
    assert rating["score"] == "83.00"
    assert get("/api/v1/annual-ratings/?decision_level=completed")["results"][0]["agency"] == (
        "STC-P1"
    )


# --------------------------------------------------------------------------- aggregates


def test_agency_aggregates(world, get):
    rows = get("/api/v1/aggregates/agencies/?period=2026-03")
    snv = next(row for row in rows if row["agency"] == "SNV")
    stored = PeriodScore.objects.filter(period=world.march, agency__path__startswith=world.snv.path)
    assert snv["rated"] == stored.count() == 2
    assert snv["counts"] == {"excellent": 1, "good": 1, "completed": 0, "not_completed": 0}
    totals = sorted(score.total for score in stored)
    assert snv["mean_score"] == f"{sum(totals) / 2:.2f}"
    children = get("/api/v1/aggregates/agencies/?period=2026-03&parent=SNV")
    assert [(row["agency"], row["rated"]) for row in children] == [("SNV-P1", 2)]
    one = get("/api/v1/aggregates/agencies/?period=2026-03&agency=STC")
    assert [(row["agency"], row["counts"]["excellent"]) for row in one] == [("STC", 1)]


def test_aggregate_of_a_year_uses_annual_scores(get):
    rows = get("/api/v1/aggregates/agencies/?period=2026")
    assert {row["agency"]: row["rated"] for row in rows} == {"SNV": 2, "STC": 1}
    province = get("/api/v1/aggregates/province/?period=2026")
    assert province["rated"] == 3
    assert [row["agency"] for row in province["agencies"]] == ["SNV", "STC"]


def test_aggregate_needs_a_valid_period(get):
    error = get("/api/v1/aggregates/agencies/", status=400)["error"]
    assert list(error["fields"]) == ["period"]
    error = get("/api/v1/aggregates/agencies/?period=2026-13", status=400)["error"]
    assert "Mã kỳ không hợp lệ" in error["fields"]["period"][0]
    empty = get("/api/v1/aggregates/province/?period=2025-01")
    assert empty["rated"] == 0 and empty["mean_score"] is None
