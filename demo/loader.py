"""Builds the fictional province of Thanh An: agencies, units, job positions, ~300 civil servants
with heads and deputies, one mid-year transfer, and demo sign-ins for every role.

Idempotent: every row is keyed on a natural key (agency code, position code, official ID), and
people are generated from a fixed random seed, so running it twice changes nothing.
"""

import datetime
import random
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext

from audit import history
from demo.base_data import ensure_base_data
from demo.blocs_demo import load_blocs_demo
from demo.bodies_demo import load_bodies, load_bodies_ratings
from demo.catalog_demo import load_catalog_demo
from demo.common import DEMO_PASSWORD
from demo.common_catalog_demo import load_common_catalog_demo
from demo.competencies_demo import load_competencies_demo
from demo.dashboards_demo import load_dashboards_demo
from demo.data.job_positions import JOB_POSITIONS, POSITION_FOR_UNIT_HINTS
from demo.data.names import full_name
from demo.data.province import COMMUNES, DEPARTMENTS, PROVINCE
from demo.job_descriptions_demo import load_job_descriptions_demo
from demo.org_scoring_demo import SCORED_AS_OF, load_org_scoring_demo
from demo.org_scoring_demo import YEAR as ORGANISATION_YEAR
from demo.oversight_demo import load_oversight_demo
from demo.period_complaints_demo import load_period_complaints_demo
from demo.personnel_file_demo import load_personnel_file_demo
from demo.proposals_demo import load_proposals_demo
from demo.quarterly_demo import load_quarterly_demo
from demo.ratings_demo import load_ratings_demo
from demo.reports_demo import load_reports_demo
from demo.scoring_demo import load_scoring_demo
from demo.support_demo import load_support_demo
from demo.worklog_demo import load_worklog_demo
from org.access import (
    AGENCY_ADMIN_GROUP,
    CIVIL_SERVANT_GROUP,
    HOME_AFFAIRS_GROUP,
    UNIT_LEADER_GROUP,
)
from org.models import (
    AccessRole,
    Agency,
    AgencyAccess,
    AgencyKind,
    CivilServant,
    DeputyCharge,
    JobPosition,
    LeadershipRole,
    PositionGroup,
    PositionLevel,
    Posting,
)
from org.roles import ensure_roles
from org_scoring.services import score_organisations
from scoring.services.freshness import refresh_derived
from scoring.services.rescoring import paused

SEED = 335
YEAR_START = datetime.date(2026, 1, 1)
TRANSFER_DATE = datetime.date(2026, 7, 1)

# Leadership positions the loader needs; added if the data module lacks them.
LEADERSHIP = {
    "province_head": ("LD-CTT", "Chủ tịch Ủy ban nhân dân tỉnh", PositionLevel.PROVINCE),
    "department_head": ("LD-GD", "Giám đốc sở", PositionLevel.PROVINCE),
    "department_deputy": ("LD-PGD", "Phó Giám đốc sở", PositionLevel.PROVINCE),
    "unit_head": ("LD-TP", "Trưởng phòng", PositionLevel.PROVINCE),
    "unit_deputy": ("LD-PTP", "Phó Trưởng phòng", PositionLevel.PROVINCE),
    "commune_head": ("LD-CTX", "Chủ tịch Ủy ban nhân dân xã", PositionLevel.COMMUNE),
    "commune_deputy": ("LD-PCTX", "Phó Chủ tịch Ủy ban nhân dân xã", PositionLevel.COMMUNE),
    "commune_unit_head": ("LD-TPX", "Trưởng phòng thuộc Ủy ban nhân dân xã", PositionLevel.COMMUNE),
    "commune_unit_deputy": (
        "LD-PTPX",
        "Phó Trưởng phòng thuộc Ủy ban nhân dân xã",
        PositionLevel.COMMUNE,
    ),
}


@dataclass
class DemoSummary:
    agencies: int = 0
    job_positions: int = 0
    civil_servants: int = 0
    postings: int = 0
    catalogs: int = 0
    scores: int = 0
    periods: int = 0
    rating_cases: int = 0
    organisation_scores: int = 0
    users: list[tuple[str, str]] = field(default_factory=list)
    #: people whose multi-year view shows a flag (docs/hr-decisions.md)
    hr_history: list[tuple[str, str]] = field(default_factory=list)


