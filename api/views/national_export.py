"""National civil-servant database (tag ``national-export``): read a batch (JSON or CSV) and
acknowledge records."""

from __future__ import annotations

import datetime
import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, renderers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.base import READ_ERRORS, V1Mixin
from api.errors import ErrorSerializer
from api.models import OutboxRecord
from api.national_export import acknowledge, batch_name, document, to_csv, unsent_until
from api.outbox import collect_final_results
from api.parsers import SafeJSONParser
from api.permissions import MayUseNationalExport
from api.serializers.national_export import (
    AcknowledgeRequestSerializer,
    AcknowledgeResponseSerializer,
    NationalBatchSerializer,
)


class BatchCsvRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "records" in data:
            return to_csv(data)
        # An error body: JSON is more useful than an empty table.
        return renderers.JSONRenderer().render(data)


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
            selected = OutboxRecord.objects.filter(batch=batch).order_by("id")
            name = batch
        else:
            selected = unsent_until(day, respect_backoff=False)
            name = batch_name(day)
        records = list(selected)
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
