"""Benchmark: score and store one month for a synthetic province (20,000 × 30 lines by default).

Runs in a SEPARATE, throwaway database and never touches the project's own:

* SQLite (default): a temporary file, deleted afterwards;
* PostgreSQL: pass a server URL (``--database-url`` or ``DATABASE_URL``); a fresh database
  ``kpi_bench_<pid>`` is created on that server and dropped afterwards (the role needs CREATEDB).

    .venv/bin/python benchmarks/score_batch.py
    DATABASE_URL=$(bash scripts/postgres-up.sh | tail -1) .venv/bin/python benchmarks/score_batch.py
    .venv/bin/python benchmarks/score_batch.py --people 100000 --keep     # keep the province
    .venv/bin/python benchmarks/score_batch.py --reuse <the kept URL>     # measure it again
    .venv/bin/python benchmarks/score_batch.py --reuse <the kept URL> --only-annual

Prints: generation time; time to score + store the month; time to recompute it unchanged;
one person's recompute (unchanged and changed) in ms; and one year's annual ratings (the other
eleven months get synthetic stored totals so the annual step reads 12 periods per person).
Each step shows wall-clock time and CPU time (this process; database server time is not
included), which stays meaningful on a shared, busy machine, and the load average (1 min)
when it ended. ``--only-annual`` (with ``--reuse``) measures the annual step alone: the year
computed from scratch, again unchanged, after one period score changed, and with every row's
sources fingerprint emptied (rows from before ``scoring 0018``).
"""

import argparse
import contextlib
import datetime
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
COEFFICIENTS = ["0.5", "0.8", "1", "1", "1.5", "2", "3", "5", "8", "12"]
GENERAL = (
    [("I.1", 5), ("I.2", 5)]
    + [(f"II.{i}", 2.5) for i in range(1, 5)]
    + [(f"III.{i}", 2.5) for i in range(1, 5)]
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--lines", type=int, default=30)
    parser.add_argument("--units-per-agency", type=int, default=10)
    parser.add_argument("--seed", type=int, default=335)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--reuse",
        default="",
        help="a database kept by --keep: no generation; its scores of the month and of the "
        "year are deleted and computed again (the other months' totals are kept)",
    )
    parser.add_argument(
        "--only-annual",
        action="store_true",
        help="with --reuse: keep the month's scores and measure the annual step alone",
    )
    return parser.parse_args()


# --------------------------------------------------------------------------- database


