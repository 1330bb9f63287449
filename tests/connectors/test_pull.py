"""A folder of edXML packages pulled by the worker: lines and completions through the import
gate, idempotent, logged, retried with back-off; unknown officers and types wait for a mapping."""

import datetime
import os
from decimal import Decimal

from django.utils import timezone

from cms.models import AttemptStatus
from connectors.ingest import external_id
from connectors.models import (
    Package,
    PackageState,
    PersonMapping,
    Run,
    TaskTypeMapping,
)
from connectors.report import reconcile
from connectors.schedule import pull, pull_due_sources
from scoring.models import AssignmentLine, LineSource, PeriodScore
from scoring.services import score_period
from tests.connectors.world import NOVEMBER, document, ident, status
from tests.factories import general_marks
from worklog.models import WorkStatus
from worklog.services.work import status_of


def _drop(folder, name, content, age=0):
    path = folder / name
    path.write_bytes(content)
    stamp = 1_700_000_000 + age
    os.utime(path, (stamp, stamp))
    return path


def _folder(tmp_path):
    _drop(tmp_path, "01-giao-viec.xml", document(), age=1)
    _drop(tmp_path, "02-hoan-thanh.xml", status(when="2026/11/22 09:00:00"), age=2)
    _drop(tmp_path, "03-chua-ro-nguoi.xml", document("DOC-2", number="126", email="la@x.vn"), age=3)
    _drop(tmp_path, "04-loai-moi.xml", document("DOC-3", number="127", doc_type="TTr"), age=4)
    _drop(tmp_path, "05-hong.xml", b"<broken", age=5)
    _drop(tmp_path, "ghi-chu.txt", b"not a package", age=6)
    return tmp_path


def _line(source, document_id="000.00.07.H99|DOC-1"):
    return AssignmentLine.objects.get(
        source=LineSource.API, external_id=external_id(source, document_id)
    )


def test_a_pull_makes_assignments_and_completions_and_logs_its_counts(world, tmp_path):
    # A province that takes the document system's completion as accepted (per source).
    source = world.source(_folder(tmp_path), completion_needs_review=False)
    TaskTypeMapping.objects.create(source=source, external_type="CV", product_code="CV")

    run = pull(source)

    line = _line(source)
    assert line.civil_servant == world.people["an"]
    assert line.item.code == "CV"
    assert line.period == world.november
    assert line.unit == world.unit
    assert line.deadline == datetime.date(2026, 11, 20)
    assert line.assigned_quantity == Decimal("1")
    # The status "đã hoàn thành" of 22/11 completes it, two days after the deadline: one delay.
    assert line.completed_quantity == Decimal("1")
    assert line.completed_on == datetime.date(2026, 11, 22)
    assert line.delays == 1
    assert line.note == "Văn bản số 125/STP-VP: Báo cáo công tác tư pháp tháng 11"
    assert status_of(line) == WorkStatus.ACCEPTED  # on the worklog as done
    assert (run.status, run.received, run.created, run.updated) == (AttemptStatus.OK, 5, 1, 1)
    assert (run.waiting, run.refused) == (2, 1)
    assert source.runs.count() == 1
    source.refresh_from_db()
    assert source.cursor.endswith("|05-hong.xml")
    broken = Package.objects.get(source=source, file_name="05-hong.xml")
    assert broken.state == PackageState.REFUSED
    assert broken.reason == "Không đọc được gói tin XML (ParseError)."

    # The line is scored like any other: timeliness reflects the delay.
    general_marks(world.people["an"], world.november, 27)
    score_period(world.november)
    score = PeriodScore.objects.get(civil_servant=world.people["an"], period=world.november)
    assert score.timeliness is not None and score.timeliness < Decimal("100")


def test_a_second_pull_of_the_same_packages_changes_nothing(world, tmp_path):
    source = world.source(_folder(tmp_path))
    TaskTypeMapping.objects.create(source=source, external_type="CV", product_code="CV")
    pull(source)
    before = list(AssignmentLine.objects.values_list("pk", "updated_at").order_by("pk"))
    packages = list(Package.objects.values_list("pk", "state", "received_at").order_by("pk"))

    source.cursor = ""  # read every file again
    source.save()
    second = pull(source)

    assert (second.received, second.created, second.updated, second.unchanged) == (5, 0, 0, 5)
    assert list(AssignmentLine.objects.values_list("pk", "updated_at").order_by("pk")) == before
    assert (
        list(Package.objects.values_list("pk", "state", "received_at").order_by("pk")) == packages
    )
    # And with the cursor kept, nothing is even read.
    third = pull(source)
    assert third.received == 0


