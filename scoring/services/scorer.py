"""Preparing and finishing the score of one person in one period from loaded data.

Shared by the batch (``score_period``) and the single-person path (``score_person``) so both
produce identical inputs, hashes and stored rows. ``prepare`` is cheap (it hashes the inputs);
the engine input is built only for people whose hash changed.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from operator import itemgetter

from django.utils import timezone
from django.utils.translation import gettext

from scoring.engine import (
    ENGINE_VERSION,
    FrameworkRules,
    PeriodInput,
    PlanFulfilment,
    plan_fulfilment_on,
    unit_results_from_plan,
    unit_results_percent,
)
from scoring.engine.competency import feed_competencies
from scoring.engine.coordination import feed_coordination
from scoring.engine.decimals import fmt_min2
from scoring.engine.feedback import feed_marks
from scoring.engine.steps import step
from scoring.models import Period, PeriodScore
from scoring.services import contract_workers, plan_fulfilment
from scoring.services.compute import Outcome, compute_one
from scoring.services.fingerprint import period_inputs_hash
from scoring.services.frameworks import FrameworkResolver, ResolvedFramework
from scoring.services.inputs import build_input
from scoring.services.loading import (
    ASSIGNED,
    COMPLETED,
    ID,
    ITEM,
    ItemInfo,
    LoadedLines,
    StoredScore,
    common_part,
)
from scoring.services.merge import LineShapes, combine, linear_part
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


#: Raw line tuple position of the assigned quantity text (``LoadedLines``).
RAW_ASSIGNED = 3


def charge_people(
    rules: FrameworkRules,
    lines: LoadedLines,
    own_raw: list[tuple],
    subordinates: dict[int, str | None] | None,
) -> tuple[int, ...]:
    """The people in a leader's charge whose lines join the leader's a, b, c.

    Decree 335 Art. 15 cl. 1-2 [confirmed]: a leader's tasks include the directing, organising,
    guiding, inspecting and supervising of the products of the civil servants in their charge.
    The charge is the scope of criterion d (``OrgSnapshot.subordinates``: a head's whole
    subtree, a deputy's units and named people), each person once; the framework option
    ``task_method.leader_lines`` [inferred] picks own + charge (default), the charge only when
    the leader has no own assigned product, or own lines only. Only people with lines count.
    """
    if not subordinates:
        return ()
    source = rules.task_method.leader_lines.value
    if source == "own_only":
        return ()
    if source == "charge_when_no_own" and any(Decimal(row[RAW_ASSIGNED]) for row in own_raw):
        return ()
    return tuple(person for person in sorted(subordinates) if lines.raw(person))


def _unit_entry(
    person: int, rows: list[tuple], items: dict[int, ItemInfo], shapes: LineShapes | None = None
) -> list:
    """``[person id, [line ids], Σ n·k, Σ m·k]`` of one person of a leader's charge; the
    products ``n·k``, ``m·k`` of each (coefficient, assigned, completed) are made once per
    period (``shapes``) and added in line order, exactly as computed one by one."""
    if shapes is None or shapes.items is not items:
        shapes = LineShapes(items)
    products = shapes.products
    keys = list(
        zip(map(shapes.text_of.__getitem__, map(_ITEM, rows)), map(_QUANTITIES, rows), strict=True)
    )
    found: list = list(map(products.get, keys))
    if None in found:
        for i, pair in enumerate(found):
            if pair is None:
                coefficient, (assigned, completed) = keys[i]
                found[i] = products[keys[i]] = (
                    Decimal(assigned) * Decimal(coefficient),
                    Decimal(completed) * Decimal(coefficient),
                )
    return [
        person,
        list(map(_LINE_ID, rows)),
        fmt_min2(sum(map(_FIRST, found), Decimal(0))),
        fmt_min2(sum(map(_SECOND, found), Decimal(0))),
    ]


def _unit_entry_of_part(person: int, rows: list[tuple], part: tuple) -> list:
    """:func:`_unit_entry` from the person's merged part ``(entry, kept lines)``
    (``merge.linear_part``, which covers every line once): Σ n·k = q·Σ t·n plus each kept
    line's n·k, and the same for m·k. Exact Decimal arithmetic gives the same values as the
    line-by-line sums, and ``fmt_min2`` writes a value the same whatever its exponent
    (``1.50`` and ``1.5`` both ``"1.50"``), so the entry is the same text."""
    entry, kept = part
    assigned = completed = Decimal(0)
    if entry is not None:
        step = entry[0]
        assigned, completed = step * entry[1], step * entry[2]
    for line in kept:
        assigned += line.assigned * line.coefficient
        completed += line.completed * line.coefficient
    return [person, list(map(_LINE_ID, rows)), fmt_min2(assigned), fmt_min2(completed)]


_ITEM, _QUANTITIES = itemgetter(ITEM), itemgetter(ASSIGNED, COMPLETED)
_LINE_ID, _FIRST, _SECOND = itemgetter(ID), itemgetter(0), itemgetter(1)


def _shapes(loaded: LoadedLines, items) -> LineShapes:
    """The period's :class:`~scoring.services.merge.LineShapes` for ``items`` (made once, used
    by every person: the lines' shapes and products repeat across people)."""
    found = loaded.shared.get("shapes")
    if found is None or found.items is not items:
        found = loaded.shared["shapes"] = LineShapes(items)
    return found


@dataclass
class PeriodData:
    """Everything loaded for one period (whole province, a subtree or one person)."""

    period: Period
    resolver: FrameworkResolver
    agency_paths: dict[int, str]
    lines: LoadedLines
    items: dict[int, ItemInfo]
    marks: dict[int, dict]
    leader_marks: dict[int, tuple]
    stored: dict[int, StoredScore]
    #: person id → the line saying the period is scored for which agency after a change of
    #: agency in it (``scoring.services.postings.transfer_step``)
    transfers: dict[int, dict] = field(default_factory=dict)
    #: (agency id, category) → the framework that applies (resolved once per period).
    frameworks: dict[tuple, ResolvedFramework | None] = field(default_factory=dict)
    #: agency id → its work plans' fulfilment in the period (asked once per agency, only for
    #: leaders whose framework takes d from the plans).
    plans: dict[int, PlanFulfilment | None] = field(default_factory=dict)

    def plan_of(self, agency_id: int) -> PlanFulfilment | None:
        """The fulfilment of the approved work plans of ``agency_id`` in the period."""
        if agency_id not in self.plans:
            period = self.period
            self.plans[agency_id] = plan_fulfilment.unit_fulfilment(
                agency_id, period.start_date, period.end_date
            )
        return self.plans[agency_id]

    def framework(self, posting: PostingRow) -> ResolvedFramework | None:
        """The framework of ``posting``'s agency and category in the period."""
        key = (posting.agency_id, posting.category)
        if key not in self.frameworks:
            period = self.period
            self.frameworks[key] = self.resolver.resolve(
                self.agency_paths[posting.agency_id],
                period.kind,
                period.start_date,
                posting.category,
            )
        return self.frameworks[key]


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
    #: People in the leader's charge whose lines join the leader's a, b, c (Art. 15).
    charge: tuple[int, ...] = ()
    d_steps: list[dict] = field(default_factory=list)
    leader: dict | None = None
    unappraised: tuple[str, ...] = ()
    #: Explanation lines of the marks fed by beneficiaries' answers (``feedback`` rule) and by
    #: the related units' coordination ratings (``coordination`` rule).
    feed_steps: list[dict] = field(default_factory=list)
    #: The line of a change of agency in the period (the province's transfer rule).
    transfer: dict | None = None
    #: A contract worker scored by the framework's own method (M7,
    #: ``scoring.services.contract_workers``): the scorer calls its ``prepared_outcome``
    #: instead of the engine's ``score_period``.
    contract: bool = False
    #: The unit's work-plan fulfilment when the framework takes d from it (Đắk Lắk §III.3).
    plan: PlanFulfilment | None = None

    @cached_property
    def own_lines(self) -> list[tuple]:
        """The person's own line tuples in ``LineRow`` order."""
        return self.loaded.line_rows(self.person_id)

    @cached_property
    def charge_lines(self) -> list[tuple[int, list[tuple]]]:
        """``(person id, line tuples)`` of each person in the charge (Art. 15)."""
        return [(person, self.loaded.line_rows(person)) for person in self.charge]

    @cached_property
    def lines(self) -> list[tuple]:
        """Every line tuple the engine scores: own lines, then the charge's (``LineRow``)."""
        if not self.charge:
            return self.own_lines
        return self.own_lines + [row for _person, rows in self.charge_lines for row in rows]

    def unit_lines(self, items: dict[int, ItemInfo]) -> list[list]:
        """Stored snapshot of the charge's lines: ``[person id, [line ids], assigned
        converted, completed converted]`` per person (the values the hash covers). Each
        person's totals come from their merged part when the engine input was built from it
        (:func:`_unit_entry_of_part`: no pass over the lines), else line by line."""
        shapes = _shapes(self.loaded, items)
        revision = self.framework.revision_id if self.framework is not None else None
        loaded = self.loaded

        def entry(person: int) -> list:
            def build(rows: list[tuple]) -> list:
                part = loaded.cached_part(person, revision)
                if part is None:
                    return _unit_entry(person, rows, items, shapes)
                return _unit_entry_of_part(person, rows, part)

            return loaded.part(person, "unit", build)

        return list(map(entry, self.charge))

    def version_ids(self, items: dict[int, ItemInfo]) -> list[int]:
        """The catalog versions of every line scored (own and charge), from each person's
        set (taken once per period, however many leaders count the person's lines)."""
        version_of = _shapes(self.loaded, items).version_of
        found: set[int] = set()
        for person in (self.person_id, *self.charge):
            found |= self.loaded.part(
                person, "versions", lambda rows: set(map(version_of, map(_ITEM, rows)))
            )
        return sorted(found)

    def lines_step(self, unit: list[list], rules: FrameworkRules) -> dict:
        """Explanation step ``leader_lines``: which lines make the leader's a, b, c
        (``unit``: the entries of :meth:`unit_lines`; ``rules``: the person's framework's)."""
        return step(
            "leader_lines",
            leader_lines=rules.task_method.leader_lines.value,
            own=len(self.own_lines),
            people=len(unit),
            lines=sum(len(entry[1]) for entry in unit),
            assigned=fmt_min2(sum((Decimal(e[2]) for e in unit), Decimal(0))),
            completed=fmt_min2(sum((Decimal(e[3]) for e in unit), Decimal(0))),
        )

    def build(self, items: dict[int, ItemInfo], merge: bool = True) -> PeriodInput | None:
        """The engine input (``None`` when no framework applies); lines are exactly pre-merged
        for speed unless ``merge`` is false (a preview explains each line)."""
        if self.framework is None:
            return None
        rules = self.framework.rules
        if merge and rules.individual.excellent_conditions.value == "qd366":
            # M4 counts the lines themselves (on time, exceeded): the exact pre-merging keeps
            # every sum but not the number of lines, so it is left out under ``qd366``.
            merge = False
        unit_results = None
        if self.subordinates is not None:
            d = unit_results_from_plan(self.plan, rules) or unit_results_percent(
                {str(k): v for k, v in self.subordinates.items()}, rules
            )
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
            lines=[] if merge else self.lines,  # merged: the engine lines below
            items=items,
            marks=self.marks,
            leader_marks=self.leader_marks,
            unit_results=unit_results,
            ref=str(self.person_id),
            merge=merge,
            unappraised=self.unappraised,
            engine_lines=self._engine_lines(items, self.framework) if merge else None,
        )

    def _engine_lines(self, items: dict[int, ItemInfo], framework: ResolvedFramework):
        """Own (and charge) lines, exactly pre-merged from each person's cached part (each
        person's lines are merged once per period, however many leaders count them), under
        the person's ``framework``."""
        revision = framework.revision_id
        rules = framework.rules
        shapes = _shapes(self.loaded, items)
        return combine(
            [
                self.loaded.part(
                    person, revision, lambda rows: linear_part(rows, items, rules, shapes)
                )
                for person in (self.person_id, *self.charge)
            ]
        )


