"""Preparing and finishing the score of one person in one period from loaded data.

Shared by the batch (``score_period``) and the single-person path (``score_person``) so both
produce identical inputs, hashes and stored rows. ``prepare`` is cheap (it hashes the inputs);
the engine input is built only for people whose hash changed.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext

from scoring.engine import ENGINE_VERSION, PeriodInput, unit_results_percent
from scoring.models import PeriodScore
from scoring.services.compute import Outcome
from scoring.services.fingerprint import inputs_hash
from scoring.services.frameworks import FrameworkResolver, ResolvedFramework
from scoring.services.inputs import build_input
from scoring.services.loading import ITEM, ItemInfo, LoadedLines, StoredScore
from scoring.services.postings import PostingRow
from scoring.services.store import field_defaults

CRITERIA_FIELDS = {
    "a": "quantity",
    "b": "quality",
    "c": "timeliness",
    "d": "unit_results",
    "dd": "organising",
    "e": "cohesion",
}


ROW_DEFAULTS = field_defaults(PeriodScore)


def _s(value) -> str | None:
    if value is None:
        return None
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


@dataclass
class PeriodData:
    """Everything loaded for one period (whole province, a subtree or one person)."""

    period: object
    resolver: FrameworkResolver
    agency_paths: dict[int, str]
    lines: LoadedLines
    items: dict[int, ItemInfo]
    marks: dict[int, dict]
    leader_marks: dict[int, tuple]
    stored: dict[int, StoredScore]


@dataclass
class Prepared:
    person_id: int
    posting: PostingRow
    framework: ResolvedFramework | None
    inputs_hash: str
    loaded: LoadedLines
    marks: dict
    leader_marks: tuple | None
    subordinates: dict[int, str | None] | None
    d_steps: list[dict] = field(default_factory=list)
    leader: dict | None = None
    unappraised: tuple[str, ...] = ()

    @cached_property
    def lines(self) -> list[tuple]:
        """Line tuples in ``LineRow`` order."""
        return self.loaded.line_rows(self.person_id)

    def build(self, items: dict[int, ItemInfo], merge: bool = True) -> PeriodInput | None:
        """The engine input (``None`` when no framework applies); lines are exactly pre-merged
        for speed unless ``merge`` is false (a preview explains each line)."""
        if self.framework is None:
            return None
        rules = self.framework.rules
        unit_results = None
        if self.subordinates is not None:
            d = unit_results_percent({str(k): v for k, v in self.subordinates.items()}, rules)
            unit_results = d.percent
            self.d_steps = list(d.explanation)
            self.leader = {
                "unit_results": _s(d.percent),
                "organising": self.leader_marks[0] if self.leader_marks else None,
                "cohesion": self.leader_marks[1] if self.leader_marks else None,
            }
        return build_input(
            rules,
            role=self.posting.role,
            position_group=self.posting.position_group,
            lines=self.lines,
            items=items,
            marks=self.marks,
            leader_marks=self.leader_marks,
            unit_results=unit_results,
            ref=str(self.person_id),
            merge=merge,
            unappraised=self.unappraised,
        )


def prepare(
    data: PeriodData,
    person_id: int,
    posting: PostingRow,
    subordinate_ratings: dict[int, str | None] | None,
) -> Prepared:
    period = data.period
    resolved = data.resolver.resolve(
        data.agency_paths[posting.agency_id], period.kind, period.start_date
    )
    is_leader = resolved is not None and resolved.rules.is_leader_role(posting.role)
    raw = data.lines.raw(person_id)
    marks = data.marks.get(person_id, {})
    unappraised = getattr(data.marks, "unappraised", {}).get(person_id, ())
    leader_marks = data.leader_marks.get(person_id) if is_leader else None
    subordinates = (subordinate_ratings or {}) if is_leader else None
    digest = inputs_hash(
        framework_revision_id=resolved.revision_id if resolved else None,
        agency_id=posting.agency_id,
        posting_id=posting.id,
        role=posting.role,
        position_group=posting.position_group,
        lines=raw,
        exemptions=data.lines.exempted(raw),
        marks=marks,
        leader_marks=leader_marks,
        subordinates=subordinates,
        unappraised=unappraised,
    )
    return Prepared(
        person_id,
        posting,
        resolved,
        digest,
        data.lines,
        marks,
        leader_marks,
        subordinates,
        unappraised=unappraised,
    )


def no_framework_outcome() -> Outcome:
    return Outcome(
        errors={"framework": gettext("Chưa có khung tiêu chí đánh giá đang áp dụng cho cơ quan.")}
    )


def explanation(prepared: Prepared, outcome: Outcome) -> dict:
    """Stored explanation: engine steps (without per-line steps) + the inputs snapshot."""
    return {
        "steps": prepared.d_steps + outcome.steps,
        # One array per line, in ``LineRow`` order: id, catalog item id, assigned, completed,
        # failed reviews, delays, exempt reviews, exempt delays, counted failed reviews and
        # delays of each product or null (items are immutable).
        "lines": prepared.lines,
        "marks": {
            component: dict(sorted(marks.items()))
            for component, marks in sorted(prepared.marks.items())
        },
        "leader": prepared.leader,
        "subordinates": (
            None
            if prepared.subordinates is None
            else {str(k): v for k, v in sorted(prepared.subordinates.items())}
        ),
    }


def build_row(period, prepared: Prepared, outcome: Outcome, items, now=None) -> dict:
    """The stored ``PeriodScore`` as a dict of column attnames (see ``services.store``)."""
    posting = prepared.posting
    resolved = prepared.framework
    row = {
        **ROW_DEFAULTS,
        "civil_servant_id": prepared.person_id,
        "period_id": period.pk,
        "posting_id": posting.id,
        "agency_id": posting.agency_id,
        "role": posting.role,
        "position_group": posting.position_group or "",
        "scored": outcome.scored,
        "task_percent": outcome.task_percent,
        "task_points": outcome.task_points,
        "general_points": outcome.component_points.get("general"),
        "component_points": {k: _s(v) for k, v in outcome.component_points.items()},
        "total": outcome.total,
        "rating": outcome.rating,
        "input_errors": outcome.errors,
        "catalog_version_ids": sorted({items[r[ITEM]].version_id for r in prepared.lines}),
        "framework_id": resolved.framework_id if resolved else None,
        "framework_revision_id": resolved.revision_id if resolved else None,
        "engine_version": ENGINE_VERSION,
        "inputs_hash": prepared.inputs_hash,
        "computed_at": now or timezone.now(),
        "explanation": explanation(prepared, outcome),
    }
    for code, name in CRITERIA_FIELDS.items():
        row[name] = outcome.criteria.get(code)
    return row
