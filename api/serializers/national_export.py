"""Request/response shapes of the national-database export (batches and acknowledgements)."""

from __future__ import annotations

from rest_framework import serializers

from django.utils.translation import gettext_lazy

from api.schema import describe


@describe(gettext_lazy("Một kết quả gửi Cơ sở dữ liệu quốc gia (xem docs/api.md)."))
class NationalRecordSerializer(serializers.Serializer):
    record_id = serializers.IntegerField(help_text=gettext_lazy("id bản ghi, dùng để xác nhận."))
    kind = serializers.ChoiceField(
        choices=["period_result", "annual_rating", "correction", "cancellation"],
        help_text=gettext_lazy(
            "period_result: kết quả theo dõi, đánh giá theo kỳ; annual_rating: kết quả xếp loại "
            "chất lượng năm; correction: điều chỉnh một kết quả đã gửi (giá trị mới); "
            "cancellation: hủy một kết quả đã gửi."
        ),
    )
    corrects_record_id = serializers.IntegerField(
        allow_null=True,
        help_text=gettext_lazy("Với correction, cancellation: record_id của bản ghi đã gửi."),
    )
    reason = serializers.CharField(
        allow_blank=True, help_text=gettext_lazy("Lý do điều chỉnh, hủy (rỗng với bản ghi gốc).")
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
    role = serializers.CharField(required=False, help_text=gettext_lazy("staff, head hoặc deputy."))
    position_group = serializers.CharField(
        required=False, help_text=gettext_lazy("Nhóm vị trí việc làm.")
    )
    result = serializers.DictField(
        allow_null=True,
        help_text=gettext_lazy(
            "period_result: quantity, quality, timeliness, task_points, general_points, total, "
            "rating, computed_at; annual_rating: score, rating, decision_ref, decision_date; "
            "cancellation: null."
        ),
    )


@describe(gettext_lazy("Lô dữ liệu gửi Cơ sở dữ liệu quốc gia về cán bộ, công chức, viên chức."))
class NationalBatchSerializer(serializers.Serializer):
    format = serializers.CharField(
        help_text=gettext_lazy("Luôn là kpi-congvu/national-db-results.")
    )
    format_version = serializers.IntegerField(help_text=gettext_lazy("Phiên bản định dạng (2)."))
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
