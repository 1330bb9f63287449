"""One error body for the whole API.

Every error response of every ``/api/`` endpoint has the same shape::

    {"error": {"code": "invalid",
               "message": "Dữ liệu không hợp lệ.",
               "fields": {"lines[0].assigned": ["Không được là số âm."]}}}

* ``code`` — a stable, English, machine-readable code (``invalid``, ``parse_error``,
  ``not_authenticated``, ``authentication_failed``, ``permission_denied``, ``csrf_failed``,
  ``not_found``, ``method_not_allowed``, ``not_acceptable``, ``unsupported_media_type``,
  ``too_large``, ``throttled``, or the ``default_code`` of any other DRF ``APIException``);
* ``message`` — one human-readable sentence in the request language (Vietnamese by default);
* ``fields`` — field path → list of messages; always present, empty unless ``code`` is
  ``invalid`` — or, for the write API, ``permission_denied``/``period_closed`` naming the items
  concerned. Paths use dots for nested objects and ``[i]`` for list items
  (``lines[2].exempt_reviews``, ``leader.organising``); errors that belong to no single
  field are under ``"__all__"``;
* ``retry_after`` — seconds, only on ``throttled`` (also sent as the ``Retry-After`` header);
* ``current`` — only on ``stale`` (412) and ``version_required`` (428) of the write API: the
  stored values of each item concerned, with their ``version``.

Registered as ``REST_FRAMEWORK["EXCEPTION_HANDLER"]``. Unexpected exceptions (HTTP 500) are
left to Django so that they are logged and reported as usual.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .schema import describe

#: Key of errors that belong to the whole request or to no single field.
NON_FIELD_KEY = "__all__"


def _default_messages() -> dict[str, str]:
    """Our message for each error code, in the active language."""
    return {
        "invalid": _("Dữ liệu không hợp lệ."),
        "parse_error": _("Không đọc được dữ liệu gửi lên: nội dung phải là JSON hợp lệ."),
        "not_authenticated": _("Bạn cần đăng nhập để thực hiện thao tác này."),
        "authentication_failed": _("Thông tin xác thực không hợp lệ."),
        "permission_denied": _("Bạn không có quyền thực hiện thao tác này."),
        "csrf_failed": _(
            "Yêu cầu thiếu mã bảo vệ CSRF hợp lệ. Hãy tải lại trang rồi thử lại, hoặc gửi "
            "yêu cầu mà không kèm cookie phiên đăng nhập."
        ),
        "not_found": _("Không tìm thấy địa chỉ hoặc dữ liệu được yêu cầu."),
        "not_acceptable": _("Không thể trả kết quả theo định dạng được yêu cầu (Accept)."),
        "error": _("Đã xảy ra lỗi khi xử lý yêu cầu."),
    }


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error structure into ``{"lines[0].assigned": [messages]}``."""
    flat: dict[str, list[str]] = {}

    def add(path: str, message) -> None:
        flat.setdefault(path or NON_FIELD_KEY, []).append(str(message))

    def walk(node, path: str) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key in (api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_KEY):
                    walk(value, path)
                elif isinstance(key, int):
                    walk(value, f"{path}[{key}]")
                else:
                    walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, (list, tuple)):
            if all(not isinstance(item, (Mapping, list, tuple)) for item in node):
                for message in node:
                    add(path, message)
            else:  # a list serializer: one entry per item, empty for valid items
                for index, item in enumerate(node):
                    if isinstance(item, (Mapping, list, tuple)):
                        walk(item, f"{path}[{index}]")
                    else:
                        add(path, item)
        elif node is not None:
            add(path, node)

    walk(detail, prefix)
    return flat


class RequestTooLarge(exceptions.APIException):
    """The body is larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django's RequestDataTooBig)."""

    status_code = 413
    default_code = "too_large"
    default_detail = "Request body too large."


def _is_custom(exc: exceptions.APIException) -> bool:
    """True when the exception was raised with its own message rather than the default."""
    return str(exc.detail) != str(exc.default_detail)


def error_body(
    code: str, message: str, fields: Mapping[str, list[str]] | None = None, **extra
) -> dict:
    """The error envelope shared by every endpoint."""
    return {"error": {"code": code, "message": message, "fields": dict(fields or {}), **extra}}