def prepare(
    data: PeriodData,
    person_id: int,
    posting: PostingRow,
    subordinate_ratings: dict[int, str | None] | None,
) -> Prepared:
    resolved = data.framework(posting)
    is_leader = resolved is not None and resolved.rules.is_leader_role(posting.role)
    raw = data.lines.raw(person_id)
    marks = data.marks.get(person_id, {})
    unappraised = getattr(data.marks, "unappraised", {}).get(person_id, ())
    feed_steps: list[dict] = []
    if resolved is not None and resolved.rules.feedback.satisfaction_criteria:
        # Beneficiaries' answers feed the framework's ``feedback.satisfaction_criteria``.
        answers = getattr(data.marks, "satisfaction", {}).get(person_id)
        sources = getattr(data.marks, "satisfaction_sources", {}).get(person_id)
        fed_marks, fed, feed_steps = feed_marks(resolved.rules, marks, answers, sources)
        marks = {c: {k: str(v) for k, v in values.items()} for c, values in fed_marks.items()}
        unappraised = tuple(code for code in unappraised if code not in fed)
    if resolved is not None and resolved.rules.coordination.criteria:
        # The related units' ratings on shared tasks feed ``coordination.criteria``.
        ratings = getattr(data.marks, "coordination", {}).get(person_id)
        fed_marks, fed, coordination_steps = feed_coordination(resolved.rules, marks, ratings)
        marks = {c: {k: str(v) for k, v in values.items()} for c, values in fed_marks.items()}
        unappraised = tuple(code for code in unappraised if code not in fed)
        feed_steps = [*feed_steps, *coordination_steps]
    if resolved is not None and resolved.rules.competency.criteria:
        # The position's competencies, assessed by the evaluator, feed ``competency.criteria``.
        batch = getattr(data.marks, "competencies", None)
        rows = batch.rows(person_id, posting) if batch is not None else []
        fed_marks, fed, competency_steps = feed_competencies(resolved.rules, marks, rows)
        marks = {c: {k: str(v) for k, v in values.items()} for c, values in fed_marks.items()}
        unappraised = tuple(code for code in unappraised if code not in fed)
        feed_steps = [*feed_steps, *competency_steps]
    leader_marks = data.leader_marks.get(person_id) if is_leader else None
    subordinates = (subordinate_ratings or {}) if is_leader else None
    charge = (
        charge_people(resolved.rules, data.lines, raw, subordinates)
        if is_leader and resolved is not None
        else ()
    )
    # Đắk Lắk §III.3: d from the unit's work plans, only when the framework says so.
    plan = (
        data.plan_of(posting.agency_id)
        if is_leader and resolved is not None and plan_fulfilment_on(resolved.rules)
        else None
    )
    # M7: one string comparison for everybody; the option only for a contract worker.
    contract = posting.category == contract_workers.CATEGORY and contract_workers.own_method(
        resolved.rules if resolved else None, posting.category
    )
    digest = period_inputs_hash(
        framework_revision_id=resolved.revision_id if resolved else None,
        agency_id=posting.agency_id,
        posting_id=posting.id,
        role=posting.role,
        position_group=posting.position_group,
        lines=raw,
        lines_text=data.lines.text(person_id),
        exemptions=data.lines.exempted(raw),
        marks=marks,
        leader_marks=leader_marks,
        subordinates=subordinates,
        unappraised=unappraised,
        unit_lines=[(person, data.lines.digest(person)) for person in charge],
        common=common_part(data.items, [raw, *(data.lines.raw(person) for person in charge)]),
        # Lines naming their sources or the units that rated: a changed split, or another
        # unit's rating of the same level, changes the line even when the mark stays.
        # The competency lines keep the required and assessed levels (the stored inputs).
        feeds=[
            s
            for s in feed_steps
            if s.get("sources") or s.get("units") or s["code"].startswith("competency_")
        ],
        contract=contract,
        plan=plan,
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
        charge,
        unappraised=unappraised,
        feed_steps=feed_steps,
        transfer=data.transfers.get(person_id),
        contract=contract,
        plan=plan,
    )


