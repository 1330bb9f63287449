"""Benchmark of replacing a large results file with a small one (reliability review M7).

    .venv/bin/python benchmarks/replace_file.py [--rows 100000] [--keep 22] [--only new|orm]
    DATABASE_URL=postgres://…/postgres .venv/bin/python benchmarks/replace_file.py

A results file of ``--rows`` lines is committed for one agency and month, then a file of
``--keep`` of those lines replaces it (every other line removed, as the preview says and the
clerk confirms with "allow removals"). The replacing commit is timed twice, each on a fresh
database with the same large file stored first:

* ``orm``: the removed lines deleted as before, through the ORM in chunks of 900 (each row
  collected, its cascades and signals, one history row per object);
* ``new``: ``importers.bulk.delete_ids``, by set (one ``DELETE … WHERE id IN`` per chunk, the
  dependants followed by set, the history rows by ``INSERT … SELECT``).

The commit holds the agency row (and the stored lines) locked from start to end, so its time is
the time other writers of that agency wait. On SQLite (a temporary file) by default; with
``DATABASE_URL`` pointing at a PostgreSQL server, a throwaway database next to it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.import_results import (  # noqa: E402
    build_fixtures,
    generate_rows,
    postgres_database,
    setup_django,
    write_workbook,
)


def child(args) -> None:
    setup_django(args.database_url)
    from importers import bulk, pipeline
    from scoring.models import AssignmentLine
    from scoring.services.rescoring import paused

    fixture = build_fixtures(500, 80)
    rows = generate_rows(args.rows, fixture["people"], fixture["products"])
    workdir = Path(args.path)
    large, small = workdir / "large.xlsx", workdir / "small.xlsx"
    write_workbook(large, rows)
    write_workbook(small, rows[: args.keep])
    with paused():
        analysis, job = pipeline.commit(large, original_name=large.name)
    assert job is not None, [issue.line() for issue in analysis.errors[:5]]
    stored = AssignmentLine.objects.count()
    if args.only == "orm":

        def orm_delete(model, ids):
            ids = list(ids)
            for start in range(0, len(ids), 900):
                model.objects.filter(pk__in=ids[start : start + 900]).delete()

        bulk.delete_ids = orm_delete
    started = time.perf_counter()
    with paused():
        analysis, job = pipeline.commit(small, original_name=small.name, allowed_removals=None)
    seconds = time.perf_counter() - started
    assert job is not None, [issue.line() for issue in analysis.errors[:5]]
    left = AssignmentLine.objects.count()
    print(
        f"{args.only:<4} stored {stored:>7,} lines → {left:>3} kept; removed "
        f"{analysis.counts.removed:>7,}: commit {seconds:7.2f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=int, default=22)
    parser.add_argument("--only", choices=["new", "orm"])
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--path")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}", flush=True)
    for way in [args.only] if args.only else ["new", "orm"]:
        with tempfile.TemporaryDirectory() as workdir:
            server = os.environ.get("DATABASE_URL", "")
            if server.startswith("postgres"):
                url, drop = postgres_database(server)
            else:
                url, drop = f"sqlite:///{workdir}/bench.sqlite3", None
            try:
                subprocess.run(  # noqa: S603
                    [sys.executable, __file__, "--child", "--only", way, "--rows",
                     str(args.rows), "--keep", str(args.keep), "--database-url", url,
                     "--path", workdir],
                    check=True,
                )  # fmt: skip
            finally:
                if drop is not None:
                    drop()


if __name__ == "__main__":
    main()
