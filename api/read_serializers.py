"""Response shapes of the read API (``/api/v1/``): reference data, people, lines, scores.

Natural keys are used wherever integrations know them: agency and job-position ``code``, the
civil servant's ``official_id``, the period ``code`` (``2026-03``, ``2026-Q1``, ``2026``).
Decimal numbers are strings with their stored precision (``"81.83"``), as in the rest of the API.
"""

from __future__ import annotations

import threading

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog_pages.models import CatalogVersion, CatalogVersionItem
from org.models import Agency, CivilServant, JobPosition, PositionGroup, Posting
from ratings.models import RatingCase
from scoring.engine import RATINGS, ROLES
from scoring.explain import render_steps
from scoring.models import AnnualScore, AssignmentLine, Period, PeriodScore, PeriodStatus

from .schema import choice_ref, describe

_THREAD = threading.local()


class FieldsBuiltOnce:
    """Build a ModelSerializer's fields once per thread and serializer class.

    DRF rebuilds every field from the model on each serializer instance (a few milliseconds
    for the score serializers, more than the query). For read-only serializers whose fields do
    not depend on the request or the context, the fields of the first instance serve all
    later ones. Do NOT use on serializers that read ``self.context`` in a field.
    """

    @property
    def fields(self):
        cache = _THREAD.__dict__.setdefault("fields", {})
        fields = cache.get(type(self))
        if fields is None:
            fields = cache[type(self)] = super().fields
        return fields


def rating_field(help_text=None, **kwargs):
    return choice_ref(
        "RatingEnum",
        RATINGS,
        allow_blank=True,
        help_text=help_text
        or _(
            "Mức xếp loại: excellent — hoàn thành xuất sắc; good — hoàn thành tốt; completed — "
            "hoàn thành; not_completed — không hoàn thành nhiệm vụ. Rỗng khi chưa có."
        ),
        **kwargs,
    )


def role_field():
    return choice_ref(
        "RoleEnum",
        ROLES,
        help_text=_("Chức vụ: staff — công chức; head — cấp trưởng; deputy — cấp phó."),
    )


def group_field(**kwargs):
    return choice_ref(
        "PositionGroupEnum",
        PositionGroup.choices,
        help_text=_("Nhóm vị trí việc làm."),
        **kwargs,
    )


# --------------------------------------------------------------------------- reference data


@describe(_("Một cơ quan, đơn vị trong cây tổ chức của tỉnh."))
class AgencySerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=_("id của cơ quan cấp trên; null với UBND tỉnh.")
    )
    parent_code = serializers.CharField(
        source="parent.code",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("Mã của cơ quan cấp trên."),
    )
    children = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text=_("id của các đơn vị trực thuộc trực tiếp.")
    )

    class Meta:
        model = Agency
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "parent_code",
            "path",
            "depth",
            "is_active",
            "children",
        ]
        extra_kwargs = {
            "path": {"help_text": _("Đường dẫn trong cây: id của các cấp, ví dụ /1/7/42/.")},
            "depth": {"help_text": _("Cấp trong cây: 0 là UBND tỉnh.")},
        }


@describe(_("Một vị trí việc làm."))
class JobPositionSerializer(serializers.ModelSerializer):
    group = group_field()

    class Meta:
        model = JobPosition
        fields = ["id", "code", "name", "group", "level", "description", "is_active"]


@describe(_("Tóm tắt một phiên bản danh mục sản phẩm/công việc đã phê duyệt."))
class CatalogVersionSummarySerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", help_text=_("Mã cơ quan."))
    item_count = serializers.IntegerField(help_text=_("Số sản phẩm/công việc của phiên bản."))

    class Meta:
        model = CatalogVersion
        fields = [
            "id",
            "agency",
            "number",
            "effective_from",
            "approval_ref",
            "approved_at",
            "item_count",
        ]


@describe(_("Một sản phẩm/công việc của một phiên bản danh mục (không bao giờ thay đổi)."))
class CatalogItemSerializer(serializers.ModelSerializer):
    version = serializers.PrimaryKeyRelatedField(read_only=True, help_text=_("id phiên bản."))
    job_positions = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="code",
        help_text=_("Mã các vị trí việc làm gắn với sản phẩm (rỗng: mọi vị trí)."),
    )

    class Meta:
        model = CatalogVersionItem
        fields = [
            "id",
            "version",
            "uid",
            "code",
            "name",
            "output_unit",
            "complexity_group",
            "coefficient",
            "standard_minutes",
            "evidence_required",
            "is_standard",
            "job_positions",
        ]


