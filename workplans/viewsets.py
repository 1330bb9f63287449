"""The work plans' admin: the plans of the user's agencies (``org.access``), each with its
items, its steps and its fulfilment."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList

from org.access import CHANGE, DELETE, may
from org.admin_scope import ScopedSnippetViewSet
from workplans.forms import WorkPlanForm
from workplans.models import WorkPlan
from workplans.services.fulfilment import fulfilment
from workplans.views import WorkPlanActionView, available


def _action_url(view, plan, action: str) -> str:
    namespace = view.index_url_name.rsplit(":", 1)[0]
    return reverse(f"{namespace}:action", args=[plan.pk, action])


class WorkPlanIndexView(ScopedSnippetViewSet.index_view_class):
    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if not instance.is_approved else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if not instance.is_approved else None


class WorkPlanInspectView(ScopedSnippetViewSet.inspect_view_class):
    template_name = "workplans/inspect.html"

    def get_edit_url(self):
        return super().get_edit_url() if may(self.request.user, CHANGE, self.object) else None

    def get_delete_url(self):
        return super().get_delete_url() if may(self.request.user, DELETE, self.object) else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        context.update(
            plan=plan,
            result=fulfilment(plan, timezone.localdate()),
            steps=[
                (action, label, _action_url(self, plan, action))
                for action, label in available(self.request.user, plan)
            ],
        )
        return context


class WorkPlanViewSet(ScopedSnippetViewSet):
    """Kế hoạch công tác tháng, quý, năm của cơ quan và đơn vị."""

    model = WorkPlan
    add_to_reference_index = False  # a record, not content (docs/architecture.md, "usage")
    icon = "date"
    menu_label = _("Kế hoạch công tác")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "agency", "kind", "year", "number", "status"]
    list_filter = ["status", "kind", "year"]
    list_export = ["title", "agency", "kind", "year", "number", "status"]
    export_filename = "ke-hoach-cong-tac"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_select_related = ("agency",)
    index_view_class = WorkPlanIndexView
    inspect_view_class = WorkPlanInspectView
    edit_handler = ObjectList(
        [
            FieldPanel("agency"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("year"), FieldPanel("number")]),
            FieldPanel("title"),
            InlinePanel(
                "items",
                heading=_("Các mục kế hoạch"),
                label=_("Mục kế hoạch"),
                panels=[
                    FieldPanel("name"),
                    FieldRowPanel(
                        [FieldPanel("owner"), FieldPanel("deadline"), FieldPanel("quantity")]
                    ),
                    FieldPanel("product"),
                ],
            ),
        ],
        base_form_class=WorkPlanForm,
    )

    @property
    def action_view(self):
        return WorkPlanActionView.as_view(url_namespace=self.url_namespace)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("action/<int:pk>/<str:action>/", self.action_view, name="action"),
        ]
