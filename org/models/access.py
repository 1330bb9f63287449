"""Which agencies a signed-in user may work on (besides Sở Nội vụ, who sees everything)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccessRole(models.TextChoices):
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    UNIT_LEADER = "unit_leader", _("Lãnh đạo đơn vị")
    #: On the lead body of a bloc (``BlocLead``): appraises and reads that whole bloc.
    BLOC_APPRAISER = "bloc_appraiser", _("Thẩm định khối (cơ quan chủ trì khối)")


class AgencyAccess(models.Model):
    """Grants ``user`` access to ``agency`` and everything below it in the tree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="agency_accesses",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.CASCADE,
        related_name="accesses",
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=AccessRole.choices)

    class Meta:
        verbose_name = _("phân quyền theo cơ quan")
        verbose_name_plural = pgettext_lazy("plural", "phân quyền theo cơ quan")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="unique_user_agency_access")
        ]

    def __str__(self):
        return f"{self.user} → {self.agency} ({self.get_role_display()})"
