"""A civil servant's own work: overdue, today, this week, later, waiting for review, done."""

from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from org.access import civil_servant_of
from worklog.services.tracking import my_buckets
from worklog.views.common import WorklogPageMixin, today


class MyWorkView(WorklogPageMixin, TemplateView):
    template_name = "worklog/mine.html"
    page_title = gettext_lazy("Việc của tôi")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = civil_servant_of(self.request.user)
        context["person"] = person
        context["today"] = today()
        if person is not None:
            context["buckets"] = my_buckets(person, context["today"])
        return context
