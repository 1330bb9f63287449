"""Benchmark: the rating season's check of every case's figure (issue 48), N people.

Before a decision, a Form 02 or a national record uses a case's figure, the figure is checked
against its inputs (``ratings.services.case_figure``: the annual score still current, the
period scores it was built from, the decision's rules). The season's check and the season's
pages ask it for every case of the year at once (``case_figures``); this benchmark times that
beside its peer, the same question asked case by case (``case_figure``), on a random sample
(at 100,000 people one by one takes about 45 minutes), and checks that both give the same
figure for every case of the sample (exit status 1 if not).

The year's cases are opened first when the province has none (``ratings.services.cases.
open_cases``, the season's bulk door, timed too). Runs on a province kept by
``score_batch.py --keep`` (``--reuse``; the cases it opens are written to it: use a copy when
``score_batch.py --reuse`` must stay comparable), or builds one in a throwaway database first
(the month scored, eleven synthetic months, the year's annual scores):

    .venv/bin/python benchmarks/season_check.py --people 20000
    .venv/bin/python benchmarks/score_batch.py --people 100000 --keep \\
        --database-url postgres://kpi:kpi@127.0.0.1:54329/kpi
    .venv/bin/python benchmarks/season_check.py --reuse postgres://…/kpi_bench_…

Prints wall and CPU time of this process (the database server's own time not included) and the
load average.
"""

import argparse
import os
import random
import time

from score_batch import benchmark_database, build_province, province_arguments, synthetic_year

YEAR = 2026


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    province_arguments(parser, seed=48)
    parser.add_argument("--sample", type=int, default=2_000, help="cases asked one by one")
    parser.add_argument("--repeat", type=int, default=2, help="times every case is read at once")
    parser.add_argument("--reuse", default="", help="a province kept by score_batch.py --keep")
    return parser.parse_args()


def timed(func, *args):
    started, cpu = time.perf_counter(), time.process_time()
    result = func(*args)
    return result, time.perf_counter() - started, time.process_time() - cpu


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def prepare_province(args, rng):
    """A province whose year is scored: kept, or built here."""
    from scoring.services import score_period, score_year

    if not args.reuse:
        period, _people, _lines, _staff = build_province(args, rng)
        score_period(period)
        synthetic_year(period, rng)
        score_year(YEAR)


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    with benchmark_database(args):
        from ratings.models import CaseState, RatingCase
        from ratings.services.case_figure import case_figure, case_figures
        from ratings.services.cases import open_cases

        prepare_province(args, rng)
        print(f"load average at start: {load()}")
        if not RatingCase.objects.filter(year=YEAR).exists():
            report, wall, cpu = timed(open_cases, YEAR)
            print(
                f"opened {len(report.created):,} cases in {wall:.1f} s wall, {cpu:.1f} s CPU "
                f"({1000 * wall / max(len(report.created), 1):.2f} ms a case); load {load()}"
            )
        cases = list(
            RatingCase.objects.filter(year=YEAR)
            .exclude(state=CaseState.CANCELLED)
            .select_related("civil_servant", "subject_agency", "agency")
        )
        people = [case for case in cases if not case.is_agency_case]
        print(f"{len(people):,} people's cases")
        together = {}
        for _ in range(max(args.repeat, 1)):
            together, wall, cpu = timed(case_figures, people)
            print(
                f"every case at once (case_figures): {len(together):,} figures in {wall:.1f} s "
                f"wall, {cpu:.1f} s CPU ({1000 * wall / max(len(together), 1):.2f} ms a case); "
                f"load {load()}"
            )
        sample = rng.sample(people, min(args.sample, len(people)))
        alone, wall, cpu = timed(lambda: {case.pk: case_figure(case) for case in sample})
        per_case = 1000 * wall / max(len(sample), 1)
        every = per_case * len(people) / 1000
        every_text = f"{every / 60:.0f} minutes" if every >= 120 else f"{every:.0f} s"
        print(
            f"peer, case by case (case_figure): {len(sample):,} figures in {wall:.1f} s wall, "
            f"{cpu:.1f} s CPU ({per_case:.2f} ms a case: {every_text} for every case); "
            f"load {load()}"
        )
        differ = [pk for pk, figure in alone.items() if together.get(pk) != figure]
        current = sum(1 for figure in together.values() if not figure.stale)
        print(
            f"check: {len(sample) - len(differ):,} of {len(sample):,} sampled figures equal case "
            f"by case; {current:,} of {len(together):,} current"
            + ("" if not differ else f" — DIFFERENT: cases {differ[:10]}")
        )
        if differ:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
