"""Benchmark: the scoring engine alone over a kept month's inputs (issue 34).

Reads the month (March 2026) of a database kept by ``score_batch.py --keep`` once, builds
every evaluated person's engine input as the batch does (lines exactly pre-merged, leaders'
subordinates all "good"), then times only the engine over them — ``score_period(inp, rules,
line_steps=False)`` as ``scoring.services.compute.compute_one`` calls it — in CPU seconds of
this process, each of ``--rounds`` rounds, with the load average (1 min) beside each.

    .venv/bin/python benchmarks/engine_batch.py <kept URL>
    .venv/bin/python benchmarks/engine_batch.py <kept URL> --digest /tmp/engine.digest
    .venv/bin/python benchmarks/engine_batch.py <kept URL> --profile 30

``--digest FILE`` writes, for every input, the sha256 of everything the engine returns —
the result's ``to_dict()`` (every Decimal as stored, with its exponent, every explanation
step with its keys in order) or the input errors — for the batch's merged inputs without and
with the per-line steps, and for every fifth person's unmerged lines with the per-line steps
(as the explain page and the preview run them), plus each input's fingerprint; the last line
is the digest of all. Two engines give the same file only when every figure, text and step
is the same.
"""

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the database URL printed by score_batch.py --keep")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--digest", default="", help="write the outputs' digests to this file")
    parser.add_argument("--profile", type=int, default=0, help="cProfile one round: top N")
    return parser.parse_args()


def setup_django(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)


def month_inputs():
    """[(person, merged input, unmerged input or None, rules)] of every evaluated person."""
    from scoring.models import Period
    from scoring.services import period_batch
    from scoring.services.org_snapshot import OrgSnapshot
    from scoring.services.scope import CategoryScope
    from scoring.services.scorer import prepare

    period = Period.objects.get(kind="month", start_date=datetime.date(2026, 3, 1))
    snapshot = OrgSnapshot.load(period, None)
    scope = CategoryScope(snapshot.agencies)
    people = sorted(p for p, posting in snapshot.governing.items() if scope.evaluated(posting))
    data = period_batch._load(period, snapshot, None)
    data.stored = {}
    inputs = []
    for n, person in enumerate(people):
        ratings = dict.fromkeys(snapshot.subordinates(person), "good")
        prepared = prepare(data, person, snapshot.governing[person], ratings)
        merged = prepared.build(data.items)
        if merged is None:
            continue
        unmerged = prepared.build(data.items, merge=False) if n % 5 == 0 else None
        inputs.append((person, merged, unmerged, prepared.framework.rules))
    return inputs


def load_average() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def time_engine(inputs, rounds: int) -> list[float]:
    from scoring.engine import ScoringInputError, score_period

    figures = []
    for _ in range(rounds):
        start = time.process_time()
        for _person, inp, _unmerged, rules in inputs:
            with contextlib.suppress(ScoringInputError):
                score_period(inp, rules, line_steps=False)
        figures.append(time.process_time() - start)
        print(f"engine CPU {figures[-1]:6.2f} s   load {load_average()}", flush=True)
    return figures


def profile(inputs, top: int):
    import cProfile
    import pstats

    from scoring.engine import ScoringInputError, score_period

    profiler = cProfile.Profile()
    profiler.enable()
    for _person, inp, _unmerged, rules in inputs:
        with contextlib.suppress(ScoringInputError):
            score_period(inp, rules, line_steps=False)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def output_text(inp, rules, line_steps: bool) -> str:
    from scoring.engine import ScoringInputError, score_period

    try:
        result = score_period(inp, rules, line_steps=line_steps)
    except ScoringInputError as exc:
        return json.dumps({"errors": exc.errors}, ensure_ascii=False)
    return json.dumps(result.to_dict(), ensure_ascii=False)


def write_digest(inputs, path: str):
    from scoring.engine import inputs_fingerprint

    whole = hashlib.sha256()
    with open(path, "w", encoding="utf-8") as out:
        for person, merged, unmerged, rules in inputs:
            parts = [
                output_text(merged, rules, line_steps=False),
                output_text(merged, rules, line_steps=True),
                output_text(unmerged, rules, line_steps=True) if unmerged is not None else "",
                inputs_fingerprint(merged),
            ]
            line = f"{person} " + " ".join(
                hashlib.sha256(part.encode()).hexdigest()[:16] for part in parts
            )
            out.write(line + "\n")
            whole.update(line.encode())
        out.write(f"all {whole.hexdigest()}\n")
    print(f"digest of {len(inputs):,} inputs: {whole.hexdigest()} ({path})")


def main():
    args = parse_args()
    setup_django(args.url)
    start = time.process_time()
    inputs = month_inputs()
    lines = sum(len(inp.lines) for _p, inp, _u, _r in inputs)
    print(
        f"{len(inputs):,} inputs, {lines / max(1, len(inputs)):.2f} merged lines each "
        f"(built in {time.process_time() - start:.1f} s CPU)",
        flush=True,
    )
    if args.digest:
        write_digest(inputs, args.digest)
    figures = time_engine(inputs, args.rounds)
    print(
        f"engine CPU best {min(figures):.2f} s for {len(inputs):,} inputs   load {load_average()}"
    )
    if args.profile:
        profile(inputs, args.profile)


if __name__ == "__main__":
    main()
