"""Demo: one framework that weighs the job position's competencies (issue 45 item 2), so a
user can try it. A copy of the province's Decree 335 framework whose ``competency`` rule feeds
sub-criterion II.1 ("Năng lực chuyên môn, nghiệp vụ theo yêu cầu vị trí việc làm"), published
and assigned to the Office of Sở Nội vụ (``SNV-VP``, position CV-TH, whose description requires
four competencies) from 1 March 2026 — the demo's open month. No level is entered: the figures
stay those of the default framework until the office's head chooses the levels on Form 01;
the explanation says which competencies are still to assess. A second run writes nothing."""

from __future__ import annotations

import copy
import datetime

from django.db import transaction

from org.models import Agency
from scoring.engine.framework.rules import COMPETENCY_CITATION
from scoring.models import CriteriaFramework, FrameworkAssignment

FRAMEWORK_CODE = "thu-nghiem-nang-luc-vtvl"
FRAMEWORK_NAME = "Khung thử nghiệm: năng lực theo vị trí việc làm (dữ liệu mẫu)"
AGENCY_CODE = "SNV-VP"
EFFECTIVE_FROM = datetime.date(2026, 3, 1)
CRITERIA = ["general.II.1"]


@transaction.atomic
def load_competencies_demo():
    agency = Agency.objects.filter(code=AGENCY_CODE).first()
    if agency is None:
        return None
    framework = CriteriaFramework.objects.filter(code=FRAMEWORK_CODE).first()
    if framework is None:
        source = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
        rules = copy.deepcopy(source.live_revision.content["rules"])
        rules.update(code=FRAMEWORK_CODE, name=FRAMEWORK_NAME)
        rules["competency"] = {
            "criteria": CRITERIA,
            "weight": {"value": "1", "citation": COMPETENCY_CITATION, "confidence": "inferred"},
            "citation": COMPETENCY_CITATION,
            "confidence": "inferred",
            "note": "Dữ liệu mẫu: tiêu chí II.1 lấy điểm từ cấp độ năng lực người đánh giá đánh "
            "giá so với cấp độ bản mô tả công việc yêu cầu.",
        }
        framework = CriteriaFramework(
            name=FRAMEWORK_NAME,
            code=FRAMEWORK_CODE,
            period_type=source.period_type,
            applies_to=source.applies_to,
            rules=rules,
            description="Khung mẫu để thử năng lực theo vị trí việc làm (dữ liệu mẫu).",
            legal_basis=COMPETENCY_CITATION,
        )
        framework.save()
        framework.save_revision().publish()
        framework.refresh_from_db()
    FrameworkAssignment.objects.get_or_create(
        framework=framework,
        agency=agency,
        effective_from=EFFECTIVE_FROM,
        defaults={"decision_ref": "45/QĐ-SNV", "note": "Dữ liệu mẫu"},
    )
    return framework
