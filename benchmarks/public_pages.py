"""Benchmark: server time of the public transparency pages for a synthetic province.

Builds 60 agencies (40 departments, 20 communes, each with units) and 20,000 civil servants with
stored scores for 12 published months, in a SEPARATE, throwaway database — never the project's:

* SQLite (default): a temporary file, deleted afterwards (``--keep`` keeps it);
* PostgreSQL: pass a server URL (``--database-url`` or ``DATABASE_URL``); a fresh database
  ``kpi_bench_<pid>`` is created on that server and dropped afterwards (needs CREATEDB).

    .venv/bin/python benchmarks/public_pages.py
    DATABASE_URL=$(bash scripts/postgres-up.sh | tail -1) \
        .venv/bin/python benchmarks/public_pages.py

Prints the cost of publishing (building the suppressed snapshot of one month, then of all
months: one GROUP BY over the stored scores), then, for the overview (latest month, 12-month
trend), an older month, an agency page and the CSV: the uncached time (Django's cache cleared
before every request: pages are rendered from the snapshots) and the cached time, as median and
p95 over ``--repeat`` requests, with the number of SQL queries; last, the worst case — the
overview with no snapshot at all, so that the request aggregates all 12 months itself. Times
are measured around Django's test client, i.e. the whole request inside the server process
(routing, Wagtail, views, templates).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from score_batch import create_database, insert_many, setup_django

BANDS = ("excellent", "good", "completed", "not_completed")
TOTAL_FOR = {
    "excellent": (90, 99),
    "good": (70, 89.99),
    "completed": (50, 69.99),
    "not_completed": (30, 49.99),
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--departments", type=int, default=40)
    parser.add_argument("--communes", type=int, default=20)
    parser.add_argument("--units-per-agency", type=int, default=6)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--months", type=int, default=12, help="published months of 2026")
    parser.add_argument("--lines", type=int, default=3, help="assignment lines per person")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=335)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    return parser.parse_args()


def build(args, rng):
    from django.utils import timezone

    from catalog_pages.models import CatalogVersionItem
    from dashboards.setup import ensure_public_pages
    from org.models import Agency, CivilServant
    from scoring.models import AssignmentLine, Period, PeriodScore
    from tests.factories.catalog import catalog_version

    province = Agency.objects.create(code="BENCH", name="Tỉnh Thử Tải", kind="province")
    tops = [
        Agency.objects.create(
            code=f"S{i:02d}", name=f"Sở thử tải {i}", kind="department", parent=province
        )
        for i in range(args.departments)
    ] + [
        Agency.objects.create(
            code=f"X{i:02d}", name=f"Ủy ban nhân dân xã Thử {i}", kind="commune", parent=province
        )
        for i in range(args.communes)
    ]
    units = {
        top.pk: [
            Agency.objects.create(
                code=f"{top.code}-{u}", name=f"Phòng {u} — {top.name}", kind="unit", parent=top
            )
            for u in range(args.units_per_agency)
        ]
        for top in tops
    }
    # Departments are larger than communes; a few very small agencies exercise suppression.
    weights = [rng.uniform(3, 12) if t.kind == "department" else rng.uniform(0.5, 3) for t in tops]
    weights[-1] = 0.02
    scale = args.people / sum(weights)
    sizes = [max(2, round(w * scale)) for w in weights]
    sizes[0] += args.people - sum(sizes)
    profiles = {
        top.pk: [0.12 + rng.uniform(-0.06, 0.06), 0.6, 0.24, max(0.002, rng.uniform(-0.01, 0.05))]
        for top in tops
    }
    CivilServant.objects.bulk_create(
        (
            CivilServant(official_id=f"B{i:07d}", full_name=f"Người thử {i}", name_folded="")
            for i in range(args.people)
        ),
        batch_size=2000,
    )
    ids = list(CivilServant.objects.order_by("official_id").values_list("id", flat=True))
    owner, cursor = [], 0
    for top, size in zip(tops, sizes, strict=True):
        for _ in range(size):
            owner.append((ids[cursor], top, rng.choice(units[top.pk])))
            cursor += 1
    months = [
        Period.for_date(datetime.date(2026, m, 1), create=True) for m in range(1, args.months + 1)
    ]
    Period.objects.filter(pk__in=[p.pk for p in months]).update(published=True, status="closed")
    now = timezone.now()
    columns = [
        "civil_servant_id",
        "period_id",
        "agency_id",
        "role",
        "position_group",
        "scored",
        "total",
        "rating",
        "component_points",
        "input_errors",
        "catalog_version_ids",
        "engine_version",
        "inputs_hash",
        "computed_at",
        "explanation",
    ]
    for period in months:
        rows = []
        for person, top, unit in owner:
            band = rng.choices(BANDS, profiles[top.pk])[0]
            low, high = TOTAL_FOR[band]
            total = Decimal(str(round(rng.uniform(low, high), 2)))
            rows.append(
                (
                    person,
                    period.pk,
                    unit.pk,
                    "staff",
                    "professional",
                    True,
                    total,
                    band,
                    "{}",
                    "{}",
                    "[]",
                    "bench",
                    "0" * 64,
                    now,
                    "{}",
                )
            )
        insert_many(PeriodScore, columns, rows)
    latest = months[-1]
    items = {}
    for top in tops:
        _version, by_code = catalog_version(top, items=[(f"P{i}", "1") for i in range(5)])
        for i, item in enumerate(by_code.values()):
            CatalogVersionItem.objects.filter(pk=item.pk).update(complexity_group=i + 1)
        items[top.pk] = [item.pk for item in by_code.values()]
    lines = [
        (
            person,
            latest.pk,
            rng.choice(items[top.pk]),
            unit.pk,
            2,
            rng.choice((1, 2)),
            0,
            0,
            "manual",
            "",
            "",
            now,
            now,
        )
        for person, top, unit in owner
        for _ in range(args.lines)
    ]
    insert_many(
        AssignmentLine,
        [
            "civil_servant_id",
            "period_id",
            "item_id",
            "unit_id",
            "assigned_quantity",
            "completed_quantity",
            "failed_reviews",
            "delays",
            "source",
            "external_id",
            "note",
            "created_at",
            "updated_at",
        ],
        lines,
    )
    index = ensure_public_pages()
    return index, tops, latest


def measure(client, url, repeat, cold, rebuild=False):
    """Median and p95 ms, queries and bytes of ``url``; ``cold`` clears Django's cache before
    each request, ``rebuild`` also drops the snapshots (the first request after a bulk
    publish that sent no signal computes them from the scores)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dashboards.models import PublicSnapshot

    timings, queries = [], 0
    client.get(url)  # warm imports and the template loader
    for _ in range(repeat):
        if cold:
            cache.clear()
        if rebuild:
            PublicSnapshot.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, queries, len(response.content)


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    url, drop = create_database(args.database_url)
    try:
        started = time.perf_counter()
        setup_django(url)
        migrated = time.perf_counter()
        from django.conf import settings
        from django.db import connection
        from django.test import Client

        settings.ALLOWED_HOSTS = ["*"]
        index, tops, latest = build(args, rng)
        built = time.perf_counter()
        print(
            f"database: {connection.vendor} ({url.split('@')[-1]}); migrate "
            f"{migrated - started:.1f} s, build {built - migrated:.1f} s"
        )
        print(
            f"province: {len(tops)} agencies, {args.people} civil servants, {args.months} "
            f"published months ({args.people * args.months} stored period scores), "
            f"{args.people * args.lines} assignment lines in {latest.code}"
        )
        from dashboards.snapshots import refresh
        from scoring.models import Period

        published = list(Period.objects.filter(published=True))
        steps = (("one month", [latest]), (f"all {len(published)} months", published))
        for label, periods in steps:
            start = time.perf_counter()
            refresh(periods)
            print(
                f"publish: building the public snapshot of {label}: "
                f"{(time.perf_counter() - start) * 1000:.0f} ms"
            )
        client = Client()
        targets = [
            ("overview", f"{index.url}"),
            ("overview, older month", f"{index.url}?ky=2026-01"),
            ("agency page", f"{index.url}co-quan/{tops[1].code.lower()}/"),
            ("overview CSV", f"{index.url}csv/"),
        ]
        print(
            f"{'page':<24}{'uncached median/p95 ms':>26}{'queries':>9}"
            f"{'cached median/p95 ms':>24}{'queries':>9}{'bytes':>9}"
        )
        for name, target in targets:
            cold = measure(client, target, args.repeat, cold=True)
            warm = measure(client, target, args.repeat, cold=False)
            print(
                f"{name:<24}{cold[0]:>15.1f} / {cold[1]:>7.1f}{cold[2]:>9}"
                f"{warm[0]:>13.1f} / {warm[1]:>7.1f}{warm[2]:>9}{cold[3]:>9}"
            )
        worst = measure(client, targets[0][1], max(3, args.repeat // 3), cold=True, rebuild=True)
        print(
            f"{'overview, no snapshots':<24}{worst[0]:>15.1f} / {worst[1]:>7.1f}{worst[2]:>9}"
            "   (all 12 snapshots rebuilt inside the request)"
        )
    finally:
        if args.keep:
            print(f"kept: {url}")
        else:
            drop()


if __name__ == "__main__":
    main()