class DemoBuilder:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.serial = 0
        self.positions: dict[str, JobPosition] = {}

    # --- org tree -------------------------------------------------------------------------

    def agency(self, code, name, kind, parent=None) -> Agency:
        agency, _ = Agency.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "parent": parent, "is_active": True}
        )
        return agency

    def build_tree(self):
        province = self.agency(PROVINCE["code"], PROVINCE["name"], AgencyKind.PROVINCE)
        tree = []
        for spec in [*DEPARTMENTS, *COMMUNES]:
            top = self.agency(spec["code"], spec["name"], spec["kind"], province)
            units = [self.agency(u["code"], u["name"], AgencyKind.UNIT, top) for u in spec["units"]]
            tree.append((top, units))
        return province, tree

    def build_positions(self):
        for spec in JOB_POSITIONS:
            self.positions[spec["code"]], _ = JobPosition.objects.update_or_create(
                code=spec["code"],
                defaults={"name": spec["name"], "group": spec["group"], "level": spec["level"]},
            )
        for code, name, level in LEADERSHIP.values():
            if code not in self.positions:
                self.positions[code], _ = JobPosition.objects.update_or_create(
                    code=code,
                    defaults={"name": name, "group": PositionGroup.LEADERSHIP, "level": level},
                )

    def leadership(self, key) -> JobPosition:
        return self.positions[LEADERSHIP[key][0]]

    def staff_position(self, unit: Agency, top: Agency) -> JobPosition:
        level = PositionLevel.COMMUNE if top.kind == AgencyKind.COMMUNE else PositionLevel.PROVINCE
        hinted = POSITION_FOR_UNIT_HINTS.get(unit.code) or POSITION_FOR_UNIT_HINTS.get(top.code)
        codes = [c for c in (hinted or []) if c in self.positions]
        if not codes or self.rng.random() < 0.15:
            # Now and then a support/service position (văn thư, kế toán…).
            group = PositionGroup.SUPPORT if self.rng.random() < 0.5 or not codes else None
            if group:
                pool = [
                    p for p in self.positions.values() if p.group == group and p.level == level
                ] or [p for p in self.positions.values() if p.group == group]
                if pool:
                    return self.rng.choice(sorted(pool, key=lambda p: p.code))
        if not codes:
            pool = [
                p
                for p in self.positions.values()
                if p.group == PositionGroup.PROFESSIONAL and p.level == level
            ]
            return self.rng.choice(sorted(pool, key=lambda p: p.code))
        return self.positions[self.rng.choice(sorted(codes))]

    # --- people ---------------------------------------------------------------------------

    def person(self, agency, position, role, title="", start=YEAR_START, end=None) -> CivilServant:
        self.serial += 1
        name, gender = full_name(self.rng)
        birth_year = self.rng.randint(1968, 1998)
        person, _ = CivilServant.objects.update_or_create(
            official_id=f"TNA{self.serial:06d}",
            defaults={
                "full_name": name,
                "gender": gender,
                "date_of_birth": datetime.date(
                    birth_year, self.rng.randint(1, 12), self.rng.randint(1, 28)
                ),
                "email": f"cc{self.serial:06d}@thanhan.gov.vn",
                "is_active": True,
            },
        )
        hired = datetime.date(self.rng.randint(2008, 2024), self.rng.randint(1, 12), 1)
        Posting.objects.update_or_create(
            civil_servant=person,
            agency=agency,
            start_date=min(hired, start) if start == YEAR_START else start,
            defaults={"job_position": position, "role": role, "title": title, "end_date": end},
        )
        return person

    def staff_unit(self, top, unit, head_key, deputy_key, staff_count):
        head = self.person(
            unit,
            self.leadership(head_key),
            LeadershipRole.HEAD,
            title=self.leadership(head_key).name,
        )
        if self.rng.random() < 0.5:  # about half the units have a deputy head
            self.person(
                unit,
                self.leadership(deputy_key),
                LeadershipRole.DEPUTY,
                title=self.leadership(deputy_key).name,
            )
        staff = [
            self.person(unit, self.staff_position(unit, top), LeadershipRole.STAFF)
            for _ in range(staff_count)
        ]
        return head, staff

    def build_people(self, province, tree):
        self.person(
            province,
            self.leadership("province_head"),
            LeadershipRole.HEAD,
            title="Chủ tịch Ủy ban nhân dân tỉnh",
        )
        unit_heads, unit_staff = {}, {}
        for top, units in tree:
            is_commune = top.kind == AgencyKind.COMMUNE
            head_key = "commune_head" if is_commune else "department_head"
            deputy_key = "commune_deputy" if is_commune else "department_deputy"
            self.person(
                top,
                self.leadership(head_key),
                LeadershipRole.HEAD,
                title=self.leadership(head_key).name,
            )
            for _ in range(2):
                self.person(
                    top,
                    self.leadership(deputy_key),
                    LeadershipRole.DEPUTY,
                    title=self.leadership(deputy_key).name,
                )
            for unit in units:
                low, high = (1, 2) if is_commune else (1, 3)
                head, staff = self.staff_unit(
                    top,
                    unit,
                    "commune_unit_head" if is_commune else "unit_head",
                    "commune_unit_deputy" if is_commune else "unit_deputy",
                    self.rng.randint(low, high),
                )
                unit_heads[unit.code], unit_staff[unit.code] = head, staff
        return unit_heads, unit_staff

    def assign_deputy_charges(self, tree):
        """Each department's two deputy directors share its units (the first half, the rest),
        by the director's assignment decision at the start of the year."""

        for top, units in tree:
            if top.kind == AgencyKind.COMMUNE or not units:
                continue
            deputies = [
                posting.civil_servant
                for posting in Posting.objects.filter(agency=top, role=LeadershipRole.DEPUTY)
                .select_related("civil_servant")
                .order_by("id")
            ]
            half = (len(units) + 1) // 2
            for deputy, share in zip(deputies, (units[:half], units[half:]), strict=False):
                if not share:
                    continue
                charge, _created = DeputyCharge.objects.get_or_create(
                    deputy=deputy,
                    start_date=datetime.date(2026, 1, 1),
                    defaults={"decision_ref": f"01/QĐ-{top.code}"},
                )
                charge.units.set(share)
                charge.save()

    def mid_year_transfer(self, tree, unit_staff):
        """The first staff member of the first department's first unit moves, on 1/7, to a
        unit of the last commune (a real transfer: the old posting is closed, not edited)."""
        first_unit = tree[0][1][0]
        target_unit = tree[-1][1][0]
        person = unit_staff[first_unit.code][0]
        old = person.postings.get(agency=first_unit)
        old.end_date = TRANSFER_DATE - datetime.timedelta(days=1)
        old.save()
        Posting.objects.update_or_create(
            civil_servant=person,
            agency=target_unit,
            start_date=TRANSFER_DATE,
            defaults={
                "job_position": self.staff_position(target_unit, tree[-1][0]),
                "role": LeadershipRole.STAFF,
                "decision_ref": "125/QĐ-UBND",
            },
        )
        return person

    # --- sign-ins -------------------------------------------------------------------------

    def user(self, username, full, groups=(), superuser=False, person=None):
        User = get_user_model()
        user, _ = User.objects.get_or_create(username=username)
        user.full_name = full
        user.is_staff = superuser
        user.is_superuser = superuser
        user.email = f"{username}@thanhan.gov.vn"
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=g) for g in groups])
        if person is not None:
            CivilServant.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
            person.user = user
            person.save(update_fields=["user"])
        return user

    def build_users(self, tree, unit_heads, unit_staff):
        ensure_roles()
        department, units = (
            next((t, u) for t, u in tree if t.code == "STP")
            if any(t.code == "STP" for t, _ in tree)
            else tree[1]
        )
        unit = units[0]
        head = unit_heads[unit.code]
        staff = unit_staff[unit.code][0]
        users = [
            self.user("sonoivu", "Cán bộ Sở Nội vụ", [HOME_AFFAIRS_GROUP]),
            self.user(
                f"quantri.{department.code.lower()}",
                f"Quản trị {department.name}",
                [AGENCY_ADMIN_GROUP],
            ),
            self.user("lanhdao.phong", head.full_name, [UNIT_LEADER_GROUP], person=head),
            self.user("congchuc", staff.full_name, [CIVIL_SERVANT_GROUP], person=staff),
        ]
        AgencyAccess.objects.update_or_create(
            user=users[1], agency=department, defaults={"role": AccessRole.AGENCY_ADMIN}
        )
        AgencyAccess.objects.update_or_create(
            user=users[2], agency=unit, defaults={"role": AccessRole.UNIT_LEADER}
        )
        return [
            (users[0].username, "Sở Nội vụ — toàn tỉnh"),
            (users[1].username, f"Quản trị cơ quan — {department.name}"),
            (users[2].username, f"Lãnh đạo đơn vị — {unit.name}"),
            (users[3].username, f"Công chức — {staff.full_name}"),
        ]


