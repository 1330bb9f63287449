"""The structured editor of criteria frameworks (``scoring.services.framework_editor``): labelled
Vietnamese fields, the engine's messages next to the field, a what-if score of a sample person,
and a new published version; an agency edits its proposal with the same page. The JSON stays
for IT: ``FrameworkJSONView`` exports it, the snippet's own edit form imports it.

Access on the URL itself (``dispatch``): the province's frameworks — Sở Nội vụ only (the
model's change permission, ``framework_editor.may_edit``); a proposal — whoever may view it
(``org.access``), and only those who may change it save (``proposals.update_rules``).
"""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from cms.admin_views import TitledAdminMixin
from org import access
from org.models import CivilServant
from scoring.engine import parse_framework
from scoring.models import CriteriaFramework, FrameworkProposal, Period, PeriodScore
from scoring.services import framework_editor as editor
from scoring.services import proposals, split_check
from scoring.services.frameworks import live_framework
from scoring.services.period_batch import SCORABLE_KINDS

PREVIEW, SAVE, PUBLISH = "preview", "save", "publish"


class _EditorBase(TitledAdminMixin, TemplateView):
    template_name = "scoring/framework_editor.html"
    header_icon = "doc-full"

    # --- what differs between a province framework and a proposal ---------------------------

    def stored_rules(self):
        raise NotImplementedError

    def rules_in_force(self) -> dict | None:
        raise NotImplementedError

    def period_type(self) -> str:
        raise NotImplementedError

    def extra_problems(self, rules: dict) -> list[str]:
        return []

    def actions(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def write(self, action: str, rules: dict):
        raise NotImplementedError

    def framework_for_preview(self) -> CriteriaFramework:
        raise NotImplementedError

    # --- the page -------------------------------------------------------------------------------

    def people(self):
        return (
            access.visible(self.request.user, CivilServant)
            .order_by("full_name", "official_id")
            .only("pk", "full_name", "official_id")
        )

    def periods(self):
        return Period.objects.filter(kind__in=SCORABLE_KINDS).order_by("-start_date")[:36]

    def default_period_pk(self) -> str:
        """The trial starts on the latest period already begun that has stored results, not
        on the newest (a future, empty) month (review 2026-11-25, ux M1)."""
        from django.db.models import Exists, OuterRef
        from django.utils import timezone

        today = timezone.localdate()
        begun = Period.objects.filter(kind__in=SCORABLE_KINDS, start_date__lte=today)
        scored = begun.filter(Exists(PeriodScore.objects.filter(period=OuterRef("pk")))).order_by(
            "-start_date"
        )
        chosen = scored.first() or begun.order_by("-start_date").first()
        return str(chosen.pk) if chosen else ""

    def get_context_data(self, sections=None, working=None, summary=None, **kwargs):
        context = super().get_context_data(**kwargs)
        load_error = ""
        if working is None:
            working, load_error = editor.normalised(self.stored_rules())
        if sections is None and working is not None:
            sections = editor.editor_sections(working)
        post = self.request.POST if self.request.method == "POST" else {}
        context.update(
            sections=sections or [],
            working=json.dumps(working, ensure_ascii=False, cls=DjangoJSONEncoder)
            if working is not None
            else "",
            load_error=load_error,
            summary=summary or [],
            actions=self.actions(),
            people=self.people(),
            periods=self.periods(),
            chosen_person=str(post.get("person", "")),
            chosen_period=str(post.get("period", "") or self.default_period_pk()),
            confidence_choices=editor.CONFIDENCE_CHOICES,
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        if action not in dict(self.actions()):
            raise PermissionDenied
        try:
            base = json.loads(request.POST.get("working") or "")
        except ValueError:
            base = None
        if not isinstance(base, dict):
            base, _error = editor.normalised(self.stored_rules())
            if base is None:
                messages.error(request, _("Khung có lỗi cấu trúc: hãy để bộ phận CNTT sửa JSON."))
                return redirect(request.path)
        rules, posted = editor.rules_from_post(base, request.POST)
        if editor.typing_errors(posted):
            summary = [
                {"where": f"{row.title} — {f.label}", "message": message, "anchor": f.name}
                for _b, row, f in editor.all_fields(posted)
                for message in f.errors
            ]
            return self.render_to_response(
                self.get_context_data(sections=posted, working=base, summary=summary), status=400
            )
        problems = editor.check(rules, self.period_type())
        if not problems:
            problems = self.extra_problems(rules)
        sections = editor.editor_sections(rules)
        if problems:
            summary = editor.locate_problems(sections, problems)
            return self.render_to_response(
                self.get_context_data(sections=sections, working=rules, summary=summary),
                status=400,
            )
        if action == PREVIEW:
            return self.render_to_response(
                self.get_context_data(sections=sections, working=rules, preview=self.preview(rules))
            )
        return self.write(action, rules, sections)

    def preview(self, rules: dict) -> dict:
        person = self.people().filter(pk=_int(self.request.POST.get("person"))).first()
        period = self.periods().model.objects.filter(pk=_int(self.request.POST.get("period")))
        period = period.first()
        if person is None or period is None:
            return {"error": _("Hãy chọn người và kỳ đánh giá để tính thử.")}
        return editor.preview(
            person, period, self.framework_for_preview(), rules, self.rules_in_force()
        )

    def refused(self, rules, sections, problems):
        summary = editor.locate_problems(sections, problems)
        return self.render_to_response(
            self.get_context_data(sections=sections, working=rules, summary=summary), status=400
        )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class FrameworkEditorView(_EditorBase):
    page_title = gettext_lazy("Soạn khung tiêu chí")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.framework = get_object_or_404(CriteriaFramework, pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not editor.may_edit(request.user, self.framework):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.framework.name

    def stored_rules(self):
        return editor.editing_rules(self.framework)

    def rules_in_force(self):
        resolved = live_framework(self.framework)
        return resolved.rules.to_dict() if resolved else None

    def period_type(self):
        return self.framework.period_type

    def framework_for_preview(self):
        return self.framework

    def actions(self):
        actions = [(PREVIEW, _("Tính thử")), (SAVE, _("Lưu bản nháp"))]
        if editor.may_publish(self.request.user, self.framework):
            actions.append((PUBLISH, _("Ban hành phiên bản mới")))
        return actions

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        framework = self.framework
        draft = (
            framework.latest_revision_id
            and framework.latest_revision_id != framework.live_revision_id
        )
        context.update(
            framework=framework,
            seen_revision=self.request.POST.get("seen_revision", framework.latest_revision_id)
            if self.request.method == "POST"
            else framework.latest_revision_id or "",
            has_draft=draft,
            history=editor.published_history(framework),
            json_url=reverse("scoring_framework_json", args=[framework.pk]),
            it_url=reverse("wagtailsnippets_scoring_criteriaframework:edit", args=[framework.pk]),
            inspect_url=reverse(
                "wagtailsnippets_scoring_criteriaframework:inspect", args=[framework.pk]
            ),
            is_proposal=False,
        )
        # Decree 335's 30/70 split, when the framework reaches a state body (coverage L8).
        working = kwargs.get("working")
        if working is None:
            working, _error = editor.normalised(self.stored_rules())
        context["split_warning"] = split_check.editor_warning(framework, working)
        context["confirm_split"] = bool(self.request.POST.get("confirm_split"))
        return context

    def write(self, action, rules, sections):
        publish = action == PUBLISH
        warning = split_check.editor_warning(self.framework, rules)
        if warning and not self.request.POST.get("confirm_split"):
            return self.refused(rules, sections, [warning])
        if publish and not self.request.POST.get("confirm"):
            return self.refused(
                rules,
                sections,
                [
                    _(
                        "Xác nhận ban hành: hãy đánh dấu ô “Tôi đã tính thử và xác nhận ban hành "
                        "phiên bản mới” rồi bấm lại."
                    )
                ],
            )
        try:
            editor.save_framework(
                self.framework,
                rules,
                self.request.user,
                self.request.POST.get("seen_revision"),
                publish=publish,
            )
        except editor.EditorError as error:
            return self.refused(rules, sections, error.problems)
        if publish:
            messages.success(
                self.request,
                _(
                    "Đã ban hành phiên bản mới của “%(name)s”. Kết quả đã lưu của các kỳ đã khóa "
                    "sổ giữ nguyên phiên bản cũ."
                )
                % {"name": self.framework.name},
            )
        else:
            messages.success(
                self.request,
                _("Đã lưu bản nháp; khung đang áp dụng chưa thay đổi cho đến khi ban hành."),
            )
        return redirect("scoring_framework_editor", pk=self.framework.pk)


class ProposalEditorView(_EditorBase):
    page_title = gettext_lazy("Soạn khung tiêu chí đề xuất")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.proposal = get_object_or_404(
            FrameworkProposal.objects.select_related("agency", "base", "framework"),
            pk=kwargs["pk"],
        )

    def dispatch(self, request, *args, **kwargs):
        if not access.may(request.user, access.VIEW, self.proposal):
            raise PermissionDenied
        if self.proposal.is_organisation:
            # Organisation criteria set only the key tasks and their weights.
            return redirect("scoring_proposal_key_tasks", pk=self.proposal.pk)
        if request.method == "POST" and not proposals.may_edit(request.user, self.proposal):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.proposal)

    def stored_rules(self):
        return self.proposal.rules

    def rules_in_force(self):
        resolved = live_framework(self.proposal.base)
        return resolved.rules.to_dict() if resolved else None

    def period_type(self):
        return self.proposal.base.period_type

    def extra_problems(self, rules):
        variant = parse_framework(rules).to_dict()
        return proposals.policy_problems(
            proposals.base_rules(self.proposal), variant, proposals.policy_for(self.proposal.base)
        )

    def framework_for_preview(self):
        return self.proposal.base

    def people(self):
        return (
            super()
            .people()
            .filter(postings__agency__path__startswith=self.proposal.agency.path)
            .distinct()
        )

    def actions(self):
        if not proposals.may_edit(self.request.user, self.proposal):
            return []
        return [(PREVIEW, _("Tính thử")), (SAVE, _("Lưu khung đề xuất"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            proposal=self.proposal,
            is_proposal=True,
            steps_url=reverse("scoring_proposal_steps", args=[self.proposal.pk]),
            it_url=(
                reverse("wagtailsnippets_scoring_frameworkproposal:edit", args=[self.proposal.pk])
                if proposals.may_edit(self.request.user, self.proposal)
                else ""
            ),
        )
        return context

    def write(self, action, rules, sections):
        try:
            proposals.update_rules(self.proposal, rules, self.request.user)
        except proposals.ProposalError as error:
            return self.refused(rules, sections, error.problems)
        messages.success(
            self.request,
            _(
                "Đã lưu khung đề xuất. Khi hoàn thiện, gửi Sở Nội vụ thẩm định ở trang khung "
                "đề xuất."
            ),
        )
        return redirect("scoring_proposal_editor", pk=self.proposal.pk)


class FrameworkJSONView(View):
    """The rules the editor shows (the latest revision), as a JSON file for IT."""

    def dispatch(self, request, *args, **kwargs):
        self.framework = get_object_or_404(CriteriaFramework, pk=kwargs["pk"])
        if not editor.may_edit(request.user, self.framework):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        rules = editor.editing_rules(self.framework)
        body = json.dumps(rules, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="khung-{self.framework.code}.json"'
        return response
