"""Who a general-marks file is about: the criteria each person's framework gives them, and
the agency that rates them in the period (the owner of their marks)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from importers.kinds.general_marks.spec import (
    COMPETENCY_COMPONENT,
    LEADER_COMPONENT,
    LEADER_FIELDS,
)
from org.models import Agency, Posting
from scoring.services import competencies, contract_workers
from scoring.services.frameworks import FrameworkResolver
from scoring.services.postings import (
    overlapping,
    period_rule,
    pick_period_governing,
    posting_rows,
)


def rules_by_person(agency, period, members) -> dict:
    """official_id → the live rules of the framework of the person's unit and category (the
    framework for viên chức where one applies, docs/scope.md §2; ``None``: none)."""

    resolver = FrameworkResolver()
    paths = dict(
        Agency.objects.filter(pk__in={m.unit_id for m in members.values()}).values_list(
            "id", "path"
        )
    )
    result = {}
    for official, member in members.items():
        resolved = resolver.resolve(
            paths[member.unit_id], period.kind, period.start_date, member.category
        )
        result[official] = resolved.rules if resolved is not None else None
    return result


def criteria_by_person(agency, period, members, rules=None) -> dict[str, list | None]:
    """official_id → [(component code, SubCriterion)] from the framework of the person's unit;
    for a leader also the criteria đ and e, as ``(LEADER_COMPONENT, LeaderCriterion)``; for a
    contract worker under the own method (M7) the three ``(COMPONENT, ContractCriterion)``."""
    rules = rules if rules is not None else rules_by_person(agency, period, members)
    weighed = [
        member.person_id
        for official, member in members.items()
        if rules[official] is not None and competencies.applies(rules[official])
    ]
    required_of = competencies.required_for_ids(weighed, period) if weighed else {}
    result: dict[str, list | None] = {}
    for official, member in members.items():
        person_rules = rules[official]
        if person_rules is None:
            result[official] = None
            continue
        if contract_workers.own_method(person_rules, member.category):
            # M7: a contract worker under the framework's own method has the three marks of
            # ``scoring.services.contract_workers`` (0–100 % each), nothing else.
            result[official] = [(contract_workers.COMPONENT, c) for c in contract_workers.CRITERIA]
            continue
        criteria = [
            (component.code, criterion)
            for component in person_rules.components
            if component.kind == "criteria_marks"
            for criterion in component.criteria
        ]
        if person_rules.is_leader_role(member.role):
            criteria += [
                (LEADER_COMPONENT, criterion)
                for criterion in person_rules.leader_criteria
                if criterion.code in LEADER_FIELDS
            ]
        if competencies.applies(person_rules):
            # Issue 45 item 2: the competencies the position requires, one row each.
            criteria += [
                (COMPETENCY_COMPONENT, CompetencyCriterion.of(required))
                for required in required_of.get(member.person_id, [])
            ]
        result[official] = criteria
    return result


@dataclass(frozen=True)
class CompetencyCriterion:
    """A required competency as a row of the file: its code, name, levels (the "maximum")."""

    code: str
    label: str
    max_points: int
    required: competencies.Required

    @classmethod
    def of(cls, required: competencies.Required) -> CompetencyCriterion:
        return cls(required.code, required.name, required.level_count, required)


@dataclass(frozen=True)
class Owner:
    """Who rates a person in the period: their governing posting's unit and agency."""

    unit_id: int
    agency_name: str
    start_date: object  # the governing posting's first day


def owners_of(members, period) -> dict[int, Owner]:
    """person id → the owner of their marks for ``period``, over ALL their postings."""

    by_person = defaultdict(list)
    for posting in posting_rows(
        Posting.objects.filter(
            overlapping(period.start_date, period.end_date),
            civil_servant_id__in=[m.person_id for m in members.values()],
        )
    ):
        by_person[posting.person_id].append(posting)
    rule = period_rule(period)
    governing = {
        person: pick_period_governing(rows, period, rule) for person, rows in by_person.items()
    }
    units = {
        unit.pk: unit
        for unit in Agency.objects.filter(pk__in={g.agency_id for g in governing.values() if g})
    }
    owning_of = Agency.owning_agencies(units.values())
    owners = {}
    for person, row in governing.items():
        if row is None:
            continue
        unit = units[row.agency_id]
        owning = owning_of[unit.pk] or unit
        owners[person] = Owner(unit.pk, owning.name, row.start_date)
    return owners


def rated_here(agency, members, period) -> tuple[dict, dict[int, Owner]]:
    """(members whose marks ``agency`` owns, owners of the others by person id)."""
    owners = owners_of(members, period)
    paths = dict(
        Agency.objects.filter(pk__in={o.unit_id for o in owners.values()}).values_list("id", "path")
    )
    own, elsewhere = {}, {}
    for official, member in members.items():
        owner = owners.get(member.person_id)
        if owner is None or paths[owner.unit_id].startswith(agency.path):
            own[official] = member
        else:
            elsewhere[member.person_id] = owner
    return own, elsewhere
