"""Admin forms of the organisation-scoring inputs: the agency list is limited to what the user
may reach, and the appraisal fields (appraised mark, certification) to the appraiser."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from org.access import ADD, CHANGE, can_access_agency
from org_scoring.access import can_appraise, may_appraise_somewhere, scoring_agencies
from org_scoring.services import writes


class ScopedAgencyForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "agency" in self.fields and self.for_user is not None:
            self.fields["agency"].queryset = scoring_agencies(self.for_user).order_by("path")

    def clean_agency(self):
        agency = self.cleaned_data.get("agency")
        if (
            agency is not None
            and self.for_user is not None
            and not can_access_agency(self.for_user, agency)
        ):
            raise ValidationError(_("Bạn không quản lý cơ quan, đơn vị này."))
        return agency

    def _apply_appraisal(self, row) -> None:
        """Set the appraisal or certification fields as :meth:`save` will."""

    def _as_saved(self):
        """A copy of the row as :meth:`save` would store it (cleaned values, appraisal set);
        the form's own instance is left as it is."""
        import copy

        from django.core.exceptions import FieldDoesNotExist

        row = copy.copy(self.instance)
        row._state = copy.copy(self.instance._state)
        row._state.fields_cache = dict(self.instance._state.fields_cache)
        for name, value in self.cleaned_data.items():
            try:
                field = row._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field (certify)
                continue
            if field.many_to_many or not field.editable:
                continue
            setattr(row, name, value)
        self._apply_appraisal(row)
        return row

    def _ask_service(self, field: str) -> None:
        """The organisation inputs' write service decides (its write guard, the same function
        it asks again under the lock): its sentence goes on ``field``."""
        if self.for_user is None or self.errors:
            return
        action = CHANGE if self.instance.pk else ADD
        reason = writes.appraisal_refusal(self.for_user, action, self._as_saved())
        if reason is not None:
            self.add_error(field if field in self.fields else None, reason)


class OrganisationTaskForm(ScopedAgencyForm):
    certify = forms.BooleanField(
        label=_("Xác nhận kết quả thực hiện"),
        required=False,
        help_text=_(
            "Cơ quan thẩm định xác nhận kết quả đã báo cáo; sửa kết quả sau khi xác nhận thì "
            "phải xác nhận lại."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["certify"]
        if self.for_user is None or not may_appraise_somewhere(self.for_user):
            del self.fields["certify"]
            return
        field.initial = self.instance.is_certified
        if self.instance.agency_id and not can_appraise(self.for_user, self.instance.agency):
            field.disabled = True

    def _certifying(self) -> bool | None:
        """True: (re)certify now; False: clear; None: this user has no say (kept unless the
        outcome changes)."""
        field = self.fields.get("certify")
        if field is None or field.disabled:
            return None
        return bool(self.cleaned_data.get("certify"))

    def _outcome_changed(self) -> bool:
        """Any change but the note and the tick itself: a certification vouches for the whole
        row (the document, its text and the outcome), so a change asks for it again."""
        return bool(set(self.changed_data) - {"note", "certify"})

    def clean(self):
        cleaned = super().clean()
        if self._certifying():
            self._ask_service("certify")
        return cleaned

    def _apply_appraisal(self, task):
        certifying, changed = self._certifying(), self._outcome_changed()
        if certifying and (changed or not task.is_certified):
            task.certified_by, task.certified_at = self.for_user, timezone.now()
        elif certifying is False or changed:
            task.certified_by, task.certified_at = None, None

    def save(self, commit=True):
        task = super().save(commit=False)
        self._apply_appraisal(task)
        if commit:
            task.save()
            self.save_m2m()
        return task


class OrganisationGeneralMarkForm(ScopedAgencyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("appraised_mark")
        if field is None or self.for_user is None:
            return
        agency = self.instance.agency if self.instance.agency_id else None
        allowed = (
            can_appraise(self.for_user, agency)
            if agency is not None
            else may_appraise_somewhere(self.for_user)
        )
        if not allowed:
            field.disabled = True

    def clean(self):
        cleaned = super().clean()
        self._ask_service("appraised_mark")
        return cleaned

    def _apply_appraisal(self, mark):
        if "appraised_mark" in self.changed_data:
            appraised = mark.appraised_mark is not None
            mark.appraised_by = self.for_user if appraised else None
            mark.appraised_at = timezone.now() if appraised else None

    def save(self, commit=True):
        mark = super().save(commit=False)
        self._apply_appraisal(mark)
        if commit:
            mark.save()
            self.save_m2m()
        return mark
