"""The catalog page form: the catalog rules run over every inline item before saving."""

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
