"""The demo province shows the feature: a milestone late, one submitted but not yet approved,
an inspection with two findings; loading it again changes nothing."""

import datetime

import pytest

from django.core.management import call_command

from demo.oversight_demo import load_oversight_demo
from org.models import Agency
from oversight.models import Inspection, Milestone, MilestoneRecord
from oversight.services.milestones import APPRAISED, APPROVED, OVERDUE, board

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def _by_code(milestone):
    return {status.agency.code: status for status in board(milestone, today=TODAY)}


def test_demo_milestones_and_inspection(django_db_blocker):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    catalog = _by_code(Milestone.objects.get(year=2026, code="danh-muc-nop"))
    assert (catalog["X-YENSON"].state, catalog["X-YENSON"].late) == (OVERDUE, True)
    assert catalog["SYT"].late and catalog["SYT"].state == APPROVED
    assert (catalog["STP"].state, catalog["STP"].late) == (APPROVED, False)
    framework = _by_code(Milestone.objects.get(year=2026, code="khung-tieu-chi-de-xuat"))
    assert (framework["STP"].state, framework["STP"].approved_on) == (APPRAISED, None)
    inspection = Inspection.objects.get(agency=Agency.objects.get(code="STP"))
    assert inspection.findings.count() == 2
    assert inspection.attachments.count() == 1

    def counts():
        return (
            Milestone.objects.count(),
            MilestoneRecord.objects.count(),
            Inspection.objects.count(),
        )

    before = counts()
    load_oversight_demo()
    assert counts() == before
    assert inspection.findings.count() == 2
