"""Bad input to the score-preview endpoint → HTTP 400 with one message per field."""

import pytest

from .conftest import line

# The calculator reads the framework in force (issue 13 item 11).
pytestmark = pytest.mark.django_db

BASE = {"role": "staff", "general": 27, "lines": [line()]}


def _fields(response):
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "invalid"
    assert body["error"]["message"] == "Dữ liệu không hợp lệ."
    fields = body["error"]["fields"]
    assert fields
    assert all(isinstance(messages, list) and messages for messages in fields.values())
    return fields


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"general": 31}, "general", "Phải từ 0 đến 30."),
        ({"general": -1}, "general", "Phải từ 0 đến 30."),
        ({"general": "abc"}, "general", "Phải là một số."),
        ({"general": None}, "general", "Không được để trống."),
        ({"general": True}, "general", "Phải là một số."),
        ({"general": "NaN"}, "general", "Phải là một số."),
        ({"general": "1e999999"}, "general", "Phải từ 0 đến 30."),
        ({"general": 27.123}, "general", "Không được có quá 2 chữ số thập phân."),
        ({"role": "boss"}, "role", "Vai trò phải là một trong: staff, head, deputy."),
        ({"role": None}, "role", "Không được để trống."),
        ({"lines": "many"}, "lines", "Phải là một danh sách."),
        ({"lines": [5]}, "lines[0]", "Phải là một đối tượng."),
        ({"lines": [line()] * 5001}, "lines", "Không được quá 5000 dòng."),
        ({"lines": [line(), line(assigned=-1)]}, "lines[1].assigned", "Không được là số âm."),
        ({"lines": [line(completed="x")]}, "lines[0].completed", "Phải là một số."),
        ({"lines": [line(coefficient=0)]}, "lines[0].coefficient", "Phải lớn hơn 0."),
        ({"lines": [line(coefficient=-2)]}, "lines[0].coefficient", "Phải lớn hơn 0."),
        (
            {"lines": [line(coefficient="1e-9")]},
            "lines[0].coefficient",
            "Không được có quá 4 chữ số thập phân.",
        ),
        (
            {"lines": [line(assigned=10_000_000)]},
            "lines[0].assigned",
            "Không được lớn hơn 1000000.",
        ),
        (
            {"lines": [line(failed_reviews=-1)]},
            "lines[0].failed_reviews",
            "Phải là số nguyên không âm.",
        ),
        ({"lines": [line(delays=1.5)]}, "lines[0].delays", "Phải là số nguyên không âm."),
        ({"lines": [line(delays="two")]}, "lines[0].delays", "Phải là số nguyên không âm."),
    ],
)
def test_one_bad_field(preview, change, path, message):
    fields = _fields(preview({**BASE, **change}))
    assert fields == {path: [message]}


@pytest.mark.parametrize("missing", ["role", "general", "lines"])
def test_required_fields(preview, missing):
    payload = {key: value for key, value in BASE.items() if key != missing}
    assert _fields(preview(payload)) == {missing: ["Thiếu thông tin bắt buộc."]}


@pytest.mark.parametrize("missing", ["coefficient", "assigned", "completed"])
def test_required_line_fields(preview, missing):
    bad = {key: value for key, value in line().items() if key != missing}
    fields = _fields(preview({**BASE, "lines": [line(), bad]}))
    assert fields == {f"lines[1].{missing}": ["Thiếu thông tin bắt buộc."]}


def test_exempt_reviews_cannot_exceed_failed_reviews(preview):
    lines = [line(), line(), line(failed_reviews=1, exempt_reviews=2)]
    fields = _fields(preview({**BASE, "lines": lines}))
    assert list(fields) == ["lines[2].exempt_reviews"]
    assert "không được lớn hơn số lần đánh giá chưa đạt" in fields["lines[2].exempt_reviews"][0]


def test_exempt_delays_cannot_exceed_delays(preview):
    fields = _fields(preview({**BASE, "lines": [line(exempt_delays=1)]}))
    assert list(fields) == ["lines[0].exempt_delays"]
    assert "chậm tiến độ" in fields["lines[0].exempt_delays"][0]


@pytest.mark.parametrize("role", ["head", "deputy"])
def test_leaders_need_the_leader_block(preview, role):
    fields = _fields(preview({**BASE, "role": role}))
    assert fields == {"leader": ["Công chức lãnh đạo, quản lý phải có điểm các tiêu chí d, đ, e."]}


def test_leader_block_fields(preview):
    leader = {"unit_results": 75, "organising": "x"}
    fields = _fields(preview({**BASE, "role": "head", "leader": leader}))
    assert fields == {
        "leader.unit_results": ["Giá trị phải là một trong các mức: 100, 50."],
        "leader.organising": ["Phải là một số."],
        "leader.cohesion": ["Thiếu thông tin bắt buộc."],
    }


def test_leader_percent_range(preview):
    leader = {"unit_results": 150, "organising": -5, "cohesion": 50}
    fields = _fields(preview({**BASE, "role": "head", "leader": leader}))
    assert fields == {
        "leader.unit_results": ["Phải từ 0 đến 100."],
        "leader.organising": ["Phải từ 0 đến 100."],
    }


def test_leader_must_be_an_object(preview):
    assert _fields(preview({**BASE, "role": "head", "leader": [100]})) == {
        "leader": ["Phải là một đối tượng."]
    }


def test_every_bad_field_is_reported_at_once(preview):
    payload = {
        "role": "boss",
        "general": 40,
        "lines": [
            line(),
            line(assigned=-1, completed="?"),
            line(failed_reviews=1, exempt_reviews=3),
        ],
    }
    fields = _fields(preview(payload))
    assert set(fields) == {
        "role",
        "general",
        "lines[1].assigned",
        "lines[1].completed",
        "lines[2].exempt_reviews",
    }


def test_body_must_be_an_object(preview):
    assert _fields(preview([1, 2, 3])) == {"__all__": ["Dữ liệu phải là một đối tượng JSON."]}


def test_malformed_json(preview):
    response = preview("{not json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert error["fields"] == {}
    assert "JSON" in error["message"]


def test_json_nan_is_rejected(preview):
    response = preview('{"role": "staff", "general": NaN, "lines": []}')
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_only_json_is_accepted(client):
    response = client.post("/api/v1/score-preview/", data={"role": "staff", "general": "1"})
    assert response.status_code == 415
    error = response.json()["error"]
    assert error["code"] == "unsupported_media_type"
    assert "application/json" in error["message"]


def test_engine_errors_are_reported_per_field(preview, monkeypatch):
    """Whatever the engine still rejects after the serializer is turned into a field error."""
    from scoring.engine import ScoringInputError

    def reject(payload, rules=None):
        raise ScoringInputError({"lines[0].coefficient": "Thông báo của bộ máy tính điểm."})

    monkeypatch.setattr("api.views.preview.score_preview", reject)
    assert _fields(preview(BASE)) == {"lines[0].coefficient": ["Thông báo của bộ máy tính điểm."]}


def test_too_large_body(preview, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    response = preview({**BASE, "lines": [line()] * 100})
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large"
    assert "2 KB" in error["message"]
