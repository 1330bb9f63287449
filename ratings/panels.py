"""The admin home panel "Hồ sơ xếp loại chờ tôi xử lý": the rating cases waiting for this
user's action and what still blocks each decision (``ratings.case_reads.waiting``)."""

from django.urls import reverse

from wagtail.admin.ui.components import Component

from ratings.case_reads.waiting import cases_waiting_for
from ratings.services.calendars import DeadlineBook
from ratings.services.period_complaints import waiting_for

#: Rows shown on the home page; the rest are one click away in the filtered case list.
LIMIT = 15


class WaitingCasesPanel(Component):
    name = "ratings_waiting"
    order = 40
    template_name = "ratings/panels/waiting.html"

    def __init__(self, request):
        self.request = request
        self.waiting = cases_waiting_for(request.user)

    def get_context_data(self, parent_context=None):
        book = DeadlineBook()
        rows = [
            {"item": item, "deadline": book.deadline(item.case)} for item in self.waiting[:LIMIT]
        ]
        return {
            "rows": rows,
            "count": len(self.waiting),
            "more": max(0, len(self.waiting) - LIMIT),
            "list_url": f"{reverse('ratings_cases')}?mine=1",
        }


class WaitingPeriodComplaintsPanel(Component):
    """ "Kiến nghị kết quả tháng/quý chờ tôi trả lời": as evaluator, or Sở Nội vụ's re-checks."""

    name = "ratings_period_complaints_waiting"
    order = 41
    template_name = "ratings/panels/period_complaints.html"

    def __init__(self, request):
        self.request = request
        self.rows = list(waiting_for(request.user)[:LIMIT])

    def get_context_data(self, parent_context=None):
        return {"rows": self.rows, "list_url": reverse("ratings_period_complaints")}
