"""The demo's document sources (issue 33 "done when"): a folder of edXML packages and a pushed
webhook give the demo agency's people assignments and completions, on the worklog and in the
scores, with the reconciliation report; a second run changes nothing."""

from decimal import Decimal

from django.test import Client
from django.utils import timezone

from accounts.models import User
from connectors.ingest import external_id
from connectors.models import Package, PackageState
from connectors.report import reconcile
from demo.connectors_demo import load_demo_edxml
from scoring.models import AssignmentLine
from worklog.models import WorkStatus
from worklog.services.preview import period_preview
from worklog.services.work import status_of


def _line(source, document_id):
    """The line of a document: its identity is its sender and its DocumentId."""
    package = Package.objects.get(source=source, document_id__endswith=f"|{document_id}")
    return AssignmentLine.objects.get(external_id=external_id(source, package.document_id))


def test_folder_and_webhook_feed_the_worklog_and_the_scores(demo, tmp_path, db):
    result = load_demo_edxml(tmp_path)
    run, source, pushed = result["run"], result["source"], result["webhook"]
    assert (run.received, run.created, run.updated, run.waiting, run.refused) == (5, 2, 1, 2, 0)
    reasons = list(Package.objects.exclude(state=PackageState.APPLIED).values_list("key", "reason"))
    assert result["pushed"] == ["created", "updated"], reasons

    staff = User.objects.get(username="congchuc").civil_servant
    open_line = _line(source, "DEMO-EDXML-1")
    late = _line(source, "DEMO-EDXML-2")
    on_time = _line(pushed, "DEMO-EDXML-5")
    assert open_line.civil_servant == late.civil_servant == staff
    assert status_of(open_line) == WorkStatus.ASSIGNED
    assert (status_of(late), late.delays) == (WorkStatus.ACCEPTED, 1)
    assert (status_of(on_time), on_time.delays) == (WorkStatus.ACCEPTED, 0)

    client = Client()
    client.force_login(User.objects.get(username="congchuc"))
    page = client.get(f"/admin/worklog/lines/{open_line.pk}/").content.decode()
    assert "Rà soát thủ tục hành chính quý IV" in page
    mine = client.get("/admin/worklog/").content.decode()
    assert f"/admin/worklog/lines/{open_line.pk}/" in mine

    # In the scores: the person's "score so far" (the stored score's own path) counts the
    # late completion against timeliness.
    preview = period_preview(staff, late.period, timezone.localdate())
    assert preview.result is not None, preview.errors
    assert Decimal(preview.result["timeliness"]) < Decimal("100")

    # The reconciliation over the months the packages fall in (the deadlines' months).
    months = set(Package.objects.values_list("month", flat=True))
    agency = source.agency
    totals = [reconcile(agency, month).total for month in months]
    assert sum(t.received for t in totals) == 7
    assert sum(t.matched for t in totals) == 5
    assert sum(t.waiting_person for t in totals) == 1
    assert sum(t.waiting_task_type for t in totals) == 1
    assert result["report"].waiting
    assert {p.state for p in result["report"].waiting} == {PackageState.WAITING}

    again = load_demo_edxml(tmp_path)
    assert (again["run"].received, again["run"].created, again["run"].updated) == (0, 0, 0)
    assert again["pushed"] == ["unchanged", "unchanged"]
    assert AssignmentLine.objects.filter(external_id__startswith="edxml:").count() == 3
