"""Contract workers' own method (M7; legal review §3; docs/scoring.md §14): where the framework
option ``individual.contract_workers`` is ``own_method`` [secondary, unverified: MOHA handbook
ch. III; Gia Lai plan §V.1.e leaves contract workers' evaluation to each agency], a person whose
governing posting is of category ``contract_worker`` (``org.PersonCategory``) is scored on three
marks — quality, compliance, effectiveness, 0–100 % each — by
:func:`scoring.engine.individual.score_contract_worker`, not on the civil-servant framework.

The marks are ``scoring.GeneralCriteriaMark`` rows of the component :data:`COMPONENT` (the self
mark and the evaluator's mark, the evaluator's counting), written through the one general-marks
write service (``scoring.services.general_marks``: Form 01, the general-marks import); this
module is the one place that says which criteria they are (:data:`CRITERIA`), whether they
apply to a person (:func:`own_method`, :func:`applies_to`) and how a period is scored from them
(:func:`outcome`, called by the period scorer where the engine is called).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from scoring.engine import ENGINE_VERSION, FrameworkRules, ScoringInputError
from scoring.engine.individual import ContractWorkerInput, score_contract_worker
from scoring.engine.steps import step
from scoring.services.compute import Outcome, ordered

#: ``org.PersonCategory.CONTRACT_WORKER`` (not imported: the scorer reads it on hot rows).
CATEGORY = "contract_worker"
#: The ``GeneralCriteriaMark.component`` of the three marks ("lao động hợp đồng").
COMPONENT = "hop_dong"
#: The option value of ``individual.contract_workers`` that scores them by this method.
OWN_METHOD = "own_method"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ContractCriterion:
    """One of the three marks, shaped like the framework's ``SubCriterion`` (code, label,
    maximum) so that Form 01 and the import list it like a general criterion."""

    code: str
    #: The engine's name (``scoring.engine.constants.CONTRACT_CRITERIA``).
    engine: str
    number: str
    label: str | Promise
    max_points: Decimal = HUNDRED


CRITERIA: tuple[ContractCriterion, ...] = (
    ContractCriterion("chat_luong", "quality", "1", _("Chất lượng thực hiện công việc (%)")),
    ContractCriterion(
        "chap_hanh", "compliance", "2", _("Ý thức chấp hành nội quy, kỷ luật lao động (%)")
    ),
    ContractCriterion("hieu_qua", "effectiveness", "3", _("Hiệu quả công việc (%)")),
)
BY_CODE = {criterion.code: criterion for criterion in CRITERIA}


def short_name(code: str) -> str:
    """How a mark of this component is named in a sentence: its label without "(%)"."""
    criterion = BY_CODE.get(code)
    return str(criterion.label).removesuffix(" (%)") if criterion else code


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
    from scoring.services.frameworks import framework_for_agency
    from scoring.services.postings import governing_posting_of

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
