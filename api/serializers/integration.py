"""Request/response shapes of the write API (integration systems): they validate the requests
and produce the OpenAPI schema — one validator per door.

* The serializers check the **shape** of a request: an object, the known fields only, the
  required ones present, scalar values, dates as text, ``external_id`` at most 80 characters and
  unique in the request, ``items`` a list of 1 to ``KPI_API_MAX_BULK_ITEMS`` objects. Errors are
  field paths (``items[3].assigned``) with a Vietnamese message; the request is then refused
  whole (HTTP 400) before anything else is read.
* The **content** (does the person work in the agency in the period, is the product in the
  catalogue, is the quantity a non-negative number with at most 2 decimals, is the date real…)
  is checked by the one rule set every door uses: the Excel importer's results rules
  (:func:`importers.lines.records.check_records`) for lines, the framework's levels and the
  governing posting for leader marks (:mod:`api.write_leader`). So numbers and dates are handed
  on as sent (``"2,5"`` and ``"20/03/2026"`` are accepted, as in a workbook), and the bounds shown
  in the schema are those rules' bounds.
"""

from __future__ import annotations

from collections.abc import Mapping

from rest_framework import serializers
from rest_framework.settings import api_settings

from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from api.conf import DEFAULT_MAX_BULK_ITEMS, max_bulk_items
from api.schema import choice_ref, describe
from api.write import MAX_COUNT, MAX_EXTERNAL_ID, MAX_QUANTITY

MSG_REQUIRED = _("Thiếu thông tin bắt buộc.")
MSG_SCALAR = _("Phải là một giá trị đơn (chuỗi hoặc số).")
MSG_TEXT = _("Phải là một chuỗi.")
MSG_OBJECT = _("Phải là một đối tượng.")
MSG_UNKNOWN = _("Trường không được hỗ trợ.")

QUANTITY = {
    "max_digits": 12,
    "decimal_places": 2,
    "min_value": 0,
    "max_value": MAX_QUANTITY,
    "coerce_to_string": False,
}

VERSION_HELP = _(
    "Phiên bản của dòng mà hệ thống đã thấy (trường version trong kết quả lần gửi trước hoặc "
    "khi đọc dòng). Bắt buộc khi gửi thay đổi cho một dòng đã có: nếu dòng đã bị người khác "
    "sửa từ đó, yêu cầu bị từ chối (HTTP 412) kèm giá trị hiện tại. Không cần khi tạo dòng mới."
)


def _messages(required: bool, invalid) -> dict:
    messages = {"invalid": invalid}
    if required:
        messages.update(required=MSG_REQUIRED, null=MSG_REQUIRED, blank=MSG_REQUIRED)
    return messages


def _scalar(value) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


class _AsSent(serializers.Field):
    """A field whose value is handed on as sent (a number, or text such as ``"2,5"``) to the
    rules that parse it; the field type and bounds are for the schema (mixed in before a DRF
    field class, whose ``fail`` and validators it uses)."""

    def __init__(self, **kwargs):
        required = kwargs.get("required", True) and "default" not in kwargs
        kwargs.setdefault("error_messages", _messages(required, MSG_SCALAR))
        if not required:
            kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not _scalar(data):
            self.fail("invalid")
        return data

    def run_validators(self, value):
        """Bounds and formats are the content rules' (one rule set), not checked twice here."""


class QuantityField(_AsSent, serializers.DecimalField):
    pass


class CountField(_AsSent, serializers.IntegerField):
    pass


class DateTextField(_AsSent, serializers.DateField):
    """A date given as text, ``yyyy-mm-dd`` or ``dd/mm/yyyy`` (parsed by the Excel rules)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("Ngày phải là chuỗi dạng yyyy-mm-dd (hoặc dd/mm/yyyy).")},
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return data


class TextField(serializers.CharField):
    """A code or text; a number is accepted and read as its text, as a spreadsheet cell."""

    def __init__(self, **kwargs):
        required = kwargs.get("required", True)
        kwargs.setdefault("error_messages", _messages(required, MSG_TEXT))
        kwargs["error_messages"].setdefault(
            "max_length", _("Không được dài quá {max_length} ký tự.")
        )
        super().__init__(**kwargs)


class NoteField(TextField):
    """Free text; its length is the Excel rules' (their message names the column)."""

    def run_validators(self, value):
        pass


