"""Rating-process demo for the province of Thanh An (call after ``load_demo`` and, for the
civil-servant cases, after the scoring demo).

* The 2026 rating calendar with the decree's dates; Sở Tài chính on the special (15 January)
  schedule — its budget year closes in January.
* A bonus regulation (quy chế chi thu nhập tăng thêm) for Sở Tư pháp.
* Sign-ins for the two raters the demo flow needs: the director of Sở Tư pháp
  (``giamdoc.stp``) and the province chairman (``chutich.tinh``), password ``DEMO_PASSWORD``.
* The 2026 cases of Sở Tư pháp (its civil servants with an annual score, its units and itself),
  all waiting for self-assessment: ``congchuc`` self-assesses → ``lanhdao.phong`` records the
  meeting → ``quantri.stp`` appraises → ``giamdoc.stp`` decides.
* A sign-in (same password) for **every person who holds a role on one of these cases** — the
  subject, the head who holds the meeting, the rater, the opinion holder — so that every case,
  up to the director's (decided by the chairman after Sở Tư pháp and its units), can reach a
  decision: ``truongphong.<unit>`` for unit heads, ``photruongphong.<unit>`` for their
  deputies, ``phogiamdoc<n>.stp`` for the deputy directors, ``congchuc.<unit>.<n>`` for staff
  (``<unit>`` is the unit's code without the department prefix, e.g. ``xdvb``).
* Notified rating cases of 2023–2025 for Sở Tư pháp's staff (``load_hr_history_demo``): one
  person with two consecutive years "not completed", one with three years "excellent", one
  "completed" in 2025 — the flags of the multi-year view for HR decisions.

Idempotent: rows are keyed on natural keys; a second run creates nothing.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from demo.common import DEMO_PASSWORD
from org.access import CIVIL_SERVANT_GROUP, UNIT_LEADER_GROUP
from org.authority import head_posting
from org.models import (
    AGENCY_KINDS,
    Agency,
    AgencyKind,
    CivilServant,
    LeadershipRole,
    PersonCategory,
)
from org.roles import ensure_roles
from ratings.actors import resolve_actors
from ratings.models import AgencySchedule, BonusRegulation, CaseState, RatingCalendar, RatingCase
from ratings.models.choices import CaseKind
from ratings.services.cases import open_cases

YEAR = 2026
# Staff sign-ins by person category: (login prefix, role text).
STAFF_SIGN_IN = {
    "other": ("congchuc", "Công chức"),
    PersonCategory.PUBLIC_EMPLOYEE: ("vienchuc", "Viên chức"),
    PersonCategory.CONTRACT_WORKER: ("hopdong", "Người lao động hợp đồng"),
}
RATING_AGENCY = "STP"
SPECIAL_AGENCY = "STC"
BONUS = {
    "annual_excellent": "1.50",
    "annual_good": "1.20",
    "annual_completed": "1.00",
    "annual_not_completed": "0",
    "period_excellent": "0.50",
    "period_good": "0.30",
    "period_completed": "0.10",
    "period_not_completed": "0",
}


@dataclass
class RatingsDemoSummary:
    cases_created: int = 0
    cases_existing: int = 0
    users: list[tuple[str, str]] = field(default_factory=list)
    #: the people whose multi-year view shows a flag (name, what it shows)
    hr_history: list[tuple[str, str]] = field(default_factory=list)


def _sign_in(username: str, person: CivilServant | None, role: str, group=UNIT_LEADER_GROUP):
    if person is None:
        return None
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.full_name = person.full_name
        user.email = f"{username}@thanhan.gov.vn"
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=group))
    if person.user_id != user.pk:
        CivilServant.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
        person.user = user
        person.save(update_fields=["user"])
    return (username, role)


@transaction.atomic
def load_ratings_demo() -> RatingsDemoSummary:
    summary = RatingsDemoSummary()
    ensure_roles()
    RatingCalendar.objects.get_or_create(
        year=YEAR,
        defaults={"note": "Nghị định 335/2025/NĐ-CP, Điều 21; Kế hoạch UBND tỉnh, mục IV.4.1."},
    )
    special = Agency.objects.filter(code=SPECIAL_AGENCY).first()
    if special is not None:
        AgencySchedule.objects.get_or_create(
            agency=special,
            defaults={
                "special": True,
                "decision_ref": "1520/UBND-NC",
                "note": "Quyết toán ngân sách năm kết thúc vào tháng 01 năm sau.",
            },
        )
    agency = Agency.objects.filter(code=RATING_AGENCY).first()
    if agency is None:
        return summary
    BonusRegulation.objects.get_or_create(
        agency=agency,
        effective_from=datetime.date(YEAR, 1, 1),
        defaults={
            "name": f"Quy chế chi thu nhập tăng thêm năm {YEAR} của {agency.name}",
            "decision_ref": "12/QĐ-STP",
            **{key: Decimal(value) for key, value in BONUS.items()},
        },
    )
    day = datetime.date(YEAR, 11, 1)
    province = Agency.objects.filter(kind=AgencyKind.PROVINCE).first()
    director = head_posting(agency, day)
    chairman = head_posting(province, day) if province else None
    for item in (
        _sign_in(
            "giamdoc.stp",
            director.civil_servant if director else None,
            f"Giám đốc {agency.name} — quyết định xếp loại",
        ),
        _sign_in(
            "chutich.tinh",
            chairman.civil_servant if chairman else None,
            "Chủ tịch UBND tỉnh — xếp loại giám đốc sở, cho ý kiến phó giám đốc",
        ),
    ):
        if item:
            summary.users.append(item)
    report = open_cases(YEAR, agency)
    summary.cases_created = len(report.created)
    summary.cases_existing = report.existing
    listed = {username for username, _role in summary.users}
    summary.users += [u for u in _sign_ins_for_case_roles(agency, day) if u[0] not in listed]
    summary.hr_history = load_hr_history_demo(agency)
    return summary


#: Decided levels of the years before the software (entered from the personnel files), so the
#: multi-year view for HR decisions (docs/hr-decisions.md) shows its flags on the demo.
PAST_YEARS = (2023, 2024, 2025)
FEATURED = (
    # (levels of 2023, 2024, 2025, what the multi-year view shows)
    (("good", "not_completed", "not_completed"), "2 năm liên tiếp không hoàn thành nhiệm vụ"),
    (("excellent", "excellent", "excellent"), "3 năm liên tiếp hoàn thành xuất sắc nhiệm vụ"),
    (("good", "good", "completed"), "hoàn thành nhiệm vụ năm 2025: nhu cầu bồi dưỡng"),
)


def load_hr_history_demo(agency) -> list[tuple[str, str]]:
    """Notified rating cases of 2023–2025 for the staff of ``agency`` posted there since before
    2023: "good" each year, except three people (``FEATURED``). Idempotent
    (one case per person and year). Returns (name, what their multi-year view shows)."""
    staff = list(
        CivilServant.objects.filter(
            postings__agency__path__startswith=agency.path,
            postings__role=LeadershipRole.STAFF,
            postings__start_date__lte=datetime.date(PAST_YEARS[0], 1, 1),
            postings__end_date__isnull=True,
        )
        .distinct()
        .select_related("user")
        .order_by("official_id")
    )
    # Not the demo's main civil servant (``congchuc``), whose guide screenshots stay as they are.
    featured = [p for p in staff if not (p.user and p.user.username == "congchuc")]
    featured = featured[: len(FEATURED)]
    shown = []
    for person in staff:
        levels = ("good",) * len(PAST_YEARS)
        if person in featured:
            levels, text = FEATURED[featured.index(person)]
            shown.append((person.full_name, text))
        posting = person.postings.filter(agency__path__startswith=agency.path).first()
        for year, level in zip(PAST_YEARS, levels, strict=True):
            if RatingCase.objects.filter(civil_servant=person, year=year).exists():
                continue
            RatingCase.objects.create(
                kind=CaseKind.CIVIL_SERVANT,
                year=year,
                civil_servant=person,
                agency=posting.agency,
                rater_agency=agency,
                role=posting.role,
                position_group=posting.job_position.group,
                state=CaseState.NOTIFIED,
                decision_level=level,
                decision_ref=f"{year % 100:02d}{person.pk:04d}/QĐ-STP",
                decision_date=datetime.date(year, 12, 12),
                notified_at=timezone.make_aware(datetime.datetime(year, 12, 15, 9)),
            )
    return shown


def _case_role_holders(agency, day) -> list[CivilServant]:
    """Everyone who holds a person's role on a case of ``agency``'s subtree: the subject (the
    person, or the head of the agency/unit), the head who holds the meeting, the rater and the
    opinion holder (``ratings.actors``), in a stable order."""
    cases = (
        RatingCase.objects.filter(year=YEAR, agency__path__startswith=agency.path)
        .exclude(state=CaseState.CANCELLED)
        .select_related("civil_servant", "subject_agency", "agency")
        .order_by("id")
    )
    people: dict[int, CivilServant] = {}
    for case in cases:
        actors = resolve_actors(case, day)
        holders = [actors.evaluator, actors.rater, actors.opinion]
        found = [case.civil_servant] + [h.person for h in holders if h is not None]
        for person in found:
            if person is not None:
                people.setdefault(person.pk, person)
    return sorted(people.values(), key=lambda p: p.official_id)


def _username_for(person: CivilServant, day, taken: set[str]) -> tuple[str, str, str]:
    """A readable demo login for ``person`` from their posting (role, unit), its role text and
    group."""
    posting = person.primary_posting_on(day) or person.postings.order_by("-start_date").first()
    unit = posting.agency
    short = unit.code.split("-", 1)[-1].lower()
    # The heads of the bodies of the Party, the Front and public service (demo.bodies_demo)
    # are "thutruong"; their staff sign in by their category (viên chức, contract worker).
    body = unit.kind in AGENCY_KINDS and unit.kind != AgencyKind.DEPARTMENT
    if posting.role == LeadershipRole.HEAD:
        if unit.kind == AgencyKind.DEPARTMENT:
            base = f"giamdoc.{short}"
        else:
            base = f"thutruong.{short}" if body else f"truongphong.{short}"
        text, group = f"{posting.title or 'Người đứng đầu'} — {unit.name}", UNIT_LEADER_GROUP
    elif posting.role == LeadershipRole.DEPUTY:
        if unit.kind == AgencyKind.DEPARTMENT:
            base = f"phogiamdoc{{n}}.{short}"
        else:
            base = f"phothutruong{{n}}.{short}" if body else f"photruongphong.{short}"
        text, group = f"{posting.title or 'Cấp phó'} — {unit.name}", UNIT_LEADER_GROUP
    else:
        prefix, label = STAFF_SIGN_IN.get(posting.category, STAFF_SIGN_IN["other"])
        base = f"{prefix}.{short}.{{n}}"
        text, group = f"{label} — {unit.name}", CIVIL_SERVANT_GROUP
    n = 1
    name = base.format(n=n)
    while name in taken:
        n += 1
        name = base.format(n=n) if "{n}" in base else f"{base}{n}"
    return name, text, group


def _sign_ins_for_case_roles(agency, day) -> list[tuple[str, str]]:
    """Give a sign-in to every role holder of the demo cases who has none (nobody acts "on
    behalf of" another, so a case whose actor cannot sign in could never be decided)."""
    User = get_user_model()
    taken = set(User.objects.values_list("username", flat=True))
    users = []
    for person in _case_role_holders(agency, day):
        username, text, group = _username_for(person, day, taken)
        if person.user_id is not None:  # an earlier run, or another demo sign-in
            username = person.user.username
        else:
            taken.add(username)
            _sign_in(username, person, text, group)
        users.append((username, f"{text} ({person.full_name})"))
    return users
