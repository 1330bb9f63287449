"""The job descriptions through the API: a job position with its description in force (on a
day), the versions (approved only, never a draft) and the competency dictionary."""

import datetime

import pytest

from org import job_descriptions
from tests.factories import (
    CompetencyFactory,
    JobPositionFactory,
    approve_description,
    job_description,
)

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)
JUL = datetime.date(2026, 7, 1)


@pytest.fixture
def described(world):
    position = JobPositionFactory(code="VT-PC", name="Chuyên viên pháp chế")
    competency = CompetencyFactory(code="P-PL", name="Kiểm tra văn bản", level_count=4)
    first = job_description(
        position, tasks=("Thẩm định", "Kiểm tra"), competencies=[(competency, 3)], approved_on=JAN
    )
    second = job_descriptions.new_version(position)
    second.tasks.filter(name="Kiểm tra").update(name="Kiểm tra sau")
    second = approve_description(
        second, job_descriptions.Decision("40/QĐ-SNV", JUL, "Giám đốc", JUL)
    )
    draft = job_descriptions.new_version(position)
    return {"position": position, "first": first, "second": second, "draft": draft}


def test_job_position_carries_its_description_in_force(world, described):
    client = world.client_for("outsider")
    body = client.get("/api/v1/job-positions/VT-PC/?on=2026-03-01").json()
    assert "description" not in body
    jd = body["description_in_force"]
    assert (jd["id"], jd["number"], jd["status"]) == (described["first"].pk, 1, "superseded")
    assert jd["effective_from"] == "2026-01-01"
    assert [t["name"] for t in jd["tasks"]] == ["Thẩm định", "Kiểm tra"]
    assert jd["competencies"] == [
        {
            "code": "P-PL",
            "name": "Kiểm tra văn bản",
            "kind": "professional",
            "required_level": 3,
            "level_count": 4,
            "descriptor": "Biểu hiện cấp 3",
        }
    ]
    later = client.get("/api/v1/job-positions/VT-PC/?on=2026-07-01").json()
    assert later["description_in_force"]["number"] == 2
    assert later["description_in_force"]["decision_number"] == "40/QĐ-SNV"
    before = client.get("/api/v1/job-positions/VT-PC/?on=2025-12-31").json()
    assert before["description_in_force"] is None


def test_job_position_list_in_a_fixed_number_of_queries(
    world, described, django_assert_max_num_queries
):
    for n in range(3):
        job_description(JobPositionFactory(code=f"VT-X{n}"), approved_on=JAN)
    client = world.client_for("home_affairs")
    with django_assert_max_num_queries(25):
        rows = client.get("/api/v1/job-positions/?page_size=100").json()["results"]
    in_force = {row["code"]: row["description_in_force"] for row in rows}
    assert in_force["VT-X2"]["number"] == 1


def test_versions_list_only_approved_ones(world, described):
    client = world.client_for("snv-docs")
    rows = client.get("/api/v1/job-descriptions/?job_position=VT-PC").json()["results"]
    assert [(r["number"], r["status"]) for r in rows] == [(2, "approved"), (1, "superseded")]
    assert client.get(f"/api/v1/job-descriptions/{described['draft'].pk}/").status_code == 404
    detail = client.get(f"/api/v1/job-descriptions/{described['second'].pk}/").json()
    assert [t["name"] for t in detail["tasks"]] == ["Thẩm định", "Kiểm tra sau"]
    on = client.get("/api/v1/job-descriptions/?in_force_on=2026-03-01&job_position=VT-PC").json()
    assert [r["number"] for r in on["results"]] == [1]


def test_bad_filter_values_name_the_parameter(world, described):
    client = world.client_for("home_affairs")
    response = client.get("/api/v1/job-descriptions/?in_force_on=2026-13-45")
    assert response.status_code == 400
    assert "in_force_on" in response.content.decode()
    assert client.get("/api/v1/job-positions/?on=hôm-nay").status_code == 400


def test_competency_dictionary(world, described):
    client = world.client_for("alice")
    body = client.get("/api/v1/competencies/P-PL/").json()
    assert body["level_count"] == 4
    assert [level["level"] for level in body["levels"]] == [1, 2, 3, 4]
    rows = client.get("/api/v1/competencies/?kind=professional").json()["results"]
    assert "P-PL" in [row["code"] for row in rows]


def test_anonymous_is_refused(world, described):
    client = world.client_for("anonymous")
    for path in ("/api/v1/job-descriptions/", "/api/v1/competencies/", "/api/v1/job-positions/"):
        answer = client.get(path)
        assert answer.status_code in (401, 403), path
        body = answer.json()
        # the reason in Vietnamese, and no rows
        assert body == {
            "error": {
                "code": "not_authenticated",
                "message": "Bạn cần đăng nhập để thực hiện thao tác này.",
                "fields": {},
            }
        }, path
