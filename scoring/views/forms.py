"""Admin forms of the scoring snippets."""

import json

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from cms.formats.dates import AdminDateInput, DateField
from cms.formats.fields import DecimalField
from scoring.models import AppliesTo, FrameworkProposal, ProposalScope
from scoring.services import proposals
from scoring.services.disqualifications import kind_error
from scoring.services.line_items import catalog_agency_ids, item_label, item_refusal, offered_items
from scoring.services.split_check import assignment_warning


class PrettyJSONField(forms.JSONField):
    """JSON in an indented, monospace textarea that keeps Vietnamese characters readable."""

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)


class CriteriaFrameworkForm(WagtailAdminModelForm):
    rules = PrettyJSONField(
        label=_("quy tắc chấm điểm — nhập/xuất JSON (dành cho bộ phận CNTT)"),
        encoder=DjangoJSONEncoder,
        widget=forms.Textarea(
            attrs={"rows": 30, "style": "font-family: monospace; font-size: 0.85rem"}
        ),
        help_text=_(
            "Để sửa tiêu chí, điểm, mức xếp loại và các lựa chọn, dùng trang “Soạn khung tiêu "
            "chí” (mở từ danh sách khung). Ô này dành cho bộ phận CNTT nhập cả khung từ tệp JSON."
        ),
    )


class AssignmentLineForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("item")
        if field is not None:
            # The catalogs in force for the writer's agencies (ux M10), as the Excel template
            # lists them; an existing line's period chooses its version.
            from django.utils import timezone

            period = self.instance.period if self.instance.period_id else None
            day = period.end_date if period is not None else timezone.localdate()
            user = getattr(self, "for_user", None)
            field.queryset = offered_items(user, day, keep=[self.instance.item_id]).order_by(
                "version__agency__name", "sort_order", "code"
            )
            several = len(catalog_agency_ids(user)) > 1
            field.label_from_instance = lambda item: item_label(item, several)
            field.help_text = _(
                "Sản phẩm trong danh mục đang áp dụng của cơ quan có đơn vị thực hiện (như tệp "
                "Excel mẫu của cơ quan)."
            )

    def clean(self):
        """Counters typed here are line-level: a per-product breakdown they no longer match
        is dropped (the line's events are then spread over its completed products, Decree 335
        Art. 14 b, c; docs/scoring.md §1.1). The product must be of the catalog version in
        force for the unit's agency in the line's period (ux M10)."""
        cleaned = super().clean()
        item, unit, period = cleaned.get("item"), cleaned.get("unit"), cleaned.get("period")
        changed = self.instance.pk is None or {"item", "unit", "period"} & set(self.changed_data)
        if changed and item is not None and unit is not None and period is not None:
            reason = item_refusal(item, unit, period)
            if reason:
                self.add_error("item", reason)
        for counter, field in (
            ("failed_reviews", "failed_by_product"),
            ("delays", "delays_by_product"),
        ):
            if counter in cleaned and sum(getattr(self.instance, field) or []) != cleaned[counter]:
                setattr(self.instance, field, [])
        return cleaned


