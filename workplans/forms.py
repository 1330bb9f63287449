"""The plan's form: each item offers the products of the catalog in force for the plan's
agency (its owning agency's catalog) and the people of the plan's unit."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.forms import WagtailAdminModelForm

from catalog_pages.models import CatalogVersion, CatalogVersionItem


class WorkPlanForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._owners_as_a_list()
        if self.instance.pk:
            for name in ("agency", "kind", "year", "number"):
                if name in self.fields:
                    self.fields[name].disabled = True
            self._offer_products()

    def _owners_as_a_list(self):
        """The person responsible as a plain list of the people the writer may pick (narrowed by
        ``org.admin_scope``): a chooser would show whatever person a posted body names. Each
        item also knows its plan while it is validated (the child formset does not tell it), so
        that ``WorkPlanItem.clean`` refuses a deadline outside the plan's span on this form too
        (it let one through before the issue-45 form test)."""
        formset = self.formsets.get("items")
        if formset is None:
            return
        base = formset.form
        plan = self.instance

        class OwnerForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.instance.plan = plan
                field = self.fields.get("owner")
                if field is not None:
                    field.widget = forms.Select(choices=field.choices)
                product = self.fields.get("product")
                if product is not None:
                    # Each product's name shows its catalog version: read with the products
                    # (on a new plan, every catalog's products: one query, not one per product).
                    product.queryset = product.queryset.select_related("version")

        OwnerForm.__name__ = base.__name__
        formset.form = OwnerForm

    def _offer_products(self):
        formset = self.formsets.get("items")
        owner = self.instance.agency.owning_agency if self.instance.agency_id else None
        if formset is None or owner is None:
            return
        day = max(self.instance.start_date, timezone.localdate())
        version = CatalogVersion.objects.in_force(owner, day)
        products = (
            version.items.order_by("sort_order")
            if version is not None
            else CatalogVersionItem.objects.none()
        )
        base = formset.form

        class ItemForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                field = self.fields.get("product")
                if field is not None:
                    current = [self.instance.product_id] if self.instance.product_id else []
                    field.queryset = products | CatalogVersionItem.objects.filter(pk__in=current)
                    field.label_from_instance = lambda item: f"{item.code} — {item.name}"
                    field.help_text = _(
                        "Sản phẩm trong danh mục đang áp dụng của cơ quan; để trống nếu công việc "
                        "không có sản phẩm trong danh mục (không giao được từ kế hoạch)."
                    )

        ItemForm.__name__ = base.__name__
        formset.form = ItemForm

    def clean(self):
        cleaned = super().clean()
        kind, number = cleaned.get("kind"), cleaned.get("number")
        if kind == "year" and number is not None:
            self.add_error("number", _("Kế hoạch năm: để trống ô tháng hoặc quý."))
        return cleaned


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Lý do trả lại"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
