"""The page of one framework proposal: its rules checked against the province's allowed
changes, its steps so far, and the steps the user may take (``scoring.services.proposals``).

Access through ``org.access`` on the URL itself: the proposing agency's admins and Sở Nội vụ
see it; anyone else gets 403. Each step is checked again by the service.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from cms.admin_views import TitledAdminMixin
from org import access, blocs
from scoring.models import FrameworkProposal
from scoring.services import proposals
from scoring.views.forms import KeyTaskFormSet, ProposalStepForm

STEP_LABELS = {
    proposals.SUBMIT: _("Gửi Sở Nội vụ thẩm định"),
    proposals.RETURN: _("Trả lại để chỉnh sửa"),
    proposals.RECOMMEND: _("Thẩm định đạt, đề nghị phê duyệt"),
    proposals.APPROVE: _("Phê duyệt"),
    proposals.REJECT: _("Không phê duyệt"),
}


def step_label(step: str, proposal) -> str:
    """The button of ``step``; sending names the body that appraises the agency's bloc."""
    if step == proposals.SUBMIT:
        return _("Gửi %(lead)s thẩm định") % {"lead": blocs.lead_name(proposal.agency)}
    return str(STEP_LABELS[step])


class ProposalStepsView(TitledAdminMixin, TemplateView):
    template_name = "scoring/proposal_steps.html"
    page_title = _("Khung tiêu chí đề xuất")
    header_icon = "doc-full"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.proposal = get_object_or_404(
            FrameworkProposal.objects.select_related("agency", "base", "framework"),
            pk=kwargs["pk"],
        )

    def dispatch(self, request, *args, **kwargs):
        if not access.may(request.user, access.VIEW, self.proposal):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.proposal)

    def get_context_data(self, form=None, problems=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        steps = proposals.steps_for(user, self.proposal)
        context.update(
            proposal=self.proposal,
            transitions=self.proposal.transitions.select_related("by"),
            problems=proposals.proposal_problems(self.proposal) if problems is None else problems,
            policy=proposals.policy_for(self.proposal.base),
            steps=[(step, step_label(step, self.proposal)) for step in steps],
            appraiser=blocs.lead_name(self.proposal.agency),
            form=form or ProposalStepForm(),
            needs_decision=proposals.APPROVE in steps,
            may_edit=proposals.may_edit(user, self.proposal),
            edit_url=reverse(
                "scoring_proposal_key_tasks"
                if self.proposal.is_organisation
                else "scoring_proposal_editor",
                args=[self.proposal.pk],
            ),
            key_tasks=proposals.key_tasks_of(self.proposal),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ProposalStepForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        step = form.cleaned_data["step"]
        if step not in proposals.STEPS:
            raise PermissionDenied
        decision = None
        if step == proposals.APPROVE:
            decision = proposals.Decision(
                number=form.cleaned_data["decision_number"],
                date=form.cleaned_data["decision_date"],
                effective_from=form.cleaned_data["effective_from"],
            )
        try:
            proposals.apply(
                self.proposal, step, request.user, form.cleaned_data["comment"], decision
            )
        except proposals.ProposalError as error:
            for problem in error.problems:
                form.add_error(None, problem)
            return self.render_to_response(
                self.get_context_data(form=form, problems=error.problems), status=400
            )
        messages.success(
            request, _("Đã ghi nhận: %(step)s.") % {"step": step_label(step, self.proposal)}
        )
        return redirect("scoring_proposal_steps", pk=self.proposal.pk)


class ProposalKeyTasksView(TitledAdminMixin, TemplateView):
    """An agency's organisation criteria: its key tasks (nhiệm vụ trọng tâm) and the weight of
    each in its organisation score (GL §V.1.b–c; docs/organisation-scoring.md §1a). Read by
    whoever may view the proposal; saved (``proposals.update_key_tasks``) only while it may
    be changed."""

    template_name = "scoring/proposal_key_tasks.html"
    page_title = _("Tiêu chí đánh giá tổ chức: nhiệm vụ trọng tâm")
    header_icon = "doc-full"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.proposal = get_object_or_404(
            FrameworkProposal.objects.select_related("agency", "base", "framework"),
            pk=kwargs["pk"],
        )

    def dispatch(self, request, *args, **kwargs):
        if not access.may(request.user, access.VIEW, self.proposal):
            raise PermissionDenied
        if not self.proposal.is_organisation:
            return redirect("scoring_proposal_editor", pk=self.proposal.pk)
        if request.method == "POST" and not proposals.may_edit(request.user, self.proposal):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.proposal)

    def get_context_data(self, formset=None, problems=(), **kwargs):
        context = super().get_context_data(**kwargs)
        rows = proposals.key_tasks_of(self.proposal)
        may_edit = proposals.may_edit(self.request.user, self.proposal)
        if formset is None and may_edit:
            formset = KeyTaskFormSet(
                initial=[
                    {
                        "code": row.get("code", ""),
                        "label": row.get("label", ""),
                        "weight": row.get("weight"),
                        "from_plans": bool(row.get("plan_fulfilment")),
                    }
                    for row in rows
                ]
            )
        context.update(
            proposal=self.proposal,
            rows=rows,
            formset=formset,
            problems=problems,
            may_edit=may_edit,
            steps_url=reverse("scoring_proposal_steps", args=[self.proposal.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        formset = KeyTaskFormSet(request.POST)
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(formset=formset), status=400)
        rows = [
            {
                "code": f["code"].strip(),
                "label": f["label"].strip(),
                "weight": f["weight"],
                "plan_fulfilment": "ratio" if f.get("from_plans") else "",
            }
            for f in formset.cleaned_data
            if f and not f.get("blank")
        ]
        try:
            proposals.update_key_tasks(self.proposal, rows, request.user)
        except proposals.ProposalError as error:
            return self.render_to_response(
                self.get_context_data(formset=formset, problems=error.problems), status=400
            )
        messages.success(
            request,
            _(
                "Đã lưu %(count)d nhiệm vụ trọng tâm. Khi hoàn thiện, gửi thẩm định ở trang khung "
                "đề xuất."
            )
            % {"count": len(rows)},
        )
        return redirect("scoring_proposal_key_tasks", pk=self.proposal.pk)
