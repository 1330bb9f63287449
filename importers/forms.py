"""Forms of the admin pages: download a template, upload a filled one."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from importers.access import importable_agencies
from importers.kinds import KINDS
from importers.models import ImportKind
from org.access import visible_agencies
from org.models import AGENCY_KINDS
from scoring.models import Period


def period_queryset():
    return Period.objects.order_by("-start_date", "kind")


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label  # "Tháng 11/2026", never the code "2026-11" (review 2026-11-23 C8)


def only_choice(field: forms.ModelChoiceField) -> None:
    """A select with exactly one agency: that agency, without the "---------" line."""
    options = list(field.queryset[:2])
    if len(options) == 1:
        field.empty_label = None
        field.initial = options[0].pk


class TargetForm(forms.Form):
    """Kind + agency + period, shared by the template and upload forms."""

    kind = forms.ChoiceField(label=gettext_lazy("Loại mẫu"), choices=ImportKind.choices)
    agency = forms.ModelChoiceField(label=gettext_lazy("Cơ quan"), queryset=None)
    period = PeriodChoiceField(
        label=gettext_lazy("Kỳ đánh giá"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("Bắt buộc với mẫu kết quả nhiệm vụ và điểm tiêu chí chung."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["agency"].queryset = importable_agencies(user)
        only_choice(self.fields["agency"])
        self.fields["period"].queryset = period_queryset()

    def clean(self):
        cleaned = super().clean()
        kind = KINDS.get(cleaned.get("kind"))
        agency = cleaned.get("agency")
        if kind is None or agency is None:
            return cleaned
        if kind.needs_period and not cleaned.get("period"):
            self.add_error("period", _("Hãy chọn kỳ đánh giá cho loại mẫu này."))
        if not kind.can_import(self.user, agency):
            self.add_error(
                "agency",
                _("Bạn không có quyền với mẫu “%(kind)s” của %(agency)s.")
                % {"kind": kind.label, "agency": agency.name},
            )
        cleaned["kind_object"] = kind
        return cleaned

    @property
    def period_code(self) -> str:
        kind = self.cleaned_data.get("kind_object")
        period = self.cleaned_data.get("period")
        return period.code if kind is not None and kind.needs_period and period else ""


class UploadForm(TargetForm):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    blank_clears = forms.BooleanField(
        label=gettext_lazy("Ô trống là xoá giá trị đang lưu"),
        required=False,
        help_text=gettext_lazy(
            "Mặc định ô để trống nghĩa là không đổi (để xoá một giá trị, ghi “(xoá)” vào ô). "
            "Đánh dấu ô này khi tệp cố ý để trống những giá trị cần xoá (danh sách nhân sự)."
        ),
    )


class ExportForm(forms.Form):
    """Agency + period for the Form 01 export (agencies the user may see)."""

    agency = forms.ModelChoiceField(label=gettext_lazy("Cơ quan"), queryset=None)
    period = PeriodChoiceField(label=gettext_lazy("Kỳ đánh giá"), queryset=None)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (
            visible_agencies(user).filter(kind__in=AGENCY_KINDS).order_by("path")
        )
        only_choice(self.fields["agency"])
        self.fields["period"].queryset = period_queryset()


class ProvinceExportForm(forms.Form):
    period = PeriodChoiceField(label=gettext_lazy("Kỳ đánh giá"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = period_queryset()
