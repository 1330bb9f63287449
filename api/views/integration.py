"""Write endpoints for integration systems (tag ``integration``, token only): assignment lines,
leader marks and the calling system's own grants."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import is_system
from api.base import V1Mixin
from api.conf import max_bulk_items
from api.errors import ErrorSerializer
from api.parsers import SafeJSONParser
from api.permissions import IsWritingSystem
from api.serializers.integration import (
    IntegrationBulkRequestSerializer,
    IntegrationBulkResponseSerializer,
    IntegrationLeaderMarkResponseSerializer,
    IntegrationLeaderMarkSerializer,
    IntegrationLineSerializer,
    IntegrationMeSerializer,
    IntegrationSingleResponseSerializer,
)
from api.write import OutOfScope, PeriodClosed, save_lines
from api.write_leader import save_leader_mark

EXAMPLE_LINE = {
    "external_id": "VB-2026-00123",
    "agency": "SNV",
    "period": "2026-03",
    "official_id": "CC000123",
    "product_code": "SP001",
    "assigned": 6,
    "completed": 5,
    "deadline": "2026-03-20",
    "completed_on": "2026-03-19",
    "failed_reviews": 1,
    "delays": 0,
    "note": "Văn bản số 123/SNV-TCBC",
}


EXAMPLE_LINE_2 = {
    **EXAMPLE_LINE,
    "external_id": "VB-2026-00124",
    "product_code": "SP002",
    "assigned": 2,
    "completed": 2,
    "failed_reviews": 0,
    "delays": 1,
    "note": "",
}


WRITE_ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description=gettext_lazy(
            "Dữ liệu không hợp lệ: fields chỉ rõ từng dòng, từng trường (items[12].product_code)."
            " Không dòng nào được ghi."
        ),
        examples=[
            OpenApiExample(
                "invalid",
                summary=gettext_lazy("Mã sản phẩm không có trong danh mục"),
                value={
                    "error": {
                        "code": "invalid",
                        "message": "Dữ liệu không hợp lệ.",
                        "fields": {
                            "items[12].product_code": [
                                "Không có sản phẩm/công việc mã SP999 trong danh mục của Sở Nội vụ."
                            ],
                            "items[40].assigned": [
                                "“Số lượng được giao” không được âm (đang là -1)."
                            ],
                        },
                    }
                },
            )
        ],
    ),
    401: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Thiếu hoặc sai mã truy cập.")),
    403: OpenApiResponse(
        ErrorSerializer,
        description=gettext_lazy(
            "Không phải hệ thống tích hợp được phép ghi, hoặc có dòng thuộc cơ quan ngoài phạm "
            "vi được cấp. Không dòng nào được ghi."
        ),
    ),
    409: OpenApiResponse(
        ErrorSerializer,
        description=gettext_lazy("Kỳ đánh giá đã khóa sổ. Không dòng nào được ghi."),
        examples=[
            OpenApiExample(
                "period_closed",
                summary=gettext_lazy("Kỳ đã khóa sổ"),
                value={
                    "error": {
                        "code": "period_closed",
                        "message": (
                            "Kỳ đánh giá Tháng 02/2026 đã khóa sổ (Đã khóa sổ): không thể thay "
                            "đổi dữ liệu đầu vào. Không dòng nào được ghi."
                        ),
                        "fields": {
                            "items[0].period": [
                                "Kỳ đánh giá Tháng 02/2026 đã khóa sổ (Đã khóa sổ): không thể "
                                "thay đổi dữ liệu đầu vào."
                            ]
                        },
                    }
                },
            )
        ],
    ),
    413: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Dữ liệu gửi lên quá lớn.")),
    415: OpenApiResponse(
        ErrorSerializer, description=gettext_lazy("Nội dung gửi lên không phải JSON.")
    ),
    429: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Vượt giới hạn tần suất gọi.")),
}


WRITE_NOTE = gettext_lazy(
    "Chỉ hệ thống tích hợp (Authorization: Token <mã> hoặc Bearer <mã>) được cấp quyền ghi cho "
    "cơ quan đó. Mỗi dòng được kiểm tra đúng như một dòng của tệp Excel “Kết quả thực hiện "
    "nhiệm vụ trong kỳ”: công chức phải công tác tại cơ quan trong kỳ, sản phẩm phải thuộc danh "
    "mục đã phê duyệt áp dụng cho kỳ, số lượng không âm… Gửi lại cùng external_id là cập nhật "
    "dòng đã có (không bao giờ tạo trùng). Kỳ đã khóa sổ từ chối mọi thay đổi (HTTP 409). Điểm "
    "của những người có dòng được ghi được tính lại trong nền ngay sau khi ghi."
)


class _WriteView(V1Mixin, APIView):
    permission_classes = [IsAuthenticated, IsWritingSystem]
    parser_classes = [SafeJSONParser]


class LineBulkView(_WriteView):
    """POST /api/v1/integration/assignment-lines/bulk/ — up to 5,000 lines, all or nothing."""

    @extend_schema(
        operation_id="integration_lines_bulk",
        tags=["integration"],
        summary=gettext_lazy("Gửi nhiều dòng giao việc và kết quả (tối đa 5.000 dòng)"),
        description=format_lazy(
            "{} {}",
            gettext_lazy(
                "Ghi tất cả các dòng hoặc không ghi dòng nào: một dòng sai là cả yêu cầu bị từ "
                "chối, với lỗi của từng dòng (items[12].product_code)."
            ),
            WRITE_NOTE,
        ),
        request=IntegrationBulkRequestSerializer,
        responses={200: IntegrationBulkResponseSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "two-lines",
                summary=gettext_lazy("Hai dòng giao việc của một công chức trong tháng 3/2026"),
                value={"items": [EXAMPLE_LINE, EXAMPLE_LINE_2]},
                request_only=True,
            ),
            OpenApiExample(
                "two-lines",
                summary=gettext_lazy("Một dòng tạo mới, một dòng cập nhật"),
                value={
                    "created": 1,
                    "updated": 1,
                    "unchanged": 0,
                    "items": [
                        {"external_id": "VB-2026-00123", "id": 5012, "status": "created"},
                        {"external_id": "VB-2026-00124", "id": 4870, "status": "updated"},
                    ],
                    "warnings": {},
                },
                response_only=True,
                status_codes=["200"],
            ),
        ],
    )
    def post(self, request):
        data = request.data
        if not isinstance(data, dict) or "items" not in data:
            raise exceptions.ValidationError({"items": [_("Thiếu thông tin bắt buộc.")]})
        items = data["items"]
        if not isinstance(items, list):
            raise exceptions.ValidationError({"items": [_("Phải là một danh sách.")]})
        if not items:
            raise exceptions.ValidationError({"items": [_("Danh sách không được rỗng.")]})
        limit = max_bulk_items()
        if len(items) > limit:
            raise exceptions.ValidationError(
                {"items": [_("Không được quá %(max)d dòng.") % {"max": limit}]}
            )
        extra = sorted(set(data) - {"items"})
        if extra:
            raise exceptions.ValidationError(
                {key: [_("Trường không được hỗ trợ.")] for key in extra}
            )
        outcome = save_lines(request.user, items)
        return Response(
            {
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
                "items": outcome.items,
                "warnings": outcome.warnings,
            }
        )


def _strip(fields: dict) -> dict:
    """``items[0].product_code`` → ``product_code`` for the single-line endpoint."""
    stripped = {}
    for path, messages in fields.items():
        if path.startswith("items[0]."):
            path = path[len("items[0].") :]
        elif path == "items[0]":
            path = "__all__"
        stripped[path] = messages
    return stripped


class LineSingleView(_WriteView):
    """POST /api/v1/integration/assignment-lines/ — one line (created or updated)."""

    @extend_schema(
        operation_id="integration_lines_create",
        tags=["integration"],
        summary=gettext_lazy("Gửi một dòng giao việc và kết quả"),
        description=format_lazy(
            "{} {}",
            gettext_lazy(
                "Trả HTTP 201 khi tạo mới, 200 khi cập nhật hoặc không thay đổi. Lỗi theo tên "
                "trường (product_code)."
            ),
            WRITE_NOTE,
        ),
        request=IntegrationLineSerializer,
        responses={
            200: OpenApiResponse(
                IntegrationSingleResponseSerializer,
                description=gettext_lazy("Đã cập nhật, hoặc không thay đổi."),
            ),
            201: OpenApiResponse(
                IntegrationSingleResponseSerializer, description=gettext_lazy("Đã tạo mới.")
            ),
            **WRITE_ERRORS,
        },
        examples=[
            OpenApiExample(
                "one-line",
                summary=gettext_lazy("Một dòng: 6 sản phẩm, hoàn thành 5, 1 lần chưa đạt"),
                value=EXAMPLE_LINE,
                request_only=True,
            ),
            OpenApiExample(
                "one-line",
                summary=gettext_lazy("Đã tạo mới"),
                value={
                    "external_id": "VB-2026-00123",
                    "id": 5012,
                    "status": "created",
                    "warnings": {},
                },
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "one-line-again",
                summary=gettext_lazy("Gửi lại cùng external_id với số liệu mới: đã cập nhật"),
                value={
                    "external_id": "VB-2026-00123",
                    "id": 5012,
                    "status": "updated",
                    "warnings": {},
                },
                response_only=True,
                status_codes=["200"],
            ),
        ],
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError(_("Dữ liệu phải là một đối tượng JSON."))
        try:
            outcome = save_lines(request.user, [request.data])
        except exceptions.ValidationError as exc:
            raise exceptions.ValidationError(_strip(exc.detail)) from exc
        except (OutOfScope, PeriodClosed) as exc:
            exc.fields = _strip(exc.fields)
            raise
        entry = outcome.items[0]
        body = {**entry, "warnings": _strip(outcome.warnings)}
        return Response(body, status=201 if entry["status"] == "created" else 200)


class IntegrationMeView(V1Mixin, APIView):
    """GET /api/v1/integration/me/ — who the token belongs to and what it may do."""

    @extend_schema(
        operation_id="integration_me",
        tags=["integration"],
        summary=gettext_lazy("Hệ thống tích hợp đang gọi và phạm vi được cấp"),
        description=gettext_lazy(
            "Dùng để kiểm tra mã truy cập. Chỉ dành cho hệ thống tích hợp (mã truy cập)."
        ),
        responses={
            200: IntegrationMeSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description=gettext_lazy("Dữ liệu không hợp lệ.")
            ),
            401: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Thiếu mã truy cập.")),
            403: OpenApiResponse(
                ErrorSerializer, description=gettext_lazy("Không phải hệ thống tích hợp.")
            ),
            429: WRITE_ERRORS[429],
        },
    )
    def get(self, request):
        user = request.user
        if not is_system(user):
            raise exceptions.PermissionDenied(
                _("Chỉ hệ thống tích hợp (xác thực bằng mã truy cập) dùng được địa chỉ này.")
            )
        system = user.system
        return Response(
            {
                "name": system.name,
                "agencies": sorted(system.agencies.values_list("code", flat=True)),
                "can_write": system.can_write,
                "national_export": system.national_export,
                "token_prefix": user.token.prefix,
            }
        )


class LeaderMarkView(_WriteView):
    """POST /api/v1/integration/leader-marks/ — criteria đ and e of one leader in one period."""

    @extend_schema(
        operation_id="integration_leader_marks",
        tags=["integration"],
        summary=gettext_lazy("Gửi mức tiêu chí đ, e của một công chức lãnh đạo, quản lý"),
        description=gettext_lazy(
            "Như ô chọn đ, e của người đánh giá trên Mẫu 01: người được gửi phải giữ chức vụ "
            "lãnh đạo, quản lý trong kỳ; đ và e gửi cùng nhau, mỗi tiêu chí là một mức của khung "
            "đang áp dụng; kỳ phải đang mở; cơ quan của người đó phải thuộc phạm vi được cấp. "
            "Trả HTTP 201 khi tạo mới, 200 khi cập nhật hoặc không thay đổi. Điểm của người đó "
            "được tính lại trong nền."
        ),
        request=IntegrationLeaderMarkSerializer,
        responses={
            200: IntegrationLeaderMarkResponseSerializer,
            201: IntegrationLeaderMarkResponseSerializer,
            **WRITE_ERRORS,
        },
        examples=[
            OpenApiExample(
                "leader-marks",
                summary=gettext_lazy("Trưởng phòng, tháng 3/2026: đ 100 %, e 50 %"),
                value={
                    "period": "2026-03",
                    "official_id": "CC000045",
                    "organising": 100,
                    "cohesion": 50,
                },
                request_only=True,
            ),
            OpenApiExample(
                "leader-marks",
                summary=gettext_lazy("Đã tạo mới"),
                value={
                    "period": "2026-03",
                    "official_id": "CC000045",
                    "organising": 100,
                    "cohesion": 50,
                    "status": "created",
                },
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "leader-marks-again",
                summary=gettext_lazy("Gửi lại với mức mới: đã cập nhật"),
                value={
                    "period": "2026-03",
                    "official_id": "CC000045",
                    "organising": 100,
                    "cohesion": 100,
                    "status": "updated",
                },
                response_only=True,
                status_codes=["200"],
            ),
        ],
    )
    def post(self, request):
        mark, status = save_leader_mark(request.user, request.data)
        body = {
            "period": mark.period.code,
            "official_id": mark.civil_servant.official_id,
            "organising": mark.organising,
            "cohesion": mark.cohesion,
            "status": status,
        }
        return Response(
            IntegrationLeaderMarkResponseSerializer(body).data,
            status=201 if status == "created" else 200,
        )