@describe(_("Một phiên bản danh mục cùng toàn bộ sản phẩm/công việc."))
class CatalogVersionDetailSerializer(CatalogVersionSummarySerializer):
    items = CatalogItemSerializer(many=True, read_only=True)

    class Meta(CatalogVersionSummarySerializer.Meta):
        fields = [*CatalogVersionSummarySerializer.Meta.fields, "items"]


@describe(_("Danh mục sản phẩm/công việc của một cơ quan và các phiên bản đã phê duyệt."))
class CatalogSerializer(serializers.Serializer):
    agency = serializers.CharField(source="code", help_text=_("Mã cơ quan."))
    agency_id = serializers.IntegerField(source="id", help_text=_("id cơ quan."))
    agency_name = serializers.CharField(source="name", help_text=_("Tên cơ quan."))
    in_force_version = serializers.SerializerMethodField(
        help_text=_(
            "id phiên bản đang áp dụng vào ngày hỏi (tham số on, mặc định hôm nay); null nếu "
            "chưa có."
        )
    )
    versions = CatalogVersionSummarySerializer(
        source="api_versions", many=True, help_text=_("Các phiên bản, mới nhất trước.")
    )

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_in_force_version(self, agency) -> int | None:
        day = self.context.get("on") or timezone.localdate()
        for version in agency.api_versions:  # newest first
            if version.effective_from <= day:
                return version.pk
        return None


@describe(_("Một phiên bản đã công bố của khung tiêu chí."))
class FrameworkVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("id phiên bản (revision)."))
    created_at = serializers.DateTimeField(help_text=_("Thời điểm tạo phiên bản."))
    is_live = serializers.BooleanField(help_text=_("Là phiên bản đang áp dụng."))


@describe(
    _(
        "Khung tiêu chí đánh giá, theo phiên bản đang áp dụng (không bao giờ trả bản nháp). "
        "rules chỉ có khi xem chi tiết."
    )
)
class FrameworkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    period_type = serializers.CharField(help_text=_("Kỳ chấm điểm: month hoặc quarter."))
    applies_to = serializers.CharField(help_text=_("civil_servant hoặc organisation."))
    description = serializers.CharField(allow_blank=True)
    legal_basis = serializers.CharField(allow_blank=True)
    live_version = FrameworkVersionSerializer(help_text=_("Phiên bản đang áp dụng."))
    versions = FrameworkVersionSerializer(
        many=True, help_text=_("Các phiên bản đã công bố, mới nhất trước.")
    )


@describe(_("Khung tiêu chí cùng nội dung quy tắc của phiên bản đang áp dụng."))
class FrameworkDetailSerializer(FrameworkSerializer):
    rules = serializers.JSONField(help_text=_("Nội dung quy tắc chấm điểm (JSON)."))


@describe(_("Nội dung một phiên bản đã công bố của khung tiêu chí."))
class FrameworkRevisionSerializer(FrameworkVersionSerializer):
    framework = serializers.IntegerField(help_text=_("id khung tiêu chí."))
    code = serializers.CharField()
    name = serializers.CharField()
    period_type = serializers.CharField()
    rules = serializers.JSONField(help_text=_("Nội dung quy tắc chấm điểm (JSON)."))


@describe(_("Một kỳ theo dõi, đánh giá."))
class PeriodSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    code = serializers.CharField(
        read_only=True, help_text=_("Mã kỳ: 2026-03 (tháng), 2026-Q1, 2026-H1, 2026 (năm).")
    )
    label = serializers.CharField(read_only=True, help_text=_("Tên kỳ, ví dụ Tháng 03/2026."))
    status = choice_ref(
        "PeriodStatusEnum",
        PeriodStatus.choices,
        help_text=_("open — đang mở; closed — đã khóa sổ; locked — đã chốt kết quả."),
    )

    class Meta:
        model = Period
        fields = [
            "id",
            "code",
            "label",
            "kind",
            "year",
            "number",
            "start_date",
            "end_date",
            "status",
            "published",
            "closed_at",
        ]


