from django import forms
from django.utils.translation import gettext_lazy as _

from cms.private_files import MultipleFileField
from support.models import Category, ChangeKind, Kind


class RaiseForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan, đơn vị"), queryset=None)
    kind = forms.ChoiceField(label=_("Loại"), choices=Kind.choices)
    category = forms.ChoiceField(label=_("Lĩnh vực"), choices=Category.choices)
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(label=_("Tệp đính kèm"), required=False)

    def clean_attachments(self):
        return self.cleaned_data.get("attachments") or []

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()


class ActionForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung trả lời, ý kiến"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    change_kind = forms.ChoiceField(
        label=_("Chuyển thành"),
        choices=[("", "—"), *ChangeKind.choices],
        required=False,
    )
