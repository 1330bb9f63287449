"""The Party, Front and public-service bodies, viên chức and contract workers of Thanh An
(issue 18 item 5; data in ``demo.data.bodies``, rules in docs/scope.md).

Three steps, called by ``demo.loader`` around the other demo modules:

1. :func:`load_bodies` (after the state administration, before the catalogs): the agencies,
   their people with their categories, the contract workers and the departments' switches, and
   the criteria framework for viên chức (``scoring.AppliesTo.PUBLIC_EMPLOYEE``), published and
   assigned to the whole province from 1/1/2026 — a copy of the Decree 335 framework under its
   own name, **[giả định — tỉnh cần xác nhận]**: no seed gives criteria of its own for viên
   chức (Nghệ An §II.2 only brings them into the KPI system).
2. The catalog and scoring demos then treat the bodies like the departments (their catalogs are
   ``BODY_PRODUCTS``; their people get lines and marks from their own random stream).
3. :func:`load_bodies_ratings` (after the scoring demo): the 2026 rating cases of the bodies and
   of the department with contract workers, and a sign-in for every role holder of those cases.

Idempotent: every row is keyed on a natural key (agency code, official id, framework code), and
the people are generated from a fixed seed of their own, so the state administration's people
keep the random draws they had before the bodies existed.
"""

import copy
import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction

from demo.common import DEMO_PASSWORD
from demo.data import bodies as data
from demo.data.names import full_name
from demo.ratings_demo import _sign_ins_for_case_roles
from org.access import AGENCY_ADMIN_GROUP
from org.models import (
    AccessRole,
    Agency,
    AgencyAccess,
    AgencyKind,
    CivilServant,
    JobPosition,
    Posting,
)
from ratings.actors import APPRAISER, resolve_actors
from ratings.models import CaseState, RatingCase
from ratings.services.cases import open_cases, open_civil_servant_case
from scoring.models import AnnualScore, AppliesTo, CriteriaFramework, FrameworkAssignment
from scoring.services.frameworks import live_framework

SEED = 3355
YEAR = 2026
YEAR_START = datetime.date(YEAR, 1, 1)
FRAMEWORK_CODE = "vien-chuc-thanh-an"
FRAMEWORK_NAME = "Khung đánh giá viên chức tỉnh Thanh An (mẫu)"
FRAMEWORK_BASIS = (
    "Luật Viên chức; KH Nghệ An §II.2 (KPI cho cán bộ, công chức, viên chức). Tiêu chí sao từ "
    "khung Nghị định 335 [giả định — tỉnh cần xác nhận]: chưa có văn bản của tỉnh về tiêu chí "
    "riêng cho viên chức."
)


@dataclass
class BodiesSummary:
    agencies: int = 0
    people: int = 0
    contract_workers: int = 0
    framework: str = ""
    users: list[tuple[str, str]] = field(default_factory=list)


def is_body_person(official_id: str) -> bool:
    """Is this one of the people the bodies add (their own random stream in the demos)?"""
    return official_id.startswith((data.BODY_ID_PREFIX, data.CONTRACT_ID_PREFIX))


def _positions() -> dict[str, JobPosition]:
    for code, name, group, level in data.POSITIONS:
        JobPosition.objects.get_or_create(
            code=code, defaults={"name": name, "group": group, "level": level}
        )
    return {p.code: p for p in JobPosition.objects.all()}


def _agencies() -> dict[str, Agency]:
    found = {}
    for spec in data.BODIES:
        parent = found.get(spec["parent"]) or (
            Agency.objects.get(code=spec["parent"]) if spec["parent"] else None
        )
        found[spec["code"]], _ = Agency.objects.update_or_create(
            code=spec["code"],
            defaults={"name": spec["name"], "kind": spec["kind"], "parent": parent},
        )
    for code, switched_on in data.CONTRACT_SWITCH.items():
        Agency.objects.filter(code=code).update(applies_to_contract_workers=switched_on)
    return found


def _person(rng, official_id, agency, position, role, title, category) -> CivilServant:
    name, gender = full_name(rng)
    birth_year = rng.randint(1968, 1998)
    hired = datetime.date(rng.randint(2008, 2024), rng.randint(1, 12), 1)
    person, _ = CivilServant.objects.update_or_create(
        official_id=official_id,
        defaults={
            "full_name": name,
            "gender": gender,
            "date_of_birth": datetime.date(birth_year, rng.randint(1, 12), rng.randint(1, 28)),
            "email": f"{official_id.lower()}@thanhan.gov.vn",
            "is_active": True,
        },
    )
    Posting.objects.update_or_create(
        civil_servant=person,
        agency=agency,
        start_date=hired,
        defaults={"job_position": position, "role": role, "title": title, "category": category},
    )
    return person


