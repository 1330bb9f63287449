"""Digest of everything a from-scratch month stores, to prove a speed-up changes no stored value.

On a province kept by ``benchmarks/score_batch.py --keep``: deletes March 2026's period scores
and the stale marks, scores the month again from scratch (in this process, with whatever code
``PYTHONPATH`` points at), and prints one sha256 over every stored column of every period score
of the month (JSON columns compared as parsed values, keys sorted; the row id and
``computed_at``, which change on every run, left out) and over the stale marks the store wrote
(kind, year, subject, reason). The same digest before and after a change: no stored figure,
explanation, line snapshot or mark moved.

    PYTHONPATH=. .venv/bin/python benchmarks/month_digest.py <the kept URL> [--per-column]
"""

import argparse
import datetime
import hashlib
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--per-column", action="store_true", help="one digest per column too")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    os.environ.setdefault("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import models

    from scoring.models import Period, PeriodScore, StaleFigure
    from scoring.services import score_period

    period = Period.objects.get(kind="month", start_date=datetime.date(2026, 3, 1))
    PeriodScore.objects.filter(period=period).delete()
    StaleFigure.objects.all().delete()
    started, cpu = time.perf_counter(), time.process_time()
    report = score_period(period)
    print(
        f"month scored from scratch: {report.written:,} rows in "
        f"{time.perf_counter() - started:.2f} s (CPU {time.process_time() - cpu:.2f} s)"
    )

    fields = [
        f for f in PeriodScore._meta.concrete_fields if f.attname not in {"id", "computed_at"}
    ]
    names = [f.attname for f in fields]
    json_columns = {f.attname for f in fields if isinstance(f, models.JSONField)}
    total = hashlib.sha256()
    per_column = {name: hashlib.sha256() for name in names}
    rows = PeriodScore.objects.filter(period=period).order_by("civil_servant_id")
    count = 0
    for row in rows.values_list(*names).iterator(chunk_size=5000):
        count += 1
        for name, value in zip(names, row, strict=True):
            if name in json_columns:
                text = json.dumps(value, sort_keys=True, ensure_ascii=False)
            else:
                text = repr(value)
            piece = f"{name}={text}\x1f".encode()
            total.update(piece)
            per_column[name].update(piece)
        total.update(b"\x1e")
    marks = hashlib.sha256()
    stale = StaleFigure.objects.order_by("kind", "year", "subject_id")
    for values in stale.values_list("kind", "year", "subject_id", "reason"):
        marks.update(repr(values).encode())
    print(f"period scores: {count:,}; digest {total.hexdigest()}")
    print(f"stale marks: {stale.count():,}; digest {marks.hexdigest()}")
    if args.per_column:
        for name, digest in per_column.items():
            print(f"  {name:<24} {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
