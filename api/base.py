"""What every v1 endpoint shares: authentication, throttling, pagination, access logging."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.permissions import IsAuthenticated

from .authentication import IntegrationTokenAuthentication, is_system
from .errors import ErrorSerializer
from .models import ApiAccessLog
from .throttling import IntegrationThrottle, PersonThrottle

READ_ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer, description=gettext_lazy("Tham số lọc, sắp xếp không hợp lệ.")
    ),
    401: OpenApiResponse(
        ErrorSerializer, description=gettext_lazy("Chưa đăng nhập hoặc mã truy cập không hợp lệ.")
    ),
    403: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Không có quyền.")),
    429: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Vượt giới hạn tần suất gọi.")),
}
DETAIL_ERRORS = {
    **{code: response for code, response in READ_ERRORS.items() if code != 400},
    404: OpenApiResponse(
        ErrorSerializer,
        description=gettext_lazy("Không có dữ liệu này, hoặc nằm ngoài phạm vi được xem."),
    ),
}


class PagePagination(PageNumberPagination):
    """Small lists: ``?page=2&page_size=100`` (at most 500 per page)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class LargeListPagination(CursorPagination):
    """Big lists (lines, scores): an opaque ``cursor`` in the next/previous links."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "-id"


class V1Mixin:
    """Token or session sign-in; per-token and per-person throttling; access log for tokens.

    ``access_log_type`` names the personal data a view returns (``period_score``…): every
    successful read of it by an integration token leaves one ``ApiAccessLog`` row.
    """

    authentication_classes = [IntegrationTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [IntegrationThrottle, PersonThrottle]
    access_log_type: str | None = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.access_log_type and 200 <= response.status_code < 300:
            log_access(request, self.access_log_type, returned_count(response))
        return response


def returned_count(response) -> int:
    counted = getattr(response, "api_record_count", None)
    if counted is not None:
        return counted
    data = getattr(response, "data", None)
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return len(data["results"])
    if isinstance(data, list):
        return len(data)
    return 1


def log_access(request, object_type: str, count: int) -> None:
    """One access-log row when an integration system reads personal data."""
    user = getattr(request, "user", None)
    if not is_system(user) or request.method not in ("GET", "HEAD"):
        return
    # bulk_create: one INSERT, no model signals (the row is final when written).
    ApiAccessLog.objects.bulk_create(
        [
            ApiAccessLog(
                system=user.system,
                token=user.token,
                method=request.method,
                path=request.get_full_path()[:1000],
                object_type=object_type,
                count=count,
            )
        ]
    )