# --------------------------------------------------------------------------- people


@describe(_("Một quá trình công tác của công chức."))
class PostingSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", help_text=_("Mã cơ quan, đơn vị."))
    agency_name = serializers.CharField(source="agency.name")
    job_position = serializers.CharField(source="job_position.code", help_text=_("Mã vị trí."))
    position_group = group_field(source="job_position.group")
    role = role_field()

    class Meta:
        model = Posting
        fields = [
            "agency",
            "agency_name",
            "job_position",
            "position_group",
            "role",
            "title",
            "start_date",
            "end_date",
            "is_concurrent",
            "category",
        ]


@describe(_("Một công chức (chỉ các thông tin cần cho đánh giá) và quá trình công tác."))
class CivilServantSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    postings = PostingSerializer(many=True, read_only=True)

    class Meta:
        model = CivilServant
        fields = ["id", "official_id", "full_name", "gender", "is_active", "postings"]


# --------------------------------------------------------------------------- lines and scores


@describe(_("Sản phẩm/công việc của dòng giao việc (theo phiên bản danh mục)."))
class LineItemSerializer(serializers.ModelSerializer):
    version = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = CatalogVersionItem
        fields = ["id", "code", "name", "coefficient", "version"]


@describe(_("Một dòng giao việc và kết quả thực hiện."))
class AssignmentLineSerializer(serializers.ModelSerializer):
    civil_servant = serializers.CharField(
        source="civil_servant.official_id", help_text=_("Mã số công chức.")
    )
    period = serializers.CharField(source="period.code", help_text=_("Mã kỳ, ví dụ 2026-03."))
    unit = serializers.CharField(source="unit.code", help_text=_("Mã đơn vị thực hiện."))
    item = LineItemSerializer(read_only=True)
    external_id = serializers.SerializerMethodField(
        help_text=_(
            "Mã của dòng ở hệ thống nguồn. Với dòng do chính hệ thống đang gọi gửi lên, là "
            "đúng mã hệ thống đã gửi."
        )
    )

    class Meta:
        model = AssignmentLine
        fields = [
            "id",
            "civil_servant",
            "period",
            "unit",
            "item",
            "assigned_quantity",
            "completed_quantity",
            "deadline",
            "completed_on",
            "failed_reviews",
            "delays",
            "failed_by_product",
            "delays_by_product",
            "source",
            "external_id",
            "note",
            "created_at",
            "updated_at",
        ]

    def get_external_id(self, line) -> str:
        prefix = self.context.get("own_prefix")
        if prefix and line.external_id.startswith(prefix):
            return line.external_id[len(prefix) :]
        return line.external_id


class _ExplainedMixin(serializers.Serializer):
    explanation = serializers.JSONField(
        help_text=_(
            "Diễn giải có cấu trúc như khi tính: các bước (steps), dữ liệu đầu vào đã dùng "
            "(lines, marks, leader…)."
        )
    )
    explanation_text = serializers.SerializerMethodField(
        help_text=_("Các bước tính, bằng tiếng Việt, theo đúng thứ tự tính.")
    )

    def get_explanation_text(self, score) -> list[str]:
        return render_steps((score.explanation or {}).get("steps", []))


@describe(_("Kết quả chấm điểm đã lưu của một công chức trong một kỳ, kèm diễn giải."))
class PeriodScoreSerializer(FieldsBuiltOnce, _ExplainedMixin, serializers.ModelSerializer):
    civil_servant = serializers.CharField(
        source="civil_servant.official_id", help_text=_("Mã số công chức.")
    )
    full_name = serializers.CharField(source="civil_servant.full_name")
    period = serializers.CharField(source="period.code", help_text=_("Mã kỳ."))
    agency = serializers.CharField(
        source="agency.code", help_text=_("Mã cơ quan, đơn vị nơi công tác trong kỳ.")
    )
    role = role_field()
    rating = rating_field(_("Mức xếp loại theo điểm (RatingEnum); rỗng khi không được chấm điểm."))

    class Meta:
        model = PeriodScore
        fields = [
            "id",
            "civil_servant",
            "full_name",
            "period",
            "agency",
            "role",
            "position_group",
            "scored",
            "quantity",
            "quality",
            "timeliness",
            "unit_results",
            "organising",
            "cohesion",
            "task_percent",
            "task_points",
            "general_points",
            "total",
            "rating",
            "component_points",
            "input_errors",
            "framework_revision",
            "engine_version",
            "computed_at",
            "explanation",
            "explanation_text",
        ]


