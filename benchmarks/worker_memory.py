"""The background worker's memory over many tasks, with and without giving freed memory back.

Builds the demo province in a throwaway database (as ``benchmarks/api_load.py`` does: a
temporary SQLite file, or a fresh database on the PostgreSQL server of ``--database-url``),
then starts the production ``manage.py db_worker`` (production settings, the database queue)
twice, one after the other, on the same data:

* ``KPI_MALLOC_TRIM=0``: freed memory stays with the C allocator (the worker before
  ``cms.memory``);
* the default: after each task the worker calls ``malloc_trim(0)`` (``cms.memory.release``).

Each worker is fed ``--runs`` (1,000) rescoring runs of one person each, ``--batch`` (50) at a
time through the real queue (the same task the API's writes and the imports queue); after each
batch has drained, the worker's resident size (RSS, ``/proc``) is read. It prints the two
series side by side and, for each, the size after the first batch, at the end, and the growth
per 1,000 runs — the peer of one worker is the other, in the same run on the same machine.

    .venv/bin/python benchmarks/worker_memory.py
    .venv/bin/python benchmarks/worker_memory.py --runs 3000 \
        --database-url postgres://kpi:kpi@127.0.0.1:54329/kpi
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_load import SETTINGS, build
from score_batch import create_database
from soak import queue_left, rss_mib, start_worker


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=50)
    return parser.parse_args()


def feed(period_code: str, official_ids: list[str], runs: int, batch: int, worker) -> list[float]:
    """Queue ``runs`` one-person runs, ``batch`` at a time; the worker's RSS after each batch."""
    from django.test.utils import override_settings

    from org.models import CivilServant
    from scoring.models import Period
    from scoring.services import rescoring

    period_id = next(p.pk for p in Period.objects.all() if p.code == period_code)
    people = sorted(
        CivilServant.objects.filter(official_id__in=official_ids).values_list("pk", flat=True)
    )

    rng = random.Random(7)
    sizes = []
    database_queue = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=database_queue):
        for _start in range(0, runs, batch):
            for _ in range(batch):
                rescoring.request_rescore(period_id, people=[rng.choice(people)], reason="probe")
            deadline = time.monotonic() + 600
            while queue_left() and time.monotonic() < deadline:
                if worker.poll() is not None:
                    raise SystemExit(f"db_worker exited with {worker.returncode}")
                time.sleep(0.2)
            sizes.append(rss_mib(worker.pid) or 0.0)
    return sizes


def stop(worker) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def main():
    args = parse_args()
    url, drop = create_database(args.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="kpi-worker-memory-"))
    (workdir / "kpi_api_bench_settings.py").write_text(SETTINGS)
    try:
        print(
            f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
            f"{os.getloadavg()[0]:.2f}; database {url.split('://')[0]}",
            flush=True,
        )
        data = build(url)
        from django.db import connections

        from cms import memory

        costs = []
        for _ in range(20):
            started = time.perf_counter()
            memory.release()
            costs.append((time.perf_counter() - started) * 1000)
        print(
            f"malloc_trim(0) in this process (the build's heap): median "
            f"{sorted(costs)[10]:.2f} ms, max {max(costs):.2f} ms",
            flush=True,
        )

        connections.close_all()
        series = {}
        for name, trim in (("kept (KPI_MALLOC_TRIM=0)", "0"), ("given back (default)", "1")):
            os.environ["KPI_MALLOC_TRIM"] = trim
            worker = start_worker(url, workdir)
            try:
                time.sleep(3)  # its start-up recovery and first sweep
                started = time.monotonic()
                series[name] = feed(data["period"], data["people"], args.runs, args.batch, worker)
                print(
                    f"{name}: {args.runs:,} runs in {time.monotonic() - started:.0f} s",
                    flush=True,
                )
            finally:
                stop(worker)
        names = list(series)
        print(f"\n{'runs':>6}  " + "  ".join(f"{n:>26}" for n in names))
        for index in range(len(series[names[0]])):
            done = (index + 1) * args.batch
            print(f"{done:>6}  " + "  ".join(f"{series[n][index]:>22.1f} MiB" for n in names))
        print()
        for name in names:
            sizes = series[name]
            first, last = sizes[0], sizes[-1]
            runs = args.batch * (len(sizes) - 1)
            per_thousand = (last - first) * 1000 / runs if runs else 0.0
            print(
                f"{name}: {first:.1f} MiB after {args.batch} runs -> {last:.1f} MiB after "
                f"{args.runs:,} (+{last - first:.1f} MiB, {per_thousand:+.2f} MiB per 1,000 runs)"
            )
        print(f"load average at the end {os.getloadavg()[0]:.2f}")
    finally:
        drop()


if __name__ == "__main__":
    main()
