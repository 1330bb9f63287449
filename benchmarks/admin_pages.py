"""Benchmark: server time of the admin pages people open every day, per demo role, at province
scale (the demo province grown to 20,000 people by default).

Runs in a SEPARATE, throwaway database (SQLite file, or a ``kpi_bench_<pid>`` database on the
PostgreSQL server given by ``--database-url``/``DATABASE_URL``), loads the demo province, adds
staff to its units until ``--people`` civil servants are posted, then signs in as each demo
role and requests each page ``--repeat`` times through Django's test client (the whole
middleware and view stack, no network). Prints the slowest pages first: median and worst
milliseconds, the number of queries, the multiple of the peer measured in the same run —
Wagtail's own account page (``/admin/account/``) for the same user, the admin chrome and menus
with no page of ours behind them — and this process's CPU milliseconds per request (median),
which a busy machine inflates far less than the wall time. After each page's warming request
the process sets what it keeps aside from the garbage collector, as a web worker does
(``cms.memory.settle``; ``--no-settle`` to compare). The goal (issue 34) is at most
150 ms for every page and role at 100,000 people on PostgreSQL.

    .venv/bin/python benchmarks/admin_pages.py
    .venv/bin/python benchmarks/admin_pages.py --people 287      # the demo as shipped
    DATABASE_URL=$(bash scripts/postgres-up.sh | tail -1) .venv/bin/python benchmarks/admin_pages.py
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from score_batch import create_database, insert_many, setup_django

ROLES = ["sonoivu", "quantri.stp", "lanhdao.phong", "congchuc", "giamdoc.stp", "chutich.tinh"]
PAGES = [
    "/admin/",
    "/admin/ratings/my/",
    "/admin/ratings/",
    "/admin/ratings/deadlines/",
    "/admin/worklog/",
    "/admin/worklog/board/",
    "/admin/worklog/assign/",
    "/admin/snippets/org/civilservant/",
    "/admin/snippets/org/agency/",
    "/admin/snippets/scoring/assignmentline/",
    "/admin/snippets/scoring/periodscore/",
    "/admin/snippets/scoring/annualscore/",
    "/admin/excel/",
    "/admin/thong-ke/",
    "/admin/org-scoring/",
    "/admin/catalog-versions/",
]
PEER = "/admin/account/"
TARGET_MS = 150


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=335)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--reuse", default="", help="a database kept by --keep: measure again, no setup"
    )
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated usernames")
    parser.add_argument("--pages", default="", help="comma-separated paths (default: all)")
    parser.add_argument(
        "--reopen",
        default="",
        help="YYYY-MM: measure as at that month's end, its period open with its lines (in a "
        "transaction rolled back at the end: the database is left as it was)",
    )
    parser.add_argument(
        "--no-settle",
        action="store_true",
        help="do not set the process's objects aside from the garbage collector after each "
        "warming request (cms.memory.settle, which a web worker does before its 2nd, 11th, "
        "101st, 201st… request): to measure what it changes",
    )
    return parser.parse_args()


def grow_province(target: int, rng: random.Random) -> int:
    """Post new staff in the demo's units until ``target`` people are posted; returns how many
    were added. Each new person takes a job position already used in their unit."""
    from org.models import Agency, AgencyKind, CivilServant, LeadershipRole, Posting

    existing = CivilServant.objects.count()
    missing = max(0, target - existing)
    if not missing:
        return 0
    units = list(Agency.objects.filter(kind=AgencyKind.UNIT))
    positions = {
        unit.pk: list(
            Posting.objects.filter(agency=unit, role=LeadershipRole.STAFF)
            .values_list("job_position_id", flat=True)
            .distinct()
        )
        for unit in units
    }
    fallback = Posting.objects.filter(role=LeadershipRole.STAFF).values_list(
        "job_position_id", flat=True
    )[0]
    first = (CivilServant.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    people, postings = [], []
    start = datetime.date(2026, 1, 1)
    for n in range(missing):
        pk = first + n
        unit = units[n % len(units)]
        name = f"Công chức thử tải {pk}"
        people.append((pk, f"BEN{pk:07d}", name, name.lower(), "", "", "", True))
        postings.append(
            (
                pk,
                unit.pk,
                rng.choice(positions[unit.pk] or [fallback]),
                LeadershipRole.STAFF,
                "",
                start,
                None,
                False,
                "",
            )
        )
    insert_many(
        CivilServant,
        ["id", "official_id", "full_name", "name_folded", "gender", "email", "phone", "is_active"],
        people,
    )
    insert_many(
        Posting,
        [
            "civil_servant_id",
            "agency_id",
            "job_position_id",
            "role",
            "title",
            "start_date",
            "end_date",
            "is_concurrent",
            "decision_ref",
            "category",
        ],
        [(*posting, "civil_servant") for posting in postings],  # all công chức
    )
    return missing


def sign_in(client, user) -> None:
    """Sign ``user`` in with the second factor passed, as after typing the app's code: the
    pages are measured as the person sees them with the second factor on (a session without
    it is sent to the code's page, which is no measure of the page; a rehearsal's database
    has devices for the province's officials)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="benchmark", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def measure(repeat: int, roles=ROLES, pages=PAGES) -> list[tuple]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from cms import memory

    rows = []
    for username in roles:
        client = Client(HTTP_HOST="127.0.0.1")
        sign_in(client, User.objects.get(username=username))
        for page in [PEER, *pages]:
            client.get(page)  # warm caches, as a user's second page would be
            # A web worker that has served pages before has set what it keeps aside from the
            # garbage collector (deploy/gunicorn.conf.py); so does this process.
            memory.settle()
            times, cpu, queries, status = [], [], 0, 0
            for _ in range(repeat):
                started, started_cpu = time.perf_counter(), time.process_time()
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(page)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
                queries, status = len(captured), response.status_code
            if status in (301, 302):  # no access for this role: where they were sent
                status = f"→ {response['Location'].split('?')[0]}"
            rows.append(
                (
                    username,
                    page,
                    status,
                    statistics.median(times),
                    max(times),
                    queries,
                    statistics.median(cpu),
                )
            )
    return rows


class _Rollback(Exception):
    pass


def measure_reopened(month: str, repeat: int, roles, pages) -> list[tuple]:
    """:func:`measure`; with ``month`` (YYYY-MM), while that month's period is open again, as
    during its month-end (the boards and dashboards count the open months' lines), inside a
    transaction rolled back afterwards."""
    if not month:
        return measure(repeat, roles, pages)
    from django.db import transaction

    from scoring.models import Period, PeriodStatus

    year, number = (int(part) for part in month.split("-"))
    measured: list[tuple] = []
    try:
        with transaction.atomic():
            reopened = Period.objects.filter(kind="month", year=year, number=number).update(
                status=PeriodStatus.OPEN
            )
            print(f"measured with {month} open again ({reopened} period), rolled back after")
            measured = measure(repeat, roles, pages)
            raise _Rollback
    except _Rollback:
        pass
    return measured


def main():
    args = parse_args()
    if args.reuse:
        url, drop = args.reuse, lambda: None
    else:
        url, drop = create_database(args.database_url)
    try:
        setup_django(url)
        import logging

        from cms import memory

        if args.no_settle:
            memory.FREEZE = False

        logging.disable(logging.INFO)
        from demo.loader import load_demo

        started = time.perf_counter()
        added = 0
        if not args.reuse:
            load_demo()
            added = grow_province(args.people, random.Random(args.seed))
        from org.models import CivilServant

        print(
            f"database: {url.split('@')[-1]}; people: {CivilServant.objects.count()} "
            f"({added} added to the demo); setup {time.perf_counter() - started:.1f} s"
        )
        roles = [r for r in args.roles.split(",") if r]
        pages = [p for p in args.pages.split(",") if p] or PAGES
        measured = measure_reopened(args.reopen, args.repeat, roles, pages)
        peer = {row[0]: row[3] for row in measured if row[1] == PEER}
        peer_cpu = {row[0]: row[6] for row in measured if row[1] == PEER}
        answered = [row for row in measured if row[1] != PEER and row[2] == 200]
        rows = sorted(answered, key=lambda row: -row[3])
        sent = [row for row in measured if row[1] != PEER and row[2] != 200]
        print(
            f"{'role':15} {'page':42} {'status':>6} {'median ms':>10} {'max ms':>8} "
            f"{'queries':>8} {'× peer':>7} {'cpu ms':>7}"
        )
        for username, page, status, median, worst, queries, cpu in rows:
            flag = f"  > {TARGET_MS} ms" if median > TARGET_MS else ""
            print(
                f"{username:15} {page:42} {status:>6} {median:>10.0f} {worst:>8.0f} "
                f"{queries:>8} {median / peer[username]:>7.1f} {cpu:>7.0f}{flag}"
            )
        print(
            "peer (Wagtail's account page, same run): "
            + ", ".join(
                f"{user} {ms:.0f} ms (cpu {peer_cpu[user]:.0f})" for user, ms in peer.items()
            )
        )
        if sent:
            print(
                "not measured (the role is sent elsewhere): "
                + ", ".join(f"{row[0]} {row[1]} {row[2]}" for row in sent)
            )
        over = [row for row in rows if row[3] > TARGET_MS]
        print(f"pages over {TARGET_MS} ms (median): {len(over)} of {len(rows)}")
        load = os.getloadavg()
        print(
            f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; the cpu "
            "column is this process's CPU per request (the database server's own time is not in "
            "it), the figure that holds when other work shares the machine"
        )
    finally:
        if args.keep:
            print(f"kept: {url}")
        elif not args.reuse:
            drop()


if __name__ == "__main__":
    main()