@transaction.atomic
def load_bodies() -> BodiesSummary:
    summary = BodiesSummary()
    rng = random.Random(SEED)
    positions = _positions()
    agencies = _agencies()
    serial = 0
    for spec in data.BODIES:
        for role, position, title, category in spec["people"]:
            serial += 1
            official = f"{data.BODY_ID_PREFIX}{serial:06d}"
            _person(
                rng, official, agencies[spec["code"]], positions[position], role, title, category
            )
            summary.people += 1
    for official, agency_code, position in data.CONTRACT_WORKERS:
        agency = Agency.objects.get(code=agency_code)
        _person(rng, official, agency, positions[position], data.STAFF, "", data.CONTRACT_WORKER)
        summary.contract_workers += 1
    summary.agencies = len(agencies)
    summary.framework = ensure_public_employee_framework().code
    return summary


def ensure_public_employee_framework():
    """The framework for viên chức: the live rules of the province's Decree 335 framework under
    its own code and name, published and assigned province-wide from 1/1/2026."""
    framework = CriteriaFramework.objects.filter(code=FRAMEWORK_CODE).first()
    if framework is None:
        source = (
            CriteriaFramework.objects.filter(applies_to=AppliesTo.CIVIL_SERVANT, live=True)
            .order_by("pk")
            .first()
        )
        rules = copy.deepcopy(source.live_revision.content["rules"])
        if isinstance(rules, dict):
            rules.update(code=FRAMEWORK_CODE, name=FRAMEWORK_NAME)
        framework = CriteriaFramework(
            name=FRAMEWORK_NAME,
            code=FRAMEWORK_CODE,
            period_type=source.period_type,
            applies_to=AppliesTo.PUBLIC_EMPLOYEE,
            rules=rules,
            description="Khung mẫu của tỉnh Thanh An cho viên chức (dữ liệu mẫu).",
            legal_basis=FRAMEWORK_BASIS,
        )
        framework.save()
        framework.save_revision().publish()
        framework.refresh_from_db()
    assert live_framework(framework) is not None
    FrameworkAssignment.objects.get_or_create(
        framework=framework,
        agency=None,
        effective_from=YEAR_START,
        defaults={"decision_ref": "30/QĐ-UBND", "note": "Dữ liệu mẫu"},
    )
    return framework


def load_bodies_ratings() -> BodiesSummary:
    """Rating cases of 2026 for the bodies and for the department whose contract workers are
    scored, with a sign-in for every role holder (as ``demo.ratings_demo`` does for Sở Tư
    pháp) and an agency-admin sign-in (``quantri.<code>``) where a case's appraiser — the HR
    side of the rater's agency — has none. The heads of the Party and Front roots, and the
    roots as agencies, get no case: the central level rates them (docs/scope.md §3)."""
    summary = BodiesSummary()
    day = datetime.date(YEAR, 11, 1)
    roots = [spec["code"] for spec in data.BODIES if spec["parent"] is None]
    subtrees = [spec["code"] for spec in data.BODIES if spec["parent"] in roots]
    subtrees += ["SYT-BVDK", *(code for code, on in data.CONTRACT_SWITCH.items() if on)]
    with transaction.atomic():
        for code in subtrees:
            open_cases(YEAR, Agency.objects.get(code=code))
        for code in roots:
            heads = Posting.objects.filter(agency__code=code, role=data.HEAD)
            for annual in AnnualScore.objects.filter(year=YEAR, agency__code=code).exclude(
                civil_servant_id__in=heads.values("civil_servant_id")
            ):
                open_civil_servant_case(annual)
        for code in [*roots, *subtrees]:
            agency = Agency.objects.get(code=code)
            _appraiser_sign_ins(agency, summary)
            listed = {username for username, _role in summary.users}
            summary.users += [
                user for user in _sign_ins_for_case_roles(agency, day) if user[0] not in listed
            ]
    return summary


def _appraiser_sign_ins(agency, summary) -> None:
    """``quantri.<code>`` (agency admin of the rater's agency) for each case of ``agency``'s
    subtree that nobody could appraise."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    cases = RatingCase.objects.filter(year=YEAR, agency__path__startswith=agency.path).exclude(
        state=CaseState.CANCELLED
    )
    for case in cases.order_by("id"):
        actors = resolve_actors(case)
        target = actors.appraisal_agency
        if target is None or target.kind == AgencyKind.PROVINCE or actors.users_for(APPRAISER):
            continue
        username = f"quantri.{target.code.lower()}"
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.full_name = f"Quản trị {target.name}"
            user.email = f"{username}@thanhan.gov.vn"
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=AGENCY_ADMIN_GROUP))
        AgencyAccess.objects.update_or_create(
            user=user, agency=target, defaults={"role": AccessRole.AGENCY_ADMIN}
        )
        summary.users.append((username, f"Quản trị cơ quan — {target.name} (thẩm định)"))