@describe(_("Kết quả theo dõi, đánh giá năm của một công chức (điểm năm và mức dự kiến)."))
class AnnualScoreSerializer(FieldsBuiltOnce, _ExplainedMixin, serializers.ModelSerializer):
    civil_servant = serializers.CharField(
        source="civil_servant.official_id", help_text=_("Mã số công chức.")
    )
    full_name = serializers.CharField(source="civil_servant.full_name")
    agency = serializers.CharField(source="agency.code", help_text=_("Mã cơ quan xếp loại."))
    role = role_field()
    score_rating = rating_field(_("Mức theo điểm năm (RatingEnum)."))
    rating_before_quota = rating_field(_("Mức trước khi áp tỷ lệ xuất sắc (RatingEnum)."))
    rating = rating_field(_("Mức sau khi áp tỷ lệ, dự kiến (RatingEnum)."))

    class Meta:
        model = AnnualScore
        fields = [
            "id",
            "civil_servant",
            "full_name",
            "year",
            "agency",
            "role",
            "position_group",
            "scored",
            "score",
            "score_rating",
            "rating_before_quota",
            "rating",
            "quota_needs_decision",
            "disqualifiers_applied",
            "months_worked",
            "periods_counted",
            "periods_skipped",
            "framework_revision",
            "engine_version",
            "computed_at",
            "explanation",
            "explanation_text",
        ]


@describe(_("Kết quả xếp loại chất lượng năm đã được cấp có thẩm quyền quyết định."))
class AnnualRatingSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    civil_servant = serializers.CharField(
        source="civil_servant.official_id", help_text=_("Mã số công chức.")
    )
    full_name = serializers.CharField(source="civil_servant.full_name")
    agency = serializers.CharField(source="agency.code", help_text=_("Mã cơ quan, đơn vị."))
    role = choice_ref("RoleEnum", ROLES, allow_blank=True, help_text=_("Chức vụ (RoleEnum)."))
    decision_level = rating_field(_("Mức xếp loại được quyết định (RatingEnum)."))

    class Meta:
        model = RatingCase
        fields = [
            "id",
            "civil_servant",
            "full_name",
            "year",
            "agency",
            "role",
            "position_group",
            "score",
            "decision_level",
            "decision_ref",
            "decision_date",
            "state",
            "notified_at",
        ]


# --------------------------------------------------------------------------- aggregates


@describe(_("Số người theo từng mức xếp loại."))
class BandCountsSerializer(serializers.Serializer):
    excellent = serializers.IntegerField(help_text=_("Hoàn thành xuất sắc nhiệm vụ."))
    good = serializers.IntegerField(help_text=_("Hoàn thành tốt nhiệm vụ."))
    completed = serializers.IntegerField(help_text=_("Hoàn thành nhiệm vụ."))
    not_completed = serializers.IntegerField(help_text=_("Không hoàn thành nhiệm vụ."))


@describe(_("Tổng hợp kết quả của một cơ quan, đơn vị (cả các đơn vị trực thuộc) trong một kỳ."))
class AgencyAggregateSerializer(serializers.Serializer):
    agency = serializers.CharField(help_text=_("Mã cơ quan, đơn vị."))
    agency_id = serializers.IntegerField()
    agency_name = serializers.CharField()
    kind = serializers.CharField()
    period = serializers.CharField(help_text=_("Mã kỳ; với năm (2026) là kết quả xếp loại năm."))
    rated = serializers.IntegerField(help_text=_("Số công chức được xếp mức."))
    counts = BandCountsSerializer()
    mean_score = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        help_text=_("Điểm bình quân, làm tròn 2 chữ số; null khi không có ai."),
    )


@describe(_("Tổng hợp kết quả toàn tỉnh trong một kỳ."))
class ProvinceAggregateSerializer(AgencyAggregateSerializer):
    agencies = AgencyAggregateSerializer(
        many=True, help_text=_("Từng sở, ban, ngành và UBND xã, phường.")
    )
