"""Inspect views: a criteria framework's rules, and an annual score's basis, rendered readably."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from wagtail.snippets.views.snippets import InspectView

from cms.listing import ShownInspectMixin
from org.models import PositionGroup
from scoring.explain import disqualifier_label, role_label
from scoring.framework_display import rules_context
from scoring.models import FrameworkProposal
from scoring.services.explain_data import annual_basis
from scoring.services.frameworks import known_disqualifiers
from scoring.services.freshness import annual_stale_since, label


class CriteriaFrameworkInspectView(ShownInspectMixin, InspectView):
    def get_rules_display_value(self):
        framework = self.object
        latest = framework.get_latest_revision_as_object()
        context = rules_context(latest.rules)
        context["live_revision_id"] = framework.live_revision_id
        context["latest_revision_id"] = framework.latest_revision_id
        context["framework"] = framework
        proposal = FrameworkProposal.objects.filter(framework=framework).order_by("-pk").first()
        context["proposal"] = proposal
        return mark_safe(  # noqa: S308 - a template render, autoescaped
            render_to_string("scoring/framework_inspect.html", context, request=self.request)
        )


class AnnualBasisMixin:
    """For the annual score's (scoped) inspect view: the explanation shown as what the score
    was computed from (Decree 335 Art. 21), in Vietnamese — every period of the year, the
    months it counted for, its weight, and the steps."""

    def get_role_display_value(self):
        return role_label(self.object.role)

    def get_position_group_display_value(self):
        code = self.object.position_group
        return str(PositionGroup(code).label) if code in PositionGroup.values else code or "—"

    def get_disqualifiers_applied_display_value(self):
        """The cases in the framework's words ("bị kỷ luật từ khiển trách trở lên trong năm"),
        never their codes."""
        codes = self.object.disqualifiers_applied or []
        labels = known_disqualifiers() if codes else {}
        return "; ".join(str(labels.get(c) or disqualifier_label(c)) for c in codes) or "—"

    def get_explanation_display_value(self):
        basis = annual_basis(self.object)
        since = annual_stale_since(self.object.civil_servant_id, self.object.year)
        if basis is None:
            return label(since) if since else "—"
        return mark_safe(  # noqa: S308 - a template render, autoescaped
            render_to_string(
                "scoring/includes/annual_basis.html",
                {"basis": basis, "stale": label(since) if since else ""},
                request=self.request,
            )
        )
