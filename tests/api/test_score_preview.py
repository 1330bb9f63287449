"""POST /api/v1/score-preview/: the golden cases of the Decree 335 notes (§7), end to end."""

import re

import pytest

from api.views.preview import EXAMPLE_REQUEST, EXAMPLE_RESPONSE

from .conftest import line

# The calculator reads the framework in force (issue 13 item 11).
pytestmark = pytest.mark.django_db

TWO_DECIMALS = re.compile(r"^\d+\.\d{2}$")
NUMBERS = ("quantity", "quality", "timeliness", "task_points", "total")

# Case 1: 6 X (coefficient 1), all completed; one X failed review once, another X was late
# once (the engine deducts per event on the line, so one line of 6 X is the same as six lines);
# 2 Y (coefficient 2) with 1 completed.
CASE_1_LINES = [
    line(1, 6, 6, failed_reviews=1, delays=1),
    line(2, 2, 1),
]
# Case 4: a = 100 (5 of 5), b = 95 (one failed review: 4.75 / 5), c = 90 (two delays: 4.5 / 5).
CASE_4_LINES = [line(1, 5, 5, failed_reviews=1, delays=2)]
FULL_MARKS = {"unit_results": 100, "organising": 100, "cohesion": 100}


def _assert_shape(body):
    assert set(body) == {*NUMBERS, "rating", "explanation", "framework"}
    for key in NUMBERS:
        assert TWO_DECIMALS.match(body[key]), (key, body[key])
    assert body["rating"] in {"excellent", "good", "completed", "not_completed"}
    assert body["explanation"]
    assert all(isinstance(sentence, str) for sentence in body["explanation"])


def test_case_1_non_leader_month(preview):
    response = preview({"role": "staff", "general": 27, "lines": CASE_1_LINES})
    assert response.status_code == 200, response.content
    body = response.json()
    _assert_shape(body)
    assert {k: body[k] for k in (*NUMBERS, "rating")} == {
        "quantity": "80.00",
        "quality": "77.50",
        "timeliness": "77.50",
        "task_points": "54.83",
        "total": "81.83",
        "rating": "good",
    }
    assert body["explanation"][-1] == "Mức theo điểm 81,83: Hoàn thành tốt nhiệm vụ."


def test_case_1_with_one_line_per_product_gives_the_same_result(preview):
    lines = [line(), line(), line(), line(), line(failed_reviews=1), line(delays=1), line(2, 2, 1)]
    body = preview({"role": "staff", "general": 27, "lines": lines}).json()
    assert (body["quantity"], body["quality"], body["timeliness"]) == ("80.00", "77.50", "77.50")
    assert (body["task_points"], body["total"], body["rating"]) == ("54.83", "81.83", "good")


@pytest.mark.parametrize(
    ("general", "total", "rating"),
    [(30, "76.67", "good"), (0, "46.67", "not_completed")],
)
def test_case_2_deduction_floor(preview, general, total, rating):
    body = preview({"role": "staff", "general": general, "lines": [line(failed_reviews=5)]}).json()
    assert body["quality"] == "0.00"
    assert (body["quantity"], body["timeliness"]) == ("100.00", "100.00")
    assert body["task_points"] == "46.67"
    assert (body["total"], body["rating"]) == (total, rating)


def test_case_3_objective_cause_exemption(preview):
    lines = [line(1, 6, 6, failed_reviews=1, exempt_reviews=1, delays=1), line(2, 2, 1)]
    body = preview({"role": "staff", "general": 27, "lines": lines}).json()
    assert body["quality"] == "80.00"
    assert (body["task_points"], body["total"], body["rating"]) == ("55.42", "82.42", "good")


@pytest.mark.parametrize(
    ("role", "leader", "task_points", "total", "rating"),
    [
        ("head", FULL_MARKS, "68.25", "96.25", "excellent"),
        ("head", {**FULL_MARKS, "unit_results": 50}, "62.42", "90.42", "excellent"),
        ("head", {**FULL_MARKS, "unit_results": 50, "organising": 50}, "56.58", "84.58", "good"),
        ("deputy", FULL_MARKS, "68.25", "96.25", "excellent"),
    ],
)
def test_case_4_leader(preview, role, leader, task_points, total, rating):
    body = preview({"role": role, "general": 28, "lines": CASE_4_LINES, "leader": leader}).json()
    assert (body["quantity"], body["quality"], body["timeliness"]) == ("100.00", "95.00", "90.00")
    assert (body["task_points"], body["total"], body["rating"]) == (task_points, total, rating)


def test_nothing_assigned_means_not_scored(preview):
    response = preview({"role": "staff", "general": 25, "lines": []})
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in (*NUMBERS, "rating")} == dict.fromkeys((*NUMBERS, "rating"))
    assert "không được chấm điểm" in body["explanation"][-1]


def test_numbers_may_be_decimal_strings_or_fractions(preview):
    body = preview(
        {
            "role": "staff",
            "general": "27.00",
            "lines": [line("1.0", "6", 6.0, failed_reviews="1", delays=1.0), line(2, 2, 1)],
        }
    ).json()
    assert body["total"] == "81.83"


def test_leader_block_is_ignored_for_staff(preview):
    with_leader = preview(
        {"role": "staff", "general": 27, "lines": CASE_1_LINES, "leader": FULL_MARKS}
    ).json()
    assert with_leader["total"] == "81.83"


def test_leader_may_be_null_for_staff(preview):
    response = preview({"role": "staff", "general": 27, "lines": CASE_1_LINES, "leader": None})
    assert response.status_code == 200


def test_documented_example_is_what_the_endpoint_returns(preview):
    """The example is scored with the built-in Decree 335 default; an installation answers
    with its published copy of it (same code, a version id)."""
    body = preview(EXAMPLE_REQUEST).json()
    framework = body.pop("framework")
    expected = dict(EXAMPLE_RESPONSE)
    assert expected.pop("framework")["code"] == "decree-335-default"
    assert framework["code"] == "nghi-dinh-335-mac-dinh" and framework["version"]
    assert body == expected
    assert EXAMPLE_RESPONSE["total"] == "81.83"


def test_max_lines_is_accepted(preview):
    response = preview({"role": "staff", "general": 30, "lines": [line()] * 5000})
    assert response.status_code == 200
    assert response.json()["total"] == "100.00"


def test_no_login_and_no_csrf_needed(client):
    # The plain test client sends no session and no CSRF token at all.
    response = client.post(
        "/api/v1/score-preview/",
        data={"role": "staff", "general": 27, "lines": CASE_1_LINES},
        content_type="application/json",
    )
    assert response.status_code == 200
