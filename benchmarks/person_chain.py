"""Benchmark: one person's whole chain after a change (issue 48), in a province of N people.

What the "checked at the moment of use" rule (``scoring.services.freshness.fresh_annual``) and
the background refresh recompute after one input of one person changed: the person's period
score, their six-month results (read, not stored), their annual score with their whole quota
groups (``score_year(year, people=[person])``) and the organisation score of the agency their
year belongs to (``score_organisations(year, agency)``: the agency, its sub-units and the
agencies above it). Each of ``--samples`` people (staff, drawn at random) gets one line of the
month changed (completed quantity and failed reviews, as ``score_batch.py`` changes one), then
the chain is timed link by link; p50 and p95 are printed beside the floor: the period score
alone (``score_person``).

Runs on a province kept by ``score_batch.py --keep`` (``--reuse``), or builds one in a
throwaway database first (the month scored, eleven synthetic months, the year's annual scores):

    .venv/bin/python benchmarks/score_batch.py --people 20000 --keep
    .venv/bin/python benchmarks/person_chain.py --reuse sqlite:////tmp/kpi-bench-….sqlite3
    DATABASE_URL=postgres://kpi:kpi@127.0.0.1:54329/kpi \\
        .venv/bin/python benchmarks/person_chain.py --people 100000

The changes are written to the database (a reused province keeps them: run it on a copy when
the figures of ``score_batch.py --reuse`` must stay comparable). Prints CPU and wall time of
this process (the database server's own time not included) and the load average; then runs the
year province-wide, which must find nothing left to write or compute (exit status 1 if not).
"""

import argparse
import os
import random
import statistics
import time

from score_batch import (
    benchmark_database,
    build_province,
    province_arguments,
    synthetic_year,
)

YEAR = 2026


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    province_arguments(parser, seed=48)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--reuse", default="", help="a province kept by score_batch.py --keep")
    return parser.parse_args()


def prepare_province(args, rng):
    """A province whose month, other months and year are stored: kept, or built here."""
    from scoring.models import Period, PeriodScore
    from scoring.services import score_period, score_year

    if args.reuse:
        from org.models import LeadershipRole, Posting

        period = Period.objects.get(kind="month", start_date="2026-03-01")

        staff = list(
            Posting.objects.filter(role=LeadershipRole.STAFF).values_list(
                "civil_servant_id", flat=True
            )
        )
        if not PeriodScore.objects.filter(period=period).exists():
            score_period(period)
    else:
        period, _people, _lines, staff = build_province(args, rng)
        score_period(period)
        synthetic_year(period, rng)
    # The year brought up to date before timing (on a kept province: nothing computed, the rows
    # from before migration scoring 0025 stamped with their own digest and quota group).
    score_year(YEAR)
    return period, staff


class Link:
    """One link of the chain: its wall and CPU times per sample, in ms."""

    def __init__(self, name):
        self.name, self.wall, self.cpu = name, [], []

    def __call__(self, func, *args, **kwargs):
        started, cpu = time.perf_counter(), time.process_time()
        result = func(*args, **kwargs)
        self.wall.append((time.perf_counter() - started) * 1000)
        self.cpu.append((time.process_time() - cpu) * 1000)
        return result

    def line(self, label=None) -> str:
        wall, cpu = sorted(self.wall), sorted(self.cpu)
        p95 = max(0, round(0.95 * len(wall)) - 1)
        return (
            f"{label or self.name:<52} p50 {statistics.median(wall):7.1f}  p95 {wall[p95]:7.1f} ms"
            f"   (CPU p50 {statistics.median(cpu):6.1f}  p95 {cpu[p95]:6.1f} ms)"
        )


def run_chain(period, staff, samples, rng):
    from django.db import transaction

    from org.models import CivilServant
    from org_scoring.services.scorer import score_organisations
    from scoring.models import AnnualScore, AssignmentLine
    from scoring.services import score_person, score_year
    from scoring.services.half_year import half_years

    names = ("period", "six-month", "annual + quota groups", "organisation")
    links = {name: Link(name) for name in names}
    chain = Link("chain")
    changed = groups = 0
    for person in CivilServant.objects.filter(pk__in=rng.sample(staff, samples)):
        line = AssignmentLine.objects.filter(civil_servant=person, period=period).first()
        if line is None:
            continue
        AssignmentLine.objects.filter(pk=line.pk).update(
            completed_quantity=line.assigned_quantity, failed_reviews=line.failed_reviews + 1
        )
        before = AnnualScore.objects.filter(civil_servant=person, year=YEAR).first()

        def whole_chain(person=person):
            with transaction.atomic():
                score = links["period"](score_person, person, period, cascade=False)
            links["six-month"](half_years, person.pk, YEAR)
            with transaction.atomic():
                report = links["annual + quota groups"](score_year, YEAR, people=[person.pk])
            agency = score.agency if score is not None else None
            if agency is not None:
                with transaction.atomic():
                    links["organisation"](score_organisations, YEAR, agency)
            return report

        report = chain(whole_chain)
        groups += report.recomputed
        after = AnnualScore.objects.filter(civil_servant=person, year=YEAR).first()
        changed += before is None or after is None or before.score != after.score
    return links, chain, changed, groups


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    with benchmark_database(args):
        from org.models import CivilServant

        period, staff = prepare_province(args, rng)
        print(f"  {CivilServant.objects.count():,} civil servants; {args.samples} people sampled")
        print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        links, chain, changed, groups = run_chain(period, staff, args.samples, rng)
        print(links["period"].line("floor: the period score alone (score_person)"))
        for name in ("six-month", "annual + quota groups", "organisation"):
            print(links[name].line(f"  {name}"))
        print(chain.line("the whole chain"))
        samples = len(chain.wall)
        print(
            f"  {changed} of {samples} annual scores changed; people recomputed with their "
            f"quota groups: {groups / max(samples, 1):.0f} on average"
        )
        print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        # The targeted runs must leave what a province-wide run would: it finds nothing to do.
        from scoring.services import score_year

        check = score_year(YEAR)
        same = (check.written, check.recomputed, check.groups_written) == (0, 0, 0)
        print(
            f"check: a province-wide annual run afterwards wrote {check.written} rows, "
            f"recomputed {check.recomputed} people, moved {check.sources_updated} fingerprints "
            f"and {check.groups_written} quota groups' fingerprints"
            + (" — equal" if same else " — DIFFERENT")
        )
        if not same:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
