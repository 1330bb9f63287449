"""The catalog page form: the catalog rules run over every inline item before saving."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from catalog_pages.validation import ItemRow, validate_catalog
from org.access import is_home_affairs


class CatalogPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The agency a catalog belongs to is fixed when Sở Nội vụ creates the page.
        if self.instance.pk and not (self.for_user and is_home_affairs(self.for_user)):
            self.fields["agency"].disabled = True

    def is_valid(self):
        # The items formset is validated inside ClusterForm.is_valid(), after clean().
        if not super().is_valid():
            return False
        self._check_catalog()
        return not self.errors

    def clean(self):
        cleaned = super().clean()
        self._check_amendment_date(cleaned.get("effective_from"))
        return cleaned

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
        for issue in validate_catalog(rows):
            if issue.row is None:
                self.add_error(None, issue.message)
            else:
                forms[issue.row].add_error(issue.field, issue.message)
                self.add_error(
                    None, f"{forms[issue.row].cleaned_data.get('code', '')}: {issue.message}"
                )
