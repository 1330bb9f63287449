"""Forms of the worklog pages. They only shape input: permissions and rules are in services."""

import uuid
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog_pages.common_catalog import effective_items
from catalog_pages.models import CatalogVersionItem
from cms.formats.dates import DateField
from cms.formats.fields import DecimalField
from cms.formats.values import shown
from cms.private_files import PrivateUploadField
from cms.widgets import CheckboxSelectMultiple
from org.models import Agency, CivilServant
from org.pickers import AgencyChoiceField
from worklog.access import evaluated_names
from worklog.conf import max_recurring_months
from worklog.models import CoordinationLevel
from worklog.services.assign import assignable_items, assignable_units

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssignForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("Công chức được giao"),
        queryset=CivilServant.objects.all(),
        required=False,
        widget=CheckboxSelectMultiple,
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Hoặc giao cho cả đơn vị (mỗi thành viên một dòng)"),
        queryset=Agency.objects.all(),
        required=False,
        widget=CheckboxSelectMultiple,
    )
    item = forms.ModelChoiceField(
        label=_("Sản phẩm/công việc (danh mục đang áp dụng)"),
        queryset=CatalogVersionItem.objects.all(),
    )
    quantity = DecimalField(
        label=_("Số lượng"), min_value=0.01, max_digits=12, decimal_places=2, initial=1
    )
    deadline = DateField(label=_("Hạn hoàn thành"), widget=DATE)
    months = forms.IntegerField(
        label=_("Lặp lại hằng tháng trong (số tháng)"),
        min_value=1,
        initial=1,
        help_text=_("1 = chỉ giao một lần. Ví dụ 3: giao cho tháng này và 2 tháng tiếp theo."),
    )
    note = forms.CharField(
        label=_("Ghi chú, yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, user, today, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.IntegerField, self.fields["months"]).max_value = max_recurring_months()
        self.fields["months"].widget.attrs["max"] = max_recurring_months()
        # Offered choices; a forged id still reaches the service, which refuses it.
        self.fields["people"].widget.choices = evaluated_names(user, today)
        self.fields["units"].widget.choices = [
            (u.pk, u.name) for u in assignable_units(user, today)
        ]
        offered = assignable_items(user, today)
        # The coefficient this month's score uses: the common catalog's where a province
        # decision adopted it (review 2026-11-23 C3), else the agency's own.
        ids = [i.pk for _agency, items in offered for i in items]
        scored = {pk: e.coefficient for pk, e in effective_items(ids, today.replace(day=1)).items()}
        self.fields["item"].widget.choices = [("", "---------")] + [
            (
                agency.name,
                [
                    (
                        i.pk,
                        f"{i.code} — {i.name} (×{shown(scored.get(i.pk, i.coefficient))})",
                    )
                    for i in items
                ],
            )
            for agency, items in offered
        ]

    def clean(self):
        data = super().clean() or {}  # forms.Form.clean: the cleaned data
        if not data.get("people") and not data.get("units"):
            raise forms.ValidationError(_("Chọn ít nhất một công chức hoặc một đơn vị."))
        return data


class ProgressForm(forms.Form):
    #: What the page showed (``worklog.services.seen``): a stale page is told what changed.
    kpi_seen = forms.CharField(widget=forms.HiddenInput, required=False)
    percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(forms.Form):
    file = PrivateUploadField(label=_("Tệp minh chứng"), required=False)
    url = forms.URLField(
        label=_("Đường dẫn"), required=False, max_length=500, assume_scheme="https"
    )
    document_number = forms.CharField(
        label=_("Số, ký hiệu văn bản (phần mềm quản lý văn bản)"), required=False, max_length=64
    )
    description = forms.CharField(label=_("Mô tả"), required=False, max_length=255)


class SubmitForm(EvidenceForm):
    quantity = DecimalField(
        label=_("Số lượng hoàn thành"), min_value=0.01, max_digits=12, decimal_places=2
    )
    completed_on = DateField(
        label=_("Ngày hoàn thành thực tế"),
        widget=DATE,
        help_text=_("Ghi ngày thực tế hoàn thành; nhập muộn không bị tính là chậm tiến độ."),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = [
        "quantity",
        "completed_on",
        "file",
        "url",
        "document_number",
        "description",
        "note",
    ]


class AcceptForm(forms.Form):
    round = forms.IntegerField(widget=forms.HiddenInput)
    #: What the page showed (``worklog.services.seen``): a stale page is told what changed.
    kpi_seen = forms.CharField(widget=forms.HiddenInput, required=False)
    confirmed_on = DateField(label=_("Ngày hoàn thành được xác nhận"), widget=DATE)
    comment = forms.CharField(
        label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    late = forms.IntegerField(
        label=_("Số sản phẩm hoàn thành sau hạn"),
        min_value=1,
        required=False,
        help_text=_(
            "Chỉ dùng khi ngày hoàn thành sau hạn: mỗi sản phẩm hoàn thành sau hạn là một lần "
            "chậm tiến độ (trừ 25% điểm tiến độ của sản phẩm đó). Để trống: tất cả sản phẩm "
            "được nghiệm thu."
        ),
    )
    delay_exempt = forms.BooleanField(
        label=_("Chậm do nguyên nhân khách quan (không trừ điểm)"), required=False
    )
    delay_reason = forms.CharField(
        label=_("Nguyên nhân khách quan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    round = forms.IntegerField(widget=forms.HiddenInput)
    #: What the page showed (``worklog.services.seen``): a stale page is told what changed.
    kpi_seen = forms.CharField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=_("Nhận xét, yêu cầu làm lại"), widget=forms.Textarea(attrs={"rows": 3})
    )
    returned = forms.IntegerField(
        label=_("Số sản phẩm bị trả lại"),
        min_value=1,
        required=False,
        help_text=_(
            "Mỗi sản phẩm bị trả lại là một lần đánh giá chưa đạt (trừ 25% điểm chất lượng của "
            "sản phẩm đó). Để trống: tất cả sản phẩm đã báo cáo."
        ),
    )
    exempt = forms.BooleanField(
        label=_("Do nguyên nhân khách quan (không trừ điểm)"), required=False
    )
    reason = forms.CharField(
        label=_("Nguyên nhân khách quan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ShareForm(forms.Form):
    """The evaluator names a related unit (đơn vị phối hợp) of the line."""

    agency = AgencyChoiceField(
        label=_("Đơn vị phối hợp"),
        queryset=Agency.objects.all(),
        help_text=_(
            "Đơn vị khác cùng thực hiện việc này; lãnh đạo đơn vị đó sẽ đánh giá việc phối hợp."
        ),
    )

    def __init__(self, *args, line=None, **kwargs):
        super().__init__(*args, **kwargs)
        if line is not None:
            # Offered choices; the service refuses the line's own unit however it is posted.
            cast(forms.ModelChoiceField, self.fields["agency"]).queryset = Agency.objects.exclude(
                pk=line.unit_id
            ).order_by("path")


class CoordinationRatingForm(forms.Form):
    """The related unit's leader rates the coordination on the task (5 … 1)."""

    unit = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(
        label=_("Đánh giá việc phối hợp"),
        coerce=int,
        choices=(),
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Nhận xét"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kpi_seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["rating"]).choices = CoordinationLevel.choices
        self.fields["rating"].error_messages["required"] = _("Hãy chọn một mức đánh giá phối hợp.")
