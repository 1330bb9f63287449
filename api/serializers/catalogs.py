"""Response shapes of the product catalogs, their versions and items."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.schema import describe
from catalog_pages.models import CatalogVersion, CatalogVersionItem
from org.models import JobDescriptionTask


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


@describe(_("Một nhiệm vụ trong bản mô tả công việc mà sản phẩm phục vụ."))
class CatalogItemDutySerializer(serializers.ModelSerializer):
    job_position = serializers.CharField(
        source="description.job_position.code", help_text=_("Mã vị trí việc làm.")
    )
    description = serializers.IntegerField(
        source="description_id", help_text=_("id bản mô tả công việc (một phiên bản).")
    )
    description_number = serializers.IntegerField(
        source="description.number", help_text=_("Số phiên bản của bản mô tả công việc.")
    )
    agency = serializers.CharField(
        source="description.agency.code",
        allow_null=True,
        default=None,
        help_text=_("Mã cơ quan xây dựng bản mô tả; null: bản dùng chung của tỉnh."),
    )
    name = serializers.CharField(help_text=_("Tên nhiệm vụ."))

    class Meta:
        model = JobDescriptionTask
        fields = ["id", "job_position", "description", "description_number", "agency", "name"]


@describe(_("Một sản phẩm/công việc của một phiên bản danh mục (không bao giờ thay đổi)."))
class CatalogItemSerializer(serializers.ModelSerializer):
    version = serializers.PrimaryKeyRelatedField(read_only=True, help_text=_("id phiên bản."))
    job_positions = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="code",
        help_text=_("Mã các vị trí việc làm gắn với sản phẩm (rỗng: mọi vị trí)."),
    )
    duties = CatalogItemDutySerializer(
        many=True,
        read_only=True,
        help_text=_(
            "Các nhiệm vụ trong bản mô tả công việc đang áp dụng khi phiên bản danh mục được phê "
            "duyệt mà sản phẩm phục vụ (rỗng: chưa gắn)."
        ),
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
            "duties",
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