class PerProductField(serializers.ListField):
    """Non-negative whole numbers, handed to the Excel rules as the cell text ``"a; b"``."""

    default_error_messages = {"invalid": _("Phải là một danh sách số nguyên không âm.")}

    def to_internal_value(self, data):
        if isinstance(data, list):
            if all(isinstance(n, int) and not isinstance(n, bool) for n in data):
                return "; ".join(str(n) for n in data)
            self.fail("invalid")
        if data is None or _scalar(data):
            return data  # the cell's own text ("1; 0"), parsed by the Excel rules
        self.fail("invalid")


class LevelField(serializers.DecimalField):
    """A percentage level (đ, e); which levels are allowed is the framework's (the service)."""

    def __init__(self, **kwargs):
        message = _("Phải là một số phần trăm, ví dụ 100 hoặc 50.")
        super().__init__(
            max_digits=5,
            decimal_places=2,
            coerce_to_string=False,
            error_messages={
                **_messages(True, message),
                "max_digits": message,
                "max_decimal_places": message,
                "max_whole_digits": message,
                "max_string_length": message,
            },
            **kwargs,
        )

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSerializer(serializers.Serializer):
    """An object with the declared fields only: any other key is refused by name."""

    default_error_messages = {"invalid": MSG_OBJECT}

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [self.error_messages["invalid"]]},
                code="invalid",
            )
        errors = {key: [str(MSG_UNKNOWN)] for key in data if key not in self.fields}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({**exc.detail, **errors}) from exc
        if errors:
            raise serializers.ValidationError(errors)
        return value


@describe(
    _(
        "Một dòng giao việc và kết quả thực hiện do hệ thống tích hợp gửi lên; được kiểm tra "
        "đúng như một dòng của tệp Excel kết quả thực hiện nhiệm vụ."
    )
)
class IntegrationLineSerializer(StrictSerializer):
    external_id = TextField(
        max_length=MAX_EXTERNAL_ID,
        help_text=format_lazy(
            _(
                "Mã của dòng ở hệ thống gửi (tối đa {max} ký tự), duy nhất trong hệ thống đó. "
                "Gửi lại cùng mã là cập nhật dòng đã có, không tạo dòng mới."
            ),
            max=MAX_EXTERNAL_ID,
        ),
    )
    agency = TextField(
        help_text=_(
            "Mã cơ quan có danh mục sản phẩm/công việc (sở, ban, ngành; UBND xã, phường). Mã "
            "một phòng, ban cũng được: dùng danh mục của cơ quan chủ quản."
        )
    )
    period = TextField(help_text=_("Mã kỳ đánh giá, ví dụ 2026-03 (tháng 3/2026)."))
    official_id = TextField(
        max_length=32,
        help_text=_("Mã số công chức; phải công tác tại cơ quan trong kỳ."),
    )
    product_code = TextField(
        max_length=32,
        help_text=_("Mã sản phẩm/công việc trong danh mục đã phê duyệt áp dụng cho kỳ."),
    )
    assigned = QuantityField(
        **QUANTITY, help_text=_("Số lượng được giao: số không âm, tối đa 2 chữ số thập phân.")
    )
    completed = QuantityField(
        **QUANTITY,
        required=False,
        default=0,
        help_text=_("Số lượng hoàn thành; mặc định 0. Lớn hơn số được giao sẽ được cảnh báo."),
    )
    deadline = DateTextField(
        required=False, allow_null=True, help_text=_("Hạn hoàn thành (yyyy-mm-dd).")
    )
    completed_on = DateTextField(
        required=False,
        allow_null=True,
        help_text=_("Ngày hoàn thành (yyyy-mm-dd); chỉ ghi khi đã có số lượng hoàn thành."),
    )
    failed_reviews = CountField(
        min_value=0,
        max_value=MAX_COUNT,
        required=False,
        default=0,
        help_text=_("Kết quả đánh giá chất lượng: số lần đánh giá chưa đạt; mặc định 0."),
    )
    delays = CountField(
        min_value=0,
        max_value=MAX_COUNT,
        required=False,
        default=0,
        help_text=_(
            "Số sản phẩm trễ hạn: mỗi sản phẩm hoàn thành sau hạn là một lần chậm tiến độ; "
            "mặc định 0."
        ),
    )
    failed_by_product = PerProductField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        allow_null=True,
        help_text=_(
            "Tuỳ chọn: số lần đánh giá chưa đạt của sản phẩm 1, 2, … (các sản phẩm đã hoàn "
            "thành trước); tổng phải bằng failed_reviews. Không gửi: các lần chưa đạt được tính "
            "lần lượt cho từng sản phẩm đã hoàn thành."
        ),
    )
    note = NoteField(
        max_length=2000,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("Ghi chú."),
    )
    full_name = TextField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("Tuỳ chọn, chỉ để đối chiếu: không được lưu."),
    )
    product_name = TextField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("Tuỳ chọn, chỉ để đối chiếu: không được lưu."),
    )
    version = TextField(required=False, allow_blank=True, allow_null=True, help_text=VERSION_HELP)


