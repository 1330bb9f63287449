"""The merge form shown under each candidate duplicate group."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from catalog_pages.models import CatalogItem, CommonCatalogAdoption, CommonProduct
from catalog_pages.models.pages import MIN_COEFFICIENT
from cms.formats.dates import DateField
from cms.formats.fields import DecimalField

NEW = "new"
EXISTING = "existing"

NEW_PRODUCT_FIELDS = (
    "code",
    "name",
    "output_unit",
    "complexity_group",
    "coefficient",
    "is_standard",
    "note",
)


class MergeForm(forms.Form):
    group = forms.CharField(widget=forms.HiddenInput)
    items = forms.ModelMultipleChoiceField(
        label=_("Sản phẩm/công việc được gộp"),
        queryset=CatalogItem.objects.filter(page__live=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một sản phẩm/công việc để gộp.")},
    )
    target = forms.ChoiceField(
        label=_("Gộp vào"),
        choices=[(NEW, _("Sản phẩm dùng chung mới")), (EXISTING, _("Sản phẩm dùng chung có sẵn"))],
        widget=forms.RadioSelect,
        initial=NEW,
    )
    product = forms.ModelChoiceField(
        label=_("Sản phẩm dùng chung có sẵn"),
        queryset=CommonProduct.objects.order_by("code"),
        required=False,
    )
    code = forms.CharField(label=_("Mã dùng chung"), max_length=32, required=False)
    name = forms.CharField(label=_("Tên sản phẩm/công việc"), max_length=500, required=False)
    output_unit = forms.CharField(label=_("Đơn vị tính"), max_length=64, required=False)
    complexity_group = forms.TypedChoiceField(
        label=_("Nhóm mức độ phức tạp"),
        choices=[(n, f"N{n}") for n in range(1, 6)],
        coerce=int,
        required=False,
    )
    coefficient = DecimalField(
        label=_("Hệ số quy đổi"),
        max_digits=9,
        decimal_places=4,
        validators=[MinValueValidator(MIN_COEFFICIENT), MaxValueValidator(99999)],
        required=False,
    )
    is_standard = forms.BooleanField(label=_("Sản phẩm chuẩn của tỉnh"), required=False)
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("target") == EXISTING:
            if not data.get("product"):
                self.add_error("product", _("Chọn sản phẩm dùng chung để gộp vào."))
            return data
        required = ("code", "name", "output_unit", "complexity_group", "coefficient")
        for name in required:
            if data.get(name) in (None, ""):
                self.add_error(name, _("Bắt buộc khi tạo sản phẩm dùng chung mới."))
        return data

    def existing_product(self) -> CommonProduct | None:
        return self.cleaned_data["product"] if self.cleaned_data["target"] == EXISTING else None

    def new_product_data(self) -> dict | None:
        if self.cleaned_data["target"] == EXISTING:
            return None
        return {name: self.cleaned_data[name] for name in NEW_PRODUCT_FIELDS}


DATE_FORMATS = ["%d/%m/%Y"]


def _date_field(label, help_text=""):
    return DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        help_text=help_text,
        error_messages={"invalid": _("Nhập ngày dạng dd/mm/yyyy.")},
    )


class AdoptionForm(forms.ModelForm):
    """The province decision adopting the common catalog (editable while a draft)."""

    decision_date = _date_field(_("Ngày ký quyết định"))
    effective_from = _date_field(
        _("Áp dụng từ ngày"),
        _(
            "Kỳ đánh giá bắt đầu từ ngày này trở đi dùng hệ số và đơn vị tính của danh mục "
            "dùng chung; các kỳ trước giữ hệ số của cơ quan."
        ),
    )

    class Meta:
        model = CommonCatalogAdoption
        fields = ["decision_number", "decision_date", "signer", "effective_from", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        cleaned = super().clean()
        signed, effective = cleaned.get("decision_date"), cleaned.get("effective_from")
        if signed and effective and effective < signed:
            self.add_error(
                "effective_from",
                _("Ngày áp dụng không được trước ngày ký quyết định (%(day)s).")
                % {"day": signed.strftime("%d/%m/%Y")},
            )
        return cleaned