def api_exception_handler(exc, context):  # noqa: C901
    """DRF exception handler producing :func:`error_body` for every handled exception."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()

    # DRF's handler sets the status, the WWW-Authenticate/Retry-After headers and rolls back
    # the transaction; we only replace the body.
    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    messages = _default_messages()
    extra: dict = {}
    fields: dict[str, list[str]] = {}
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        message = messages["invalid"]
        fields = flatten_errors(exc.detail)
    elif isinstance(exc, exceptions.Throttled):
        code = "throttled"
        wait = math.ceil(exc.wait) if exc.wait is not None else None
        if wait is None:
            message = _("Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau.")
        else:
            message = _("Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau %(seconds)d giây.") % {
                "seconds": wait
            }
        extra["retry_after"] = wait
    elif isinstance(exc, RequestTooLarge):
        code = "too_large"
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        message = _("Dữ liệu gửi lên quá lớn (tối đa %(kilobytes)d KB).") % {
            "kilobytes": limit // 1024
        }
    elif isinstance(exc, exceptions.ParseError):
        # DRF's detail is a technical English sentence from the JSON decoder.
        code = "parse_error"
        message = messages["parse_error"]
    elif isinstance(exc, exceptions.MethodNotAllowed):
        code = "method_not_allowed"
        method = context["request"].method if context.get("request") else ""
        message = _("Phương thức %(method)s không được hỗ trợ tại địa chỉ này.") % {
            "method": method
        }
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        code = "unsupported_media_type"
        request = context.get("request")
        media_type = (request.content_type if request is not None else "") or "?"
        message = _(
            "Kiểu nội dung “%(media_type)s” không được hỗ trợ; hãy gửi Content-Type: "
            "application/json."
        ) % {"media_type": media_type}
    elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF"):
        code = "csrf_failed"
        message = messages["csrf_failed"]
    else:
        detail_code = getattr(exc.detail, "code", None)
        code = detail_code if isinstance(detail_code, str) else exc.default_code
        if _is_custom(exc) and isinstance(exc.detail, str):
            message = str(exc.detail)
        else:
            message = messages.get(exc.default_code, messages["error"])
    if not fields and isinstance(getattr(exc, "fields", None), Mapping):
        # Exceptions of this API that name the items concerned (api.write: 403, 409).
        fields = {str(path): [str(m) for m in messages] for path, messages in exc.fields.items()}
    if isinstance(getattr(exc, "current", None), Mapping):
        # A write made on a stale view (api.write: 412, 428): what is stored now, by item.
        extra["current"] = dict(exc.current)
    response.data = error_body(code, message, fields, **extra)
    return response


# --------------------------------------------------------------------------- OpenAPI


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"lines[0].assigned": ["Không được là số âm."]},
    }
)
class _FieldErrorsField(serializers.DictField):
    pass


@describe(gettext_lazy("Chi tiết lỗi."))
class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=gettext_lazy("Mã lỗi cố định (tiếng Anh), ví dụ: invalid, throttled.")
    )
    message = serializers.CharField(help_text=gettext_lazy("Thông báo lỗi cho người dùng."))
    fields = _FieldErrorsField(
        help_text=gettext_lazy(
            "Lỗi theo từng trường: đường dẫn trường (ví dụ lines[0].assigned) → danh sách "
            "thông báo. Rỗng nếu lỗi không gắn với trường nào."
        )
    )
    retry_after = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Chỉ có khi bị giới hạn tần suất: số giây cần chờ."),
    )
    current = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        help_text=gettext_lazy(
            "Chỉ có khi ghi đè dữ liệu đã thay đổi (HTTP 412, 428): giá trị đang lưu của từng "
            "dòng liên quan (null nếu dòng đã bị xoá), kèm version hiện tại để gửi lại."
        ),
    )


@describe(gettext_lazy("Dạng chung của mọi phản hồi lỗi của API."))
class ErrorSerializer(serializers.Serializer):
    """Documents the error envelope in the OpenAPI schema."""

    error = ErrorDetailSerializer()
