"""National civil-servant database: read a batch (JSON or CSV) and acknowledge records."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, renderers, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.parsers import SafeJSONParser

from .base import READ_ERRORS, V1Mixin
from .errors import ErrorSerializer
from .models import OutboxRecord
from .national_export import acknowledge, batch_name, document, to_csv, unsent_until
from .outbox import collect_final_results
from .permissions import MayUseNationalExport
from .schema import describe


class BatchCsvRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "records" in data:
            return to_csv(data)
        # An error body: JSON is more useful than an empty table.
        return renderers.JSONRenderer().render(data)


@describe(gettext_lazy("Một kết quả gửi Cơ sở dữ liệu quốc gia (xem docs/api.md)."))
class NationalRecordSerializer(serializers.Serializer):
    record_id = serializers.IntegerField(help_text=gettext_lazy("id bản ghi, dùng để xác nhận."))
    kind = serializers.ChoiceField(
        choices=["period_result", "annual_rating"],
        help_text=gettext_lazy(
            "period_result: kết quả theo dõi, đánh giá theo kỳ; annual_rating: kết quả xếp loại "
            "chất lượng năm."
        ),
    )
    result_date = serializers.DateField(help_text=gettext_lazy("Ngày có kết quả chính thức."))
    due_date = serializers.DateField(help_text=gettext_lazy("Hạn gửi (ngày có kết quả + 5)."))
    civil_servant = serializers.DictField(
        help_text=gettext_lazy("official_id (mã số công chức), full_name.")
    )
    agency = serializers.DictField(help_text=gettext_lazy("code, name của cơ quan, đơn vị."))
    period = serializers.DictField(
        required=False,
        help_text=gettext_lazy(
            "Chỉ với period_result: code, kind, year, number, start_date, end_date."
        ),
    )
    year = serializers.IntegerField(required=False, help_text=gettext_lazy("Năm đánh giá."))
    role = serializers.CharField(help_text=gettext_lazy("staff, head hoặc deputy."))
    position_group = serializers.CharField(help_text=gettext_lazy("Nhóm vị trí việc làm."))
    result = serializers.DictField(
        help_text=gettext_lazy(
            "period_result: quantity, quality, timeliness, task_points, general_points, total, "
            "rating, computed_at; annual_rating: score, rating, decision_ref, decision_date."
        )
    )


@describe(gettext_lazy("Lô dữ liệu gửi Cơ sở dữ liệu quốc gia về cán bộ, công chức, viên chức."))
class NationalBatchSerializer(serializers.Serializer):
    format = serializers.CharField(
        help_text=gettext_lazy("Luôn là kpi-congvu/national-db-results.")
    )
    format_version = serializers.IntegerField(help_text=gettext_lazy("Phiên bản định dạng (1)."))
    batch = serializers.CharField(help_text=gettext_lazy("Tên lô, ví dụ kpi-congvu-20260405."))
    batch_date = serializers.DateField()
    generated_at = serializers.DateTimeField()
    source = serializers.DictField(help_text=gettext_lazy("system, province_code, province_name."))
    count = serializers.IntegerField()
    records = NationalRecordSerializer(many=True)


#: Largest id of a BigAutoField (SQLite INTEGER, PostgreSQL bigint).
MAX_RECORD_ID = 2**63 - 1


@describe(gettext_lazy("Xác nhận Cơ sở dữ liệu quốc gia đã nhận các bản ghi."))
class AcknowledgeRequestSerializer(serializers.Serializer):
    ids = serializers.ListField(
        # Ids are 64-bit (BigAutoField): a larger number cannot reach the database.
        child=serializers.IntegerField(min_value=1, max_value=MAX_RECORD_ID),
        min_length=1,
        max_length=10000,
        help_text=gettext_lazy("Các record_id đã nhận (tối đa 10.000)."),
    )


@describe(gettext_lazy("Số bản ghi được xác nhận."))
class AcknowledgeResponseSerializer(serializers.Serializer):
    acknowledged = serializers.IntegerField(
        help_text=gettext_lazy("Số bản ghi chuyển sang trạng thái đã được xác nhận.")
    )


def _file_name(batch: str) -> str:
    """``batch`` as a safe download name: the name is sent back as given (``?batch=``), and a
    quote, a line break or a control character must never reach the response header."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", batch)[:100] or "kpi-congvu"


