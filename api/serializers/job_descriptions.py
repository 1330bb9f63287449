"""Response shapes of the competency dictionary and the approved job descriptions."""

from __future__ import annotations

from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from api.schema import choice_ref, describe
from org.models import (
    Competency,
    CompetencyKind,
    CompetencyLevel,
    DescriptionStatus,
    JobDescription,
    JobDescriptionCompetency,
    JobDescriptionRequirement,
    JobDescriptionTask,
    RequirementKind,
)


@describe(_("Một cấp độ của năng lực và biểu hiện của nó."))
class CompetencyLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetencyLevel
        fields = ["level", "descriptor"]


@describe(_("Một năng lực của khung năng lực của tỉnh, với các cấp độ."))
class CompetencySerializer(serializers.ModelSerializer):
    kind = choice_ref(
        "CompetencyKindEnum",
        CompetencyKind.choices,
        help_text=_("general — năng lực chung; professional — chuyên môn; managerial — quản lý."),
    )
    levels = CompetencyLevelSerializer(many=True, read_only=True)

    class Meta:
        model = Competency
        fields = ["id", "code", "name", "kind", "definition", "level_count", "is_active", "levels"]


@describe(_("Một nhiệm vụ của bản mô tả công việc, theo thứ tự."))
class JobDescriptionTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobDescriptionTask
        fields = ["id", "name", "output", "frequency"]


@describe(_("Một yêu cầu về trình độ, chuyên môn của bản mô tả công việc."))
class JobDescriptionRequirementSerializer(serializers.ModelSerializer):
    kind = choice_ref(
        "RequirementKindEnum",
        RequirementKind.choices,
        help_text=_(
            "education — trình độ đào tạo; field — chuyên ngành; training — bồi dưỡng, chứng "
            "chỉ; experience — kinh nghiệm; other — khác."
        ),
    )

    class Meta:
        model = JobDescriptionRequirement
        fields = ["kind", "text"]


@describe(_("Một năng lực vị trí việc làm yêu cầu, ở cấp độ yêu cầu."))
class RequiredCompetencySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="competency.code", help_text=_("Mã năng lực."))
    name = serializers.CharField(source="competency.name", help_text=_("Tên năng lực."))
    kind = choice_ref("CompetencyKindEnum", CompetencyKind.choices, source="competency.kind")
    level_count = serializers.IntegerField(
        source="competency.level_count", help_text=_("Số cấp độ của năng lực.")
    )
    descriptor = serializers.CharField(
        read_only=True, help_text=_("Biểu hiện của cấp độ yêu cầu (rỗng: chưa mô tả).")
    )

    class Meta:
        model = JobDescriptionCompetency
        fields = ["code", "name", "kind", "required_level", "level_count", "descriptor"]


STATUS_HELP = _(
    "approved — đang áp dụng hoặc sẽ áp dụng; superseded — đã có phiên bản mới thay thế."
)


@describe(_("Tóm tắt một phiên bản bản mô tả công việc đã phê duyệt."))
class JobDescriptionSummarySerializer(serializers.ModelSerializer):
    job_position = serializers.CharField(
        source="job_position.code", help_text=_("Mã vị trí việc làm.")
    )
    status = choice_ref(
        "JobDescriptionStatusEnum", DescriptionStatus.choices, help_text=STATUS_HELP
    )
    agency = serializers.CharField(
        source="agency.code",
        allow_null=True,
        default=None,
        help_text=_("Mã cơ quan xây dựng bản mô tả; null: bản dùng chung của tỉnh."),
    )

    class Meta:
        model = JobDescription
        fields = [
            "id",
            "job_position",
            "agency",
            "number",
            "status",
            "decision_number",
            "decision_date",
            "signer",
            "effective_from",
            "approved_at",
        ]


@describe(_("Một phiên bản bản mô tả công việc đã phê duyệt: nhiệm vụ, yêu cầu, năng lực."))
class JobDescriptionDetailSerializer(JobDescriptionSummarySerializer):
    tasks = JobDescriptionTaskSerializer(many=True, read_only=True)
    requirements = JobDescriptionRequirementSerializer(many=True, read_only=True)
    competencies = RequiredCompetencySerializer(many=True, read_only=True)

    class Meta(JobDescriptionSummarySerializer.Meta):
        fields = [
            *JobDescriptionSummarySerializer.Meta.fields,
            "purpose",
            "tasks",
            "requirements",
            "competencies",
        ]
