"""The API-wide error body produced by api.errors.api_exception_handler."""

import pytest
from rest_framework import exceptions
from rest_framework.test import APIRequestFactory

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404

from api.errors import api_exception_handler, flatten_errors
from tests.factories import UserFactory

from .conftest import PREVIEW_URL, line

CASE = {"role": "staff", "general": 27, "lines": [line()]}


def _context(method="GET", content_type=None):
    factory = APIRequestFactory()
    request = factory.generic(method, "/api/v1/x/", content_type=content_type)
    request.content_type = content_type or ""
    return {"request": request, "view": None}


def _handle(exc, **context):
    response = api_exception_handler(exc, _context(**context))
    body = response.data
    assert set(body) == {"error"}
    assert {"code", "message", "fields"} <= set(body["error"])
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return response, body["error"]


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (exceptions.NotAuthenticated(), 403, "not_authenticated"),
        (exceptions.AuthenticationFailed(), 403, "authentication_failed"),
        (exceptions.PermissionDenied(), 403, "permission_denied"),
        (DjangoPermissionDenied(), 403, "permission_denied"),
        (exceptions.NotFound(), 404, "not_found"),
        (Http404(), 404, "not_found"),
        (exceptions.MethodNotAllowed("DELETE"), 405, "method_not_allowed"),
        (exceptions.NotAcceptable(), 406, "not_acceptable"),
        (exceptions.UnsupportedMediaType("text/plain"), 415, "unsupported_media_type"),
        (exceptions.ParseError("JSON parse error - Expecting value"), 400, "parse_error"),
        (exceptions.Throttled(wait=12.2), 429, "throttled"),
        (exceptions.ValidationError({"a": ["x"]}), 400, "invalid"),
        (exceptions.APIException(), 500, "error"),
    ],
)
def test_every_drf_exception_has_the_same_body(exc, status, code):
    response, error = _handle(exc)
    # NotAuthenticated/AuthenticationFailed are 403 here: the view has no authenticator that
    # sends WWW-Authenticate (401 needs one).
    assert response.status_code in (status, 401)
    assert error["code"] == code
    if code != "invalid":
        assert error["fields"] == {}


def test_default_messages_are_vietnamese():
    assert _handle(exceptions.NotFound())[1]["message"] == (
        "Không tìm thấy địa chỉ hoặc dữ liệu được yêu cầu."
    )
    assert _handle(exceptions.PermissionDenied())[1]["message"] == (
        "Bạn không có quyền thực hiện thao tác này."
    )
    assert _handle(exceptions.NotAuthenticated())[1]["message"] == (
        "Bạn cần đăng nhập để thực hiện thao tác này."
    )
    assert _handle(exceptions.MethodNotAllowed("PUT"), method="PUT")[1]["message"] == (
        "Phương thức PUT không được hỗ trợ tại địa chỉ này."
    )


def test_custom_detail_is_kept_as_the_message():
    exc = exceptions.PermissionDenied("Bạn chỉ xem được hồ sơ của đơn vị mình.")
    assert _handle(exc)[1] == {
        "code": "permission_denied",
        "message": "Bạn chỉ xem được hồ sơ của đơn vị mình.",
        "fields": {},
    }


def test_throttled_tells_how_long_to_wait():
    response, error = _handle(exceptions.Throttled(wait=12.2))
    assert error["retry_after"] == 13
    assert "13 giây" in error["message"]
    assert response["Retry-After"] == "13"


def test_non_api_exceptions_are_left_to_django():
    assert api_exception_handler(ValueError("boom"), _context()) is None


def test_flatten_nested_errors():
    detail = {
        "role": ["a"],
        "lines": [{}, {"assigned": ["b", "c"]}, {"non_field_errors": ["d"]}],
        "leader": {"non_field_errors": ["e"], "cohesion": ["f"]},
        "tags": {0: ["g"]},
        "non_field_errors": ["h"],
    }
    assert flatten_errors(detail) == {
        "role": ["a"],
        "lines[1].assigned": ["b", "c"],
        "lines[2]": ["d"],
        "leader": ["e"],
        "leader.cohesion": ["f"],
        "tags[0]": ["g"],
        "__all__": ["h"],
    }
    assert flatten_errors(["x"]) == {"__all__": ["x"]}
    assert flatten_errors({"lines[2].exempt_reviews": ["y"]}) == {"lines[2].exempt_reviews": ["y"]}


# ---------------------------------------------------------------- through real requests


def test_method_not_allowed(client):
    response = client.get(PREVIEW_URL)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "POST" in response["Allow"]


def test_unknown_api_address_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "not_found",
            "message": "Không tìm thấy địa chỉ hoặc dữ liệu được yêu cầu.",
            "fields": {},
        }
    }


def test_missing_final_slash(client):
    assert client.get("/api/v1")["Location"] == "/api/v1/"
    response = client.post(PREVIEW_URL.rstrip("/"), data=CASE, content_type="application/json")
    assert response.status_code == 404
    assert PREVIEW_URL in response.json()["error"]["message"]


@pytest.mark.django_db
def test_signed_in_post_without_csrf_token(client):
    """A browser session must send its CSRF token (the page's, or the csrftoken cookie)."""
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(UserFactory())
    response = csrf_client.post(PREVIEW_URL, data=CASE, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"


@pytest.mark.django_db
def test_signed_in_post_works(client):
    client.force_login(UserFactory())
    response = client.post(PREVIEW_URL, data=CASE, content_type="application/json")
    assert response.status_code == 200
