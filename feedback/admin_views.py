"""Issuing a satisfaction code (the staff's door): the clerk who returns a result types the
official ID of the civil servant who handled it, the service and the day; the page shows the
code to print on the result slip (or send with it) and its link. Who may issue: whoever may
change that person's record through a grant (``feedback.services.issue_code``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from cms.admin_views import TitledAdminMixin
from cms.formats.dates import DateField
from feedback import services
from org import access
from org.models import Agency, CivilServant
from scoring.services.postings import governing_row


class IssueForm(forms.Form):
    official_id = forms.CharField(
        label=gettext_lazy("Mã số công chức giải quyết"),
        max_length=32,
        help_text=gettext_lazy("Mã số của người đã giải quyết hồ sơ, như trong hồ sơ cán bộ."),
    )
    subject = forms.CharField(label=gettext_lazy("Sản phẩm, dịch vụ"), max_length=300)
    completed_on = DateField(
        label=gettext_lazy("Ngày trả kết quả"),
        widget=forms.DateInput(format="%d/%m/%Y"),
        not_after_today=True,
        help_text=gettext_lazy("Dạng dd/mm/yyyy, ví dụ 20/03/2026."),
    )


class IssueCodeView(TitledAdminMixin, FormView):
    template_name = "feedback/issue.html"
    form_class = IssueForm
    page_title = gettext_lazy("Cấp mã phản hồi hài lòng")
    header_icon = "tag"

    def get_initial(self):
        return {"completed_on": timezone.localdate()}

    def form_valid(self, form):
        data = form.cleaned_data
        person = (
            access.editable(self.request.user, CivilServant)
            .filter(official_id__iexact=data["official_id"].strip())
            .first()
        )
        if person is None:
            form.add_error(
                "official_id",
                _(
                    "Không có công chức mã số “%(id)s” trong các đơn vị bạn quản lý. Hãy kiểm tra "
                    "lại mã số trong hồ sơ cán bộ."
                )
                % {"id": data["official_id"].strip()},
            )
            return self.form_invalid(form)
        posting = governing_row(person.pk, data["completed_on"], data["completed_on"])
        if posting is None:
            form.add_error(
                "completed_on",
                _("Ngày %(day)s người này không công tác ở đơn vị nào: hãy kiểm tra ngày trả.")
                % {"day": data["completed_on"].strftime("%d/%m/%Y")},
            )
            return self.form_invalid(form)
        try:
            code = services.issue_code(
                person=person,
                agency=Agency.objects.get(pk=posting.agency_id),
                subject=data["subject"],
                completed_on=data["completed_on"],
                user=self.request.user,
            )
        except services.FeedbackError as error:
            for field, message in error.errors.items():
                form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        link = self.request.build_absolute_uri(f"/phan-hoi/{code.code}/")
        return self.render_to_response(
            self.get_context_data(
                form=IssueForm(initial={"completed_on": data["completed_on"]}),
                issued=code,
                printed=services.printed(code.code),
                link=link,
                person=person,
            )
        )