def create_database(server_url: str) -> tuple[str, callable]:
    """A throwaway database URL and a function that removes it."""
    if not server_url or server_url.startswith("sqlite"):
        handle, path = tempfile.mkstemp(prefix="kpi-bench-", suffix=".sqlite3")
        os.close(handle)
        return f"sqlite:///{path}", lambda: Path(path).unlink(missing_ok=True)
    import psycopg

    name = f"kpi_bench_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    url = urlunsplit(parts._replace(path=f"/{name}"))

    def drop():
        from django.db import connections

        connections.close_all()
        for attempt in range(10):  # the server may take a moment to end our last session
            try:
                with psycopg.connect(server_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                return
            except psycopg.errors.ObjectInUse:
                time.sleep(0.5 * (attempt + 1))
        print(f"could not drop {name}; drop it by hand")

    return url, drop


@contextlib.contextmanager
def benchmark_database(args, kept_hint: str = ""):
    """The benchmark's database, Django set up on it: ``--reuse``'s (kept), or a new one made
    on ``--database-url`` (dropped at the end unless ``--keep``). Yields its URL and prints the
    engine and the load average at the start."""
    if args.reuse:
        url, drop, args.keep = args.reuse, None, True
    else:
        url, drop = create_database(args.database_url)
    try:
        setup_django(url)
        from django.db import connection

        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        yield url
    finally:
        if args.keep:
            print(f"kept: {url}{kept_hint.format(url=url)}")
        elif drop is not None:
            drop()


def setup_django(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    # Background work queued as in production (the database queue), not run in-process: the
    # month's write marks the year's annual scores stale and queues their refresh, which a
    # worker runs after the commit; run in-process it would be timed inside the month's
    # "store" phase. The year is measured on its own below.
    os.environ.setdefault("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    from django.core.management import call_command

    logging.getLogger("wagtail").setLevel(logging.WARNING)

    call_command("migrate", verbosity=0)


def insert_many(model, columns: list[str], rows: list[tuple]):
    """Fast plain inserts for generation only (COPY on PostgreSQL, executemany on SQLite);
    the scoring code itself never writes this way."""
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    cols = ", ".join(quote(c) for c in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608 - quoted names
        for start in range(0, len(rows), 20_000):
            cursor.executemany(sql, rows[start : start + 20_000])


# --------------------------------------------------------------------------- generation


def build_province(args, rng):
    from django.utils import timezone

    from wagtail.models import Page

    from catalog_pages.models import (
        AgencyCatalogPage,
        CatalogIndexPage,
        CatalogVersion,
        CatalogVersionItem,
    )
    from org.models import Agency, CivilServant, JobPosition, Posting
    from scoring.models import (
        AssignmentLine,
        Deduction,
        GeneralCriteriaMark,
        LeaderMark,
        Period,
    )

    per_unit = 20
    units_needed = max(1, args.people // per_unit)
    tops_needed = max(1, units_needed // args.units_per_agency)
    province = Agency.objects.create(code="BENCH", name="Tỉnh Thử Tải", kind="province")
    positions = {
        group: JobPosition.objects.create(
            code=f"B-{group[:3].upper()}", name=f"Vị trí {group}", group=group, level="province"
        )
        for group in ("leadership", "professional", "support")
    }
    home = Page.objects.get(depth=2)
    index = home.add_child(instance=CatalogIndexPage(title="Danh mục", slug="danh-muc-bench"))
    tops, units, items_of = [], [], {}
    for t in range(tops_needed):
        top = Agency.objects.create(
            code=f"S{t:03d}", name=f"Sở thử tải {t}", kind="department", parent=province
        )
        tops.append(top)
        page = index.add_child(
            instance=AgencyCatalogPage(title=f"Danh mục {t}", slug=f"dm-{t}", agency=top)
        )
        version = CatalogVersion.objects.create(
            page=page,
            agency=top,
            number=1,
            effective_from=datetime.date(2026, 1, 1),
            approved_at=timezone.now(),
        )
        CatalogVersionItem.objects.bulk_create(
            CatalogVersionItem(
                version=version,
                uid=f"00000000-0000-0000-{t:04d}-{i:012d}",
                code=f"SP{i:02d}",
                name=f"Sản phẩm {i}",
                output_unit="văn bản",
                complexity_group=1 + i % 5,
                coefficient=Decimal(COEFFICIENTS[i % len(COEFFICIENTS)]),
                sort_order=i,
            )
            for i in range(40)
        )
        items_of[top.pk] = list(version.items.values_list("id", flat=True))
        for u in range(args.units_per_agency):
            units.append(
                (
                    Agency.objects.create(
                        code=f"S{t:03d}-{u:02d}",
                        name=f"Phòng {u} sở {t}",
                        kind="unit",
                        parent=top,
                    ),
                    top,
                )
            )

    people_specs = []  # (agency, top, role, group)
    for top in tops:
        people_specs.append((top, top, "head", "leadership"))
        people_specs.extend((top, top, "deputy", "leadership") for _ in range(2))
    for unit, top in units:
        people_specs.append((unit, top, "head", "leadership"))
        people_specs.append((unit, top, "deputy", "leadership"))
        people_specs.extend(
            (unit, top, "staff", "support" if rng.random() < 0.15 else "professional")
            for _ in range(per_unit - 2)
        )
    people_specs = people_specs[: max(args.people, len(tops) * 3 + len(units) * 2)]
    CivilServant.objects.bulk_create(
        CivilServant(official_id=f"B{i:07d}", full_name=f"Người thử {i}", name_folded=f"nguoi {i}")
        for i in range(len(people_specs))
    )
    ids = list(CivilServant.objects.order_by("official_id").values_list("id", flat=True))
    Posting.objects.bulk_create(
        Posting(
            civil_servant_id=pid,
            agency=agency,
            job_position=positions[group],
            role=role,
            start_date=datetime.date(2020, 1, 1),
        )
        for pid, (agency, _top, role, group) in zip(ids, people_specs, strict=True)
    )
    period = Period.for_date(datetime.date(2026, 3, 1), create=True)
    now = datetime.datetime.now(datetime.UTC)
    lines = []
    for pid, (agency, top, _role, _group) in zip(ids, people_specs, strict=True):
        pool = items_of[top.pk]
        for _ in range(args.lines):
            assigned = rng.randint(1, 5)
            roll = rng.random()
            completed = assigned if roll < 0.75 else (assigned - 1 if roll < 0.95 else assigned + 1)
            failed = 1 if rng.random() < 0.12 else (2 if rng.random() < 0.01 else 0)
            delays = 1 if rng.random() < 0.15 else 0
            lines.append(
                (
                    pid,
                    period.pk,
                    rng.choice(pool),
                    agency.pk,
                    assigned,
                    completed,
                    failed,
                    delays,
                    "manual",
                    "",
                    "",
                    now,
                    now,
                )
            )
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
    with_failures = list(
        AssignmentLine.objects.filter(period=period, failed_reviews__gt=0).values_list(
            "id", flat=True
        )[: max(1, len(lines) // 200)]
    )
    insert_many(
        Deduction,
        ["line_id", "kind", "occurred_at", "note", "exempt", "exempt_reason"],
        [(i, "review", now, "", True, "Nguyên nhân khách quan (thử tải)") for i in with_failures],
    )
    marks = []
    for pid in ids:
        for code, maximum in GENERAL:
            mark = Decimal(str(maximum)) * Decimal(rng.choice(["1", "0.9", "0.8", "0.7", "0.6"]))
            marks.append((pid, period.pk, "general", code, mark, mark, now))
    insert_many(
        GeneralCriteriaMark,
        [
            "civil_servant_id",
            "period_id",
            "component",
            "criterion",
            "self_mark",
            "evaluator_mark",
            "updated_at",
        ],
        marks,
    )
    leaders = [pid for pid, spec in zip(ids, people_specs, strict=True) if spec[2] != "staff"]
    LeaderMark.objects.bulk_create(
        LeaderMark(
            civil_servant_id=pid,
            period=period,
            organising=Decimal(rng.choice([100, 100, 50])),
            cohesion=Decimal(100),
        )
        for pid in leaders
    )
    staff = [pid for pid, spec in zip(ids, people_specs, strict=True) if spec[2] == "staff"]
    return period, len(ids), len(lines), staff


def synthetic_year(period, rng):
    """Stored totals for the other 11 months (jittered copies of March), for the annual step."""
    from scoring.models import Period, PeriodScore

    rows = list(
        PeriodScore.objects.filter(period=period).values(
            "civil_servant_id",
            "agency_id",
            "posting_id",
            "role",
            "position_group",
            "scored",
            "total",
            "framework_id",
            "framework_revision_id",
            "engine_version",
        )
    )
    now = datetime.datetime.now(datetime.UTC)
    created = []
    for month in range(1, 13):
        if month == 3:
            continue
        other = Period.for_date(datetime.date(2026, month, 1), create=True)
        for source in rows:
            row = dict(source)
            total = row.pop("total")
            if total is not None:
                jitter = Decimal(rng.randint(-300, 300)) / 100
                total = max(Decimal(0), min(Decimal(100), total + jitter))
            rating = (
                ""
                if total is None
                else "excellent"
                if total >= 90
                else "good"
                if total >= 70
                else "completed"
                if total >= 50
                else "not_completed"
            )
            created.append(
                PeriodScore(
                    period=other,
                    total=total,
                    rating=rating,
                    inputs_hash="synthetic",
                    computed_at=now,
                    explanation={},
                    component_points={},
                    input_errors={},
                    catalog_version_ids=[],
                    **row,
                )
            )
    PeriodScore.objects.bulk_create(created, batch_size=5000)
    return len(created)


def reused_province(keep_month: bool = False):
    """The month, people, lines and staff of a database kept by ``--keep``, its scores of the
    month (unless ``keep_month``) and of the year deleted (so the first run really computes
    everything)."""
    from org.models import LeadershipRole, Posting
    from scoring.models import AnnualScore, AssignmentLine, Period, PeriodScore

    period = Period.objects.get(kind="month", start_date=datetime.date(2026, 3, 1))
    if not keep_month:
        PeriodScore.objects.filter(period=period).delete()
    AnnualScore.objects.filter(year=2026).delete()
    staff = list(
        Posting.objects.filter(role=LeadershipRole.STAFF).values_list("civil_servant_id", flat=True)
    )
    people = Posting.objects.values("civil_servant_id").distinct().count()
    return period, people, AssignmentLine.objects.filter(period=period).count(), staff


# --------------------------------------------------------------------------- run


def phases(report) -> str:
    return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.timings.items())


def cpu_seconds() -> float:
    """CPU time of this process and its finished children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def peak_memory() -> str:
    """Peak resident memory of this process."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"peak memory (RSS): {own:,.0f} MiB"


def table_sizes(connection, lines: int) -> str:
    """On-disk size (table + indexes + TOAST) of the lines and the stored period scores."""
    from scoring.models import AssignmentLine, PeriodScore

    sizes = []
    with connection.cursor() as cursor:
        for model in (AssignmentLine, PeriodScore):
            cursor.execute(
                "SELECT pg_total_relation_size(%s), pg_indexes_size(%s)",
                [model._meta.db_table, model._meta.db_table],
            )
            total, indexes = cursor.fetchone()
            sizes.append((model._meta.db_table, total, indexes))
    text = "; ".join(
        f"{name} {total / 2**20:,.0f} MiB (indexes {indexes / 2**20:,.0f} MiB)"
        for name, total, indexes in sizes
    )
    per_line = sizes[0][1] / max(lines, 1)
    return f"on disk: {text}; {per_line:,.0f} bytes per assignment line"


def timed(label, func, *args, **kwargs):
    started, cpu = time.perf_counter(), cpu_seconds()
    result = func(*args, **kwargs)
    elapsed, used = time.perf_counter() - started, cpu_seconds() - cpu
    load = os.getloadavg()[0]
    print(f"{label:<58} {elapsed:8.2f} s   (CPU {used:6.2f} s; load {load:.2f})")
    return result, elapsed


def annual_steps(rng):
    """The annual step: from scratch, unchanged, after one period score changed, and with
    every stored sources fingerprint emptied (what migration ``scoring 0018`` leaves)."""
    from scoring.models import AnnualScore, PeriodScore
    from scoring.services import score_year

    def summary(report):
        recomputed = getattr(report, "recomputed", None)
        extra = "" if recomputed is None else f", recomputed {recomputed:,}"
        updated = getattr(report, "sources_updated", 0)
        extra += f", fingerprint only {updated:,}" if updated else ""
        return f"  written {report.written:,}, unchanged {report.unchanged:,}{extra}"

    year, _ = timed("annual scores and ratings for 2026", score_year, 2026)
    counts = {}
    for before, after in AnnualScore.objects.values_list("rating_before_quota", "rating"):
        counts.setdefault(before or "—", [0, 0])[0] += 1
        counts.setdefault(after or "—", [0, 0])[1] += 1
    print(f"  {year.written:,} annual scores; rating: before quota / after quota")
    for rating, (before, after) in sorted(counts.items()):
        print(f"    {rating:<14} {before:>7,} {after:>7,}")
    year, _ = timed("annual scores recomputed, unchanged", score_year, 2026)
    print(summary(year))
    person = rng.choice(list(AnnualScore.objects.values_list("civil_servant_id", flat=True)))
    row = PeriodScore.objects.filter(civil_servant_id=person, period__year=2026, scored=True)[0]
    PeriodScore.objects.filter(pk=row.pk).update(total=max(row.total - 7, 0))
    year, _ = timed("annual, one period score changed (whole province run)", score_year, 2026)
    print(summary(year))
    if any(f.name == "sources_hash" for f in AnnualScore._meta.fields):
        AnnualScore.objects.filter(year=2026).update(sources_hash="")
        year, _ = timed("annual, fingerprints emptied (after migration 0018)", score_year, 2026)
        print(summary(year))
        year, _ = timed("annual scores recomputed, unchanged", score_year, 2026)
        print(summary(year))


def vectorised_floor(period) -> dict:
    """The same task-result formulas (Art. 14 a, b, c; default framework: 25 % per counted
    event, pooled, capped at 100 %) over the same lines, in numpy: the floor a batch cannot
    beat in Python. Returns the timings and how many staff scores it reproduces."""
    import numpy as np
    import pandas as pd

    from django.db.models import Q, Sum

    from scoring.models import AssignmentLine, Deduction, PeriodScore

    started = time.perf_counter()
    lines = pd.DataFrame.from_records(
        AssignmentLine.objects.filter(period=period).values_list(
            "id", "civil_servant_id", "item__coefficient", "assigned_quantity",
            "completed_quantity", "failed_reviews", "delays",
        ),
        columns=["id", "person", "k", "n", "m", "failed", "delays"],
    )  # fmt: skip
    exempt = pd.DataFrame.from_records(
        Deduction.objects.filter(line__period=period, exempt=True)
        .values("line_id")
        .annotate(
            reviews=Sum("products", filter=Q(kind="review")),
            delays=Sum("products", filter=Q(kind="delay")),
        )
        .values_list("line_id", "reviews", "delays"),
        columns=["id", "exempt_reviews", "exempt_delays"],
    )
    loaded = time.perf_counter()
    frame = lines.merge(exempt, on="id", how="left").fillna(0)
    k, n, m = (frame[c].astype(np.float64).to_numpy() for c in ("k", "n", "m"))
    counted_failed = np.maximum(
        frame["failed"] - np.minimum(frame["exempt_reviews"], frame["failed"]), 0
    )
    counted_delays = np.maximum(
        frame["delays"] - np.minimum(frame["exempt_delays"], frame["delays"]), 0
    )
    frame = pd.DataFrame({
        "person": frame["person"],
        "assigned": n * k,
        "completed": m * k,
        "quality": np.maximum(0, m * k - 0.25 * k * counted_failed),
        "timeliness": np.maximum(0, m * k - 0.25 * k * counted_delays),
    })  # fmt: skip
    totals = frame.groupby("person").sum()
    scored = totals[totals["assigned"] > 0]
    percents = pd.DataFrame({
        # Rounded half-up to the cent, as the engine does (numpy's round is half-even).
        code: np.floor(np.minimum(scored[column] * 100 / scored["assigned"], 100) * 100 + 0.5)
        / 100
        for code, column in (("a", "completed"), ("b", "quality"), ("c", "timeliness"))
    })  # fmt: skip
    computed = time.perf_counter()
    stored = pd.DataFrame.from_records(
        PeriodScore.objects.filter(period=period, role="staff", scored=True).values_list(
            "civil_servant_id", "quantity", "quality", "timeliness"
        ),
        columns=["person", "a", "b", "c"],
    ).set_index("person")
    both = stored.join(percents.add_suffix("_v"), how="inner")
    # Binary floats put a few exact half cents (93.325) just below the half: those may round
    # one cent apart from the engine's Decimal. Anything further apart is a real difference.
    equal = np.ones(len(both), dtype=bool)
    close = np.ones(len(both), dtype=bool)
    for c in "abc":
        gap = np.abs(both[c].astype(np.float64) - both[f"{c}_v"]).to_numpy()
        equal &= gap < 0.001
        close &= gap < 0.0101
    differing = both[~close].head(3)
    return {"load": loaded - started, "compute": computed - loaded, "people": len(percents),
            "compared": len(both), "equal": int(equal.sum()), "cent": int((close & ~equal).sum()),
            "differing": differing.to_dict("index")}  # fmt: skip


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    with benchmark_database(args, "   (measure again: --reuse {url})"):
        from django.db import connection

        from org.models import CivilServant
        from scoring.models import AssignmentLine, PeriodScore
        from scoring.services import score_period, score_person

        print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if args.reuse and args.only_annual:
            reused_province(keep_month=True)
            annual_steps(rng)
            print(peak_memory())
            return
        if args.reuse:
            period, people, lines, staff = reused_province()
        else:
            (period, people, lines, staff), _ = timed(
                "generate province (people, lines, marks)", build_province, args, rng
            )
        print(f"  {people:,} civil servants, {lines:,} lines")
        report, _ = timed("score + store one month (first run)", score_period, period)
        print(
            f"  written {report.written:,}, errors {report.with_errors}, "
            f"not scored {report.not_scored}; phases: {phases(report)}"
        )
        floor = vectorised_floor(period)
        print(
            f"{'floor: the same a, b, c formulas vectorised (numpy)':<58} "
            f"{floor['load'] + floor['compute']:8.2f} s   (load {floor['load']:.2f} s, "
            f"compute {floor['compute']:.2f} s)"
        )
        print(
            f"  {floor['people']:,} people; staff scores reproduced: "
            f"{floor['equal']:,} of {floor['compared']:,} (a, b, c to the cent), "
            f"{floor['cent']:,} one cent apart at a half cent (float rounding)"
        )
        for person, values in floor["differing"].items():
            print(f"  DIFFERS: person {person}: {values}")
        report, _ = timed("recompute the month, inputs unchanged", score_period, period)
        print(
            f"  written {report.written:,}, unchanged {report.unchanged:,}; "
            f"phases: {phases(report)}"
        )

        sample = CivilServant.objects.filter(pk__in=rng.sample(staff, 20))
        unchanged, changed = [], []
        for person in sample:
            started = time.perf_counter()
            score_person(person, period)
            unchanged.append((time.perf_counter() - started) * 1000)
            line = AssignmentLine.objects.filter(civil_servant=person, period=period).first()
            line.completed_quantity = line.assigned_quantity
            line.note = "sửa"
            line.save()
            AssignmentLine.objects.filter(pk=line.pk).update(failed_reviews=line.failed_reviews + 1)
            started = time.perf_counter()
            score_person(person, period, cascade=False)
            changed.append((time.perf_counter() - started) * 1000)
        for label, values in (
            ("one person, unchanged (median of 20)", unchanged),
            ("one person, changed input (median of 20)", changed),
        ):
            print(f"{label:<58} {statistics.median(values):8.1f} ms")

        if PeriodScore.objects.exclude(period=period).exists():
            print("synthetic stored totals for the other 11 months: kept from the first run")
        else:
            rows, _ = timed(
                "synthetic stored totals for the other 11 months", synthetic_year, period, rng
            )
            print(f"  {rows:,} period scores added")
        annual_steps(rng)
        print(f"stored period scores: {PeriodScore.objects.count():,}")
        print(peak_memory())
        if connection.vendor == "postgresql":
            print(table_sizes(connection, lines))


if __name__ == "__main__":
    main()