def test_unknown_people_and_types_wait_and_are_applied_once_mapped(in_november, world, tmp_path):
    source = world.source(_folder(tmp_path))
    TaskTypeMapping.objects.create(source=source, external_type="CV", product_code="CV")
    pull(source)
    waiting = {p.document_id: p for p in Package.objects.filter(state=PackageState.WAITING)}
    assert (
        waiting[ident("DOC-2")].reason == "Chưa xác định được công chức của người xử lý “la@x.vn”."
    )
    assert waiting[ident("DOC-3")].reason == (
        "Loại văn bản “TTr” chưa được ánh xạ vào sản phẩm của danh mục."
    )
    assert not AssignmentLine.objects.filter(
        external_id=external_id(source, ident("DOC-2"))
    ).exists()

    report = reconcile(world.stp, NOVEMBER)
    line = report.sources[0]
    assert (line.received, line.matched, line.waiting_person, line.waiting_task_type) == (
        5,
        2,  # the document and its completion status
        1,
        1,
    )
    assert line.refused == 1
    assert [p.reason for p in report.refused] == ["Không đọc được gói tin XML (ParseError)."]

    with_mapping = PersonMapping(source=source, external_person="la@x.vn")
    with_mapping.civil_servant = world.people["binh"]
    with_mapping.save()
    TaskTypeMapping.objects.create(source=source, external_type="TTr", product_code="KH")
    # (mappings apply the waiting packages once their transaction commits)
    from connectors.ingest import reapply_waiting

    reapply_waiting(source)

    assert _line(source, ident("DOC-2")).civil_servant == world.people["binh"]
    assert _line(source, ident("DOC-3")).item.code == "KH"
    assert not Package.objects.filter(state=PackageState.WAITING).exists()


def test_an_officer_is_found_by_official_id_but_never_outside_the_agency(world, tmp_path):
    source = world.source(tmp_path)
    TaskTypeMapping.objects.create(source=source, external_type="CV", product_code="CV")
    _drop(tmp_path, "a.xml", document("DOC-B", staff="CC-BINH", email=""), age=1)
    _drop(tmp_path, "b.xml", document("DOC-C", email="cuong@snn.gov.vn"), age=2)
    pull(source)
    assert _line(source, ident("DOC-B")).civil_servant == world.people["binh"]
    outside = Package.objects.get(document_id=ident("DOC-C"))
    assert outside.state == PackageState.WAITING  # not one of the agency's people: not guessed


def test_a_closed_period_refuses_with_the_reason_and_writes_nothing(world, tmp_path):
    world.november.status = "closed"
    world.november.save()
    source = world.source(tmp_path)
    TaskTypeMapping.objects.create(source=source, external_type="CV", product_code="CV")
    _drop(tmp_path, "a.xml", document(), age=1)
    run = pull(source)
    package = Package.objects.get()
    assert package.state == PackageState.REFUSED
    assert "11/2026" in package.reason
    assert run.refused == 1
    assert not AssignmentLine.objects.exists()


def test_a_missing_folder_fails_the_run_and_backs_off(world, tmp_path):
    source = world.source(tmp_path / "khong-co", interval_minutes=30)
    now = timezone.now()
    run = pull(source, now=now)
    assert run.status == AttemptStatus.FAILED
    assert "FileNotFoundError" in run.error
    source.refresh_from_db()
    assert source.failures == 1
    assert source.next_run_at == now + datetime.timedelta(minutes=30)
    # Not due before the back-off (cms.retry: the interval, then doubling) has passed; due after.
    assert pull_due_sources(now + datetime.timedelta(minutes=29)) == []
    runs = pull_due_sources(now + datetime.timedelta(minutes=31))
    assert len(runs) == 1
    source.refresh_from_db()
    assert source.failures == 2
    assert Run.objects.filter(source=source).count() == 2


def test_the_worker_pulls_due_sources_on_its_schedule(world, tmp_path):
    source = world.source(_folder(tmp_path), interval_minutes=15)
    TaskTypeMapping.objects.create(source=source, external_type="CV", product_code="CV")
    now = timezone.now()
    assert len(pull_due_sources(now)) == 1
    assert pull_due_sources(now + datetime.timedelta(minutes=10)) == []
    assert len(pull_due_sources(now + datetime.timedelta(minutes=16))) == 1


def test_a_revoked_document_withdraws_its_line_with_why(world, tmp_path):
    source = world.source(tmp_path)
    TaskTypeMapping.objects.create(source=source, external_type="CV", product_code="CV")
    _drop(tmp_path, "a.xml", document("DOC-R"), age=1)
    pull(source)
    assert _line(source, ident("DOC-R"))
    _drop(tmp_path, "b.xml", document("DOC-R", business=1, reason="Ban hành nhầm"), age=2)
    run = pull(source)
    assert run.updated == 1
    package = Package.objects.get(document_id=ident("DOC-R"))
    assert package.state == PackageState.WITHDRAWN
    assert package.reason == (
        "Văn bản bị thu hồi ở phần mềm nguồn (Ban hành nhầm): dòng giao việc được gỡ."
    )
    assert not AssignmentLine.objects.filter(external_id=external_id(source, ident("DOC-R")))


def test_the_command_pulls_now_and_says_what_it_did(world, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    source = world.source(_folder(tmp_path))
    TaskTypeMapping.objects.create(source=source, external_type="CV", product_code="CV")
    out = StringIO()
    call_command("pull_document_sources", stdout=out)
    assert out.getvalue().strip() == (
        "QLVB Sở Tư pháp: nhận 5 gói; 1 dòng mới, 1 cập nhật, 0 không đổi, 2 chờ ánh xạ, "
        "1 bị từ chối."
    )
