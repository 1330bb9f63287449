"""Response shape of the API root (``GET /api/v1/``)."""

from __future__ import annotations

from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from api.schema import describe


@describe(_("Một điểm cuối của API."))
class EndpointSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("Tên ngắn, cố định của điểm cuối."))
    url = serializers.URLField(help_text=_("Địa chỉ đầy đủ."))
    methods = serializers.ListField(
        child=serializers.CharField(), help_text=_("Các phương thức HTTP được hỗ trợ.")
    )
    description = serializers.CharField(help_text=_("Mô tả ngắn."))


@describe(_("Thông tin chung và danh sách điểm cuối của API."))
class ApiRootSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("Tên API."))
    version = serializers.CharField(help_text=_("Phiên bản API."))
    endpoints = EndpointSerializer(many=True, help_text=_("Các điểm cuối hiện có."))
