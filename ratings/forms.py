"""One small form per workflow action (validated here; the rules live in ``ratings.workflow``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.formats.dates import DateField
from cms.formats.fields import DecimalField
from cms.formats.values import shown
from cms.private_files import MultipleFileField, PrivateUploadField
from org.pickers import AgencyChoiceField
from org_scoring.services.lookup import stored_score
from ratings.models import Rating
from ratings.services.period_complaints import Corrections
from scoring.models import AssignmentLine, Deduction, DeductionKind, GeneralCriteriaMark
from scoring.services import contract_workers, framework_for_person

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
        if getattr(transition, "confirm", None):
            self.fields["confirm"] = forms.BooleanField(
                label=transition.confirm,
                required=True,
                error_messages={
                    "required": _(
                        "Đánh dấu ô xác nhận nếu bạn chắc chắn muốn “%(action)s”; nếu bấm "
                        "nhầm, không cần làm gì thêm."
                    )
                    % {"action": transition.label}
                },
            )


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
    meeting_date = DateField(label=_("Ngày họp"), widget=DATE_WIDGET, not_after_today=True)
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
    decision_date = DateField(label=_("Ngày quyết định"), widget=DATE_WIDGET, not_after_today=True)
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
        decided_on, met_on = data.get("decision_date"), getattr(self.case, "meeting_date", None)
        if decided_on and met_on and decided_on < met_on:
            self.add_error(
                "decision_date",
                _(
                    "Ngày quyết định %(day)s trước ngày họp nhận xét, đánh giá %(meeting)s: "
                    "hãy kiểm tra lại ngày quyết định."
                )
                % {"day": decided_on.strftime("%d/%m/%Y"), "meeting": met_on.strftime("%d/%m/%Y")},
            )
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
    agency = AgencyChoiceField(
        label=_("Cơ quan, đơn vị"),
        queryset=None,
        required=False,
        empty_label=_("Tất cả trong phạm vi"),
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


# --- complaints about a monthly/quarterly result (ratings.services.period_complaints) ------


def criteria_choices(person, period) -> list[tuple[str, str]]:
    """The sub-criteria of the framework that applies (value ``component|code``); a contract
    worker's three marks under the framework's own method (M7)."""
    resolved = framework_for_person(person, period)
    if resolved is None:
        return []
    if contract_workers.applies_to(person, period):
        return [
            (f"{contract_workers.COMPONENT}|{criterion.code}", str(criterion.label))
            for criterion in contract_workers.CRITERIA
        ]
    return [
        (f"{component.code}|{criterion.code}", f"{criterion.code} — {criterion.label}")
        for component in resolved.rules.marks_components
        for criterion in component.criteria
    ]


def _line_label(line) -> str:
    # "(2/2)", "(1,5/2)": the decimal comma, never "(2.00/2.00)" (review 2026-11-23 K2).
    done, total = shown(line.completed_quantity), shown(line.assigned_quantity)
    return f"{line.item} ({done}/{total})"


class LineChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _line_label(obj)


class OneLineField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _line_label(obj)


class PeriodComplaintForm(forms.Form):
    lines = LineChoiceField(
        label=_("Sản phẩm/công việc kiến nghị"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    criteria = forms.MultipleChoiceField(
        label=_("Tiêu chí chung kiến nghị"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    text = forms.CharField(
        label=_("Nội dung, lý do kiến nghị"), widget=forms.Textarea(attrs={"rows": 5})
    )
    attachments = MultipleFileField(label=_("Tệp đính kèm (minh chứng)"), required=False)

    def __init__(self, *args, score, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].queryset = AssignmentLine.objects.filter(
            civil_servant=score.civil_servant, period=score.period
        ).select_related("item")
        self.fields["criteria"].choices = criteria_choices(score.civil_servant, score.period)

    def clean_attachments(self):
        return self.cleaned_data.get("attachments") or []

    def clean_criteria(self):
        return [value.split("|", 1)[-1] for value in self.cleaned_data.get("criteria") or []]


class PeriodComplaintAnswerForm(forms.Form):
    """The evaluator's answer (or Sở Nội vụ's re-check) with the corrections an upheld answer
    writes to the score inputs."""

    decision = forms.ChoiceField(
        label=_("Kết luận"),
        choices=[
            ("upheld", _("Chấp nhận (sửa dữ liệu và tính lại điểm)")),
            ("rejected", _("Không chấp nhận (giữ nguyên kết quả)")),
        ],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label=_("Trả lời, lý do"), widget=forms.Textarea(attrs={"rows": 4}))
    line = OneLineField(label=_("Sản phẩm/công việc cần sửa"), queryset=None, required=False)
    completed_quantity = DecimalField(
        label=_("Số lượng hoàn thành sau khi sửa"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    exempt = forms.ModelChoiceField(
        label=_("Miễn trừ lần đánh giá chưa đạt (nguyên nhân khách quan)"),
        queryset=None,
        required=False,
    )
    criterion = forms.ChoiceField(label=_("Tiêu chí chung cần sửa điểm"), required=False)
    evaluator_mark = DecimalField(
        label=_("Điểm người đánh giá chấm sau khi sửa"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        required=False,
    )

    confirm_lower = forms.BooleanField(
        label=_("Tôi đã kiểm tra: chấp nhận kiến nghị dù điểm sau khi sửa thấp hơn"),
        required=False,
        widget=forms.HiddenInput,  # shown once an upheld answer would lower a mark
    )

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)
        person, period = complaint.civil_servant, complaint.period
        self.complaint = complaint
        self.fields["line"].queryset = AssignmentLine.objects.filter(
            civil_servant=person, period=period
        ).select_related("item")
        self.fields["exempt"].queryset = Deduction.objects.filter(
            line__civil_servant=person,
            line__period=period,
            kind=DeductionKind.REVIEW,
            exempt=False,
        ).select_related("line__item")
        self.fields["exempt"].label_from_instance = lambda d: f"{d.line.item} · {d}"
        self.fields["criterion"].choices = [("", "---------"), *criteria_choices(person, period)]

    def clean(self):
        data = super().clean()
        if data.get("completed_quantity") is not None and data.get("line") is None:
            self.add_error("line", _("Chọn sản phẩm/công việc cần sửa số lượng hoàn thành."))
        if data.get("line") is not None and data.get("completed_quantity") is None:
            self.add_error("completed_quantity", _("Nhập số lượng hoàn thành sau khi sửa."))
        if bool(data.get("criterion")) != (data.get("evaluator_mark") is not None):
            self.add_error(
                "evaluator_mark", _("Chọn tiêu chí chung và nhập điểm sau khi sửa cùng lúc.")
            )
        corrections = any(
            data.get(name) not in (None, "") for name in ("line", "exempt", "criterion")
        )
        if corrections and data.get("decision") == "rejected":
            self.add_error("decision", _("Không chấp nhận thì không sửa dữ liệu chấm điểm."))
        if data.get("decision") == "upheld" and not data.get("confirm_lower"):
            self._warn_if_lower(data)
        return data

    def _warn_if_lower(self, data):
        """Review 2026-11-23 (C10): an "accepted" complaint lowered the score (4,25 → 3) with no
        warning. A correction that lowers a mark or a completed quantity is said in words and
        needs the tick box before it is written."""
        lower = []
        line, quantity = data.get("line"), data.get("completed_quantity")
        if line is not None and quantity is not None and quantity < line.completed_quantity:
            lower.append(
                _("%(item)s: số lượng hoàn thành %(before)s → %(after)s")
                % {
                    "item": line.item,
                    "before": shown(line.completed_quantity),
                    "after": shown(quantity),
                }
            )
        criterion, mark = data.get("criterion") or "", data.get("evaluator_mark")
        if criterion and mark is not None:
            component, _sep, code = criterion.rpartition("|")
            stored = (
                GeneralCriteriaMark.objects.filter(
                    civil_servant=self.complaint.civil_servant,
                    period=self.complaint.period,
                    criterion=code,
                    **({"component": component} if component else {}),
                )
                .values_list("evaluator_mark", flat=True)
                .first()
            )
            if stored is not None and mark < stored:
                lower.append(
                    _("Tiêu chí %(code)s: điểm người đánh giá %(before)s → %(after)s")
                    % {"code": code, "before": shown(stored), "after": shown(mark)}
                )
        if lower:
            self.fields["confirm_lower"].widget = forms.CheckboxInput()
            self.add_error(
                "confirm_lower",
                _(
                    "Chấp nhận kiến nghị nhưng sửa làm điểm thấp hơn: %(changes)s. Kiểm tra lại "
                    "số liệu; nếu đúng, đánh dấu ô này rồi bấm Ghi nhận, nếu không thì sửa lại "
                    "số liệu."
                )
                % {"changes": "; ".join(str(item) for item in lower)},
            )

    def corrections(self):
        data = self.cleaned_data
        component_code = (data.get("criterion") or "").split("|", 1)
        return Corrections(
            line=data.get("line"),
            completed_quantity=data.get("completed_quantity"),
            exempt=data.get("exempt"),
            criterion=component_code[-1] if data.get("criterion") else "",
            evaluator_mark=data.get("evaluator_mark"),
        )


class RecheckRequestForm(forms.Form):
    text = forms.CharField(
        label=_("Lý do đề nghị Sở Nội vụ phúc tra"), widget=forms.Textarea(attrs={"rows": 4})
    )
