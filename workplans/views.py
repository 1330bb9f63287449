"""The steps of a work plan (submit, approve, return) and drawing its assignments, each a
confirmation page (GET) and its action (POST); the logic is ``workplans.services.flow``."""

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
from org.access import VIEW, may
from workplans.forms import CommentForm
from workplans.models import WorkPlan
from workplans.services import flow

#: action → (title, button, done message, form)
STEPS = {
    "submit": (_("Trình phê duyệt kế hoạch"), _("Trình phê duyệt"), _("Đã trình phê duyệt."), None),
    "approve": (_("Phê duyệt kế hoạch"), _("Phê duyệt"), _("Đã phê duyệt kế hoạch."), None),
    "return": (
        _("Trả lại kế hoạch để sửa"),
        _("Trả lại"),
        _("Đã trả lại kế hoạch để sửa."),
        CommentForm,
    ),
    "assign": (
        _("Giao việc theo kế hoạch"),
        _("Giao việc"),
        None,
        None,
    ),
}


def available(user, plan: WorkPlan) -> list[tuple[str, str]]:
    steps = [
        (a, str(STEPS[a][1]))
        for a in ("submit", "approve", "return")
        if flow.may_take(user, a, plan)
    ]
    if (
        plan.is_approved
        and may(user, VIEW, plan)
        and any(flow.assignable(i) for i in plan.items.all())
    ):
        steps.append(("assign", str(STEPS["assign"][1])))
    return steps


class WorkPlanActionView(TitledAdminMixin, FormView):
    template_name = "workplans/action.html"
    header_icon = "date"
    url_namespace = ""

    def dispatch(self, request, *args, **kwargs):
        self.action = kwargs["action"]
        if self.action not in STEPS:
            raise Http404
        self.plan = get_object_or_404(WorkPlan.objects.select_related("agency"), pk=kwargs["pk"])
        if not may(request.user, VIEW, self.plan):
            raise PermissionDenied
        if self.action != "assign" and not flow.holds_role(request.user, self.action, self.plan):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return STEPS[self.action][0]

    def get_page_subtitle(self):
        return str(self.plan)

    def get_form_class(self):
        return STEPS[self.action][3] or forms.Form

    def _inspect(self):
        return reverse(f"{self.url_namespace}:inspect", args=[self.plan.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        possible = (
            self.plan.is_approved
            if self.action == "assign"
            else flow.may_take(self.request.user, self.action, self.plan)
        )
        context.update(
            plan=self.plan,
            action=self.action,
            button=STEPS[self.action][1],
            possible=possible,
            inspect_url=self._inspect(),
            items=self.plan.items.select_related("owner", "product").order_by("sort_order"),
        )
        return context

    def form_valid(self, form):
        user = self.request.user
        try:
            if self.action == "assign":
                created, problems = flow.assign_plan(user, self.plan)
                for problem in problems:
                    messages.warning(self.request, problem)
                messages.success(
                    self.request,
                    _("Đã giao %(n)s dòng việc từ kế hoạch.") % {"n": created},
                )
            else:
                flow.take(
                    self.plan, self.action, user, (form.cleaned_data or {}).get("comment", "")
                )
                done = STEPS[self.action][2]  # every step but "assign" has its message
                messages.success(self.request, done or "")
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        return redirect(self._inspect())
