"""Request/response shapes of the score preview (``POST /api/v1/score-preview/``).

The serializers check the *shape* of a request (types, ranges, required fields, sizes) so that
the OpenAPI schema documents it exactly; the scoring rules themselves stay in
:mod:`scoring.engine`, which re-validates everything and may still report field errors.
Messages use the engine's wording so a client sees the same sentence whichever layer caught it.
"""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from django.core.validators import MaxLengthValidator
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from api.schema import describe, json_number
from scoring.engine import DECREE_335_DEFAULT, RATINGS, ROLES

#: Most product lines accepted in one preview request.
MAX_LINES = 5000


#: Upper bound of any quantity or count (keeps arithmetic and explanations small).
MAX_QUANTITY = Decimal(1_000_000)


MAX_COUNT = 1_000_000


def _plain(value) -> str:
    """``Decimal("30.0")`` → ``"30"``, ``Decimal("0.50")`` → ``"0.5"``; never an exponent."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):f}"
    return f"{value.normalize():f}"


_GENERAL = next(c for c in DECREE_335_DEFAULT.marks_components if c.code == "general")


#: Allowed percentages of the leader criteria d, đ, e under the Decree 335 default (100 or 50);
#: a request scored with another framework is checked against that framework's levels.
LEADER_LEVELS = tuple(
    Decimal(_plain(level)) for level in DECREE_335_DEFAULT.leader_criterion("d").allowed_percents
)


def leader_level_choices():
    """Choice set of the leader criteria d, đ, e under the Decree 335 default, named
    ``LeaderLevelEnum`` via ``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]`` (the values as they
    appear in the schema; another framework's levels apply when the request names it)."""
    return [(json_number(level), json_number(level)) for level in LEADER_LEVELS]


#: The leader block's fields and the criterion code of each.
LEADER_CODES = {"unit_results": "d", "organising": "dd", "cohesion": "e"}


#: Maximum general-criteria marks (30 under Decree 335).
GENERAL_MAX = Decimal(_plain(_GENERAL.marks_scale))


MSG_REQUIRED = _("Thiếu thông tin bắt buộc.")


MSG_NULL = _("Không được để trống.")


MSG_NUMBER = _("Phải là một số.")


MSG_COUNT = _("Phải là số nguyên không âm.")


MSG_NON_NEGATIVE = _("Không được là số âm.")


MSG_POSITIVE = _("Phải lớn hơn 0.")


MSG_OBJECT = _("Phải là một đối tượng.")


MSG_LIST = _("Phải là một danh sách.")


MSG_TOO_LONG = _("Chuỗi số quá dài.")


def _range(minimum, maximum):
    return format_lazy(
        _("Phải từ {minimum} đến {maximum}."), minimum=_plain(minimum), maximum=_plain(maximum)
    )


def _at_most(maximum):
    return format_lazy(_("Không được lớn hơn {maximum}."), maximum=_plain(maximum))


def _common_messages(invalid) -> dict:
    return {"required": MSG_REQUIRED, "null": MSG_NULL, "invalid": invalid}


class PreciseDecimalField(serializers.DecimalField):
    """A bounded JSON number with at most ``decimal_places`` decimals, parsed as ``Decimal``.

    The range is checked *before* precision, so ``1e999999`` gets the range message and never
    reaches ``quantize()``. ``levels`` optionally restricts the value to a closed set.
    The OpenAPI type is ``number`` with ``minimum``/``maximum``/``multipleOf`` (and ``enum``).
    """

    def __init__(
        self,
        *,
        decimal_places,
        min_value,
        max_value,
        min_message=None,
        max_message=None,
        levels=None,
        **kwargs,
    ):
        self.levels = tuple(Decimal(level) for level in levels) if levels else None
        messages = {
            **_common_messages(MSG_NUMBER),
            "min_value": min_message or MSG_NON_NEGATIVE,
            "max_value": max_message or _at_most(max_value),
            "max_decimal_places": _("Không được có quá {max_decimal_places} chữ số thập phân."),
            "max_string_length": MSG_TOO_LONG,
            "not_a_level": format_lazy(
                _("Giá trị phải là một trong các mức: {levels}."),
                levels=", ".join(_plain(level) for level in self.levels or ()),
            ),
            **kwargs.pop("error_messages", {}),
        }
        super().__init__(
            max_digits=None,
            decimal_places=decimal_places,
            coerce_to_string=False,
            min_value=Decimal(min_value),
            max_value=Decimal(max_value),
            error_messages=messages,
            **kwargs,
        )

    def validate_precision(self, value):
        # Bounds first, so that 1e999999 never reaches quantize(); a tiny positive value
        # below a positive minimum (1e-9 for 0.0001) is reported as too many decimals.
        if value > self.max_value:
            self.fail("max_value")
        if value < self.min_value and value <= 0:
            self.fail("min_value")
        value = super().validate_precision(value)
        if value < self.min_value:
            self.fail("min_value")
        if self.levels is not None and value not in self.levels:
            self.fail("not_a_level")
        return value


class CountField(serializers.IntegerField):
    """A non-negative whole number of events (failed reviews, delays, exemptions)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default", 0)
        super().__init__(
            min_value=0,
            max_value=MAX_COUNT,
            error_messages={
                **_common_messages(MSG_COUNT),
                "min_value": MSG_COUNT,
                "max_value": _at_most(MAX_COUNT),
                "max_string_length": MSG_TOO_LONG,
            },
            **kwargs,
        )


def _quantity(help_text):
    return PreciseDecimalField(
        decimal_places=2, min_value=0, max_value=MAX_QUANTITY, help_text=help_text
    )


@describe(
    _(
        "Một dòng sản phẩm/công việc được giao: hệ số quy đổi, số lượng giao, số lượng hoàn "
        "thành, số lần đánh giá chưa đạt, chậm tiến độ và số lần được miễn trừ."
    )
)
class LineSerializer(serializers.Serializer):
    """One assignment line: a catalog product, its coefficient and what happened to it."""

    coefficient = PreciseDecimalField(
        decimal_places=4,
        min_value=Decimal("0.0001"),
        max_value=Decimal(10_000),
        min_message=MSG_POSITIVE,
        help_text=_(
            "Hệ số quy đổi của sản phẩm/công việc so với sản phẩm chuẩn (lớn hơn 0, tối đa 4 "
            "chữ số thập phân)."
        ),
    )
    assigned = _quantity(_("Số lượng được giao trong kỳ (chưa quy đổi)."))
    completed = _quantity(
        _("Số lượng đã hoàn thành trong kỳ (chưa quy đổi); có thể lớn hơn số được giao.")
    )
    failed_reviews = CountField(
        help_text=_("Số lần sản phẩm bị đánh giá chưa đạt yêu cầu chất lượng (mặc định 0).")
    )
    delays = CountField(
        help_text=_(
            "Số lần chậm tiến độ so với thời hạn: mỗi sản phẩm hoàn thành sau hạn là một lần "
            "(mặc định 0)."
        )
    )
    failed_by_product = serializers.ListField(
        child=CountField(),
        required=False,
        help_text=_(
            "Tuỳ chọn (Điều 14 điểm b: trừ 25% điểm của chính sản phẩm đó): số lần đánh giá "
            "chưa đạt không được miễn trừ của sản phẩm 1, 2, …; sản phẩm thứ i được coi là "
            "hoàn thành nếu i không lớn hơn số lượng hoàn thành. Tổng phải bằng failed_reviews "
            "trừ exempt_reviews. Không gửi: các lần được tính lần lượt cho từng sản phẩm đã "
            "hoàn thành."
        ),
    )
    delays_by_product = serializers.ListField(
        child=CountField(),
        required=False,
        help_text=_(
            "Tuỳ chọn (Điều 14 điểm c): số lần chậm tiến độ không được miễn trừ của sản phẩm "
            "1, 2, …; tổng phải bằng delays trừ exempt_delays."
        ),
    )
    exempt_reviews = CountField(
        help_text=_(
            "Trong số lần đánh giá chưa đạt, số lần được miễn trừ do nguyên nhân khách quan "
            "(không lớn hơn failed_reviews; mặc định 0)."
        )
    )
    exempt_delays = CountField(
        help_text=_(
            "Trong số lần chậm tiến độ, số lần được miễn trừ do nguyên nhân khách quan "
            "(không lớn hơn delays; mặc định 0)."
        )
    )

    default_error_messages = {"invalid": MSG_OBJECT}

    def validate(self, attrs):
        errors: dict[str, str | Promise] = {}
        if attrs["exempt_reviews"] > attrs["failed_reviews"]:
            errors["exempt_reviews"] = _(
                "Số lần được miễn trừ do nguyên nhân khách quan không được lớn hơn số lần "
                "đánh giá chưa đạt."
            )
        if attrs["exempt_delays"] > attrs["delays"]:
            errors["exempt_delays"] = _(
                "Số lần được miễn trừ do nguyên nhân khách quan không được lớn hơn số lần "
                "chậm tiến độ."
            )
        for name, events, exempt in (
            ("failed_by_product", "failed_reviews", "exempt_reviews"),
            ("delays_by_product", "delays", "exempt_delays"),
        ):
            counts = attrs.get(name)
            counted = attrs[events] - attrs[exempt]
            if counts is not None and name not in errors and sum(counts) != counted:
                errors[name] = _(
                    "Tổng số lần của từng sản phẩm (%(sum)d) phải bằng số lần của dòng sau "
                    "miễn trừ (%(counted)d)."
                ) % {"sum": sum(counts), "counted": counted}
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def _leader_percent(help_text, levels=LEADER_LEVELS):
    return PreciseDecimalField(
        decimal_places=2,
        min_value=0,
        max_value=100,
        levels=levels,
        min_message=_range(0, 100),
        max_message=_range(0, 100),
        help_text=help_text,
    )


@describe(_("Các tiêu chí của công chức lãnh đạo, quản lý (Điều 15 Nghị định 335), tính bằng %."))
class LeaderSerializer(serializers.Serializer):
    """Leader criteria d, đ, e as percentages (Decree 335, Art. 15)."""

    unit_results = _leader_percent(
        _("(d) Kết quả hoạt động của cơ quan, đơn vị được giao quản lý, phụ trách (%).")
    )
    organising = _leader_percent(_("(đ) Khả năng tổ chức triển khai thực hiện nhiệm vụ (%)."))
    cohesion = _leader_percent(_("(e) Năng lực tập hợp, đoàn kết công chức (%)."))

    default_error_messages = {"invalid": MSG_OBJECT}

    def __init__(self, *args, rules=DECREE_335_DEFAULT, **kwargs):
        super().__init__(*args, **kwargs)
        codes = {criterion.code for criterion in rules.leader_criteria}
        for name, code in LEADER_CODES.items():
            if code in codes:
                levels = tuple(
                    Decimal(_plain(level))
                    for level in rules.leader_criterion(code).allowed_percents
                )
                field = self.fields[name]
                self.fields[name] = _leader_percent(field.help_text, levels)


def _general_field(maximum, required=True):
    return PreciseDecimalField(
        decimal_places=2,
        min_value=0,
        max_value=maximum,
        min_message=_range(0, maximum),
        max_message=_range(0, maximum),
        required=required,
        help_text=format_lazy(
            _(
                "Tổng điểm các tiêu chí chung, từ 0 đến {maximum} điểm (khung mặc định; khung "
                "khác: theo khung đó). Bắt buộc khi khung có nhóm tiêu chí chung."
            ),
            maximum=_plain(maximum),
        ),
    )


@describe(_("Dữ liệu để tính thử điểm của một công chức trong một kỳ."))
class ScorePreviewRequestSerializer(serializers.Serializer):
    """Inputs of the what-if calculator (one civil servant, one period)."""

    role = serializers.ChoiceField(
        choices=ROLES,
        help_text=_(
            "Vai trò trong kỳ: staff — công chức; head — cấp trưởng; deputy — cấp phó. "
            "Cấp trưởng, cấp phó phải có thêm khối leader."
        ),
        error_messages={
            **_common_messages(MSG_NUMBER),
            "invalid_choice": format_lazy(
                _("Vai trò phải là một trong: {roles}."), roles=", ".join(ROLES)
            ),
        },
    )
    general = _general_field(GENERAL_MAX)
    marks = serializers.DictField(
        required=False,
        help_text=_(
            "Điểm các nhóm tiêu chí chấm điểm khác của khung (mã nhóm → tổng điểm, hoặc mã "
            "nhóm → {mã tiêu chí: điểm}), ví dụ khung bốn nhóm của Nghệ An."
        ),
    )
    position_group = serializers.CharField(
        required=False,
        max_length=64,
        help_text=_("Nhóm vị trí việc làm, với khung có điểm tối đa khác nhau theo nhóm."),
    )
    framework = serializers.SlugField(
        required=False,
        max_length=64,
        help_text=_(
            "Mã khung tiêu chí đã công bố (xem /api/v1/frameworks/). Bỏ trống: khung đang áp "
            "dụng cho toàn tỉnh (hoặc cho cơ quan ghi ở agency) hôm nay."
        ),
    )
    framework_version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "id một phiên bản đã công bố của khung (versions trong /api/v1/frameworks/{id}/); "
            "chỉ dùng cùng framework. Bỏ trống: phiên bản đang áp dụng."
        ),
    )
    agency = serializers.CharField(
        required=False,
        max_length=64,
        help_text=_("Mã cơ quan, đơn vị: tính theo khung đang áp dụng cho cơ quan đó."),
    )
    lines = serializers.ListSerializer(
        child=LineSerializer(),
        max_length=MAX_LINES,
        validators=[MaxLengthValidator(MAX_LINES)],  # read by the OpenAPI generator (maxItems)
        help_text=format_lazy(
            _(
                "Các dòng sản phẩm/công việc được giao trong kỳ (tối đa {maximum} dòng). "
                "Danh sách rỗng: kỳ không được chấm điểm."
            ),
            maximum=MAX_LINES,
        ),
        error_messages={
            "required": MSG_REQUIRED,
            "null": MSG_NULL,
            "not_a_list": MSG_LIST,
            "max_length": format_lazy(_("Không được quá {maximum} dòng."), maximum=MAX_LINES),
        },
    )
    leader = LeaderSerializer(
        required=False,
        allow_null=True,
        help_text=_(
            "Các tiêu chí d, đ, e (%) của công chức lãnh đạo, quản lý; mỗi tiêu chí là 100 "
            "hoặc 50. Bắt buộc với head và deputy, bỏ qua với staff."
        ),
    )

    default_error_messages = {"invalid": _("Dữ liệu phải là một đối tượng JSON.")}

    def __init__(self, *args, rules=DECREE_335_DEFAULT, **kwargs):
        """``rules``: the framework the request is scored with; its general-criteria maximum
        and leader levels are checked here, every other rule by the engine."""
        super().__init__(*args, **kwargs)
        self.rules = rules
        general = next((c for c in rules.marks_components if c.code == "general"), None)
        if general is None:
            self.fields["general"] = _general_field(GENERAL_MAX, required=False)
        else:
            self.fields["general"] = _general_field(Decimal(_plain(general.marks_scale)))
        self.fields["leader"] = LeaderSerializer(
            rules=rules,
            required=False,
            allow_null=True,
            help_text=self.fields["leader"].help_text,
        )

    def validate(self, attrs):
        if self.rules.is_leader_role(attrs["role"]) and not attrs.get("leader"):
            raise serializers.ValidationError(
                {"leader": _("Công chức lãnh đạo, quản lý phải có điểm các tiêu chí d, đ, e.")}
            )
        return attrs

    def engine_payload(self) -> dict:
        """The validated request in the form :func:`scoring.engine.score_preview` expects."""
        rules = self.rules
        data = self.validated_data
        payload = {"role": data["role"], "lines": [dict(line) for line in data["lines"]]}
        for key in ("general", "marks", "position_group"):
            if key in data:
                payload[key] = data[key]
        if rules.is_leader_role(data["role"]) and data.get("leader"):
            payload["leader"] = dict(data["leader"])
        return payload


class FrameworkChoiceSerializer(serializers.Serializer):
    """The framework part of a preview request, read first: the rest is checked against it."""

    framework = serializers.SlugField(required=False, max_length=64)
    framework_version = serializers.IntegerField(required=False, min_value=1)
    agency = serializers.CharField(required=False, max_length=64)

    def validate(self, attrs):
        if "framework_version" in attrs and "framework" not in attrs:
            raise serializers.ValidationError(
                {"framework_version": _("Chỉ dùng cùng với framework (mã khung tiêu chí).")}
            )
        return attrs


_TWO_DECIMALS = r"^\d+\.\d{2}$"


@extend_schema_field({"type": "string", "pattern": _TWO_DECIMALS, "example": "80.00"})
class TwoDecimalsField(serializers.CharField):
    """A non-negative number as a string with exactly two decimals (``"80.00"``)."""


def _two_decimals(help_text):
    return TwoDecimalsField(allow_null=True, help_text=help_text)


@describe(_("Khung tiêu chí đã dùng để tính thử."))
class PreviewFrameworkSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Mã khung."))
    name = serializers.CharField(help_text=_("Tên khung."))
    version = serializers.IntegerField(
        allow_null=True,
        help_text=_("id phiên bản đã công bố; null với khung mặc định theo Nghị định 335."),
    )


@describe(
    _(
        "Kết quả tính thử. Mọi số liệu và rating là null khi không có sản phẩm được giao (kỳ "
        "không được chấm điểm)."
    )
)
class ScorePreviewResponseSerializer(serializers.Serializer):
    """Result of the calculator. All numbers are null when nothing was assigned."""

    quantity = _two_decimals(_("(a) Tỷ lệ hoàn thành về số lượng (%), làm tròn 2 chữ số."))
    quality = _two_decimals(_("(b) Tỷ lệ đạt chất lượng (%), làm tròn 2 chữ số."))
    timeliness = _two_decimals(_("(c) Tỷ lệ bảo đảm tiến độ (%), làm tròn 2 chữ số."))
    task_points = _two_decimals(_("Điểm kết quả thực hiện nhiệm vụ (tối đa 70)."))
    total = _two_decimals(_("Tổng điểm của kỳ (tối đa 100)."))
    rating = serializers.ChoiceField(
        choices=RATINGS,
        allow_null=True,
        help_text=_(
            "Mức xếp loại theo điểm: excellent — hoàn thành xuất sắc; good — hoàn thành tốt; "
            "completed — hoàn thành; not_completed — không hoàn thành. null khi kỳ không được "
            "chấm điểm (không có sản phẩm được giao)."
        ),
    )
    explanation = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Các bước tính, theo đúng thứ tự tính, bằng ngôn ngữ của yêu cầu."),
    )
    framework = PreviewFrameworkSerializer(help_text=_("Khung tiêu chí đã dùng để tính."))
