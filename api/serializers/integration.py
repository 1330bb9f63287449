"""Request/response shapes of the write API (integration systems), for the OpenAPI schema.

Requests are NOT validated by these serializers: thousands of lines go through the Excel
importer's vectorised rules instead (:mod:`api.write`). The serializers document the same
fields, limits and defaults; tests check that the two agree.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.conf import DEFAULT_MAX_BULK_ITEMS
from api.schema import choice_ref, describe
from api.write import MAX_COUNT, MAX_EXTERNAL_ID, MAX_QUANTITY

QUANTITY = {
    "max_digits": 12,
    "decimal_places": 2,
    "min_value": 0,
    "max_value": MAX_QUANTITY,
    "coerce_to_string": False,
}


@describe(
    _(
        "Một dòng giao việc và kết quả thực hiện do hệ thống tích hợp gửi lên; được kiểm tra "
        "đúng như một dòng của tệp Excel kết quả thực hiện nhiệm vụ."
    )
)
class IntegrationLineSerializer(serializers.Serializer):
    external_id = serializers.CharField(
        max_length=MAX_EXTERNAL_ID,
        help_text=format_lazy(
            _(
                "Mã của dòng ở hệ thống gửi (tối đa {max} ký tự), duy nhất trong hệ thống đó. "
                "Gửi lại cùng mã là cập nhật dòng đã có, không tạo dòng mới."
            ),
            max=MAX_EXTERNAL_ID,
        ),
    )
    agency = serializers.CharField(
        help_text=_(
            "Mã cơ quan có danh mục sản phẩm/công việc (sở, ban, ngành; UBND xã, phường). Mã "
            "một phòng, ban cũng được: dùng danh mục của cơ quan chủ quản."
        )
    )
    period = serializers.CharField(help_text=_("Mã kỳ đánh giá, ví dụ 2026-03 (tháng 3/2026)."))
    official_id = serializers.CharField(
        max_length=32,
        help_text=_("Mã số công chức; phải công tác tại cơ quan trong kỳ."),
    )
    product_code = serializers.CharField(
        max_length=32,
        help_text=_("Mã sản phẩm/công việc trong danh mục đã phê duyệt áp dụng cho kỳ."),
    )
    assigned = serializers.DecimalField(
        **QUANTITY, help_text=_("Số lượng được giao: số không âm, tối đa 2 chữ số thập phân.")
    )
    completed = serializers.DecimalField(
        **QUANTITY,
        required=False,
        default=0,
        help_text=_("Số lượng hoàn thành; mặc định 0. Lớn hơn số được giao sẽ được cảnh báo."),
    )
    deadline = serializers.DateField(
        required=False, allow_null=True, help_text=_("Hạn hoàn thành (yyyy-mm-dd).")
    )
    completed_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Ngày hoàn thành (yyyy-mm-dd); chỉ ghi khi đã có số lượng hoàn thành."),
    )
    failed_reviews = serializers.IntegerField(
        min_value=0,
        max_value=MAX_COUNT,
        required=False,
        default=0,
        help_text=_("Kết quả đánh giá chất lượng: số lần đánh giá chưa đạt; mặc định 0."),
    )
    delays = serializers.IntegerField(
        min_value=0,
        max_value=MAX_COUNT,
        required=False,
        default=0,
        help_text=_(
            "Số sản phẩm trễ hạn: mỗi sản phẩm hoàn thành sau hạn là một lần chậm tiến độ; "
            "mặc định 0."
        ),
    )
    failed_by_product = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        help_text=_(
            "Tuỳ chọn: số lần đánh giá chưa đạt của sản phẩm 1, 2, … (các sản phẩm đã hoàn "
            "thành trước); tổng phải bằng failed_reviews. Không gửi: các lần chưa đạt được tính "
            "lần lượt cho từng sản phẩm đã hoàn thành."
        ),
    )
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text=_("Ghi chú.")
    )
    full_name = serializers.CharField(
        required=False, help_text=_("Tuỳ chọn, chỉ để đối chiếu: không được lưu.")
    )
    product_name = serializers.CharField(
        required=False, help_text=_("Tuỳ chọn, chỉ để đối chiếu: không được lưu.")
    )


@describe(_("Nhiều dòng giao việc gửi trong một yêu cầu: ghi tất cả hoặc không ghi dòng nào."))
class IntegrationBulkRequestSerializer(serializers.Serializer):
    items = serializers.ListSerializer(
        child=IntegrationLineSerializer(),
        max_length=DEFAULT_MAX_BULK_ITEMS,
        min_length=1,
        # read by the OpenAPI generator (minItems, maxItems)
        validators=[MinLengthValidator(1), MaxLengthValidator(DEFAULT_MAX_BULK_ITEMS)],
        help_text=format_lazy(_("Các dòng (từ 1 đến {max} dòng)."), max=DEFAULT_MAX_BULK_ITEMS),
    )


@describe(_("Kết quả ghi một dòng."))
class IntegrationLineResultSerializer(serializers.Serializer):
    external_id = serializers.CharField(help_text=_("Mã dòng như hệ thống đã gửi."))
    id = serializers.IntegerField(help_text=_("id của dòng giao việc trong KPI Công vụ."))
    status = choice_ref(
        "LineWriteStatusEnum",
        [
            ("created", _("tạo mới")),
            ("updated", _("cập nhật")),
            ("unchanged", _("không thay đổi")),
        ],
        help_text=_("created: tạo mới; updated: đã cập nhật; unchanged: dữ liệu như cũ."),
    )


@describe(_("Kết quả ghi nhiều dòng."))
class IntegrationBulkResponseSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text=_("Số dòng tạo mới."))
    updated = serializers.IntegerField(help_text=_("Số dòng đã cập nhật."))
    unchanged = serializers.IntegerField(help_text=_("Số dòng gửi lại không thay đổi."))
    items = IntegrationLineResultSerializer(many=True, help_text=_("Theo đúng thứ tự đã gửi."))
    warnings = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_(
            "Cảnh báo (không chặn việc ghi), theo đường dẫn trường, ví dụ items[3].completed."
        ),
    )


@describe(_("Kết quả ghi một dòng giao việc."))
class IntegrationSingleResponseSerializer(IntegrationLineResultSerializer):
    warnings = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Cảnh báo (không chặn việc ghi), theo tên trường."),
    )


@describe(_("Hệ thống tích hợp đang gọi và phạm vi được cấp."))
class IntegrationMeSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("Tên hệ thống."))
    agencies = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Mã các cơ quan, đơn vị được cấp (kể cả các đơn vị trực thuộc)."),
    )
    can_write = serializers.BooleanField(help_text=_("Được gửi giao việc, kết quả."))
    national_export = serializers.BooleanField(
        help_text=_("Được nhận dữ liệu gửi Cơ sở dữ liệu quốc gia.")
    )
    token_prefix = serializers.CharField(help_text=_("Vài ký tự đầu của mã truy cập đang dùng."))


@describe(
    _(
        "Mức các tiêu chí đ, e của một công chức lãnh đạo, quản lý trong một kỳ, do người đánh "
        "giá chọn ở hệ thống gửi (Điều 15 khoản 3 điểm đ, e Nghị định 335)."
    )
)
class IntegrationLeaderMarkSerializer(serializers.Serializer):
    period = serializers.CharField(help_text=_("Mã kỳ đánh giá, ví dụ 2026-03."))
    official_id = serializers.CharField(
        max_length=32,
        help_text=_("Mã số công chức giữ chức vụ lãnh đạo, quản lý trong kỳ."),
    )
    organising = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        coerce_to_string=False,
        help_text=_(
            "(đ) Khả năng tổ chức triển khai thực hiện nhiệm vụ, %: một trong các mức của khung "
            "đang áp dụng (mặc định 100 hoặc 50)."
        ),
    )
    cohesion = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        coerce_to_string=False,
        help_text=_(
            "(e) Năng lực tập hợp, đoàn kết công chức, %: một trong các mức của khung đang áp "
            "dụng (mặc định 100 hoặc 50)."
        ),
    )


@describe(_("Kết quả ghi tiêu chí đ, e."))
class IntegrationLeaderMarkResponseSerializer(IntegrationLeaderMarkSerializer):
    status = serializers.ChoiceField(
        choices=["created", "updated", "unchanged"],
        help_text=_("created — tạo mới; updated — đã cập nhật; unchanged — không thay đổi."),
    )