class NationalExportView(V1Mixin, APIView):
    """GET /api/v1/national-export/ — the batch of a day (unsent records), or a sent batch."""

    permission_classes = [IsAuthenticated, MayUseNationalExport]
    renderer_classes = [renderers.JSONRenderer, BatchCsvRenderer]
    access_log_type = "national_export"

    @extend_schema(
        operation_id="national_export_retrieve",
        tags=["national-export"],
        summary=gettext_lazy("Lô dữ liệu gửi Cơ sở dữ liệu quốc gia"),
        description=gettext_lazy(
            "Mặc định: mọi kết quả chính thức chưa gửi (chờ gửi hoặc gửi lỗi) có ngày kết quả "
            "đến hết ngày date — đúng lô mà lệnh export_national_db sẽ gửi. Với batch: các bản "
            "ghi của một lô đã gửi. Chỉ đọc, không đổi trạng thái. format=csv trả bảng CSV "
            "(UTF-8). Chỉ Sở Nội vụ và hệ thống được phép; mỗi lần đọc bằng mã truy cập được "
            "ghi nhật ký."
        ),
        parameters=[
            OpenApiParameter(
                "date",
                OpenApiTypes.DATE,
                description=gettext_lazy("Ngày của lô (yyyy-mm-dd), mặc định hôm nay."),
            ),
            OpenApiParameter(
                "batch",
                str,
                description=gettext_lazy("Tên một lô đã gửi, ví dụ kpi-congvu-20260405."),
            ),
            OpenApiParameter(
                "format", str, enum=["json", "csv"], description=gettext_lazy("json hoặc csv.")
            ),
        ],
        responses={
            (200, "application/json"): NationalBatchSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            **READ_ERRORS,
        },
    )
    def get(self, request):
        day = self._day(request.query_params.get("date"))
        batch = (request.query_params.get("batch") or "").strip()
        collect_final_results()
        if batch:
            records = OutboxRecord.objects.filter(batch=batch).order_by("id")
            name = batch
        else:
            records = unsent_until(day)
            name = batch_name(day)
        records = list(records)
        doc = document(records, name, day)
        response = Response(doc)
        response.api_record_count = doc["count"]
        # The people of the batch, for the read log when a person pulls it (api.base).
        response.audit_subjects = [record.civil_servant_id for record in records]
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = f'attachment; filename="{_file_name(name)}.csv"'
        return response

    @staticmethod
    def _day(raw) -> datetime.date:
        if not raw:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError as exc:
            raise exceptions.ValidationError(
                {"date": [_("Ngày không hợp lệ; hãy ghi theo dạng yyyy-mm-dd.")]}
            ) from exc


class NationalAcknowledgeView(V1Mixin, APIView):
    """POST /api/v1/national-export/acknowledgements/ — records received by the national DB."""

    permission_classes = [IsAuthenticated, MayUseNationalExport]
    parser_classes = [SafeJSONParser]

    @extend_schema(
        operation_id="national_export_acknowledge",
        tags=["national-export"],
        summary=gettext_lazy("Xác nhận đã nhận các bản ghi"),
        description=gettext_lazy(
            "Chuyển các bản ghi sang trạng thái đã được xác nhận (acknowledged); bản ghi đã xác "
            "nhận trước đó được bỏ qua. Chỉ Sở Nội vụ và hệ thống được phép."
        ),
        request=AcknowledgeRequestSerializer,
        responses={
            200: AcknowledgeResponseSerializer,
            **READ_ERRORS,
            413: OpenApiResponse(
                ErrorSerializer, description=gettext_lazy("Dữ liệu gửi lên quá lớn.")
            ),
            415: OpenApiResponse(
                ErrorSerializer, description=gettext_lazy("Nội dung gửi lên không phải JSON.")
            ),
        },
        examples=[
            OpenApiExample(
                "ack",
                summary=gettext_lazy("Xác nhận ba bản ghi"),
                value={"ids": [101, 102, 103]},
                request_only=True,
            ),
            OpenApiExample(
                "ack",
                summary=gettext_lazy("Ba bản ghi đã được xác nhận"),
                value={"acknowledged": 3},
                response_only=True,
                status_codes=["200"],
            ),
        ],
    )
    def post(self, request):
        serializer = AcknowledgeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"acknowledged": acknowledge(serializer.validated_data["ids"])})