class FrameworkAssignmentForm(WagtailAdminModelForm):
    """Assigning a framework that departs from Decree 335's 30/70 split to a state body asks a
    ticked acknowledgement of the warning (coverage L8; ``scoring.services.split_check``)."""

    confirm_split = forms.BooleanField(
        label=_("Tôi đã đọc cảnh báo về tỷ lệ 30/70 và xác nhận áp dụng khung này"),
        required=False,
        help_text=_(
            "Chỉ cần khi khung không theo tỷ lệ 30 điểm tiêu chí chung, 70 điểm kết quả thực hiện "
            "nhiệm vụ (Điều 12 Nghị định 335/2025/NĐ-CP) mà áp dụng cho cơ quan hành chính nhà "
            "nước."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "confirm_split" in self.fields:
            text = assignment_warning(self.instance.framework, self.instance.agency)
            if text:
                self.fields["confirm_split"].help_text = text

    def clean(self):
        cleaned = super().clean()
        if "confirm_split" not in self.fields:
            return cleaned
        framework, agency = cleaned.get("framework"), cleaned.get("agency")
        text = assignment_warning(framework, agency) if framework is not None else ""
        # Asked when the framework reaches the body anew (an unchanged row saves as it was).
        anew = self.instance.pk is None or {"framework", "agency"} & set(self.changed_data)
        if text and anew and not cleaned.get("confirm_split"):
            self.add_error("confirm_split", text)
        return cleaned


class DisqualificationForm(WagtailAdminModelForm):
    """The code must be a disqualifier of the live frameworks
    (``scoring.services.disqualifications.kind_error``, the write service's own check)."""

    def clean(self):
        cleaned = super().clean()
        error = kind_error(cleaned.get("kind") or "")
        if error is not None and "kind" not in self.errors:
            self.add_error("kind", error)
        return cleaned


class FrameworkProposalForm(WagtailAdminModelForm):
    """A new proposal names the agency, the province's framework and a name (the rules are
    copied from that framework's live revision); an existing one edits its rules while the
    agency may still change it (draft, returned)."""

    rules = PrettyJSONField(
        label=_("quy tắc chấm điểm — nhập/xuất JSON (dành cho bộ phận CNTT)"),
        encoder=DjangoJSONEncoder,
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 30, "style": "font-family: monospace; font-size: 0.85rem"}
        ),
        help_text=_(
            "Để sửa tiêu chí và điểm, dùng trang “Soạn khung tiêu chí đề xuất” (mở từ trang khung "
            "đề xuất). Ô này dành cho bộ phận CNTT nhập cả khung từ tệp JSON."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "base" in self.fields:
            self.fields["base"].queryset = (
                self.fields["base"]
                .queryset.filter(
                    live=True, applies_to__in=[AppliesTo.CIVIL_SERVANT, AppliesTo.ORGANISATION]
                )
                .exclude(
                    pk__in=FrameworkProposal.objects.exclude(framework=None).values("framework")
                )
            )
        if "scope" in self.fields:
            # Left out (an older client, the API of the form): the model's default, individual.
            self.fields["scope"].required = False
        if self.instance.pk is None:
            self.fields["rules"].widget = forms.HiddenInput()
        else:
            for name in ("agency", "base", "scope"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        if "scope" in self.fields and not cleaned.get("scope"):
            cleaned["scope"] = ProposalScope.INDIVIDUAL
        base = cleaned.get("base")
        if (
            self.instance.pk is None
            and base is not None
            and (cleaned.get("scope") or ProposalScope.INDIVIDUAL) == ProposalScope.INDIVIDUAL
            and base.applies_to != AppliesTo.CIVIL_SERVANT
        ):
            self.add_error(
                "base",
                _(
                    "Khung của tỉnh: tiêu chí đánh giá công chức phải lập từ khung đánh giá công "
                    "chức; khung “%(name)s” dùng để đánh giá tổ chức."
                )
                % {"name": base},
            )
        if self.instance.pk is not None and not self.instance.is_editable:
            raise forms.ValidationError(
                _("Khung đề xuất đang “%(status)s”: chỉ sửa được khi đang soạn hoặc bị trả lại.")
                % {"status": self.instance.get_status_display()}
            )
        if self.instance.pk is not None and not cleaned.get("rules"):
            self.add_error("rules", _("Quy tắc chấm điểm: không được để trống."))
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is None and commit:
            try:
                return proposals.start(self.instance, self.for_user)
            except proposals.ProposalError as error:  # pragma: no cover - base is always live
                raise forms.ValidationError(error.problems) from error
        return super().save(commit=commit)


class ProposalStepForm(forms.Form):
    """One step of a proposal (scoring.services.proposals.apply)."""

    step = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decision_number = forms.CharField(
        label=_("Số quyết định phê duyệt"), required=False, max_length=64
    )
    decision_date = DateField(
        label=_("Ngày quyết định"), required=False, widget=AdminDateInput, not_after_today=True
    )
    effective_from = DateField(label=_("Áp dụng từ ngày"), required=False, widget=AdminDateInput)


class KeyTaskForm(forms.Form):
    """One key task (nhiệm vụ trọng tâm) of an agency's organisation criteria; a row left
    blank is dropped."""

    code = forms.CharField(label=_("Mã"), max_length=32, required=False)
    label = forms.CharField(label=_("Nhiệm vụ trọng tâm"), max_length=500, required=False)
    weight = DecimalField(
        label=_("Hệ số"),
        required=False,
        localize=True,
        max_digits=4,
        decimal_places=2,
        min_value=1,
        max_value=10,
        error_messages={
            "min_value": _("Hệ số: phải từ 1 đến 10."),
            "max_value": _("Hệ số: phải từ 1 đến 10."),
            "invalid": _("Hệ số: phải là một số, ví dụ 1,5."),
        },
    )
    #: Đắk Lắk §III.3: the criterion measured from the agency's approved work plans of the year.
    from_plans = forms.BooleanField(
        label=_("Đo bằng kết quả thực hiện kế hoạch công tác năm"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("code") or "").strip()
        label = (cleaned.get("label") or "").strip()
        if not code and not label and cleaned.get("weight") is None:
            cleaned["blank"] = True
            return cleaned
        if not code:
            self.add_error("code", _("Mã: bắt buộc, ví dụ NV.1."))
        if not label:
            self.add_error("label", _("Nhiệm vụ trọng tâm: bắt buộc (nội dung nhiệm vụ)."))
        if cleaned.get("weight") is None and "weight" not in self.errors:
            self.add_error("weight", _("Hệ số: bắt buộc, từ 1 đến 10."))
        return cleaned


KeyTaskFormSet = forms.formset_factory(KeyTaskForm, extra=3)
