"""The personnel import gives sign-ins where the province turns it on (issue 32 item 3,
``KPI_IMPORT_CREATES_SIGN_INS``): through the one provisioning service (accounts.services), the
preview saying how many, the batch's slips printed from the accounts page."""

import pytest

from django.urls import reverse

from accounts.models import AccountBatch, ActivationCode
from importers import pipeline
from org.models import CivilServant
from tests.importers.test_kinds import commit, person_row, personnel

pytestmark = pytest.mark.django_db

NOTE = "Khi xác nhận, phần mềm tạo 4 tài khoản đăng nhập"


def test_off_by_default_the_import_creates_no_sign_in(world, tmp_path):
    path = personnel(world, tmp_path, people=[person_row()])
    analysis, job = commit(path, user=world["justice_admin"])
    assert job is not None, [i.line() for i in analysis.errors]
    assert CivilServant.objects.get(official_id="CT0100").user is None
    assert not AccountBatch.objects.exists()
    assert not any("tài khoản đăng nhập" in i.message for i in analysis.issues)


def test_the_preview_counts_and_the_commit_creates_the_sign_ins(world, tmp_path, settings):
    settings.KPI_IMPORT_CREATES_SIGN_INS = True
    path = personnel(world, tmp_path, people=[person_row()])
    preview = pipeline.analyse(path, user=world["justice_admin"])
    assert not preview.errors, [i.line() for i in preview.errors]
    assert any(NOTE in issue.message for issue in preview.issues)
    assert CivilServant.objects.filter(official_id="CT0100").count() == 0  # a dry run

    analysis, job = commit(path, user=world["justice_admin"])
    assert job is not None, [i.line() for i in analysis.errors]
    person = CivilServant.objects.get(official_id="CT0100")
    assert person.user.username == "ct0100"
    assert person.user.must_change_password and not person.user.has_usable_password()
    batch = AccountBatch.objects.get()
    assert batch.created_by == world["justice_admin"] and batch.agency == world["justice"]
    assert sorted(row["official_id"] for row in batch.results if row["outcome"] == "created") == [
        "CT0001",
        "CT0002",
        "CT0003",
        "CT0100",
    ]
    # Sở Y tế's person is in no file of Sở Tư pháp: untouched.
    assert CivilServant.objects.get(official_id="YT0001").user is None
    # Imported again: nobody left without a sign-in, nothing announced.
    again = pipeline.analyse(path, user=world["justice_admin"])
    assert not any("tài khoản đăng nhập" in issue.message for issue in again.issues)


def test_the_slips_of_an_imported_batch_are_printed_with_new_codes(
    world, tmp_path, settings, client
):
    settings.KPI_IMPORT_CREATES_SIGN_INS = True
    commit(personnel(world, tmp_path, people=[person_row()]), user=world["justice_admin"])
    batch = AccountBatch.objects.get()
    client.force_login(world["justice_admin"])
    page = client.get(reverse("accounts_batch", args=[batch.pk])).content.decode()
    assert "Cấp mã mới và in phiếu kích hoạt" in page and 'id="print-slips"' not in page
    response = client.post(reverse("accounts_batch_reissue", args=[batch.pk]), follow=True)
    body = response.content.decode()
    # One of the four is the unit's head: her first code is never the agency admin's to hold
    # (issue 41, security M1); Sở Nội vụ issues it.
    assert "Đã cấp mã kích hoạt mới cho 3 người" in body and 'id="print-slips"' in body
    slips = client.get(reverse("accounts_slips", args=[batch.pk])).content.decode()
    assert "ct0100" in slips and "Đỗ Minh Châu" in slips
    # The head's sign-in was made with no code at all (not even by e-mail: the address is a
    # field the agency admin edits); the three others' first codes were replaced.
    assert ActivationCode.objects.filter(used_at__isnull=True).count() == 3
    assert ActivationCode.objects.filter(used_at__isnull=False).count() == 3  # replaced
    # Another agency's admin cannot reissue this batch.
    client.force_login(world["health_admin"])
    assert client.post(reverse("accounts_batch_reissue", args=[batch.pk])).status_code == 404
