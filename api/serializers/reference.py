"""Response shapes of the reference data: agencies, job positions, periods."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.schema import choice_ref, describe
from api.serializers.common import FieldsBuiltOnce, group_field
from api.serializers.job_descriptions import JobDescriptionDetailSerializer
from org.models import Agency, JobPosition
from scoring.models import Period, PeriodStatus


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


@describe(_("Một vị trí việc làm, với bản mô tả công việc đang áp dụng."))
class JobPositionSerializer(serializers.ModelSerializer):
    group = group_field()
    description_in_force = serializers.SerializerMethodField(
        help_text=_(
            "Bản mô tả công việc dùng chung của tỉnh đã phê duyệt, đang áp dụng vào ngày hỏi "
            "(tham số on, mặc định hôm nay), với nhiệm vụ, yêu cầu và năng lực yêu cầu; null nếu "
            "chưa có. Bản riêng của từng cơ quan: /job-descriptions/?agency=…"
        )
    )

    class Meta:
        model = JobPosition
        fields = ["id", "code", "name", "group", "level", "is_active", "description_in_force"]

    @extend_schema_field(JobDescriptionDetailSerializer(allow_null=True))
    def get_description_in_force(self, position):
        found = getattr(position, "api_in_force", None)
        if found is None:
            day = self.context.get("on") or timezone.localdate()
            found = list(position.descriptions.in_force_on(day).filter(agency__isnull=True))
        return (
            JobDescriptionDetailSerializer(found[0], context=self.context).data if found else None
        )


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
