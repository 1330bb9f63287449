"""Sở Nội vụ's page of stuck or stale work (``dashboards.stuck_work``) and the health endpoint
a monitor polls (issue 28)."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from cms.admin_views import TitledAdminMixin
from dashboards import stuck_work
from org.access import is_home_affairs


def can_see_stuck_work(user) -> bool:
    return bool(user and user.is_authenticated and is_home_affairs(user))


class StuckWorkView(TitledAdminMixin, TemplateView):
    template_name = "dashboards/admin/stuck_work.html"
    page_title = _("Công việc bị kẹt, số liệu cũ")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_stuck_work(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        now = timezone.now()
        items = stuck_work.report(now)
        return super().get_context_data(
            items=items,
            now=now,
            stuck=[item for item in items if item.stuck],
            **kwargs,
        )


def health_work(request):
    """``/healthz/work``: counts and ages of waiting work (no names, no ids); 503 when something
    is stuck past its threshold, so a monitor alerts (docs/operations.md §11)."""
    body = stuck_work.health()
    return JsonResponse(body, status=503 if body["status"] != "ok" else 200)
