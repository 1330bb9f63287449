"""POST /api/v1/score-preview/ — the public what-if calculator (tag ``score-preview``)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.errors import ErrorSerializer
from api.parsers import SafeJSONParser
from api.serializers.preview import (
    FrameworkChoiceSerializer,
    ScorePreviewRequestSerializer,
    ScorePreviewResponseSerializer,
)
from api.throttling import AnonThrottle, UserThrottle
from org.models import Agency
from scoring.engine import DECREE_335_DEFAULT, ScoringInputError, score_preview
from scoring.explain import render_steps
from scoring.services.frameworks import FrameworkNotFound, framework_for_preview

#: Case 1 of docs/scoring.md (Decree 335 notes §7): used as the documented example.
EXAMPLE_REQUEST = {
    "role": "staff",
    "general": 27,
    "lines": [
        {"coefficient": 1, "assigned": 6, "completed": 6, "failed_reviews": 1, "delays": 1},
        {"coefficient": 2, "assigned": 2, "completed": 1},
    ],
}


def preview_response(result: dict, resolved) -> dict:
    """The engine's preview with its steps in words (the request's language) and the
    framework it was scored with (``None``: the built-in Decree 335 default)."""
    rules = resolved.rules if resolved is not None else DECREE_335_DEFAULT
    return {
        **result,
        "explanation": render_steps(result["explanation"]),
        "framework": {
            "code": resolved.code if resolved is not None else rules.code,
            "name": resolved.name if resolved is not None else rules.name,
            "version": resolved.revision_id if resolved is not None else None,
        },
    }


EXAMPLE_RESPONSE = preview_response(score_preview(EXAMPLE_REQUEST), None)


_ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Dữ liệu không hợp lệ.")),
    413: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Dữ liệu gửi lên quá lớn.")),
    415: OpenApiResponse(
        ErrorSerializer, description=gettext_lazy("Nội dung gửi lên không phải JSON.")
    ),
    429: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Vượt giới hạn tần suất gọi.")),
}


class ScorePreviewView(APIView):
    """POST /api/v1/score-preview/ — the public what-if calculator."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonThrottle, UserThrottle]
    parser_classes = [SafeJSONParser]

    @extend_schema(
        operation_id="score_preview",
        tags=["score-preview"],
        summary=gettext_lazy("Tính thử điểm của một kỳ đánh giá"),
        description=gettext_lazy(
            "Tính tỷ lệ số lượng (a), chất lượng (b), tiến độ (c), điểm kết quả thực hiện "
            "nhiệm vụ, tổng điểm và mức xếp loại của một công chức trong một kỳ theo Nghị "
            "định 335/2025/NĐ-CP, với khung tiêu chí đang áp dụng (hoặc khung, phiên bản ghi "
            "trong yêu cầu). Không lưu dữ liệu, không cần "
            "đăng nhập; có giới hạn tần suất gọi. Dữ liệu sai trả về HTTP 400 với thông báo "
            "cho từng trường (ví dụ lines[2].exempt_reviews)."
        ),
        request=ScorePreviewRequestSerializer,
        responses={
            200: OpenApiResponse(
                ScorePreviewResponseSerializer,
                description=gettext_lazy("Kết quả tính điểm."),
            ),
            **_ERROR_RESPONSES,
        },
        examples=[
            OpenApiExample(
                "case-1",
                summary=gettext_lazy("Công chức: 6 sản phẩm X và 2 sản phẩm Y"),
                description=gettext_lazy(
                    "6 X (hệ số 1) hoàn thành cả 6, một lần đánh giá chưa đạt và một lần chậm "
                    "tiến độ; 2 Y (hệ số 2) hoàn thành 1; tiêu chí chung 27 điểm."
                ),
                value=EXAMPLE_REQUEST,
                request_only=True,
            ),
            OpenApiExample(
                "case-1",
                summary=gettext_lazy("Kết quả: 81,83 điểm — hoàn thành tốt nhiệm vụ"),
                value=EXAMPLE_RESPONSE,
                response_only=True,
                status_codes=["200"],
            ),
        ],
    )
    def post(self, request):
        choice = FrameworkChoiceSerializer(
            data=request.data if isinstance(request.data, dict) else {}
        )
        choice.is_valid(raise_exception=True)
        resolved = self._framework(choice.validated_data)
        rules = resolved.rules if resolved is not None else DECREE_335_DEFAULT
        serializer = ScorePreviewRequestSerializer(data=request.data, rules=rules)
        serializer.is_valid(raise_exception=True)
        try:
            result = score_preview(serializer.engine_payload(), rules)
        except ScoringInputError as exc:
            raise exceptions.ValidationError(
                {path: [message] for path, message in exc.errors.items()}
            ) from exc
        return Response(preview_response(result, resolved))

    @staticmethod
    def _framework(data):
        agency = None
        if data.get("agency"):
            agency = Agency.objects.filter(code=data["agency"]).first()
            if agency is None:
                raise exceptions.ValidationError(
                    {"agency": [_("Không có cơ quan, đơn vị với mã này.")]}
                )
        try:
            return framework_for_preview(
                data.get("framework"),
                data.get("framework_version"),
                agency,
                timezone.localdate(),
            )
        except FrameworkNotFound as exc:
            field = exc.args[0]
            message = (
                _("Không có khung tiêu chí đã công bố với mã này.")
                if field == "framework"
                else _("Không phải phiên bản đã công bố của khung tiêu chí này.")
            )
            raise exceptions.ValidationError({field: [message]}) from exc
