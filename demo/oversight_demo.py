"""Milestones and an inspection for Thanh An, 2026 (call after ``load_catalog_demo``).

The demo province follows Gia Lai's plan (GL §V.1.a–b: catalog and criteria-framework proposal
by 05/3/2026), plus the job descriptions of the positions approved under Decree 361 by 01/7/2026.
Sở Nội vụ's register of received dispatches is entered by hand (the demo's catalogs were
published when the demo was loaded, so without it every agency would look late):

* the catalog: every agency with an approved catalog sent it by 03/3/2026 and it was approved on
  13/3/2026; Sở Y tế sent it late (09/3/2026); UBND xã Yên Sơn, still drafting, has sent nothing:
  **late** (the board's red row);
* the criteria framework: all sent on time and approved, except Sở Tư pháp — sent on 04/3/2026
  and appraised, **not yet approved**;
* one inspection of Sở Tư pháp's evaluation work (decision, team, two findings, one file).

Idempotent.
"""

import datetime

from django.core.files.base import ContentFile

from accounts.models import User
from catalog_pages.models import CatalogVersion
from org.models import Agency
from oversight.models import (
    FindingSeverity,
    Inspection,
    InspectionAttachment,
    InspectionFinding,
    Milestone,
    MilestoneKind,
    MilestoneRecord,
    RemedyStatus,
)
from oversight.plans import load_plan
from oversight.services.milestones import bound_agencies

YEAR = 2026
LATE_AGENCY = "X-YENSON"
LATE_SUBMITTER = "SYT"
NOT_APPROVED_AGENCY = "STP"
INSPECTED_AGENCY = "STP"
CATALOG_DECISION = "125/QĐ-UBND"
FRAMEWORK_DECISION = "131/QĐ-UBND"


def _d(day, month):
    return datetime.date(YEAR, month, day)


def load_oversight_demo() -> dict:
    milestones = load_plan("GL", YEAR)
    Milestone.objects.update_or_create(
        year=YEAR,
        code="mo-ta-cong-viec",
        defaults={
            "name": "Phê duyệt vị trí việc làm, bản mô tả công việc và khung năng lực",
            "kind": MilestoneKind.JOB_DESCRIPTION,
            "due_date": _d(1, 7),
            "reminder_days": 14,
            "source": "Nghị định 361/2025/NĐ-CP; P2 §II.1",
            "responsible": "Các sở, ban, ngành; UBND các xã, phường",
            "note": "Hạn theo Nghị định 361/2025/NĐ-CP (../shared/domain/decree-335-notes.md) "
            "[giả định — tỉnh cần xác nhận].",
        },
    )
    sonoivu = User.objects.filter(username="sonoivu").first()
    catalog, framework = milestones
    with_catalog = set(CatalogVersion.objects.values_list("agency__code", flat=True).distinct())
    for agency in bound_agencies(catalog):
        if agency.code not in with_catalog:
            continue
        late = agency.code == LATE_SUBMITTER
        MilestoneRecord.objects.update_or_create(
            milestone=catalog,
            agency=agency,
            defaults={
                "submitted_on": _d(9, 3) if late else _d(3, 3),
                "submission_ref": f"{agency.code}/CV-2026",
                "appraised_on": _d(12, 3),
                "appraised_by": "Phòng Công chức, viên chức — Sở Nội vụ",
                "approved_on": _d(13, 3),
                "decision_ref": CATALOG_DECISION,
                "created_by": sonoivu,
            },
        )
    for agency in bound_agencies(framework):
        if agency.code == LATE_AGENCY:
            continue
        pending = agency.code == NOT_APPROVED_AGENCY
        MilestoneRecord.objects.update_or_create(
            milestone=framework,
            agency=agency,
            defaults={
                "submitted_on": _d(4, 3) if pending else _d(2, 3),
                "appraised_on": _d(10, 3),
                "appraised_by": "Tổ xây dựng tiêu chí — Sở Nội vụ",
                "approved_on": None if pending else _d(15, 3),
                "decision_ref": "" if pending else FRAMEWORK_DECISION,
                "created_by": sonoivu,
            },
        )
    return {"milestones": len(milestones) + 1, "inspection": _inspection(sonoivu).pk}


def _inspection(sonoivu) -> Inspection:
    agency = Agency.objects.get(code=INSPECTED_AGENCY)
    inspection, created = Inspection.objects.update_or_create(
        agency=agency,
        decision_ref="45/QĐ-SNV",
        defaults={
            "decision_date": _d(15, 9),
            "team": "Trưởng đoàn: Phó Giám đốc Sở Nội vụ\n"
            "Thành viên: Trưởng phòng Công chức, viên chức; hai chuyên viên",
            "covers_from": _d(1, 1),
            "covers_to": _d(30, 6),
            "started_on": _d(22, 9),
            "ended_on": _d(26, 9),
            "conclusion_ref": "52/TB-SNV",
            "conclusion": "Cơ quan đã triển khai theo dõi, đánh giá hằng tháng; còn thiếu minh "
            "chứng ở một số sản phẩm và chậm cập nhật kết quả quý I.",
            "created_by": sonoivu,
        },
    )
    if created or not inspection.findings.exists():
        inspection.findings.all().delete()
        InspectionFinding.objects.create(
            inspection=inspection,
            sort_order=0,
            description="Một số sản phẩm hoàn thành trong quý I không có minh chứng kèm theo.",
            severity=FindingSeverity.SHORTCOMING,
            remedy="Bổ sung minh chứng cho các sản phẩm đã báo cáo hoàn thành.",
            remedy_due=_d(31, 10),
            status=RemedyStatus.IN_PROGRESS,
            status_note="Đã bổ sung 2/3 phòng.",
        )
        InspectionFinding.objects.create(
            inspection=inspection,
            sort_order=1,
            description="Kết quả theo dõi, đánh giá quý I cập nhật chậm so với hạn của tỉnh.",
            severity=FindingSeverity.NOTE,
            remedy="Cập nhật kết quả đúng hạn từ quý III.",
            remedy_due=_d(15, 10),
            status=RemedyStatus.DONE,
        )
    if not inspection.attachments.exists():
        attachment = InspectionAttachment(
            inspection=inspection, sort_order=0, title="Thông báo kết luận kiểm tra"
        )
        attachment.file.save(
            "thong-bao-ket-luan.pdf", ContentFile(b"%PDF-1.4\n% demo\n"), save=False
        )
        attachment.save()
    return inspection
