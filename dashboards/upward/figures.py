"""The figures of the annual reports owed upward, from DECIDED rating cases only.

A case counts when it is decided or notified with a decision level (``DECIDED_STATES``); a case
still in the process, on hold for a complaint (its decision is under review) or cancelled is
left out and only counted as "not decided" so that the report says how complete it is.

Figures (Đắk Lắk §IV.1, Gia Lai §V.2.đ, Lào Cai §III.1, plan 002 §III.1.c ask for "kết quả
đánh giá, xếp loại" without a form; these are the counts and shares the plans' tables of
results use):

* people: per level; per person category (cán bộ, công chức, viên chức, người lao động hợp
  đồng — the category of the posting that governs the year, ``org.categories``); per kind of
  the agency the person belongs to (sở, ban, ngành / UBND xã, phường …); per agency;
* organisations (agency cases): per level; per agency kind; the list of decided agencies;
* the excellent quota (Decree 335 Art. 20 cl. 5): people in quota categories decided excellent
  and good, and the share excellent / good, province-wide (the per-group guard is
  ``ratings.services.quota``).

Shares are percentages of the row's total, rounded half-up to 2 places.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from org.categories import rules_for
from org.models import AGENCY_KINDS, Agency, AgencyKind, PersonCategory
from ratings.models import CaseKind, CaseState, RatingCase
from scoring.models import Rating
from scoring.services.scope import governing_categories, year_bounds

LEVELS = tuple(Rating.values)
DECIDED_STATES = (CaseState.DECIDED, CaseState.NOTIFIED)


def share(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Distribution:
    """Counts per level of one row (a category, an agency kind, an agency…)."""

    key: str
    label: str
    counts: Counter = field(default_factory=Counter)

    def add(self, level: str) -> None:
        self.counts[level] += 1

    @property
    def total(self) -> int:
        return sum(self.counts[level] for level in LEVELS)

    def count(self, level: str) -> int:
        return self.counts[level]

    def share(self, level: str) -> Decimal:
        return share(self.counts[level], self.total)

    def cells(self) -> list[tuple[int, Decimal]]:
        """(count, share) per level, in the order of ``LEVELS``."""
        return [(self.count(level), self.share(level)) for level in LEVELS]


@dataclass
class Quota:
    excellent: int
    good: int

    @property
    def share(self) -> Decimal:
        return share(self.excellent, self.good)


@dataclass
class Figures:
    year: int
    scope: Agency | None
    people: Distribution
    people_by_category: list[Distribution]
    people_by_kind: list[Distribution]
    people_by_agency: list[Distribution]
    organisations: Distribution
    organisations_by_kind: list[Distribution]
    organisation_levels: list[tuple[Agency, str]]
    quota: Quota
    people_not_decided: int
    organisations_not_decided: int


def _rows(keys_labels, found: dict[str, Distribution]) -> list[Distribution]:
    """Every known key in order (an empty row is a figure too), then any unexpected one."""
    rows = [found.pop(key, Distribution(key, str(label))) for key, label in keys_labels]
    return rows + sorted(found.values(), key=lambda row: row.label)


def _owning(agency_id: int, agencies: dict[int, Agency]) -> Agency | None:
    node = agencies.get(agency_id)
    while node is not None and node.kind not in AGENCY_KINDS:
        parent_id = node.parent_id
        node = agencies.get(parent_id) if parent_id is not None else None
    return node


def _top(agency_id: int, agencies: dict[int, Agency]) -> Agency | None:
    """The department or commune (the agency right under the province) of a node."""
    node = agencies.get(agency_id)
    while node is not None and node.parent_id and agencies.get(node.parent_id) is not None:
        parent = agencies[node.parent_id]
        if parent.parent_id is None:
            return node
        node = parent
    return node


def compute(year: int, scope: Agency | None = None) -> Figures:
    """The figures of ``year`` for the agencies under ``scope`` (the whole province if None)."""
    agencies = {a.pk: a for a in Agency.objects.only("pk", "name", "kind", "parent_id", "path")}
    cases = RatingCase.objects.filter(year=year)
    if scope is not None:
        under = Q(agency__path__startswith=scope.path) | Q(
            subject_agency__path__startswith=scope.path
        )
        cases = cases.filter(under)
    decided = Q(state__in=DECIDED_STATES) & ~Q(decision_level="")
    rows = list(
        cases.filter(decided).values_list(
            "kind", "civil_servant_id", "agency_id", "subject_agency_id", "decision_level"
        )
    )
    not_decided = Counter(
        cases.exclude(decided).exclude(state=CaseState.CANCELLED).values_list("kind", flat=True)
    )
    people = [row for row in rows if row[0] == CaseKind.CIVIL_SERVANT]
    orgs = [row for row in rows if row[0] == CaseKind.AGENCY]
    categories = governing_categories({row[1] for row in people}, *year_bounds(year))

    total = Distribution("all", "")
    by_category: dict[str, Distribution] = {}
    by_kind: dict[str, Distribution] = {}
    by_agency: dict[str, Distribution] = {}
    quota = Quota(0, 0)
    kind_labels = dict(AgencyKind.choices)
    category_labels = dict(PersonCategory.choices)
    for _kind, person_id, agency_id, _subject, level in people:
        total.add(level)
        category = categories.get(person_id) or PersonCategory.CIVIL_SERVANT
        by_category.setdefault(
            category, Distribution(category, str(category_labels.get(category, category)))
        ).add(level)
        owner = _owning(agency_id, agencies)
        kind = owner.kind if owner else ""
        by_kind.setdefault(kind, Distribution(kind, str(kind_labels.get(kind, "—")))).add(level)
        top = _top(agency_id, agencies)
        key = str(top.pk) if top else ""
        by_agency.setdefault(key, Distribution(key, top.name if top else "—")).add(level)
        if rules_for(category).quota and level in (Rating.EXCELLENT, Rating.GOOD):
            if level == Rating.EXCELLENT:
                quota.excellent += 1
            else:
                quota.good += 1

    org_total = Distribution("all", "")
    org_by_kind: dict[str, Distribution] = {}
    org_levels = []
    for _kind, _person, agency_id, subject_id, level in orgs:
        subject = agencies.get(subject_id or agency_id)
        org_total.add(level)
        kind = subject.kind if subject else ""
        org_by_kind.setdefault(kind, Distribution(kind, str(kind_labels.get(kind, "—")))).add(level)
        if subject is not None:
            org_levels.append((subject, level))

    kind_order = [(k, kind_labels[k]) for k in AgencyKind.values if k != AgencyKind.PROVINCE]
    return Figures(
        year=year,
        scope=scope,
        people=total,
        people_by_category=_rows(PersonCategory.choices, by_category),
        people_by_kind=[row for row in _rows(kind_order, by_kind) if row.total],
        people_by_agency=sorted(by_agency.values(), key=lambda row: row.label),
        organisations=org_total,
        organisations_by_kind=[row for row in _rows(kind_order, org_by_kind) if row.total],
        organisation_levels=sorted(org_levels, key=lambda item: (item[0].path, item[0].name)),
        quota=quota,
        people_not_decided=not_decided[CaseKind.CIVIL_SERVANT],
        organisations_not_decided=not_decided[CaseKind.AGENCY],
    )
