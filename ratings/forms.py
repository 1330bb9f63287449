"""One small form per workflow action (validated here; the rules live in ``ratings.workflow``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.formats.fields import DecimalField
from cms.private_files import PrivateUploadField
from org_scoring.services.lookup import stored_score
from ratings.models import Rating

LEVEL_CHOICES = [("", "---------"), *Rating.choices]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến, lý do"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, case=None, transition=None, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        if transition is not None and transition.needs_comment:
            self.fields["comment"].required = True


class SelfAssessForm(CommentForm):
    self_assessment = forms.CharField(
        label=_("Tự nhận xét, đánh giá kết quả thực hiện nhiệm vụ"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    self_score = DecimalField(
        label=_("Điểm tự đánh giá của tổ chức"),
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
    )
    self_level = forms.ChoiceField(label=_("Tự đề xuất mức xếp loại"), choices=LEVEL_CHOICES)
    field_order = ["self_assessment", "self_score", "self_level", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case is None or not self.case.is_agency_case:
            del self.fields["self_score"]


class ReviewForm(CommentForm):
    meeting_date = forms.DateField(label=_("Ngày họp"), widget=DATE_WIDGET)
    meeting_comments = forms.CharField(
        label=_("Ý kiến nhận xét, đánh giá tại cuộc họp"), widget=forms.Textarea(attrs={"rows": 5})
    )
    minutes = PrivateUploadField(label=_("Biên bản cuộc họp (tệp)"))
    field_order = ["meeting_date", "meeting_comments", "minutes", "comment"]


class AppraiseForm(CommentForm):
    score = DecimalField(
        label=_("Điểm đánh giá của tổ chức sau thẩm định"),
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=100,
    )
    proposal_level = forms.ChoiceField(label=_("Đề xuất mức xếp loại"), choices=LEVEL_CHOICES)
    proposal_comment = forms.CharField(
        label=_("Ý kiến thẩm định"), widget=forms.Textarea(attrs={"rows": 4})
    )
    field_order = ["score", "proposal_level", "proposal_comment", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case is None or not self.case.is_agency_case:
            del self.fields["score"]
        elif stored_score(self.case.subject_agency, self.case.year) is not None:
            # The stored organisation score stands; it is shown on the case page.
            del self.fields["score"]


class OpinionForm(CommentForm):
    opinion_text = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 4}))
    field_order = ["opinion_text", "comment"]


class DecideForm(CommentForm):
    decision_level = forms.ChoiceField(label=_("Mức xếp loại"), choices=LEVEL_CHOICES)
    decision_ref = forms.CharField(label=_("Số quyết định"), max_length=64)
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DATE_WIDGET)
    # Organisations only (Gia Lai plan §III.3.d): the deciding authority may decide above the
    # computed ceiling for force majeure, with the circumstances recorded.
    lift_ceiling = forms.BooleanField(
        label=_("Quyết định cao hơn mức tối đa do lý do bất khả kháng"),
        help_text=_(
            "Cấp có thẩm quyền căn cứ điều kiện, hoàn cảnh, tính chất nhiệm vụ, kết quả thực hiện "
            "để xem xét, xếp loại và chịu trách nhiệm về quyết định của mình (Kế hoạch của tỉnh, "
            "mục III.3.d)."
        ),
        required=False,
    )
    force_majeure_reason = forms.CharField(
        label=_("Lý do bất khả kháng"),
        help_text=_("Ghi rõ hoàn cảnh, nguyên nhân; được ghi vào nhật ký, Mẫu 02 và công khai."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    field_order = [
        "decision_level",
        "decision_ref",
        "decision_date",
        "lift_ceiling",
        "force_majeure_reason",
        "comment",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case is None or not self.case.is_agency_case:
            del self.fields["lift_ceiling"]
            del self.fields["force_majeure_reason"]

    def clean(self):
        data = super().clean()
        reason = (data.get("force_majeure_reason") or "").strip()
        if data.get("lift_ceiling") and not reason:
            self.add_error(
                "force_majeure_reason", _("Hãy ghi rõ lý do bất khả kháng khi vượt mức tối đa.")
            )
        elif reason and not data.get("lift_ceiling"):
            self.add_error(
                "lift_ceiling",
                _("Hãy đánh dấu nếu quyết định cao hơn mức tối đa do bất khả kháng."),
            )
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(PrivateUploadField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ComplaintForm(CommentForm):
    complaint_text = forms.CharField(
        label=_("Nội dung kiến nghị"), widget=forms.Textarea(attrs={"rows": 5})
    )
    attachments = MultipleFileField(label=_("Tệp đính kèm"), required=False)
    field_order = ["complaint_text", "attachments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["comment"]

    def clean_attachments(self):
        return self.cleaned_data.get("attachments") or []


FORMS = {
    "self_assess": SelfAssessForm,
    "review": ReviewForm,
    "appraise": AppraiseForm,
    "give_opinion": OpinionForm,
    "decide": DecideForm,
    "complain": ComplaintForm,
}


def form_for(transition, case, data=None, files=None):
    form_class = FORMS.get(transition.action, CommentForm)
    return form_class(data, files, case=case, transition=transition, prefix=transition.action)


class OpenCasesForm(forms.Form):
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=2026, max_value=2100)
    agency = forms.ModelChoiceField(
        label=_("Cơ quan, đơn vị"),
        queryset=None,
        required=False,
        empty_label=_("Tất cả trong phạm vi"),
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
