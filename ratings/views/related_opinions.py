"""Opinions of related bodies on an annual case: the appraiser's page on a case (the list and
the request form), the list of requests a body has received, and the answer form. The logic is
``ratings.services.related_opinions``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from cms.admin_views import TitledAdminMixin
from cms.formats.dates import AdminDateInput, DateField
from org import access
from org.models import Agency
from ratings.models import RatingCase, RelatedOpinion
from ratings.policy import CASE_READERS
from ratings.services import related_opinions as service


class RequestForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Cơ quan, tổ chức có liên quan"),
        queryset=Agency.objects.filter(is_active=True).order_by("path"),
    )
    question = forms.CharField(
        label=_("Nội dung xin ý kiến"), widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = DateField(label=_("Hạn trả lời"), widget=AdminDateInput)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Ý kiến của cơ quan"), widget=forms.Textarea(attrs={"rows": 4})
    )


def _apply(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class CaseOpinionsView(TitledAdminMixin, FormView):
    template_name = "ratings/related_opinions.html"
    form_class = RequestForm
    page_title = _("Ý kiến của cơ quan, tổ chức có liên quan")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.case = get_object_or_404(RatingCase, pk=kwargs["pk"])
        if not access.reads(request.user, self.case, extra=CASE_READERS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.case)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        opinions = self.case.related_opinions.select_related("body", "answered_by")
        context.update(
            case=self.case,
            opinions=[(o, o.state_on(today), o.state_label_on(today)) for o in opinions],
            may_request=service.may_request(self.request.user, self.case),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            opinion = service.request(
                self.request.user, self.case, data["body"], data["deadline"], data["question"]
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        except ValidationError as error:
            _apply(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Đã đề nghị %(body)s cho ý kiến, hạn %(day)s.")
            % {"body": opinion.body.name, "day": opinion.deadline.strftime("%d/%m/%Y")},
        )
        return redirect("ratings_case_opinions", pk=self.case.pk)


class AskedOpinionsView(TitledAdminMixin, TemplateView):
    """The requests a body (the user's) has received, answered or not."""

    template_name = "ratings/related_opinions_asked.html"
    page_title = _("Đề nghị cho ý kiến về xếp loại")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not service.may_be_asked(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["opinions"] = [
            (o, o.state_label_on(today), service.may_answer(self.request.user, o, today))
            for o in service.asked_of(self.request.user)
        ]
        return context


class AnswerView(TitledAdminMixin, FormView):
    template_name = "ratings/related_opinion_answer.html"
    form_class = AnswerForm
    page_title = _("Trả lời đề nghị cho ý kiến")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.opinion = get_object_or_404(
            RelatedOpinion.objects.select_related("body", "case"), pk=kwargs["pk"]
        )
        if not service.may_read(request.user, self.opinion):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.opinion.body.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        user = self.request.user
        context.update(
            opinion=self.opinion,
            possible=service.may_answer(user, self.opinion, today),
            state=self.opinion.state_label_on(today),
            # Who speaks for the body but asked the question, or is the rated side, is told why.
            own_side=(
                service.own_side(user, self.opinion)
                if self.opinion.answered_at is None and service.speaks_for(user, self.opinion.body)
                else None
            ),
        )
        return context

    def form_valid(self, form):
        try:
            service.answer(self.request.user, self.opinion, form.cleaned_data["answer"])
        except PermissionDenied as error:
            if not service.speaks_for(self.request.user, self.opinion.body):
                raise error
            form.add_error(None, str(error))
            return self.form_invalid(form)
        except ValidationError as error:
            _apply(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã gửi ý kiến của cơ quan."))
        return redirect("ratings_opinions_asked")