@transaction.atomic
def refresh_planner_statistics() -> None:
    """PostgreSQL: ANALYZE after a bulk load, as after any restore. Without it the planner
    keeps the statistics of the empty tables (autovacuum comes later, and never inside a
    transaction) and picks nested loops that make the next steps minutes instead of seconds.
    Allowed inside a transaction; rows the transaction inserted are counted."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def load_demo() -> DemoSummary:
    """The demo province; it scores its periods itself, so no background run is queued for
    each row it writes (``scoring.services.rescoring``). The change history says how its rows
    came ("Nạp tỉnh mẫu (load_demo)"), whoever calls it — the command, a test, the rehearsal —
    unless the caller says otherwise (``audit.history.acting``)."""
    said = history.current_reason() or history.current_user() is not None
    with (
        paused(),
        nullcontext() if said else history.acting(None, gettext("Nạp tỉnh mẫu (load_demo)")),
    ):
        return _load_demo()


def _load_demo() -> DemoSummary:
    ensure_base_data()

    builder = DemoBuilder()
    province, tree = builder.build_tree()
    builder.build_positions()
    unit_heads, unit_staff = builder.build_people(province, tree)
    builder.mid_year_transfer(tree, unit_staff)
    builder.assign_deputy_charges(tree)
    users = builder.build_users(tree, unit_heads, unit_staff)

    load_bodies()
    refresh_planner_statistics()

    load_job_descriptions_demo()
    load_competencies_demo()  # issue 45 item 2: one unit whose framework weighs competencies
    catalogs = load_catalog_demo()
    load_common_catalog_demo()
    scoring = load_scoring_demo()
    ratings = load_ratings_demo()
    bodies = load_bodies_ratings()
    quarter = load_quarterly_demo()  # its confirmed tasks join the organisation tasks
    load_period_complaints_demo()
    organisations = load_org_scoring_demo()
    load_worklog_demo()
    load_dashboards_demo()
    load_reports_demo()
    load_proposals_demo()
    blocs = load_blocs_demo()

    # Last: an agency whose people come only from the file its clerk sent (issue 32).
    load_personnel_file_demo()
    load_support_demo()

    # Its organisation row of the year too (no tasks yet), as a second load would write it.
    score_organisations(ORGANISATION_YEAR, as_of=SCORED_AS_OF)
    # After it, so the province's milestones bind that agency too from the first load (a
    # second load adds nothing).
    load_oversight_demo()
    refresh_planner_statistics()

    # The steps above change inputs after the years were scored (an upheld complaint, an
    # organisation's decided level): bring every figure they made stale up to date here, so
    # the demo opens with no "đang tính lại" and a test in one transaction sees it settled.
    refresh_derived()

    listed = {username for username, _role in users}
    users = [*users, *(u for u in [*ratings.users, *quarter.users] if u[0] not in listed)]
    listed = {username for username, _role in users}
    users = [*users, *(u for u in bodies.users if u[0] not in listed)]
    users = [*users, *blocs]
    return DemoSummary(
        catalogs=catalogs["catalogs"],
        scores=scoring.scores_written,
        periods=len(scoring.periods),
        rating_cases=ratings.cases_created + ratings.cases_existing,
        organisation_scores=organisations.scored,
        agencies=Agency.objects.count(),
        job_positions=JobPosition.objects.count(),
        civil_servants=CivilServant.objects.count(),
        postings=Posting.objects.count(),
        users=users,
        hr_history=ratings.hr_history,
    )
