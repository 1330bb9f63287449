"""The demo province shows both reports owed upward and one correction to the national
database (issue 19 items 6 and 7)."""

import datetime

import pytest

from django.test import Client
from django.utils import timezone

from api.models import OutboxKind, OutboxRecord, OutboxStatus
from demo.reports_demo import CORRECTED_REF, YEAR, load_reports_demo

pytestmark = pytest.mark.django_db


def test_both_reports_generate_from_the_demo_decisions(demo):
    summary = load_reports_demo()  # a second run: nothing new
    assert summary["cases_created"] == 0
    assert summary["people_decided"] > 20 and summary["organisations_decided"] == 2
    assert all(size > 5000 for size in summary["reports"].values())
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="sonoivu"))
    for kind in ("province", "ministry"):
        page = client.get(f"/admin/bao-cao-cap-tren/{kind}/{YEAR}/")
        assert page.status_code == 200
        assert "Sở Tài chính" in page.content.decode() or kind == "ministry"


def test_one_correction_after_a_decision_corrected(demo):
    [correction] = OutboxRecord.objects.filter(kind=OutboxKind.CORRECTION)
    assert correction.corrects.rating_case.decision_ref == CORRECTED_REF
    assert correction.payload["result"]["rating"] == "completed"
    assert correction.corrects.payload["result"]["rating"] == "good"
    assert "DEMO-DC/QĐ" in correction.reason
    assert correction.status == OutboxStatus.PENDING
    # Due five days after the day it was made (not "today": a province replayed from a
    # recording made before midnight, Vietnam time, was made the day before).
    assert correction.due_date == correction.result_date + datetime.timedelta(days=5)
    assert timezone.localdate() - correction.result_date <= datetime.timedelta(days=1)
    assert correction.corrects.status == OutboxStatus.ACKNOWLEDGED
    load_reports_demo()
    assert OutboxRecord.objects.filter(kind=OutboxKind.CORRECTION).count() == 1
