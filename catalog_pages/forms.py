"""The catalog page form: the catalog rules run over every inline item before saving.

It sits above the page models and the rules it asks (duties, the agency's positions, the
decision number); ``catalog_pages.edit_handler`` names it as the page's form at start-up."""

from django import forms
from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminPageForm

from catalog_pages.duties import duty_choices, duty_label, position_problem
from catalog_pages.models.appraisal import decision_number_problem
from catalog_pages.status import agency_job_positions
from catalog_pages.validation import ItemRow, validate_catalog
from org.access import is_home_affairs


class CatalogPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The agency a catalog belongs to is fixed when Sở Nội vụ creates the page.
        if self.instance.pk and not (self.for_user and is_home_affairs(self.for_user)):
            self.fields["agency"].disabled = True
        self._leave_the_decision_number_to_the_approver()
        self._offer_the_agency_positions()

    def _offer_the_agency_positions(self):
        """Review 2026-11-23 (C9): each product offered ~48 job positions of every sector
        ("Bí thư Tỉnh ủy" in Sở Tư pháp's catalog). Offer those held in the agency and those
        the catalog already names, as tick boxes."""
        formset = self.formsets.get("items")
        if formset is None or not self.instance.pk or not self.instance.agency_id:
            return
        positions = agency_job_positions(self.instance)
        duties = duty_choices(self.instance)
        base = formset.form

        class ItemForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                field = self.fields.get("job_positions")
                if field is not None:
                    field.queryset = positions
                    field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
                    field.help_text = _(
                        "Các vị trí việc làm có trong cơ quan. Vị trí chưa có ở đây: cập nhật "
                        "quá trình công tác của người giữ vị trí đó trước."
                    )
                field = self.fields.get("duties")
                if field is not None:
                    # The duties of the descriptions in force, and those already chosen (a
                    # duty of a replaced description stays visible until it is unticked).
                    chosen = [d.pk for d in self.instance.duties.all()]
                    field.queryset = (
                        duties | duties.model.objects.filter(pk__in=chosen)
                    ).select_related("description__job_position")
                    field.label_from_instance = duty_label
                    field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
                    field.help_text = _(
                        "Sản phẩm này phục vụ nhiệm vụ nào trong bản mô tả công việc đang áp dụng "
                        "của vị trí việc làm (chọn một hoặc nhiều). Chưa có nhiệm vụ nào: bản mô "
                        "tả của vị trí chưa được phê duyệt."
                    )

        ItemForm.__name__ = base.__name__
        formset.form = ItemForm

    def _leave_the_decision_number_to_the_approver(self):
        """Review 2026-11-22 (ux #6): a draft copied the decision number of the version in
        force, so v2 was easily approved under v1's decision. A draft still carrying that
        number starts empty; the number of the version in force is said beside the field."""
        if not self.instance.pk or "approval_ref" not in self.fields:
            return
        current = self.instance.versions.order_by("-number").first()
        if current is None or not current.approval_ref:
            return
        field = self.fields["approval_ref"]
        field.help_text = _(
            "Phiên bản %(number)d đang áp dụng theo quyết định %(ref)s. Nhập số quyết định "
            "phê duyệt của bản này khi phê duyệt."
        ) % {"number": current.number, "ref": current.approval_ref}
        if not self.is_bound and self.initial.get("approval_ref") == current.approval_ref:
            self.initial["approval_ref"] = ""

    def is_valid(self):
        # The items formset is validated inside ClusterForm.is_valid(), after clean().
        if not super().is_valid():
            return False
        self._check_catalog()
        return not self.errors

    def clean(self):
        cleaned = super().clean()
        self._check_amendment_date(cleaned.get("effective_from"))
        self._check_decision_number(cleaned.get("approval_ref") or "")
        return cleaned

    def _check_decision_number(self, ref: str):
        """Approving (the workflow's approve action) or publishing from this form makes a new
        version: it needs its own decision number, not the one of the version in force."""
        approving = bool(self.data.get("action-workflow-action")) and (
            self.data.get("workflow-action-name") == "approve"
        )
        publishing = "action-publish" in self.data
        if not (approving or publishing):
            return
        problem = decision_number_problem(self.instance, ref)
        if problem is not None and (approving or not ref.strip()):
            self.add_error("approval_ref", problem)

    def _check_amendment_date(self, effective_from):
        """An amendment must take effect after the version in force (earlier periods keep it);
        only Sở Nội vụ may re-issue a version from the same date, as a correction."""
        if not self.instance.pk or (self.for_user and is_home_affairs(self.for_user)):
            return
        current = self.instance.versions.order_by("-number").first()
        if current is None:
            return
        if effective_from is None or effective_from <= current.effective_from:
            self.add_error(
                "effective_from",
                _(
                    "Bản sửa đổi phải có ngày áp dụng sau ngày áp dụng của phiên bản hiện hành "
                    "(phiên bản %(number)d, từ %(date)s)."
                )
                % {"number": current.number, "date": current.effective_from.strftime("%d/%m/%Y")},
            )

    def _check_catalog(self):
        forms = [
            form
            for form in self.formsets["items"].forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        rows = [
            ItemRow(
                code=form.cleaned_data.get("code", ""),
                name=form.cleaned_data.get("name", ""),
                coefficient=form.cleaned_data.get("coefficient"),
                complexity_group=form.cleaned_data.get("complexity_group"),
                is_standard=bool(form.cleaned_data.get("is_standard")),
                job_positions=[p.code for p in form.cleaned_data.get("job_positions") or []],
            )
            for form in forms
        ]
        for form in forms:
            positions = form.cleaned_data.get("job_positions") or []
            for duty in form.cleaned_data.get("duties") or []:
                problem = position_problem(duty, positions)
                if problem:
                    form.add_error("duties", problem)
                    self.add_error(None, f"{form.cleaned_data.get('code', '')}: {problem}")
        for issue in validate_catalog(rows):
            if issue.row is None:
                self.add_error(None, issue.message)
            else:
                forms[issue.row].add_error(issue.field, issue.message)
                self.add_error(
                    None, f"{forms[issue.row].cleaned_data.get('code', '')}: {issue.message}"
                )
