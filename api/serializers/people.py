"""Response shapes of civil servants and their postings."""

from __future__ import annotations

from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from api.schema import describe
from api.serializers.common import FieldsBuiltOnce, group_field, role_field
from org.models import CivilServant, Posting


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
