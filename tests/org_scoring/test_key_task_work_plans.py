"""An agency's key-task criterion measured from its work plans (issue 45 item 3: plan
fulfilment "used where the framework says … the organisation's key tasks"; Đắk Lắk §III.3:
evaluation rests on the agency's monthly, quarterly and annual work plans).

Option ``organisation.key_tasks[].plan_fulfilment`` = ``ratio`` (off by default): the criterion
is one entry of the task percent, with its weight, worth the share of the items of the agency's
approved plans of the year that are completed, among those due or completed; the stored inputs
and explanation name the plans. A change of an approved plan's fulfilment marks the score
stale and the refresh rescores it. The agency sets the option on its proposal's key tasks."""

import copy
import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org_scoring.frameworks import organisation_framework
from org_scoring.models import OrganisationScore, OrganisationTask
from org_scoring.services import score_organisations
from scoring.explain import render_steps
from scoring.models import (
    CriteriaFramework,
    FrameworkProposal,
    Period,
    StaleFigure,
    StaleKind,
)
from scoring.services import proposals
from tests.factories import AgencyAccessFactory, UserFactory, post
from tests.factories.catalog import catalog_version
from tests.factories.org_scoring import YEAR
from tests.factories.scoring import assignment_line
from workplans.models import PlanStatus, WorkPlan, WorkPlanItem

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(YEAR, 7, 1)
YEAR_PLAN = f"Kế hoạch công tác năm {YEAR} của Phòng Một"
QUARTER_PLAN = "Kế hoạch công tác quý II của Phòng Một"
CRITERION = "Thực hiện kế hoạch công tác năm"


def measure_from_plans(world, weight="2"):
    """The unit's framework gets an own key-task criterion measured from its work plans (as an
    approved organisation-criteria proposal would carry it)."""
    resolved = organisation_framework(world.unit, YEAR)
    framework = CriteriaFramework.objects.get(pk=resolved.framework_id)
    rules = copy.deepcopy(framework.live_revision.content["rules"])
    rules["organisation"]["key_tasks"] = [
        {"code": "NV.KH", "label": CRITERION, "weight": weight, "plan_fulfilment": "ratio"}
    ]
    framework.rules = rules
    framework.save()
    framework.save_revision().publish()


class Plans:
    """The unit's approved plans of the year: the year's plan (one item completed in March, one
    half done and due in June, one due in November) and the second quarter's (one item
    completed); a draft plan and another agency's plan that count for nothing."""

    def __init__(self, world):
        person = post(world.unit, full_name="Nguyễn Văn Kế")
        _version, items = catalog_version(world.department)
        self.product = items["X"]
        self.world, self.person = world, person
        self.year = self.plan(world.unit, "year", None, YEAR_PLAN)
        self.march = self.item(self.year, 1, datetime.date(YEAR, 3, 31), completed=1)
        self.june = self.item(self.year, 2, datetime.date(YEAR, 6, 30), completed=Decimal("0.5"))
        self.november = self.item(self.year, 3, datetime.date(YEAR, 11, 30))
        self.quarter = self.plan(world.unit, "quarter", 2, QUARTER_PLAN)
        self.item(self.quarter, 1, datetime.date(YEAR, 6, 15), completed=1)
        draft = self.plan(world.unit, "month", 5, "Kế hoạch tháng 5 (dự thảo)", PlanStatus.DRAFT)
        self.item(draft, 1, datetime.date(YEAR, 5, 31))
        other = self.plan(world.unit2, "year", None, "Kế hoạch công tác năm của Phòng Hai")
        self.item(other, 1, datetime.date(YEAR, 3, 31))

    def plan(self, agency, kind, number, title, status=PlanStatus.APPROVED):
        return WorkPlan.objects.create(
            agency=agency, kind=kind, year=YEAR, number=number, title=title, status=status
        )

    def item(self, plan, n, deadline, completed=None):
        item = WorkPlanItem.objects.create(
            plan=plan, name=f"Mục {n}", deadline=deadline, product=self.product, sort_order=n
        )
        if completed is not None:
            period = Period.for_date(deadline, create=True)
            line = assignment_line(
                self.person, period, self.product, self.world.unit, completed=completed
            )
            item.lines.add(line)
        return item


def stored(world, as_of=AS_OF) -> OrganisationScore:
    score_organisations(YEAR, as_of=as_of)
    return OrganisationScore.objects.get(agency=world.unit, year=YEAR)


