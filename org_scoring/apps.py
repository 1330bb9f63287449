from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgScoringConfig(AppConfig):
    name = "org_scoring"
    verbose_name = _("Đánh giá, xếp loại tổ chức")
