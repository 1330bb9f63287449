"""Work plans (kế hoạch công tác) of an agency or a unit, for a month, a quarter or a year
(Đắk Lắk §III.3: evaluation "trên cơ sở … kế hoạch công tác (tháng, quý, năm) và Danh mục sản
phẩm/công việc đã được phê duyệt").

A plan lists its items: what is to be done, by whom, by when, and the catalog product it
produces with the quantity. It is drafted and approved inside the agency
(``workplans.services.flow``); assignments are then drawn from its items through the worklog's
assignment service, and each item keeps the lines it produced, so the plan's fulfilment is read
from the lines themselves (``workplans.services.fulfilment``).
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.models import Orderable


class PlanKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    YEAR = "year", _("Năm")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã trình phê duyệt")
    APPROVED = "approved", _("Đã phê duyệt")


class WorkPlan(ClusterableModel):
    """One plan of one agency or unit for one month, quarter or year."""

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        related_name="work_plans",
    )
    kind = models.CharField(_("loại kế hoạch"), max_length=8, choices=PlanKind.choices)
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2000)], help_text=_("Ví dụ 2026.")
    )
    number = models.PositiveSmallIntegerField(
        _("tháng hoặc quý"),
        null=True,
        blank=True,
        help_text=_("Tháng 1–12 hoặc quý 1–4; để trống với kế hoạch năm."),
    )
    title = models.CharField(_("tên kế hoạch"), max_length=255)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=PlanStatus.choices,
        default=PlanStatus.DRAFT,
        editable=False,
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(
        _("thời điểm phê duyệt"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("kế hoạch công tác")
        verbose_name_plural = pgettext_lazy("plural", "kế hoạch công tác")
        ordering = ["-year", "kind", "-number", "agency__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "year", "number"], name="workplans_one_plan_per_span"
            )
        ]

    def __str__(self):
        return f"{self.title} — {self.span_label}"

    @property
    def span_label(self) -> str:
        if self.kind == PlanKind.MONTH:
            return str(_("tháng %(n)02d/%(y)s") % {"n": self.number or 0, "y": self.year})
        if self.kind == PlanKind.QUARTER:
            return str(_("quý %(n)s/%(y)s") % {"n": self.number or 0, "y": self.year})
        return str(_("năm %(y)s") % {"y": self.year})

    @property
    def start_date(self) -> datetime.date:
        if self.kind == PlanKind.MONTH:
            return datetime.date(self.year, self.number or 1, 1)
        if self.kind == PlanKind.QUARTER:
            return datetime.date(self.year, 3 * ((self.number or 1) - 1) + 1, 1)
        return datetime.date(self.year, 1, 1)

    @property
    def end_date(self) -> datetime.date:
        if self.kind == PlanKind.MONTH:
            month = self.number or 1
        elif self.kind == PlanKind.QUARTER:
            month = 3 * (self.number or 1)
        else:
            month = 12
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def is_approved(self) -> bool:
        return self.status == PlanStatus.APPROVED

    def clean(self):
        super().clean()
        tops: dict[str, int] = {PlanKind.MONTH: 12, PlanKind.QUARTER: 4}
        top = tops.get(self.kind)
        if top is None:
            if self.number is not None:
                raise ValidationError({"number": _("Kế hoạch năm: để trống ô tháng hoặc quý.")})
        elif self.number is None or not 1 <= self.number <= top:
            raise ValidationError(
                {
                    "number": _("Nhập số từ 1 đến %(top)s cho kế hoạch %(kind)s.")
                    % {"top": top, "kind": self.get_kind_display().lower()}
                }
            )


class WorkPlanItem(Orderable):
    """One item of a plan: the work, who does it, by when, and the product it produces."""

    plan = ParentalKey(WorkPlan, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("nội dung công việc"), max_length=500)
    owner = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("thời hạn hoàn thành"))
    product = models.ForeignKey(
        "catalog_pages.CatalogVersionItem",
        verbose_name=_("sản phẩm đầu ra (trong danh mục)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.DecimalField(
        _("số lượng"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    #: The assignment lines drawn from this item (``workplans.services.flow.assign_plan``).
    lines = models.ManyToManyField(
        "scoring.AssignmentLine", blank=True, editable=False, related_name="+"
    )

    class Meta(Orderable.Meta):
        verbose_name = _("mục kế hoạch")
        verbose_name_plural = _("mục kế hoạch")

    def __str__(self):
        return self.name[:80]

    @property
    def matched_documents(self) -> list[str]:
        """The received documents matched to this item (``matched_packages``: the document
        feed's matches, a relation ``connectors`` adds), by their number and notation."""
        return [
            (m.package.data or {}).get("code") or m.package.document_id
            for m in self.matched_packages.all()
        ]

    def clean(self):
        super().clean()
        plan = getattr(self, "plan", None)
        if plan is not None and self.deadline and plan.year:
            try:
                start, end = plan.start_date, plan.end_date
            except ValueError:
                return
            if not start <= self.deadline <= end:
                raise ValidationError(
                    {
                        "deadline": _("Thời hạn phải trong kỳ của kế hoạch (%(start)s – %(end)s).")
                        % {"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")}
                    }
                )
