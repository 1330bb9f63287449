"""Which criteria framework applies where, from which date (no code change needed).

An assignment without an agency covers the whole province; one on an agency covers its whole
subtree and wins over a wider one. Among assignments of equal reach the latest
``effective_from`` on or before the period start wins. Only frameworks with a live (published)
revision are ever used.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class FrameworkAssignment(models.Model):
    framework = models.ForeignKey(
        "scoring.CriteriaFramework",
        verbose_name=_("khung tiêu chí"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="framework_assignments",
        help_text=_("Để trống nếu áp dụng cho toàn tỉnh. Áp dụng cho cả các đơn vị trực thuộc."),
    )
    effective_from = models.DateField(_("áp dụng từ ngày"))
    decision_ref = models.CharField(_("số quyết định"), max_length=64, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("phạm vi áp dụng khung tiêu chí")
        verbose_name_plural = _("phạm vi áp dụng khung tiêu chí")
        ordering = ["agency__path", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "agency", "effective_from"],
                name="unique_framework_assignment",
            )
        ]

    def __str__(self):
        where = self.agency.name if self.agency_id else _("Toàn tỉnh")
        return f"{self.framework} → {where} ({self.effective_from:%d/%m/%Y})"

    def clean(self):
        """An agency's own framework (a proposal's variant) is assigned only once approved,
        only within that agency's subtree and never before the approval's effective date."""
        super().clean()
        if not self.framework_id:
            return
        # Deferred: at the top it would register the proposal models before the models that
        # scoring.models lists first, changing the order of apps.get_models().
        from scoring.models.proposal import FrameworkProposal, ProposalStatus

        proposal = FrameworkProposal.objects.filter(framework_id=self.framework_id).first()
        if proposal is None:
            return
        if proposal.status != ProposalStatus.APPROVED:
            raise ValidationError(
                {
                    "framework": _(
                        "Khung tiêu chí: “%(name)s” là khung đề xuất của cơ quan chưa được phê "
                        "duyệt (trạng thái: %(status)s); chỉ khung đã phê duyệt mới được áp dụng."
                    )
                    % {"name": proposal.name, "status": proposal.get_status_display()}
                }
            )
        if self.agency_id is None or not self.agency.path.startswith(proposal.agency.path):
            raise ValidationError(
                {
                    "agency": _(
                        "Cơ quan, đơn vị: khung “%(name)s” chỉ áp dụng cho %(agency)s và các "
                        "đơn vị trực thuộc."
                    )
                    % {"name": proposal.name, "agency": proposal.agency}
                }
            )
        if self.effective_from and self.effective_from < proposal.effective_from:
            raise ValidationError(
                {
                    "effective_from": _(
                        "Áp dụng từ ngày: không được trước ngày %(day)s, ngày khung được phê "
                        "duyệt có hiệu lực (không áp dụng hồi tố)."
                    )
                    % {"day": date_format(proposal.effective_from, "d/m/Y")}
                }
            )
