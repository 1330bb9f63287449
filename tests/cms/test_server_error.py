"""Fault drill of 2026-11-22 (scripts/ci-production.sh): during a database outage API clients got
Django's HTML "Server Error (500)", not the JSON error shape of docs/api.md, and an upload into an
unwritable folder showed the bare English page."""

import json

import pytest

from django.db import OperationalError
from django.test import RequestFactory

from cms.views import server_error


def answer(path, error):
    try:
        raise error
    except Exception:  # the handler runs inside an except block  # noqa: BLE001
        return server_error(RequestFactory().get(path))


def test_the_api_answers_an_outage_with_its_json_error_shape():
    response = answer("/api/v1/period-scores/", OperationalError("connection refused"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["error"]["code"] == "service_unavailable" and body["error"]["fields"] == {}


def test_any_other_api_failure_is_a_json_500():
    response = answer("/api/v1/period-scores/", RuntimeError("bug"))
    assert response.status_code == 500
    assert json.loads(response.content)["error"]["code"] == "server_error"


@pytest.mark.parametrize(
    ("error", "status", "heading"),
    [
        (OperationalError("down"), 503, "Hệ thống tạm thời gián đoạn"),
        (PermissionError("media folder"), 500, "Hệ thống đang gặp sự cố"),
    ],
)
def test_pages_answer_in_vietnamese_without_a_traceback(error, status, heading):
    response = answer("/admin/excel/upload/", error)
    page = response.content.decode()
    assert response.status_code == status
    assert heading in page and "Traceback" not in page and "Server Error" not in page
