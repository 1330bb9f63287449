"""Which body leads each bloc (khối) of the political system, as data.

The province has three trees (``org.models.agency.ROOT_KINDS``): the state administration
(UBND tỉnh), the Party (Tỉnh ủy) and the Fatherland Front (Ủy ban MTTQ tỉnh). Sở Nội vụ
appraises the catalogs, criteria-framework proposals and plan milestones of the state bloc;
a province may make another body the lead of a bloc — Nghệ An §V.1–V.4: Ban Tổ chức Tỉnh ủy for
the Party bloc, the Front's standing committee for the Front bloc. A ``BlocLead`` row says so:
the people granted "Thẩm định khối" on the lead body then appraise that bloc, and only that
bloc (``org.blocs``). A tree without a row is led by Sở Nội vụ.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BlocLead(models.Model):
    root = models.OneToOneField(
        "org.Agency",
        verbose_name=_("khối (cơ quan gốc của cây)"),
        on_delete=models.CASCADE,
        related_name="bloc_lead",
        limit_choices_to={"parent__isnull": True},
        help_text=_("Tỉnh ủy (khối Đảng) hoặc Ủy ban MTTQ tỉnh (khối Mặt trận)."),
    )
    lead_agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan chủ trì thẩm định"),
        on_delete=models.PROTECT,
        related_name="led_blocs",
        help_text=_(
            "Cơ quan thẩm định danh mục, khung tiêu chí đề xuất và theo dõi tiến độ của khối, "
            "ví dụ Ban Tổ chức Tỉnh ủy."
        ),
    )
    reports_to = models.CharField(
        _("báo cáo lên"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Ban Thường vụ Tỉnh ủy."),
    )
    citation = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("cơ quan chủ trì khối")
        verbose_name_plural = pgettext_lazy("plural", "cơ quan chủ trì khối")
        ordering = ["root__path"]

    def __str__(self):
        return f"{self.root} — {self.lead_agency}"

    def clean(self):
        errors = {}
        if self.root_id and self.root.parent_id is not None:
            errors["root"] = _("Chọn cơ quan gốc của một cây (Tỉnh ủy, Ủy ban MTTQ tỉnh).")
        elif (
            self.root_id
            and self.lead_agency_id
            and not self.lead_agency.path.startswith(self.root.path)
        ):
            errors["lead_agency"] = _("Cơ quan chủ trì phải thuộc khối đã chọn (%(root)s).") % {
                "root": self.root.name
            }
        if errors:
            raise ValidationError(errors)
