"""Admin forms for the org structure: cross-row posting and charge checks. Which rows a user
may pick is decided by ``org.admin_scope`` for every form alike."""

from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminModelForm

from org import sign_in_guard
from org.access import is_home_affairs
from org.categories import official_id_error
from org.charges import charge_problems
from org.postings import PostingSpan, own_overlap_errors, second_head_errors


class AgencyForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and not is_home_affairs(self.for_user):
            # Only Sở Nội vụ creates a root; everyone else places units under their agency.
            self.fields["parent"].required = True


class CivilServantForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The field single sign-on matches people by is read-only once the person has a sign-in,
        # for everyone but Sở Nội vụ (accounts.sso through org.sign_in_guard; the write service
        # asks the same rule).
        guard = sign_in_guard.current()
        field = guard.match_field() if guard is not None else None
        if (
            guard is not None
            and field in self.fields
            and self.for_user is not None
            and not guard.may_change_matched_field(self.for_user, self.instance)
        ):
            self.fields[field].disabled = True
            self.fields[field].help_text = _(
                "Người này đã có tài khoản đăng nhập: %(field)s là căn cứ đăng nhập một lần nên "
                "chỉ Sở Nội vụ được sửa (việc sửa sẽ hủy liên kết đăng nhập một lần)."
            ) % {"field": guard.field_label(field)}

    def is_valid(self):
        # The postings formset is only validated inside ClusterForm.is_valid(), after clean(),
        # so the cross-row checks run here, once every row has its cleaned_data.
        if not super().is_valid():
            return False
        self._check_postings()
        return not self.errors

    def _check_postings(self):
        formset = self.formsets["postings"]
        spans = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if (
                not data
                or data.get("DELETE")
                or not data.get("agency")
                or not data.get("start_date")
            ):
                continue
            span = PostingSpan(
                agency_id=data["agency"].pk,
                role=data.get("role"),
                start_date=data["start_date"],
                end_date=data.get("end_date"),
                is_concurrent=bool(data.get("is_concurrent")),
            )
            spans.append(span)
            # A contract worker has no national number: the id rule follows the category.
            official_id = (self.cleaned_data.get("official_id") or "").strip()
            category = data.get("category")
            id_error = (
                official_id_error(official_id, category) if official_id and category else None
            )
            if id_error:
                form.add_error("category", id_error)
                self.add_error("official_id", id_error)
            for message in second_head_errors(span, self.instance.pk):
                form.add_error("role", message)
                self.add_error(None, message)
        for message in own_overlap_errors(spans):
            self.add_error(None, message)
        if not spans and not self.instance.pk:
            self.add_error(None, _("Hãy nhập ít nhất một quá trình công tác."))


class DeputyChargeForm(WagtailAdminModelForm):
    """Checks the charge (``org.charges``)."""

    def clean(self):
        data = super().clean()
        problems = charge_problems(
            data.get("deputy"),
            data.get("start_date"),
            data.get("end_date"),
            list(data.get("units") or []),
            list(data.get("people") or []),
        )
        for field, messages in problems.items():
            for message in messages:
                self.add_error(field, message)
        return data


def _live_rows(formset):
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data and not data.get("DELETE"):
            yield form, data


class CompetencyForm(WagtailAdminModelForm):
    """Each level described at most once, and within the competency's number of levels."""

    def is_valid(self):
        if not super().is_valid():
            return False
        top = self.cleaned_data.get("level_count")
        seen = set()
        for form, data in _live_rows(self.formsets["levels"]):
            level = data.get("level")
            if level is None:
                continue
            if top and level > top:
                form.add_error(
                    "level",
                    _("Cấp độ phải từ 1 đến %(top)s (số cấp độ của năng lực).") % {"top": top},
                )
            elif level in seen:
                form.add_error("level", _("Cấp độ %(level)s đã được mô tả.") % {"level": level})
            seen.add(level)
        return not self.errors and not any(f.errors for f in self.formsets["levels"].forms)


class JobDescriptionForm(WagtailAdminModelForm):
    """Each competency required once (its level is checked by the row itself); a version
    stays with the job position and the body it was started for. An agency always names
    itself (its choices are its own subtree, ``org.admin_scope``); only Sở Nội vụ leaves the
    body empty, for the province's common description."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("job_position", "agency"):
            if self.instance.pk and name in self.fields:
                self.fields[name].disabled = True
        field = self.fields.get("agency")
        agency_writes = self.for_user is not None and not is_home_affairs(self.for_user)
        if field is not None and not self.instance.pk and agency_writes:
            field.required = True
            field.error_messages["required"] = _(
                "Chọn cơ quan, đơn vị của bạn: bản mô tả được xây dựng cho vị trí việc làm của "
                "cơ quan đó."
            )

    def is_valid(self):
        if not super().is_valid():
            return False
        seen = set()
        for form, data in _live_rows(self.formsets["competencies"]):
            competency = data.get("competency")
            if competency is None:
                continue
            if competency.pk in seen:
                form.add_error(
                    "competency",
                    _("Năng lực %(code)s đã có trong bản mô tả.") % {"code": competency.code},
                )
            seen.add(competency.pk)
        return not self.errors and not any(f.errors for f in self.formsets["competencies"].forms)
