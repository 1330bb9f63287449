"""The demo province shows a monthly result contested and rescored, and one rejected
(docs/ratings.md §13)."""

import pytest

from django.core.management import call_command
from django.urls import reverse

from demo.period_complaints_demo import load_period_complaints_demo
from ratings.models import PeriodComplaint, PeriodComplaintStatus
from ratings.services.period_complaints import notes_for_score

pytestmark = pytest.mark.django_db


def test_demo_has_an_upheld_and_a_rejected_period_complaint(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    upheld = PeriodComplaint.objects.get(status=PeriodComplaintStatus.UPHELD)
    rejected = PeriodComplaint.objects.get(status=PeriodComplaintStatus.REJECTED)
    assert upheld.civil_servant.user.username == "congchuc"
    assert upheld.rescored_at is not None and upheld.total_after != upheld.total_before
    assert upheld.score.total == upheld.total_after
    assert f"số {upheld.pk}" in notes_for_score(upheld.score)[0]["text"]
    assert rejected.rescored_at is None and rejected.score.total == rejected.total_before
    assert [e.action for e in upheld.events.all()] == ["filed", "upheld"]
    assert load_period_complaints_demo() == 0  # idempotent
    client.force_login(upheld.evaluator.user)
    page = client.get(reverse("ratings_period_complaint", args=[upheld.pk])).content.decode()
    assert "Người đánh giá chấp nhận, tính lại điểm" in page