def no_framework_outcome() -> Outcome:
    return Outcome(
        errors={"framework": gettext("Chưa có khung tiêu chí đánh giá đang áp dụng cho cơ quan.")}
    )


def outcome_of(prepared: Prepared, items) -> Outcome:
    """The person's outcome from the prepared inputs, for the batch and the one-person scorer
    alike: a contract worker under the framework's own method (M7) by their three marks, no
    framework → the error outcome, anyone else through the engine."""
    if prepared.contract:
        return contract_workers.prepared_outcome(prepared)
    inp = prepared.build(items)
    framework = prepared.framework
    if inp is None or framework is None:  # no input exactly when no framework applies
        return no_framework_outcome()
    return compute_one(inp, framework.rules)


def explanation(prepared: Prepared, outcome: Outcome, items) -> dict:
    """Stored explanation: engine steps (without per-line steps) + the inputs snapshot."""
    framework = prepared.framework
    unit = prepared.unit_lines(items) if prepared.charge else []
    lines_steps = (
        [prepared.lines_step(unit, framework.rules)]
        if prepared.subordinates is not None and framework is not None
        else []
    )
    return {
        "steps": ([prepared.transfer] if prepared.transfer else [])
        + prepared.d_steps
        + lines_steps
        + _with_feed(prepared.feed_steps, outcome.steps),
        # One array per own line, in ``LineRow`` order: id, catalog item id, assigned,
        # completed, failed reviews, delays, exempt reviews, exempt delays, counted failed
        # reviews and delays of each product or null (items are immutable).
        "lines": prepared.own_lines,
        # A leader's a, b, c also count these people's lines (Art. 15; ``leader_lines``).
        "unit_lines": unit,
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
        **(common_snapshot(prepared.lines, items) if getattr(items, "common", True) else {}),
        # The unit's work plans criterion d was taken from (only when it was).
        **(
            {"plan": {"plans": list(p.plans), "done": p.done, "total": p.total}}
            if (p := prepared.plan) is not None and p.total
            else {}
        ),
    }


