"""Write endpoints for integration systems (tag ``integration``, token only): assignment lines,
leader marks and the calling system's own grants."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.base import V1Mixin
from api.errors import ErrorSerializer
from api.parsers import SafeJSONParser
from api.permissions import IsWritingSystem
from api.principal import is_system
from api.serializers.integration import (
    IntegrationBulkRequestSerializer,
    IntegrationBulkResponseSerializer,
    IntegrationLeaderMarkResponseSerializer,
    IntegrationLeaderMarkSerializer,
    IntegrationLineSerializer,
    IntegrationMeSerializer,
    IntegrationSingleResponseSerializer,
)
from api.write import OutOfScope, PeriodClosed, StaleWrite, save_lines
from api.write_leader import save_leader_mark
from cms import seen

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
    412: OpenApiResponse(
        ErrorSerializer,
        description=gettext_lazy(
            "Dữ liệu đã bị thay đổi sau lần hệ thống đọc nó (version gửi kèm, hoặc header "
            "If-Match, không còn là version đang lưu). current cho giá trị và version hiện tại. "
            "Không dòng nào được ghi."
        ),
        examples=[
            OpenApiExample(
                "stale",
                summary=gettext_lazy("Dòng đã được cán bộ sửa sau lần gửi trước"),
                value={
                    "error": {
                        "code": "stale",
                        "message": (
                            "Có dòng đã được thay đổi sau lần hệ thống đọc nó; gửi lại sẽ ghi đè "
                            "thay đổi đó. Không dòng nào được ghi."
                        ),
                        "fields": {
                            "items[0].version": [
                                "Dòng này đã được thay đổi sau lần hệ thống đọc nó (version hiện "
                                "tại: 9f2c4e1a7b3d5c60). Hãy xem giá trị đang lưu ở trường "
                                "current, rồi gửi lại kèm version mới nếu vẫn muốn ghi đè."
                            ]
                        },
                        "current": {
                            "items[0]": {
                                **EXAMPLE_LINE,
                                "failed_reviews": 0,
                                "failed_by_product": [],
                                "version": "9f2c4e1a7b3d5c60",
                            }
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
    428: OpenApiResponse(
        ErrorSerializer,
        description=gettext_lazy(
            "Gửi thay đổi cho dữ liệu đã có mà không kèm version (hoặc header If-Match). "
            "current cho giá trị và version hiện tại. Không dòng nào được ghi."
        ),
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
        serializer = IntegrationBulkRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = save_lines(request.user, serializer.validated_data["items"])
        return Response(
            {
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
                "items": outcome.items,
                "warnings": outcome.warnings,
            }
        )


def if_match(request) -> str | None:
    """The version named by an ``If-Match`` header (``"abc"``, ``W/"abc"`` or ``abc``)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    first = header.split(",")[0].strip()
    first = first.removeprefix("W/")
    return first.strip('"') or None


def _strip_path(path: str) -> str:
    if path.startswith("items[0]."):
        return path[len("items[0].") :]
    return "__all__" if path == "items[0]" else path


def _strip(fields: dict) -> dict:
    """``items[0].product_code`` → ``product_code`` for the single-line endpoint."""
    return {_strip_path(path): messages for path, messages in fields.items()}


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
        serializer = IntegrationLineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = dict(serializer.validated_data)
        record["version"] = if_match(request) or record.get("version")
        try:
            outcome = save_lines(request.user, [record])
        except exceptions.ValidationError as exc:
            raise exceptions.ValidationError(_strip(exc.detail)) from exc
        except (OutOfScope, PeriodClosed, StaleWrite) as exc:
            exc.fields = _strip(exc.fields)
            if isinstance(exc, StaleWrite):
                exc.current = {_strip_path(k): v for k, v in exc.current.items()}
            raise
        entry = outcome.items[0]
        body = {**entry, "warnings": _strip(outcome.warnings)}
        response = Response(body, status=201 if entry["status"] == "created" else 200)
        response["ETag"] = f'"{entry["version"]}"'
        return response


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
        serializer = IntegrationLeaderMarkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["version"] = if_match(request) or data.get("version")
        mark, status = save_leader_mark(request.user, data)
        body = {
            "period": mark.period.code,
            "official_id": mark.civil_servant.official_id,
            "organising": mark.organising,
            "cohesion": mark.cohesion,
            "version": seen.version(mark),
            "status": status,
        }
        response = Response(
            IntegrationLeaderMarkResponseSerializer(body).data,
            status=201 if status == "created" else 200,
        )
        response["ETag"] = f'"{body["version"]}"'
        return response
