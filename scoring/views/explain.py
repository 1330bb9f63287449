"""The explain page of a stored period score, in the Wagtail admin.

Access goes through ``org.access`` on the URL itself: a person sees their own scores, agency
users the scores of their agencies' subtrees, Sở Nội vụ everything; anyone else gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from audit import record_read
from audit.models import ReadKind
from org import access
from org.categories import category_label
from scoring.models import PeriodScore
from scoring.services.explain_data import explain_context

#: Apps above scoring add notes about a stored score (e.g. "recomputed because complaint n was
#: upheld", ``ratings``): each hook takes the score and returns ``[{"text", "url"}]``.
SCORE_NOTES_HOOK = "scoring_period_score_notes"


class ExplainView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "scoring/explain.html"
    page_title = _("Diễn giải kết quả chấm điểm")
    header_icon = "list-ol"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.score = get_object_or_404(
            PeriodScore.objects.select_related(
                "civil_servant", "period", "agency", "framework", "posting__job_position"
            ),
            pk=kwargs["pk"],
        )

    def dispatch(self, request, *args, **kwargs):
        if not access.reads(request.user, self.score):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.score.civil_servant.full_name} · {self.score.period.label}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailsnippets_scoring_periodscore:list"),
                "label": PeriodScore._meta.verbose_name_plural,
            },
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            explain_context(
                self.score,
                charge_page=self.request.GET.get("ds"),
                lines_page=self.request.GET.get("sp"),
            )
        )
        hooked = hooks.get_hooks(SCORE_NOTES_HOOK)
        context["score_notes"] = [note for add in hooked for note in add(self.score)]
        # Viên chức and contract workers are not "Công chức" (review 2026-11-25, ux M7).
        posting = self.score.posting
        context["person_label"] = category_label(posting.category if posting else "")
        record_read(self.request, ReadKind.EXPLAIN, objects=[self.score])
        return context