class IntegrationLineListSerializer(serializers.ListSerializer):
    """1 to ``max_bulk_items()`` line objects; an ``external_id`` appears once."""

    default_error_messages = {
        "not_a_list": _("Phải là một danh sách."),
        "empty": _("Danh sách không được rỗng."),
        "required": MSG_REQUIRED,
        "null": MSG_REQUIRED,
    }

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list")
        if not data:
            self.fail("empty")
        limit = max_bulk_items()
        if len(data) > limit:
            raise serializers.ValidationError(
                [gettext("Không được quá %(max)d dòng.") % {"max": limit}], code="max_length"
            )
        values, errors = [], []
        first_seen: dict[str, int] = {}
        for index, item in enumerate(data):
            try:
                value = self.child.run_validation(item)
            except serializers.ValidationError as exc:
                errors.append(exc.detail)
                continue
            external_id = value["external_id"]
            if external_id in first_seen:
                message = gettext("external_id “%(id)s” trùng với items[%(first)d].") % {
                    "id": external_id,
                    "first": first_seen[external_id],
                }
                errors.append({"external_id": [message]})
                continue
            first_seen[external_id] = index
            values.append(value)
            errors.append({})
        if any(errors):
            raise serializers.ValidationError(errors)
        return values

    def run_validators(self, value):
        """The length was checked above against the configured limit; the validators given to
        the field are the schema's (the default limit)."""


@describe(_("Nhiều dòng giao việc gửi trong một yêu cầu: ghi tất cả hoặc không ghi dòng nào."))
class IntegrationBulkRequestSerializer(StrictSerializer):
    default_error_messages = {"invalid": _("Dữ liệu phải là một đối tượng JSON.")}

    items = IntegrationLineListSerializer(
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
    version = serializers.CharField(
        help_text=_(
            "Phiên bản của dòng như đang lưu sau lần ghi này: gửi kèm (trường version) khi "
            "thay đổi dòng này lần sau."
        )
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
class IntegrationLeaderMarkSerializer(StrictSerializer):
    period = TextField(help_text=_("Mã kỳ đánh giá, ví dụ 2026-03."))
    official_id = TextField(
        max_length=32,
        help_text=_("Mã số công chức giữ chức vụ lãnh đạo, quản lý trong kỳ."),
    )
    organising = LevelField(
        help_text=_(
            "(đ) Khả năng tổ chức triển khai thực hiện nhiệm vụ, %: một trong các mức của khung "
            "đang áp dụng (mặc định 100 hoặc 50)."
        ),
    )
    cohesion = LevelField(
        help_text=_(
            "(e) Năng lực tập hợp, đoàn kết công chức, %: một trong các mức của khung đang áp "
            "dụng (mặc định 100 hoặc 50)."
        ),
    )
    version = TextField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_(
            "Phiên bản của mức đ, e mà hệ thống đã thấy (trường version của lần gửi trước). Bắt "
            "buộc khi thay đổi mức đã có (hoặc gửi header If-Match); nếu đã bị người khác sửa "
            "từ đó, yêu cầu bị từ chối (HTTP 412) kèm giá trị hiện tại."
        ),
    )


@describe(_("Kết quả ghi tiêu chí đ, e."))
class IntegrationLeaderMarkResponseSerializer(serializers.Serializer):
    period = serializers.CharField(help_text=_("Mã kỳ đánh giá, ví dụ 2026-03."))
    official_id = serializers.CharField(help_text=_("Mã số công chức."))
    organising = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, help_text=_("(đ), %.")
    )
    cohesion = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, help_text=_("(e), %.")
    )
    version = serializers.CharField(
        help_text=_("Phiên bản của mức đ, e như đang lưu: gửi kèm khi thay đổi lần sau.")
    )
    status = serializers.ChoiceField(
        choices=["created", "updated", "unchanged"],
        help_text=_("created — tạo mới; updated — đã cập nhật; unchanged — không thay đổi."),
    )
