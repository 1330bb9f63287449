"""Assignment lines (giao việc): products of the catalog assigned to a civil servant in a period.

A line points to an immutable ``CatalogVersionItem`` (its coefficient can never change under
it). ``failed_reviews`` and ``delays`` count events; each event recorded through
``scoring.services.deductions`` also leaves a ``Deduction`` row with who/when and, where an
objective cause is certified, the exemption. Imported lines may carry counters without rows.

Per product (Decree 335 Art. 14 b, c [confirmed]: 25 % of *that product's* points, floored at
0 per product): ``failed_by_product`` / ``delays_by_product`` hold the events of product 1,
2, … of the line (exempt ones included; the exemptions stay on the ``Deduction`` rows, which
name their products). Products 1 … ``completed_quantity`` are the completed ones. An empty
list is "no breakdown" (lines recorded before it existed): the engine then spreads the
line's events over its completed products, one per product first.
"""

from decimal import ROUND_CEILING, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scoring.models.choices import LineSource
from scoring.models.guards import PeriodInputMixin

COUNTER_OF = {"failed_by_product": "failed_reviews", "delays_by_product": "delays"}

#: The value fields of an assignment line — what its doors write (the admin, the Excel results
#: sheet, the write API, the connectors) — in the order a line's version digests them
#: (``scoring.services.lines.VERSION_FIELDS``), each with the name the doors without the model
#: use: the Excel sheet's column key and the write API's field. One list: the API serializers,
#: the Excel spec, the bulk store and the import preview read it, and
#: ``tests/scoring/test_line_value_fields.py`` fails when one of them misses a field.
#: (``delays_by_product`` is no door's: the deductions service moves it with ``delays``.)
LINE_VALUES: dict[str, str] = {
    "assigned_quantity": "assigned",
    "completed_quantity": "completed",
    "deadline": "deadline",
    "completed_on": "completed_on",
    "failed_reviews": "failed_reviews",
    "delays": "delays",
    "note": "note",
    "failed_by_product": "failed_by_product",
}
LINE_VALUE_FIELDS: tuple[str, ...] = tuple(LINE_VALUES)
QUANTITY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


def _per_product(verbose_name):
    """A list of event counts, one per product of the line (Decree 335 Art. 14 b, c)."""
    return models.JSONField(
        verbose_name,
        default=list,
        # Bulk writers (importers.bulk) may leave the column out: the database fills it.
        db_default=models.Value([], output_field=models.JSONField()),
        blank=True,
        help_text=_(
            "Sản phẩm 1, 2, … theo thứ tự; các sản phẩm đã hoàn thành đứng trước. Để trống nếu "
            "không theo dõi từng sản phẩm."
        ),
    )


class AssignmentLine(PeriodInputMixin, models.Model):
    agency_path = "unit"

    civil_servant = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("công chức"),
        on_delete=models.PROTECT,
        related_name="assignment_lines",
    )
    period = models.ForeignKey(
        "scoring.Period",
        verbose_name=_("kỳ đánh giá"),
        on_delete=models.PROTECT,
        related_name="assignment_lines",
        db_index=False,  # the (period, civil servant) index serves every period lookup
    )
    item = models.ForeignKey(
        "catalog_pages.CatalogVersionItem",
        verbose_name=_("sản phẩm/công việc"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị thực hiện"),
        on_delete=models.PROTECT,
        related_name="assignment_lines",
    )
    assigned_quantity = models.DecimalField(_("số lượng được giao"), **QUANTITY)
    completed_quantity = models.DecimalField(_("số lượng hoàn thành"), default=0, **QUANTITY)
    deadline = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    failed_reviews = models.PositiveIntegerField(_("số lần đánh giá chưa đạt"), default=0)
    delays = models.PositiveIntegerField(_("số lần chậm tiến độ"), default=0)
    failed_by_product = _per_product(_("số lần đánh giá chưa đạt của từng sản phẩm"))
    delays_by_product = _per_product(_("số lần chậm tiến độ của từng sản phẩm"))
    source = models.CharField(
        _("nguồn dữ liệu"), max_length=16, choices=LineSource.choices, default=LineSource.MANUAL
    )
    external_id = models.CharField(
        _("mã ở hệ thống nguồn"),
        max_length=100,
        blank=True,
        help_text=_("Dùng để nhập lại dữ liệu không bị trùng (Excel, phần mềm điều hành)."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        # Never searched by; each index costs on every one of an import's 100,000 rows (a
        # user is deactivated, not deleted, so the SET NULL scan does not happen in practice).
        db_index=False,
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("thời điểm cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("dòng giao việc")
        verbose_name_plural = _("giao việc")
        ordering = ["period", "civil_servant", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="unique_line_external_id",
            ),
            models.CheckConstraint(
                condition=models.Q(assigned_quantity__gte=0, completed_quantity__gte=0),
                name="line_quantities_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["period", "civil_servant"])]

    def __str__(self):
        return f"{self.civil_servant_id} · {self.item.code} · {self.period}"

    def clean(self):
        super().clean()
        errors = {}
        if self.item_id and self.unit_id and self.period_id:
            errors.update(self._item_errors())
        if self.completed_on and not self.completed_quantity:
            errors["completed_on"] = _(
                "Chưa có số lượng hoàn thành thì không nhập ngày hoàn thành."
            )
        for field, total in (
            ("failed_by_product", self.failed_reviews),
            ("delays_by_product", self.delays),
        ):
            message = breakdown_error(getattr(self, field), total)
            if message:
                # Reported on the counter: forms show it, the list itself is not a form field.
                errors[COUNTER_OF[field]] = message
        if errors:
            raise ValidationError(errors)

    def _item_errors(self) -> dict:
        version = self.item.version
        owner = self.unit.owning_agency
        if owner is None or version.agency_id != owner.pk:
            return {
                "item": _("Sản phẩm/công việc không thuộc danh mục của %(agency)s.")
                % {"agency": owner.name if owner else self.unit.name}
            }
        if version.effective_from > self.period.end_date:
            return {
                "item": _("Phiên bản danh mục v%(n)d chỉ áp dụng từ ngày %(day)s.")
                % {"n": version.number, "day": version.effective_from.strftime("%d/%m/%Y")}
            }
        return {}


def product_count(assigned, completed) -> int:
    """Products on a line: the larger quantity, a fractional last product counting as one."""
    most = max(Decimal(assigned or 0), Decimal(completed or 0))
    return int(most.to_integral_value(rounding=ROUND_CEILING))


def breakdown_error(breakdown, total) -> str | None:
    """Why a per-product list does not fit its line (``None`` when it does or is empty)."""
    if breakdown in (None, []):
        return None
    if not isinstance(breakdown, list) or any(
        isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in breakdown
    ):
        return gettext("Phải là danh sách số nguyên không âm, mỗi sản phẩm một số.")
    if sum(breakdown) != (total or 0):
        return gettext(
            "Tổng số lần của từng sản phẩm (%(sum)d) phải bằng số lần của cả dòng (%(total)d)."
        ) % {"sum": sum(breakdown), "total": total or 0}
    return None
