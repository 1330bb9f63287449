"""The steps of a job description version, each a confirmation page (GET) and its action
(POST): submit for appraisal, appraise, return to draft (with the reason), approve (with the
decision), start a new version.

Who may take a step is the flow's (``org.job_descriptions.may_take``: the drafting agency's
writer, the lead body of its bloc as appraiser and approver); starting a new version is the
``add`` permission on a draft of the same body (``org.access.may``, the agency's write guard).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from cms.admin_views import TitledAdminMixin
from cms.formats.dates import AdminDateInput, DateField
from org import job_descriptions
from org.access import (
    ADD,
    CHANGE,
    VIEW,
    granted_agencies,
    has_model_permission,
    is_home_affairs,
    may,
)
from org.models import JobDescription
from org.models.job_description import DescriptionStatus

APPROVE = "approve"


class DecisionForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định phê duyệt"), max_length=64)
    decision_date = DateField(
        label=_("Ngày ký quyết định"), widget=AdminDateInput, not_after_today=True
    )
    signer = forms.CharField(
        label=_("Người ký"),
        max_length=255,
        help_text=_("Họ tên, chức vụ người ký quyết định."),
    )
    effective_from = DateField(label=_("Áp dụng từ ngày"), widget=AdminDateInput)

    def decision(self) -> job_descriptions.Decision:
        data = self.cleaned_data
        return job_descriptions.Decision(
            number=data["decision_number"],
            date=data["decision_date"],
            signer=data["signer"],
            effective_from=data["effective_from"],
        )


class ConfirmForm(forms.Form):
    pass


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến thẩm định"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Không bắt buộc khi thẩm định đạt."),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Lý do trả lại"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nói rõ cần sửa gì để cơ quan soạn lại."),
        error_messages={"required": _("Nhập lý do trả lại để cơ quan biết cần sửa gì.")},
    )


#: action → (model permission the page needs, statuses it starts from, title, button, done
#: message, form)
STEPS = {
    "submit": (
        CHANGE,
        (DescriptionStatus.DRAFT,),
        _("Trình thẩm định bản mô tả công việc"),
        _("Trình thẩm định"),
        _("Đã trình thẩm định."),
        ConfirmForm,
    ),
    "appraise": (
        "appraise",
        (DescriptionStatus.SUBMITTED,),
        _("Thẩm định bản mô tả công việc"),
        _("Thẩm định đạt"),
        _("Đã thẩm định. Bản mô tả chờ phê duyệt."),
        CommentForm,
    ),
    "return": (
        VIEW,
        (DescriptionStatus.SUBMITTED, DescriptionStatus.APPRAISED),
        _("Trả lại bản mô tả công việc để sửa"),
        _("Trả lại"),
        _("Đã trả lại để sửa."),
        ReturnForm,
    ),
    "approve": (
        APPROVE,
        (DescriptionStatus.APPRAISED,),
        _("Phê duyệt bản mô tả công việc"),
        _("Phê duyệt"),
        _("Đã phê duyệt. Phiên bản này không còn sửa được."),
        DecisionForm,
    ),
    "new_version": (
        ADD,
        (DescriptionStatus.APPROVED, DescriptionStatus.SUPERSEDED),
        _("Tạo phiên bản mới của bản mô tả công việc"),
        _("Tạo phiên bản mới"),
        _("Đã tạo phiên bản mới (bản sao), đang soạn."),
        ConfirmForm,
    ),
    # An agency starts its own description of a position from the province's common one.
    "adapt": (
        ADD,
        (DescriptionStatus.APPROVED, DescriptionStatus.SUPERSEDED),
        _("Xây dựng bản mô tả riêng của cơ quan"),
        _("Xây dựng bản riêng của cơ quan"),
        _("Đã tạo bản mô tả riêng của cơ quan (sao từ bản dùng chung), đang soạn."),
        ConfirmForm,
    ),
}

#: Steps that create a draft rather than move the version (no role on the version itself).
CREATING = ("new_version", "adapt")


def drafting_agency(user, version: JobDescription):
    """The agency for which ``user`` would write their own version of ``version``'s position:
    the first agency granted to them where such a draft is theirs to add (None: none)."""
    for agency in granted_agencies(user).order_by("path"):
        if may(user, ADD, JobDescription(job_position=version.job_position, agency=agency)):
            return agency
    return None


def allowed(user, action: str, version: JobDescription) -> bool:
    """Whether ``user`` may take ``action`` on ``version`` now (status and role)."""
    if version.status not in STEPS[action][1]:
        return False
    if action == "new_version":
        draft = JobDescription(job_position=version.job_position, agency=version.agency)
        return (
            may(user, ADD, draft)
            and job_descriptions.open_version(version.job_position, version.agency) is None
        )
    if action == "adapt":
        if version.agency_id is not None or is_home_affairs(user):
            return False
        agency = drafting_agency(user, version)
        return (
            agency is not None
            and not JobDescription.objects.filter(
                job_position=version.job_position, agency=agency
            ).exists()
        )
    return job_descriptions.may_take(user, action, version)


def available_actions(user, version: JobDescription) -> list[tuple[str, str]]:
    """(action, button label) of every step ``user`` may take on ``version``."""
    return [(action, STEPS[action][3]) for action in STEPS if allowed(user, action, version)]


class JobDescriptionActionView(TitledAdminMixin, FormView):
    template_name = "org/job_description_action.html"
    header_icon = "doc-full"
    #: Set by the viewset: the URL names of its edit and inspect views.
    url_namespace = ""

    def dispatch(self, request, *args, **kwargs):
        self.action = kwargs["action"]
        if self.action not in STEPS:
            raise Http404
        self.version = get_object_or_404(
            JobDescription.objects.select_related("job_position", "agency"), pk=kwargs["pk"]
        )
        # Reading the version, then holding the step's permission and its role on this version;
        # whether its status allows the step now is said on the page (``allowed``) and checked
        # again on POST.
        if not may(request.user, VIEW, self.version):
            raise PermissionDenied
        permission = STEPS[self.action][0]
        if permission != VIEW and not has_model_permission(
            request.user, JobDescription, permission
        ):
            raise PermissionDenied
        if self.action not in CREATING and not job_descriptions.holds_role(
            request.user, self.action, self.version
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return STEPS[self.action][2]

    def get_page_subtitle(self):
        return str(self.version)

    def get_form_class(self):
        return STEPS[self.action][5]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            version=self.version,
            action=self.action,
            button=STEPS[self.action][3],
            possible=allowed(self.request.user, self.action, self.version),
            problems=(
                job_descriptions.content_problems(self.version)
                if self.action in ("submit", "appraise", "approve")
                else []
            ),
            inspect_url=self._url("inspect", self.version.pk),
        )
        return context

    def _url(self, view: str, pk) -> str:
        return reverse(f"{self.url_namespace}:{view}", args=[pk])

    def form_valid(self, form):
        if not allowed(self.request.user, self.action, self.version):
            messages.error(
                self.request,
                _("Không thực hiện được: trạng thái của phiên bản không cho phép bước này."),
            )
            return redirect(self._url("inspect", self.version.pk))
        try:
            result = self._run(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                for message in error.messages:
                    form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, STEPS[self.action][4])
        view = "edit" if self.action in CREATING else "inspect"
        return redirect(self._url(view, result.pk))

    def _run(self, form) -> JobDescription:
        user = self.request.user
        if self.action == "submit":
            return job_descriptions.submit(self.version, user)
        if self.action == "appraise":
            return job_descriptions.appraise(self.version, user, form.cleaned_data["comment"])
        if self.action == "return":
            return job_descriptions.return_to_draft(
                self.version, user, form.cleaned_data["comment"]
            )
        if self.action == "approve":
            return job_descriptions.approve(self.version, form.decision(), user)
        if self.action == "adapt":
            return job_descriptions.new_version(
                self.version.job_position,
                user,
                drafting_agency(user, self.version),
                source=self.version,
            )
        return job_descriptions.new_version(self.version.job_position, user, self.version.agency)
