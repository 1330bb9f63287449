"""A small province for rating tests: people with sign-ins in every role, annual scores.

Tree: province (chairman) → department "Sở Thử nghiệm" (director, deputy director) → units
P1 and P2 (a head and staff each); another department for outsiders. Users: the subject's own,
the unit heads, the director, the chairman, the department's agency admin (its HR unit), a
Sở Nội vụ editor and an agency admin of the other department. Built on ``tests.factories``;
the methods drive a case through its workflow.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from org.access import (
    AGENCY_ADMIN_GROUP,
    HOME_AFFAIRS_GROUP,
    UNIT_LEADER_GROUP,
)
from org.models import AccessRole, LeadershipRole, PositionGroup
from ratings.models import RatingCase
from ratings.services.cases import open_agency_case, open_civil_servant_case
from ratings.workflow.machine import perform
from tests.factories import (
    AgencyAccessFactory,
    AgencyFactory,
    JobPositionFactory,
    ProvinceFactory,
    UnitFactory,
    UserFactory,
    annual_score,
    minutes_file,
    post,
    with_user,
)

YEAR = 2026
TODAY = datetime.date(2026, 11, 20)
DECISION_DAY = datetime.date(2026, 12, 10)


@dataclass
class RatingWorld:
    province: object
    department: object
    unit: object
    unit2: object
    other_department: object
    users: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)

    def staff(self, name, score=80, unit=None, group=PositionGroup.PROFESSIONAL, username=None):
        """A new staff member of ``unit`` (P1) with a sign-in and an annual score."""
        unit = unit or self.unit
        position = JobPositionFactory(group=group)
        person = post(unit, full_name=name, job_position=position)
        self.people[name] = person
        self.users[username or name] = with_user(person, username or f"u{person.pk}")
        annual_score(person, score, unit, group=group)
        return person

    def case_for(self, person, today=TODAY):
        return open_civil_servant_case(person.annual_scores.get(year=YEAR), today=today)[0]

    def agency_case(self, agency):
        return open_agency_case(agency, YEAR)[0]

    # --- driving a case ---------------------------------------------------------------------

    def self_assess(self, case, level="good", user=None):
        user = user or case.civil_servant.user
        return perform(
            case,
            "self_assess",
            user,
            data={
                "self_assessment": "Hoàn thành đầy đủ nhiệm vụ được giao.",
                "self_level": level,
            },
            today=TODAY,
        )

    def review(self, case, user=None):
        if user is None:
            from ratings.actors import resolve_actors

            user = resolve_actors(case, TODAY).evaluator.person.user
        return perform(
            case,
            "review",
            user,
            data={
                "meeting_date": datetime.date(2026, 11, 25),
                "meeting_comments": "Tập thể thống nhất.",
                "minutes": minutes_file(),
            },
            today=TODAY,
        )

    def appraise(self, case, level="good", user=None, score=None):
        data = {"proposal_level": level, "proposal_comment": "Đủ điều kiện."}
        if score is not None:
            data["score"] = Decimal(str(score))
        return perform(case, "appraise", user or self.users["quantri"], data=data, today=TODAY)

    def decide(self, case, level="good", user=None, ref="15/QĐ-STN"):
        return perform(
            case,
            "decide",
            user or self.users["giamdoc"],
            data={
                "decision_level": level,
                "decision_ref": ref,
                "decision_date": DECISION_DAY,
            },
            today=DECISION_DAY,
        )

    def to_appraised(self, case, level="good"):
        self.self_assess(case, level)
        self.review(case)
        self.appraise(case, level)
        case.refresh_from_db()
        return case

    def decided(self, person, level="good"):
        case = self.to_appraised(self.case_for(person), level)
        self.decide(case, level)
        case.refresh_from_db()
        return case

    def agency_to_appraised(self, agency, score=85, level="good", appraiser=None):
        case = self.agency_case(agency)
        subject_user = self.users[
            {
                self.unit.pk: "truongphong",
                self.unit2.pk: "truongphong2",
                self.department.pk: "giamdoc",
            }[agency.pk]
        ]
        perform(
            case,
            "self_assess",
            subject_user,
            data={
                "self_assessment": "Hoàn thành kế hoạch năm.",
                "self_level": level,
            },
            today=TODAY,
        )
        perform(
            case,
            "review",
            subject_user,
            data={
                "meeting_date": datetime.date(2026, 11, 25),
                "meeting_comments": "Thống nhất.",
                "minutes": minutes_file(),
            },
            today=TODAY,
        )
        self.appraise(case, level, user=appraiser, score=score)
        case.refresh_from_db()
        return case


def build_rating_world() -> RatingWorld:
    province = ProvinceFactory()
    department = AgencyFactory(parent=province, code="STN", name="Sở Thử nghiệm")
    unit = UnitFactory(parent=department, code="STN-P1", name="Phòng Một")
    unit2 = UnitFactory(parent=department, code="STN-P2", name="Phòng Hai")
    other = AgencyFactory(parent=province, code="SKH", name="Sở Khác")
    world = RatingWorld(province, department, unit, unit2, other)
    leadership = JobPositionFactory(code="LD", group=PositionGroup.LEADERSHIP)
    roles = [
        ("chutich", province, LeadershipRole.HEAD, "Trần Chủ Tịch", [UNIT_LEADER_GROUP]),
        ("giamdoc", department, LeadershipRole.HEAD, "Lê Giám Đốc", [UNIT_LEADER_GROUP]),
        ("phogiamdoc", department, LeadershipRole.DEPUTY, "Phạm Phó Giám Đốc", [UNIT_LEADER_GROUP]),
        ("truongphong", unit, LeadershipRole.HEAD, "Ngô Trưởng Phòng", [UNIT_LEADER_GROUP]),
        ("truongphong2", unit2, LeadershipRole.HEAD, "Võ Trưởng Phòng Hai", [UNIT_LEADER_GROUP]),
        ("giamdockhac", other, LeadershipRole.HEAD, "Đỗ Giám Đốc Khác", [UNIT_LEADER_GROUP]),
    ]
    for username, agency, role, name, groups in roles:
        person = post(agency, role=role, full_name=name, job_position=leadership)
        world.people[username] = person
        world.users[username] = with_user(person, username, groups)
        if agency is not province:
            annual_score(person, 88, agency, role=role, group=PositionGroup.LEADERSHIP)
    world.users["quantri"] = UserFactory(username="quantri", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(
        user=world.users["quantri"], agency=department, role=AccessRole.AGENCY_ADMIN
    )
    world.users["quantrikhac"] = UserFactory(username="quantrikhac", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=world.users["quantrikhac"], agency=other, role=AccessRole.AGENCY_ADMIN)
    world.users["sonoivu"] = UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP])
    return world


def reload(case) -> RatingCase:
    return RatingCase.objects.get(pk=case.pk)
