"""The period engine's whole output is pinned (issue 34: the month's scoring made cheaper
without changing a figure, a text or a step).

``outputs.json`` (next to this file) holds, for 240 generated inputs across the framework's
rounding (places, mode, steps, banding), over-delivery, cap, deduction, M4 and self-mark
options, both frameworks shipped (Decree 335, Nghệ An's position groups) and inputs of every
type the engine accepts (Decimal, int, str, float; some invalid), the sha256 of
``score_period``'s output — ``result.to_dict()`` as JSON, explanation steps with their keys in
order, or the input errors — with and without the per-line steps, as engine 1.3.0 gave them
before the per-rules plan (``scoring.engine.plan``) and the validation's fast path. The first
outputs of each kind are kept in full so that a difference can be read.

Regenerate only for a deliberate change of the output (and say so in the commit)::

    .venv/bin/python tests/scoring/engine/test_engine_outputs.py --write
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import sys
from decimal import Decimal as D
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).with_name("outputs.json")
CASES = 240
KEPT_PER_KIND = 2


def _rules(engine: Any, opts: dict[str, Any]) -> Any:
    rules_module = engine.framework_rules
    rules = engine.NGHE_AN_FOUR_GROUPS if opts["nghe_an"] else engine.DECREE_335_DEFAULT
    method = dataclasses.replace(
        rules.task_method,
        over_delivery=rules_module.Choice(opts["over"]),
        cap_percent=None if opts["cap"] is None else rules_module.Parameter(D(opts["cap"])),
        review_deduction=rules_module.Parameter(D(opts["review"])),
    )
    return dataclasses.replace(
        rules,
        task_method=method,
        rounding=rules_module.RoundingRule(
            places=rules_module.Parameter(D(opts["places"])),
            mode=rules_module.Choice(opts["mode"]),
            steps=rules_module.Choice(opts["steps"]),
            banding=rules_module.Choice(opts["banding"]),
        ),
        individual=dataclasses.replace(
            rules.individual, excellent_conditions=rules_module.Choice(opts["excellent"])
        ),
        marks=rules_module.MarksRule(
            self_mark_without_evaluator=rules_module.Choice(opts["self_mark"])
        ),
    )


def _options(rng: random.Random) -> dict[str, Any]:
    return {
        "nghe_an": rng.random() < 0.25,
        "over": rng.choice(["pooled", "pooled", "cap_each_line", "assigned_only"]),
        "cap": rng.choice([None, "100", "100", "90"]),
        "review": rng.choice(["0.25", "0.25", "0.5", "1"]),
        "places": rng.choice(["2", "2", "1", "0"]),
        "mode": rng.choice(["half_up", "half_up", "half_even", "down"]),
        "steps": rng.choice(["each_printed_figure", "each_printed_figure", "once"]),
        "banding": rng.choice(["rounded", "rounded", "exact"]),
        "excellent": rng.choice(["score_only", "score_only", "qd366"]),
        "self_mark": rng.choice(["not_scored", "counts"]),
    }


BAD_VALUES = [None, "abc", D("NaN"), True, -1, D("-0.5"), "1e400", float("inf")]
COEFFICIENTS = ["0.5", "0.8", "1", "1.5", "2", "3", "0.3", "1.25", "1.6", "12"]
QUANTITIES = ["0", "1", "2", "3", "5", "0.5", "1.5", "2.25", "10", "7"]


def _number(rng: random.Random, text: str, bad: float) -> Any:
    """``text`` as a Decimal (``bad`` < 0: always, as the batch gives it), else mostly, or as
    str, float or int; with probability ``bad`` a bad value."""
    value = D(text)
    if bad < 0:
        return value
    if rng.random() < bad:
        return rng.choice(BAD_VALUES)
    draw = rng.random()
    if draw < 0.85:
        return value
    if draw < 0.9:
        return text
    if draw < 0.95:
        return float(value)
    return int(value) if value == value.to_integral_value() else value


def _line(rng: random.Random, bad: float) -> dict[str, Any]:
    failed = rng.choice([0, 0, 0, 1, 2, 3, 5])
    delays = rng.choice([0, 0, 0, 1, 2, 4])
    exempt = rng.randint(0, failed)
    exempt_delays = rng.randint(0, delays)
    completed = rng.choice(QUANTITIES)
    line: dict[str, Any] = {
        "coefficient": _number(rng, rng.choice(COEFFICIENTS), bad),
        "assigned": _number(rng, rng.choice(QUANTITIES), bad),
        "completed": _number(rng, completed, bad),
        "failed_reviews": failed if rng.random() >= bad else rng.choice([-1, "x", 1.5]),
        "exempt_reviews": exempt if rng.random() >= bad else failed + 1,
        "delays": delays if bad < 0 or rng.random() >= 0.05 else D(delays),
        "exempt_delays": exempt_delays,
        "ref": rng.choice([None, f"L{rng.randint(1, 999)}"]),
    }
    if rng.random() < 0.15:
        parts = [0] * max(1, int(D(completed)) + rng.randint(0, 2))
        for _ in range(failed - exempt):
            parts[rng.randrange(len(parts))] += 1
        line["failed_by_product"] = tuple(parts) if rng.random() >= bad else (*parts, 1)
    if rng.random() < 0.1:
        parts = [0] * max(1, delays - exempt_delays)
        for _ in range(delays - exempt_delays):
            parts[rng.randrange(len(parts))] += 1
        line["delays_by_product"] = tuple(parts)
    return line


def _marks(rng: random.Random, nghe_an: bool, bad: float) -> dict[str, Any]:
    if nghe_an:
        components = {"satisfaction": ["S.1", "S.2"], "coordination": ["C.1", "C.2"]}
        components["discipline"] = ["K.1", "K.2"]
        maxima = {code: D(5) for codes in components.values() for code in codes}
    else:
        components = {"general": ["I.1", "I.2", "II.1", "II.2", "II.3", "II.4"]}
        components["general"] += ["III.1", "III.2", "III.3", "III.4"]
        maxima = {code: D("2.5") for code in components["general"]}
        maxima.update({"I.1": D(5), "I.2": D(5)})
    marks: dict[str, Any] = {}
    for component, codes in components.items():
        if rng.random() < 0.1:  # the component's total
            total = sum(maxima[code] for code in codes)
            marks[component] = _number(rng, str(D(rng.randint(0, int(total * 4))) / 4), bad)
            continue
        given = {
            code: _number(rng, str(D(rng.randint(0, int(maxima[code] * 4))) / 4), bad)
            for code in codes
        }
        if bad > 0 and rng.random() < 0.2:
            given.pop(codes[0])
        if bad > 0 and rng.random() < 0.1:
            given["Z.9"] = D(1)
        if bad > 0 and rng.random() < 0.1:
            given[codes[-1]] = D(99)
        marks[component] = given
    if bad > 0 and rng.random() < 0.1:
        marks["extra"] = {}
    if bad > 0 and rng.random() < 0.05:
        marks.pop(next(iter(marks)))
    return marks


def _case(rng: random.Random, opts: dict[str, Any]) -> dict[str, Any]:
    """Half the inputs of Decimals as the batch builds them (``bad`` = -1), a third of mixed
    types, the rest with some bad values."""
    draw = rng.random()
    bad = -1.0 if draw < 0.5 else 0.0 if draw < 0.83 else 0.08
    role = rng.choice(["staff"] * 5 + ["head", "deputy"] + (["boss"] if bad > 0 else []))
    lines = [_line(rng, bad) for _ in range(rng.choice([0, 1, 1, 2, 3, 5, 8]))]
    if opts["nghe_an"]:
        groups = ["leadership", "professional", "support"] + (["x", None] if bad > 0 else [])
    else:
        groups = [None, None, "professional"]
    leader = None
    if role in ("head", "deputy") or rng.random() < 0.05:
        if rng.random() < 0.9 or bad <= 0:
            leader = tuple(_number(rng, rng.choice(["100", "50"]), bad) for _ in range(3))
        else:
            leader = rng.choice([None, (D(70), D(100), D(100))])
    unappraised = ()
    if rng.random() < 0.1:
        unappraised = ("discipline.K.1",) if opts["nghe_an"] else ("general.I.1",)
    return {
        "role": role,
        "lines": lines,
        "marks": _marks(rng, opts["nghe_an"], bad),
        "leader": leader,
        "group": rng.choice(groups),
        "unappraised": unappraised,
    }


def cases(engine: Any) -> list[tuple[Any, Any]]:
    """``CASES`` (input, rules) pairs built with ``engine``'s own classes, the rules options
    drawn anew every 20 cases."""
    rng = random.Random(335)
    pairs = []
    opts = rules = None
    for index in range(CASES):
        if index % 20 == 0:
            opts = _options(rng)
            rules = _rules(engine, opts)
        assert opts is not None
        case = _case(rng, opts)
        leader = case["leader"]
        inp = engine.PeriodInput(
            role=case["role"],
            lines=tuple(engine.Line(**line) for line in case["lines"]),
            marks=case["marks"],
            leader=None if leader is None else engine.LeaderMarks(*leader),
            position_group=case["group"],
            unappraised_marks=case["unappraised"],
        )
        pairs.append((inp, rules))
    return pairs


def output(engine: Any, inp: Any, rules: Any, line_steps: bool) -> str:
    try:
        result = engine.score_period(inp, rules, line_steps=line_steps)
    except engine.ScoringInputError as exc:
        return json.dumps({"errors": exc.errors}, ensure_ascii=False)
    return json.dumps(result.to_dict(), ensure_ascii=False)


def outputs(engine: Any) -> list[str]:
    return [
        output(engine, inp, rules, line_steps)
        for inp, rules in cases(engine)
        for line_steps in (False, True)
    ]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_every_output_is_as_pinned():
    import scoring.engine as engine

    pinned = json.loads(FIXTURE.read_text(encoding="utf-8"))
    got = outputs(engine)
    assert len(got) == len(pinned["digests"]) == 2 * CASES
    for index, text in pinned["full"].items():
        mine = got[int(index)]
        assert json.loads(mine) == json.loads(text), f"output {index}"
        assert mine == text, f"output {index}: the same values in another key order"
    differing = [i for i, text in enumerate(got) if digest(text) != pinned["digests"][i]]
    assert not differing, f"outputs {differing[:10]} differ; the first: {got[differing[0]]}"


def kept_in_full(texts: list[str]) -> dict[str, str]:
    """The first outputs of each kind (errors, not scored, scored with and without the
    per-line steps, a leader's), kept in full so that a difference can be read."""
    kinds: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        if text.startswith('{"errors"'):
            kind = "errors"
        elif '"scored": false' in text:
            kind = "not scored"
        else:
            kind = "leader" if '"leader_criterion"' in text else "staff"
            kind += ", line steps" if index % 2 else ""
        kinds.setdefault(kind, []).append(index)
    return {str(i): texts[i] for indexes in kinds.values() for i in indexes[:KEPT_PER_KIND]}


def test_the_pinned_cases_cover_the_paths():
    """The pinned cases are not all alike: scored, not scored, input errors, per-line steps,
    leaders and both frameworks all occur."""
    import scoring.engine as engine

    texts = outputs(engine)
    scored = [t for t in texts if '"scored": true' in t]
    assert len(scored) > 150
    assert sum('"scored": false' in t for t in texts) > 20
    assert sum(t.startswith('{"errors"') for t in texts) > 20
    assert any('"code": "line_quality"' in t for t in texts)
    assert any('"code": "line_capped"' in t for t in texts)
    assert any('"code": "leader_criterion"' in t for t in texts)
    assert any('"code": "excellent_conditions"' in t for t in texts)
    assert any('"code": "period_not_scored", "reason": "awaiting_evaluator"' in t for t in texts)
    assert any('"framework": "nghe-an-four-groups"' in t for t in scored)


def test_the_fast_path_never_skips_an_error():
    """Over the pinned cases (every option, some invalid input): whenever the fast path lets an
    input through, the full validation finds nothing either; and it is taken for most."""
    import scoring.engine as engine
    from scoring.engine.plan import period_plan
    from scoring.engine.validation import check_period_input, plainly_valid_input

    taken = 0
    for inp, rules in cases(engine):
        if plainly_valid_input(inp, period_plan(rules)):
            taken += 1
            assert not check_period_input(inp, rules).errors
    assert taken > 50


if __name__ == "__main__" and "--write" in sys.argv:
    sys.path.insert(0, str(Path.cwd()))
    import scoring.engine as engine

    texts = outputs(engine)
    document = {"full": kept_in_full(texts), "digests": [digest(t) for t in texts]}
    FIXTURE.write_text(json.dumps(document, ensure_ascii=False, indent=0) + "\n", "utf-8")
    print(f"{len(texts)} outputs pinned in {FIXTURE} with {engine.__file__}")
