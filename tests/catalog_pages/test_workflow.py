"""Agency submits → Sở Nội vụ rejects with a comment → agency fixes → approves → v1 frozen."""

import datetime

import pytest

from wagtail.models import TaskState

from catalog_pages.models import AgencyCatalogPage, CatalogVersion
from tests.factories import basic_items, make_item

pytestmark = pytest.mark.django_db


def act(page, user, action, comment=""):
    state = page.current_workflow_state.current_task_state
    task = state.task.specific
    assert task.user_can_access_editor(page, user)
    task.on_action(state, user, action, comment=comment)
    return state


def test_full_appraisal_cycle_freezes_version_one(catalogs):
    page = catalogs["justice"]
    editor, approver = catalogs["justice_editor"], catalogs["approver"]
    assert page.permissions_for_user(editor).can_edit()
    assert not page.permissions_for_user(editor).can_publish()

    page.items = [*basic_items(catalogs["position"])[:2], make_item("STP-003", coefficient="0.1")]
    page.effective_from = datetime.date(2026, 2, 1)
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    page = AgencyCatalogPage.objects.get(pk=page.pk)
    assert page.workflow_in_progress
    assert not page.live and not page.versions.exists()

    rejected = act(page, approver, "reject", comment="Hệ số STP-003 quá thấp, đề nghị rà soát.")
    rejected.refresh_from_db()
    assert rejected.status == TaskState.STATUS_REJECTED
    assert rejected.get_comment() == "Hệ số STP-003 quá thấp, đề nghị rà soát."
    assert not CatalogVersion.objects.exists()

    page = AgencyCatalogPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    page.items = basic_items(catalogs["position"])
    page.approval_ref = "12/QĐ-UBND"
    page.save_revision(user=editor)
    page.current_workflow_state.resume(editor)
    page = AgencyCatalogPage.objects.get(pk=page.pk)
    act(page, approver, "approve", comment="Đồng ý.")

    page = AgencyCatalogPage.objects.get(pk=page.pk)
    assert page.live
    version = CatalogVersion.objects.get(agency=page.agency)
    assert (version.number, version.effective_from, version.approval_ref) == (
        1,
        datetime.date(2026, 2, 1),
        "12/QĐ-UBND",
    )
    assert version.approved_by == approver
    assert {i.code: str(i.coefficient) for i in version.items.all()} == {
        "STP-001": "1.0000",
        "STP-002": "8.0000",
        "STP-003": "2.5000",
    }
    assert version.items.get(code="STP-001").is_standard
    assert list(version.items.get(code="STP-002").job_positions.all()) == [catalogs["position"]]