def test_off_by_default_then_the_key_task_is_measured_from_the_approved_plans(client, world):
    world.complete(world.unit)  # 30 general points, three tasks on time
    Plans(world)

    # Off (the province's framework has no key task of the agency): plans are not read.
    score = stored(world)
    assert "work_plans" not in score.inputs
    assert score.task_percent == Decimal("100.00")
    assert not any("kế hoạch công tác" in line for line in render_steps(score.explanation))

    measure_from_plans(world)
    score = stored(world)
    # March and the quarter's item done, June's due and not done; November's not yet due.
    assert score.inputs["work_plans"] == {
        "plans": [f"{YEAR_PLAN} (năm {YEAR})", f"{QUARTER_PLAN} (quý 2/{YEAR})"],
        "done": 2,
        "total": 3,
        "not_due": 1,
    }
    # (3 × 100 + 2 × 66.67) / 5
    assert score.task_percent == Decimal("86.67")
    line = (
        f"Nhiệm vụ trọng tâm “{CRITERION}” (tiêu chí của cơ quan đã được phê duyệt), hệ số 2,00, "
        "đo bằng kết quả thực hiện kế hoạch công tác năm của cơ quan (Kế hoạch của UBND tỉnh Đắk "
        f"Lắk, mục III.3): {YEAR_PLAN} (năm {YEAR}); {QUARTER_PLAN} (quý 2/{YEAR}) — hoàn thành "
        "2/3 mục đã đến hạn hoặc đã hoàn thành → 66,67%. 1 mục chưa đến hạn, chưa hoàn thành: "
        "chưa tính."
    )
    assert line in render_steps(score.explanation)
    # The agency's page shows the stored explanation.
    home = UserFactory(username="snv.kh", groups=[HOME_AFFAIRS_GROUP])
    client.force_login(home)
    page = client.get(reverse("org_scoring_agency_year", args=[world.unit.pk, YEAR]))
    assert line in page.content.decode()

    # No approved plan item left: the line says so and the criterion is not counted.
    WorkPlan.objects.filter(agency=world.unit).update(status=PlanStatus.SUBMITTED)
    score = stored(world)
    assert score.inputs["work_plans"] is None
    assert score.task_percent == Decimal("100.00")
    assert (
        f"Nhiệm vụ trọng tâm “{CRITERION}” (tiêu chí của cơ quan đã được phê duyệt) đo bằng kết "
        "quả thực hiện kế hoạch công tác năm của cơ quan (Kế hoạch của UBND tỉnh Đắk Lắk, mục "
        "III.3): chưa có kế hoạch công tác được phê duyệt có mục đã đến hạn hoặc đã hoàn thành → "
        "chưa tính vào tỷ lệ kết quả thực hiện nhiệm vụ."
    ) in render_steps(score.explanation)


def test_a_change_of_an_approved_plan_rescores_the_organisation(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the refresh the setup queued
        world.complete(world.unit)
        plans = Plans(world)
        WorkPlanItem.objects.filter(pk=plans.november.pk).delete()  # every item due today
        measure_from_plans(world)
    before = stored(world, as_of=None)
    assert (before.inputs["work_plans"]["done"], before.inputs["work_plans"]["total"]) == (2, 3)

    # The June item's line is completed: the score is marked stale and rescored.
    with django_capture_on_commit_callbacks(execute=True):
        line = plans.june.lines.get()
        line.completed_quantity = line.assigned_quantity
        line.save()
    after = OrganisationScore.objects.get(agency=world.unit, year=YEAR)
    assert (after.inputs["work_plans"]["done"], after.inputs["work_plans"]["total"]) == (3, 3)
    assert after.task_percent == Decimal("100.00")
    assert not StaleFigure.objects.filter(kind=StaleKind.ORGANISATION).exists()

    # A plan sent back from approval leaves the score without the quarter's item.
    with django_capture_on_commit_callbacks(execute=True):
        plans.quarter.status = PlanStatus.SUBMITTED
        plans.quarter.save(update_fields=["status"])
    after = OrganisationScore.objects.get(agency=world.unit, year=YEAR)
    assert after.inputs["work_plans"]["plans"] == [f"{YEAR_PLAN} (năm {YEAR})"]
    assert (after.inputs["work_plans"]["done"], after.inputs["work_plans"]["total"]) == (2, 2)


def test_a_task_cannot_be_linked_to_the_criterion_measured_from_plans(world):
    measure_from_plans(world)
    task = OrganisationTask(
        agency=world.unit,
        year=YEAR,
        document_ref="5/KH-UBND",
        document_title="Kế hoạch",
        description="Nhiệm vụ",
        deadline=datetime.date(YEAR, 6, 30),
        key_task="NV.KH",
    )
    with pytest.raises(ValidationError) as refused:
        task.full_clean()
    assert refused.value.message_dict["key_task"] == [
        f"Tiêu chí nhiệm vụ trọng tâm của cơ quan: “NV.KH — {CRITERION}” được đo bằng kết quả "
        "thực hiện kế hoạch công tác năm của cơ quan, không gắn với nhiệm vụ; để trống ô này."
    ]


def key_task_rows(*rows):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, (code, label, weight, from_plans) in enumerate(rows):
        data.update({f"form-{i}-code": code, f"form-{i}-label": label, f"form-{i}-weight": weight})
        if from_plans:
            data[f"form-{i}-from_plans"] = "on"
    return data


def test_the_agency_marks_its_key_task_measured_from_plans_on_its_proposal(client, world):
    admin = UserFactory(username="qt.stn.kh", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.department)
    proposal = proposals.start(
        FrameworkProposal(
            agency=world.department,
            base=CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh"),
            name="Tiêu chí đánh giá Sở Thử nghiệm",
            scope="organisation",
        ),
        admin,
    )
    client.force_login(admin)
    page = reverse("scoring_proposal_key_tasks", args=[proposal.pk])
    both = key_task_rows(("NV.1", "Chuyển đổi số", "3", True), ("NV.2", CRITERION, "2", True))
    refused = client.post(page, both)
    assert refused.status_code == 400
    assert (
        "framework.organisation.key_tasks: chỉ một nhiệm vụ trọng tâm được đo bằng kết quả thực "
        "hiện kế hoạch công tác"
    ) in refused.content.decode()

    one = key_task_rows(("NV.1", "Chuyển đổi số", "3", False), ("NV.2", CRITERION, "2", True))
    text = client.post(page, one, follow=True).content.decode()
    assert "Đã lưu 2 nhiệm vụ trọng tâm." in text
    proposal.refresh_from_db()
    assert proposal.rules["organisation"]["key_tasks"] == [
        {"code": "NV.1", "label": "Chuyển đổi số", "weight": "3"},
        {"code": "NV.2", "label": CRITERION, "weight": "2", "plan_fulfilment": "ratio"},
    ]
    steps = client.get(reverse("scoring_proposal_steps", args=[proposal.pk])).content.decode()
    assert "Nhiệm vụ được giao gắn với tiêu chí" in steps
    assert "Kết quả thực hiện kế hoạch công tác năm" in steps
