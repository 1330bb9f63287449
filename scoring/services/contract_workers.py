"""Contract workers' own method (M7; legal review §3; docs/scoring.md §14): where the framework
option ``individual.contract_workers`` is ``own_method`` [secondary, unverified: MOHA handbook
ch. III; Gia Lai plan §V.1.e leaves contract workers' evaluation to each agency], a person whose
governing posting is of category ``contract_worker`` (``org.PersonCategory``) is scored on three
marks — quality, compliance, effectiveness, 0–100 % each — by
:func:`scoring.engine.individual.score_contract_worker`, not on the civil-servant framework.

The marks are ``scoring.GeneralCriteriaMark`` rows of the component :data:`COMPONENT` (the self
mark and the evaluator's mark, the evaluator's counting), written through the one general-marks
write service (``scoring.services.general_marks``: Form 01, the general-marks import); this
module says which criteria they are (:data:`CRITERIA`, their names in
``scoring.contract_criteria``, pure, below the models and the explanation's text), whether they
apply to a person (:func:`own_method`, :func:`applies_to`) and how a period is scored from them
(:func:`outcome`, called by the period scorer where the engine is called).
"""

from __future__ import annotations

from decimal import Decimal

from scoring.contract_criteria import CATEGORY, COMPONENT, CRITERIA, OWN_METHOD, short_name
from scoring.engine import ENGINE_VERSION, FrameworkRules, ScoringInputError
from scoring.engine.individual import ContractWorkerInput, score_contract_worker
from scoring.engine.steps import step
from scoring.services.compute import Outcome, ordered
from scoring.services.frameworks import framework_for_agency
from scoring.services.postings import governing_posting_of

# The criteria and their names, read through this module by the doors that score them.
__all__ = [
    "CATEGORY",
    "COMPONENT",
    "CRITERIA",
    "OWN_METHOD",
    "applies_to",
    "outcome",
    "own_method",
    "prepared_outcome",
    "short_name",
]


def own_method(rules: FrameworkRules | None, category: str | None) -> bool:
    """Whether a posting of ``category`` under ``rules`` is scored by the own method."""
    return (
        category == CATEGORY
        and rules is not None
        and rules.individual.contract_workers.value == OWN_METHOD
    )


def applies_to(person, period) -> bool:
    """Whether ``person`` is scored by the own method in ``period`` (their governing posting's
    category and framework)."""
    posting = governing_posting_of(person, period)
    if posting is None or posting.category != CATEGORY:
        return False
    resolved = framework_for_agency(posting.agency, period, posting.category)
    return own_method(resolved.rules if resolved else None, posting.category)


def outcome(
    rules: FrameworkRules, marks: dict, unappraised: tuple[str, ...], meta: dict
) -> Outcome:
    """The period's outcome from the person's marks of :data:`COMPONENT` (``marks``: component →
    criterion → effective mark text, as loaded): scored by ``score_contract_worker``; not
    scored, saying which, while a mark is missing or (framework
    ``marks.self_mark_without_evaluator`` = ``not_scored``) only self-marked. ``meta``: the
    ``framework`` step's role and position group."""
    given = marks.get(COMPONENT, {})
    steps = [
        step(
            "framework",
            framework=rules.code,
            version=rules.version,
            engine_version=ENGINE_VERSION,
            role=meta.get("role"),
            position_group=meta.get("position_group") or None,
        )
    ]
    missing = [c.code for c in CRITERIA if given.get(c.code) is None]
    if missing:
        steps.append(step("contract_worker_missing", criteria=missing))
        return Outcome(steps=steps)
    waiting = sorted(code for code in unappraised if code.startswith(f"{COMPONENT}."))
    if waiting and rules.marks.self_mark_without_evaluator.value == "not_scored":
        # As for the general marks (review U7): a self-mark is not the score.
        steps.append(step("period_not_scored", reason="awaiting_evaluator", marks=waiting))
        return Outcome(steps=steps)
    values = {c.engine: Decimal(given[c.code]) for c in CRITERIA}
    inp = ContractWorkerInput(
        quality=values["quality"],
        compliance=values["compliance"],
        effectiveness=values["effectiveness"],
    )
    try:
        result = score_contract_worker(inp, rules)
    except ScoringInputError as exc:
        return Outcome(errors=dict(exc.errors))
    steps.extend(ordered(s) for s in result.explanation)
    return Outcome(
        scored=True,
        component_points={COMPONENT: result.score},
        total=result.score,
        rating=result.rating,
        steps=steps,
    )


def prepared_outcome(prepared) -> Outcome:
    """:func:`outcome` for a ``scoring.services.scorer.Prepared`` whose ``contract`` is set."""
    return outcome(
        prepared.framework.rules,
        prepared.marks,
        prepared.unappraised,
        {"role": prepared.posting.role, "position_group": prepared.posting.position_group},
    )