def _with_feed(feed_steps: list[dict], steps: list[dict]) -> list[dict]:
    """The engine's steps with the fed marks' lines just before the first marks line."""
    if not feed_steps:
        return steps
    at = next((i for i, s in enumerate(steps) if s.get("code") == "marks_points"), len(steps))
    return [*steps[:at], *feed_steps, *steps[at:]]


def common_snapshot(lines, items) -> dict:
    """``{"common": {item id: {coefficient, own_coefficient, adoption, code}}}`` for the items
    of ``lines`` scored with a common-catalog coefficient (what the score was computed from);
    empty when none is."""
    if not getattr(items, "common", True):
        return {}
    common = {}
    for row in lines:
        info = items.get(row[ITEM])
        if info is not None and info.adoption_id is not None:
            common[str(row[ITEM])] = {
                "coefficient": f"{info.coefficient.normalize():f}",
                "own_coefficient": f"{info.own_coefficient.normalize():f}",
                "adoption": info.adoption_id,
                "code": info.common_code,
            }
    return {"common": dict(sorted(common.items()))} if common else {}


def general_points(points: dict, resolved) -> Decimal | None:
    """The points outside the task result, stored as "điểm tiêu chí chung": the ``general``
    component, or the sum of every other component but the task one (a framework whose 30 points
    are several groups: the Nghệ An four groups, coverage review 2026-11-25 M1). ``None`` for a
    contract worker scored by the own method (one component, the whole score)."""
    if "general" in points:
        return points["general"]
    if not points or contract_workers.COMPONENT in points or resolved is None:
        return None
    try:
        task = resolved.rules.task_component.code
    except KeyError:
        task = ""
    others = [value for code, value in points.items() if code != task]
    if not others or any(value is None for value in others):
        return None
    return sum(others, Decimal(0))


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
        "general_points": general_points(outcome.component_points, resolved),
        "component_points": {k: _s(v) for k, v in outcome.component_points.items()},
        "total": outcome.total,
        "rating": outcome.rating,
        "input_errors": outcome.errors,
        "catalog_version_ids": prepared.version_ids(items),
        # QĐ 366 Art. 11 (M4, ``qd366`` only): summed over the year by the annual step.
        "excellent_counts": outcome.excellent_counts,
        "framework_id": resolved.framework_id if resolved else None,
        "framework_revision_id": resolved.revision_id if resolved else None,
        "engine_version": ENGINE_VERSION,
        "inputs_hash": prepared.inputs_hash,
        "computed_at": now or timezone.now(),
        "explanation": explanation(prepared, outcome, items),
    }
    for code, name in CRITERIA_FIELDS.items():
        row[name] = outcome.criteria.get(code)
    return row
