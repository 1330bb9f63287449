"""Rehearsal: a province's months driven through the real doors with the background worker running.

Builds the demo province (``demo.loader.load_demo``: agencies, units, blocs, công chức, viên chức
and contract workers, catalogs and frameworks of every kind the seeds provide, sign-ins) in a
SEPARATE, throwaway database — a temporary SQLite file by default, or a fresh database on the
PostgreSQL server given with ``--database-url`` / ``DATABASE_URL`` (``score_batch.create_database``)
— grows it to ``--people`` by copying the demo's evaluated people's postings (same agencies,
units, positions, categories), starts ``manage.py db_worker`` (the project's worker of the
database queue, django-tasks-db) as a separate process, and drives ``--months`` months from
April 2026 (the demo holds January to March; at most 9, to December) through the doors a
province uses:

* ``results``: each catalog-owning agency's monthly Excel file — the template downloaded from
  the importer's template door, filled with openpyxl as a clerk fills it, uploaded, validated by
  the worker, previewed, confirmed, committed by the worker (which then re-scores);
* ``api``: an integration system's bulk write of assignment lines
  (``POST /api/v1/integration/assignment-lines/bulk/``, token of the whole province);
* ``documents``: each catalog owner's document-management system pushes ``--documents``
  edXML documents a month, each handed to one of its people with a deadline in the month, then
  the document's status "06 đã hoàn thành" (one in four two days late), signed, to the
  owner's webhook source (``POST /ket-noi/webhook/<source>/``, ``connectors``), which turns
  them into assignment lines; the sources are set up once with the province;
* ``reviews``: Sở Tư pháp's source leaves a completion to the evaluator (the default), so its
  evaluators open each waiting line's worklog page and accept with what the page prefilled —
  one in four returned for rework first and reported again by the person on the same page;
* ``form01``: each agency's Form 01 general-criteria marks, the ``general_marks`` Excel
  template (prefilled with every person's criteria) filled with the evaluator's marks and sent
  through the same upload → preview → confirm doors;
* ``close``: Sở Nội vụ's guided close of the month (``dashboards_period_close``), whose final
  scoring runs on the worker;
* ``quarter`` (after June, September and December): the chairman's quarterly assessment of
  departments and communes — the Office (``vanphong.ubnd``) enters two province tasks of the
  quarter for each of them on the task form, late and marked (the rehearsal's clock is past the
  entry window), and the chairman (``chutich.tinh``) confirms the quarter on the board; the
  demo's own confirmed Q3 is left as it is;
* ``six months`` (after June and December): the six-month results read through the API
  (``GET /api/v1/half-year-scores/``) — nothing is stored for them, they follow the period
  scores — then checked, apart from the phase's time as the month's check, against the same
  figures from period scores recomputed from scratch.

With December closed (``--months 9``; ``--no-season`` stops there) the annual season follows:

* ``complaints``: December's results contested in January's filing window by people of Sở Tư
  pháp with a sign-in, on their result's page; their evaluators answer on the complaint's page,
  every other one rejected, the others upheld with a line's completed quantity corrected — for
  which Sở Nội vụ reopens December (its reopening page, with the reason) and closes it again;
  December's check runs again afterwards;
* ``open cases``: Sở Nội vụ opens the year's cases for the whole province (``ratings_open``);
* ``decisions``: every case of Sở Tư pháp (``SIGNED_IN_AGENCY``), the one agency the demo gives
  a sign-in to every role holder, through ``ratings_case_action`` step by step — self-assessment
  by the person, the meeting by the unit head (minutes uploaded), the appraisal by the agency's
  HR (``quantri.stp``; Sở Nội vụ for the director), the chairman's opinion for a deputy
  director, the decision by the rater (``giamdoc.stp``, ``chutich.tinh``) at the level of the
  stored annual rating (quota applied) — staff first, then units and agencies bottom up, heads,
  deputies; a decision refused for its level is taken one level lower, as the rater reading
  the refusal does — then the notice;
* ``national export``: the worker sends what is due by itself (its sweep); the national
  database's system, with a token whose system has ``national_export``, reads every sent batch
  and the day's unsent one (``GET /api/v1/national-export/``) and acknowledges every record.

The months after the real today need a clock after them: ``--today dd/mm/yyyy`` moves both
processes' clocks (``time-machine``, ticking) to that day at 08:00; by default 05/01 of the next
year when the months run past the real today (the season then runs in January, as in reality),
otherwise the real clock.

The web doors are called in this process through Django's test client, signed in as the
demo's Sở Nội vụ (``sonoivu``), and the API through DRF's test client with an integration
token: the same URLs, views, forms and services as behind gunicorn, without the HTTP transport.
The background work runs only in the separate worker. Agencies inside another catalog owner's
subtree send their lines through the API (an Excel submission replaces every Excel line of its
subtree). Not driven (docs/operations.md §10): quarterly periods of people — the demo scores
every person monthly (no framework of quarterly periods); the season's per-person steps outside
Sở Tư pháp — a self-assessment is the person's own step in their own session, with no bulk door,
and the rehearsal's copies of people have no sign-in: their cases are opened and checked, and
stay in draft.

Every phase prints wall time, the CPU time of this process and of the worker, the queue's
deepest point (ready + running tasks, the worker's own periodic sweep not counted) and how long
the queue took to drain after the phase's last request. At every month's end a consistency
check: the month's stored period scores equal a from-scratch recomputation
(``scoring.services.score_period`` after deleting them, inside a transaction rolled back
afterwards; digests as ``benchmarks/month_digest.py`` computes them), so do the year's annual
scores and ratings with the quota (``scoring.services.score_year``), and nothing is stuck: no
task RUNNING or FAILED (but one whose worker an earlier sitting's end stopped: the job checks
verify its work was taken up again), no import job left unfinished or failed, no file to
download not made, no scoring run owed. After the
season: the annual scores and ratings again from scratch, every open case carrying its annual
score, every decision made on its current figure (not stale, decided = now), the excellent
decisions within the quota of each group, every record of the national batch equal to the stored
period score or decision it carries, nothing stuck. A failed check ends the rehearsal with exit
status 1.

The clerks' workbooks are made before their phase (the template from the server's template
door, timed apart as the server's; filled and saved with openpyxl as a clerk does, on the
clerk's computer in a province): neither is in the phase's time. The end prints the province's
work (the phases), the clerks' files and the checks apart.

``--keep`` keeps the database; ``--resume URL [--workdir DIR]`` goes on with a kept one from its
first month not closed (a month stopped inside is sent again: the same workbooks as a clerk's
second upload, the API's lines with the versions its refusal lists, new documents), its clock
after the kept queue's last task — so a year of 100,000 people can be run over several sittings.
The last closed month's quarter and six months run again unless that ``--workdir`` holds their
mark (``after-YYYY-MM.done``, written when they end).

The doors are Django's and DRF's test clients in this process, with no gunicorn to end a long
request: every request longer than production allows (gunicorn's ``--timeout`` in
``deploy/systemd/kpi-web.service``, 60 s) is printed when it happens and fails the run — a door
that works here but would be cut in production (the year's case opening was one, at 20,000
people).

``--browse N`` (with ``--think``, mean seconds between a person's pages, 30 by default): N people
reading Sở Nội vụ's admin pages (signed in with the password and the second factor, as
production asks) and the public pages through gunicorn with production settings (2 sync workers)
on the rehearsal's database and clock, all through the months; every phase prints their pages'
p50 and p95 and the errors — the month-end peak while people browse.

    .venv/bin/python benchmarks/province_year.py --people 500 --months 3
    .venv/bin/python benchmarks/province_year.py --people 500 --months 9     # + the season
    .venv/bin/python benchmarks/province_year.py --people 500 --months 3 \
        --database-url postgres://kpi:kpi@127.0.0.1:54329/kpi
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from score_batch import create_database

ROOT = Path(__file__).resolve().parent.parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_MONTH = datetime.date(2026, 4, 1)
SWEEP = "sweep_task"
MAX_MONTHS = 9  # April to December 2026

SETTINGS = """
import os

from cms.settings.test import *  # noqa: F403

# Production's queue: every background task waits in the database for the worker process.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# One place for the uploads that both processes see (the test settings make one per process).
MEDIA_ROOT = os.path.join(os.environ["KPI_REHEARSAL_DIR"], "media")
PRIVATE_MEDIA_ROOT = os.path.join(os.environ["KPI_REHEARSAL_DIR"], "private")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # The checks recompute from scratch in a transaction rolled back, holding SQLite's one
        # write lock meanwhile: at 20,000 people the six months' check took 173 s, and the
        # worker's sweep, whose result row waited longer than the timeout, stopped the worker
        # ("database is locked" while recording a task). The worker waits it out instead.
        "timeout": 900,
    }
"""
# gunicorn's settings beside production's (``--browse``): a SQLite file waits for its one
# writer as the driver and the worker do (the checks hold it for minutes at 20,000 people).
WEB = """
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["OPTIONS"]["timeout"] = 900  # noqa: F405
"""
CLOCK = """
import os as _os

# The rehearsal's clock (``--today``): this process and the worker both start at the same
# simulated moment, plus the real time elapsed since the driver chose it, and it goes on
# ticking (time-machine, ``tick=True``): both agree on "now" to within the clock's resolution.
if _os.environ.get("KPI_REHEARSAL_TODAY"):
    import datetime as _datetime
    import time as _time

    import time_machine as _time_machine

    _time_machine.travel(
        _datetime.datetime.fromisoformat(_os.environ["KPI_REHEARSAL_TODAY"]).timestamp()
        + _time.time()
        - float(_os.environ["KPI_REHEARSAL_CLOCK_SET"]),
        tick=True,
    ).start()
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument(
        "--months", type=int, default=3, help="months from April 2026, at most 9 (to December)"
    )
    parser.add_argument(
        "--today",
        default="",
        help="the simulated today, dd/mm/yyyy (default: 05/01 of the next year when the "
        "months run past the real today, else the real clock)",
    )
    parser.add_argument(
        "--no-season",
        action="store_true",
        help="stop after the months (the annual season runs only when December is closed)",
    )
    parser.add_argument("--lines", type=int, default=3, help="assignment lines per person a month")
    parser.add_argument("--api-lines", type=int, default=500, help="lines of the API write")
    parser.add_argument(
        "--documents",
        type=int,
        default=3,
        help="documents each catalog owner's document system sends a month (0: none)",
    )
    parser.add_argument("--seed", type=int, default=335)
    parser.add_argument(
        "--browse",
        type=int,
        default=0,
        metavar="N",
        help="N people browsing the admin and public pages through gunicorn (production "
        "settings, 2 sync workers) all through the months; each phase prints their p95",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=30.0,
        help="with --browse: mean seconds between a person's pages (30: reading a page before "
        "the next; 200 people then ask about 7 pages a second)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--resume",
        default="",
        metavar="URL",
        help="a database kept by an earlier run (--keep): go on from its first month not "
        "closed, up to --months (the province is not built again; implies --keep)",
    )
    parser.add_argument(
        "--workdir",
        default="",
        help="with --resume: the kept run's directory of uploads and the worker's log "
        "(printed by it as 'kept: …'); default a new one",
    )
    args = parser.parse_args(argv)
    if args.resume:
        args.keep = True
    elif args.workdir:
        parser.error("--workdir goes with --resume")
    if not 1 <= args.months <= MAX_MONTHS:
        parser.error(f"--months: 1 to {MAX_MONTHS} (April to December {FIRST_MONTH.year})")
    return args


def month_start(m: int) -> datetime.date:
    """The first day of the rehearsal's ``m``-th month (0: April 2026)."""
    return datetime.date(FIRST_MONTH.year + (FIRST_MONTH.month - 1 + m) // 12,
                         (FIRST_MONTH.month - 1 + m) % 12 + 1, 1)  # fmt: skip


def clock_destination(args) -> datetime.datetime | None:
    """The simulated "now" (08:00 in the province) or None for the real clock: ``--today``, else
    05/01 of the next year when the last month ends on or after the real today — every month
    is then in the past, and the annual season runs in January as it does in reality."""
    import zoneinfo

    nxt = month_start(args.months)
    last_day = nxt - datetime.timedelta(days=1)
    if args.today:
        try:
            day = datetime.datetime.strptime(args.today, "%d/%m/%Y").date()
        except ValueError:
            raise SystemExit(f"--today {args.today!r}: expected dd/mm/yyyy") from None
        if day <= last_day:
            raise SystemExit(f"--today {args.today} must come after the last month ({last_day})")
    elif last_day >= datetime.date.today():
        day = datetime.date(last_day.year + 1, 1, 5)
    else:
        return None
    return datetime.datetime.combine(
        day, datetime.time(8), tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    )


def resumed_clock(url: str) -> datetime.datetime:
    """A kept database's last moment: its queue's latest task (or the time it waits for), one
    minute on. The clock of a run picked up again starts there, not back at the first run's
    start — tasks queued for later (a held scoring run) would otherwise wait that long, and
    nothing may be recorded before what is already there."""
    query = (  # a run_after of the year 9999 is the queue's "whenever" (django-tasks-db)
        "SELECT MAX(enqueued_at), MAX(finished_at), "
        "MAX(CASE WHEN run_after < '9000-01-01' THEN run_after END) "
        "FROM django_tasks_database_dbtaskresult"
    )
    if url.startswith("sqlite"):
        import sqlite3

        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
            moments = conn.execute(query).fetchone()
        moments = [
            datetime.datetime.fromisoformat(m).replace(tzinfo=datetime.UTC) if m else None
            for m in moments
        ]
    else:
        import psycopg

        with psycopg.connect(url) as conn:
            moments = conn.execute(query).fetchone()
    known = [m for m in moments if m is not None]
    if not known:
        return datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return max(known) + datetime.timedelta(minutes=1)


# --------------------------------------------------------------------------- measuring


def worker_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def queue_depth() -> int:
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
        .exclude(task_path__endswith=SWEEP)
        .count()
    )


class QueueWatch:
    """Samples the queue's depth every 0.2 s on its own connection; keeps the deepest point."""

    def __init__(self):
        self.deepest = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        from django.db import DatabaseError, connection

        try:
            while not self._stop.is_set():
                with contextlib.suppress(DatabaseError):  # a busy SQLite file: next sample
                    self.deepest = max(self.deepest, queue_depth())
                self._stop.wait(0.2)
        finally:
            connection.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def drain(worker, timeout: float) -> float:
    """Seconds until the queue is empty (the sweep excepted); fails if the worker died."""
    started = time.perf_counter()
    while queue_depth():
        if worker.poll() is not None:
            raise SystemExit(f"the worker exited with {worker.returncode}")
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"the queue did not drain within {timeout:.0f} s")
        time.sleep(0.2)
    return time.perf_counter() - started


class Rehearsal:
    def __init__(self, args, worker):
        self.args = args
        self.worker = worker
        self.rows = []
        self.failures: list[str] = []
        self.files_s = 0.0  # the clerks' side: filling and saving the workbooks (not the server)
        self.checks_s = 0.0  # the consistency checks' from-scratch recomputations
        self.browsing: Browsing | None = None

    def files(self, name: str, doors, body):
        """Make the clerks' workbooks for a phase before it starts: the template comes from the
        server's template door (its time is the server's, shown apart), the filling and saving
        with openpyxl is the clerks' side — done on their own computers in a province, so it is
        kept out of the phase's wall time and counted apart."""
        started, door = time.perf_counter(), doors.template_s
        result = body()
        made = time.perf_counter() - started
        served = doors.template_s - door
        self.files_s += made - served
        print(
            f"  {name + ' files':<16} made in {made:6.2f} s: the template door {served:.2f} s, "
            f"filled and saved as a clerk does {made - served:.2f} s (not in the phases' time)",
            flush=True,
        )
        return result

    def checked(self, name: str, text: str, ok: bool, started: float, cpu: float) -> bool:
        """Print a consistency check's line (``check <name>: <text> [time] OK``), count its time
        apart from the phases' and its failure; ``started``/``cpu``: its clocks at the start."""
        print(
            f"  check {name}: {text} "
            f"[{time.perf_counter() - started:.2f} s, cpu {time.process_time() - cpu:.2f} s] "
            f"{'OK' if ok else 'FAILED'}",
            flush=True,
        )
        self.checks_s += time.perf_counter() - started
        if not ok:
            self.failures.append(name)
        return ok

    def phase(self, name: str, body):
        """Run ``body`` (the requests), then wait for the queue to drain; one printed row."""
        if self.browsing is not None:
            self.browsing.take()  # what was measured between phases is not this phase's
        wall, cpu, wcpu = time.perf_counter(), time.process_time(), worker_cpu(self.worker.pid)
        with QueueWatch() as watch:
            result = body()
            submitted = time.perf_counter()
            drained = drain(self.worker, timeout=3600)
            watch.deepest = max(watch.deepest, 0)
        row = {
            "phase": name,
            "wall": time.perf_counter() - wall,
            "cpu": time.process_time() - cpu,
            "worker_cpu": worker_cpu(self.worker.pid) - wcpu,
            "deepest": watch.deepest,
            "drain": drained,
            "requests": submitted - wall,
            "note": result or "",
            "browse": self.browsing.take() if self.browsing is not None else None,
        }
        self.rows.append(row)
        print(
            f"  {name:<16} wall {row['wall']:7.2f} s  cpu {row['cpu']:6.2f} s  worker cpu "
            f"{row['worker_cpu']:6.2f} s  queue deepest {row['deepest']:4d}  drained in "
            f"{row['drain']:6.2f} s  {row['note']}",
            flush=True,
        )
        if row["browse"] is not None:
            print(f"  {'':<16} {Browsing.summary(row['browse'])}", flush=True)
        return result


class Browsing:
    """``--browse N``: N people reading pages while the month runs — Sở Nội vụ's admin pages
    (signed in with the password and the second factor, as production asks) and the public
    transparency pages — through gunicorn with production settings (``api_load.start_server``,
    2 sync workers, the units' recycling) on the rehearsal's database and clock. Each person
    waits a random think time (exponential, mean ``--think``) between pages. The threads live
    in this process: they wait on the network, not on the CPU."""

    ADMIN_SHARE = 0.6

    def __init__(self, url: str, workdir: Path, people: int, think: float, seed: int):
        from api_load import start_server, stop_server
        from soak import production_sign_in, public_targets, sign_in, web_recycling

        from demo.loader import DEMO_PASSWORD

        device = production_sign_in("sonoivu", "rehearsal")
        # The server runs with production settings, whose cache lives in the database.
        from api_load import PRODUCTION_CACHES

        from django.core.management import call_command
        from django.test.utils import override_settings

        with override_settings(CACHES=PRODUCTION_CACHES):
            call_command("createcachetable", verbosity=0)
        self.server, self.port, _log = start_server(url, workdir, 2, web_recycling(), WEB + CLOCK)
        try:
            self.cookie = sign_in(self.port, "sonoivu", DEMO_PASSWORD, otp_key=device.key)
        except BaseException:
            stop_server(self.server)
            raise
        self.public, self.admin = public_targets()
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.stop_event = threading.Event()
        self.think = think
        self.threads = [
            threading.Thread(target=self._person, args=(seed * 1000 + n,), daemon=True)
            for n in range(people)
        ]
        for thread in self.threads:
            thread.start()

    def _person(self, seed: int) -> None:
        import http.client

        from api_load import HOST

        rng = random.Random(seed)
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        while not self.stop_event.wait(rng.expovariate(1 / self.think)):
            admin = rng.random() < self.ADMIN_SHARE or not self.public
            path = rng.choice(self.admin if admin else self.public)
            kind = "admin" if admin else "public"
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": self.cookie} if admin else {})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with self.lock:
                if status == 200:
                    self.samples.setdefault(kind, []).append(elapsed)
                else:
                    self.errors[f"{status} {path}"] = self.errors.get(f"{status} {path}", 0) + 1
        conn.close()

    def take(self) -> dict:
        with self.lock:
            taken = {"samples": self.samples, "errors": self.errors}
            self.samples, self.errors = {}, {}
        return taken

    @staticmethod
    def summary(window: dict) -> str:
        from api_load import percentile

        parts = []
        for kind in ("admin", "public"):
            values = window["samples"].get(kind) or []
            if values:
                parts.append(
                    f"{kind} {len(values):,} pages p50 {percentile(values, 50):.0f} ms "
                    f"p95 {percentile(values, 95):.0f} ms"
                )
        errors = sum(window["errors"].values())
        parts.append(
            f"{errors} error(s)" + (f", e.g. {next(iter(window['errors']))}" if errors else "")
        )
        return "browsing: " + "; ".join(parts)

    def close(self) -> None:
        from api_load import stop_server

        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=130)
        stop_server(self.server)


# --------------------------------------------------------------------------- the province


def build(people: int, seed: int) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from demo.loader import load_demo

    started = time.perf_counter()
    load_demo()
    demo_s = time.perf_counter() - started
    added = grow(people, seed)
    return {"demo_s": demo_s, "grow_s": time.perf_counter() - started - demo_s, "added": added}


def grow(target: int, seed: int) -> int:
    """Copies of the demo's evaluated staff (their agency, unit, position, category) until the
    province has ``target`` people evaluated in April; the demo's own people are left as they
    are."""
    from org.models import CivilServant, LeadershipRole, Posting
    from scoring.services.scope import CategoryScope

    day = FIRST_MONTH
    postings = list(
        Posting.objects.filter(start_date__lte=day, is_concurrent=False)
        .exclude(end_date__lt=day)
        .select_related("agency", "civil_servant")
        .order_by("civil_servant__official_id")
    )
    scope = CategoryScope()
    evaluated = [p for p in postings if scope.evaluated(p)]
    models = [p for p in evaluated if p.role == LeadershipRole.STAFF]
    missing = target - len(evaluated)
    if missing <= 0 or not models:
        return 0
    rng = random.Random(seed)
    people, copies = [], []
    for n in range(missing):
        model = models[n % len(models)]
        prefix = "HD-R" if model.civil_servant.official_id.startswith("HD-") else "R"
        official = f"{prefix}{n:07d}"
        people.append(
            CivilServant(
                official_id=official,
                full_name=f"Người diễn tập {n}",
                name_folded=f"nguoi dien tap {n}",
                gender=model.civil_servant.gender,
                date_of_birth=datetime.date(1970 + rng.randrange(30), 1 + rng.randrange(12), 1),
            )
        )
        copies.append(model)
    CivilServant.objects.bulk_create(people, batch_size=2000)
    ids = dict(
        CivilServant.objects.filter(official_id__in=[p.official_id for p in people]).values_list(
            "official_id", "id"
        )
    )
    Posting.objects.bulk_create(
        [
            Posting(
                civil_servant_id=ids[person.official_id],
                agency_id=model.agency_id,
                job_position_id=model.job_position_id,
                role=model.role,
                title=model.title,
                category=model.category,
                start_date=datetime.date(2024, 1, 1),
            )
            for person, model in zip(people, copies, strict=True)
        ],
        batch_size=2000,
    )
    return missing


def nested(province: dict) -> set:
    """The owners inside another owner's subtree. An Excel submission is every Excel line of
    the period whose unit lies in the agency's subtree (``importers.kinds.results``), so the
    outer agency's file would replace the inner one's: the inner agencies send their lines
    through the API (lines from the API are never touched by a file)."""
    paths = [owner.path for owner in province]
    return {
        owner
        for owner in province
        if any(owner.path != path and owner.path.startswith(path) for path in paths)
    }


def owners_and_people(period) -> dict:
    """Owning agency → [(official id, product codes)] of the people evaluated in ``period``,
    the demo's own grouping (``demo.scoring_demo._people``)."""
    from catalog_pages.models import CatalogVersion
    from demo.scoring_demo import _people
    from scoring.services.scope import CategoryScope

    scope = CategoryScope()
    catalogs, result = {}, {}
    for person, posting, owner in _people(period.start_date, period.end_date):
        if owner is None or not scope.evaluated(posting):
            continue
        if owner.pk not in catalogs:
            version = CatalogVersion.objects.in_force(owner, period.end_date)
            catalogs[owner.pk] = (
                list(version.items.order_by("sort_order").values_list("code", flat=True))
                if version
                else []
            )
        if catalogs[owner.pk]:
            result.setdefault(owner, []).append(person.official_id)
    return {owner: (people, catalogs[owner.pk]) for owner, people in result.items()}


# --------------------------------------------------------------------------- the doors


def web_timeout() -> int:
    """How long production lets a request run (gunicorn's ``--timeout`` in
    ``deploy/systemd/kpi-web.service``; gunicorn's default, 30 s, when it sets none)."""
    unit = (ROOT / "deploy" / "systemd" / "kpi-web.service").read_text()
    found = re.search(r"--timeout (\d+)", unit)
    return int(found.group(1)) if found else 30


#: Every request of the rehearsal's doors that ran longer than production lets one run:
#: (method, path, seconds). The doors are Django's test clients, in this process, with no
#: gunicorn to end them: such a request would have been cut in production, so it fails the run.
TOO_LONG: list[tuple[str, str, float]] = []


def timed(client_class):
    """``client_class`` (Django's or DRF's test client) that notes a request longer than
    production's limit in :data:`TOO_LONG`."""

    class Timed(client_class):
        limit = web_timeout()

        def request(self, **request):
            started = time.perf_counter()
            response = super().request(**request)
            took = time.perf_counter() - started
            if took > self.limit:
                TOO_LONG.append((request["REQUEST_METHOD"], request["PATH_INFO"], took))
                print(
                    f"  !! {request['REQUEST_METHOD']} {request['PATH_INFO']} took {took:.1f} s: "
                    f"production ends a request after {self.limit} s",
                    flush=True,
                )
            return response

    return Timed


class Doors:
    def __init__(self, worker):
        from rest_framework.test import APIClient as DRFClient

        from django.test import Client as DjangoClient

        from accounts.models import User

        Client, APIClient = timed(DjangoClient), timed(DRFClient)
        from api.models import IntegrationSystem, IntegrationToken
        from org.models import Agency

        self.worker = worker
        self.web = Client()
        self.sonoivu = User.objects.get(username="sonoivu")
        self.web.force_login(self.sonoivu)
        verified(self.web, self.sonoivu)
        system, _created = IntegrationSystem.objects.get_or_create(  # again on --resume
            name="Diễn tập — phần mềm quản lý văn bản"
        )
        system.agencies.set(Agency.objects.filter(parent__isnull=True))
        _row, token = IntegrationToken.issue(system)
        self.api = APIClient()
        self.api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        self.stp_path = Agency.objects.get(code=SIGNED_IN_AGENCY).path
        self.sessions: dict = {}
        self.template_s = 0.0

    def signed_in(self, user):
        """A browser session of ``user`` (one per person, kept for the rehearsal)."""
        from django.test import Client

        if user.pk not in self.sessions:
            self.sessions[user.pk] = timed(Client)()
            self.sessions[user.pk].force_login(user)
            verified(self.sessions[user.pk], user)
        return self.sessions[user.pk]

    def template(self, kind: str, agency, period) -> bytes:
        from django.urls import reverse

        started = time.perf_counter()
        response = self.web.get(
            reverse("importers_template"),
            {"tpl-kind": kind, "tpl-agency": agency.pk, "tpl-period": period.pk},
        )
        if response.status_code == 302:
            # A template above KPI_TEMPLATE_INLINE_ROWS is built by the worker (the export
            # kit): its page is followed until the file is ready, as the clerk's browser does.
            response = self.exported(response["Location"])
        self.template_s += time.perf_counter() - started
        if response.status_code != 200 or response["Content-Type"] != XLSX:
            raise SystemExit(f"template {kind} {agency.code}: HTTP {response.status_code}")
        return response.content

    def exported(self, location: str, timeout=3600):
        """The file of a background export (``cms.exports``) once its job is done."""
        from django.urls import resolve, reverse

        from cms.models import ExportJob, JobStatus

        match = resolve(location)
        if match.url_name != "cms_export_job":
            raise SystemExit(f"export: redirected to {location}")
        pk = match.kwargs["pk"]
        started = time.perf_counter()
        while True:
            job = ExportJob.objects.get(pk=pk)
            if job.status == JobStatus.DONE:
                return self.web.get(reverse("cms_export_job_file", args=[pk]))
            if job.status == JobStatus.FAILED or time.perf_counter() - started > timeout:
                raise SystemExit(f"export job {pk}: {job.status} {job.last_error}")
            time.sleep(0.2)

    def upload(self, kind: str, agency, period, data: bytes, name: str) -> int:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.urls import reverse

        from importers.models import ImportJob

        before = ImportJob.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = self.web.post(
            reverse("importers_upload"),
            {
                "kind": kind,
                "agency": agency.pk,
                "period": period.pk,
                "file": SimpleUploadedFile(name, data, content_type=XLSX),
            },
        )
        job = ImportJob.objects.filter(id__gt=before, agency=agency).order_by("-id").first()
        if response.status_code != 302 or job is None:
            raise SystemExit(f"upload {kind} {agency.code}: HTTP {response.status_code}")
        return job.pk

    def wait_jobs(self, ids: list[int], wanted: set[str], timeout=3600):
        from importers.models import ImportJob

        started = time.perf_counter()
        while True:
            jobs = list(ImportJob.objects.filter(id__in=ids))
            if all(job.status in wanted for job in jobs):
                return jobs
            if self.worker.poll() is not None:
                raise SystemExit(f"the worker exited with {self.worker.returncode}")
            if time.perf_counter() - started > timeout:
                raise SystemExit("import jobs did not finish")
            time.sleep(0.2)

    def import_files(self, kind: str, files: list[tuple]) -> str:
        """Upload every agency's file, wait for the previews, confirm each; the commits and
        the re-scoring they queue are left to the phase's drain."""
        from django.urls import reverse

        from importers.models import ImportStatus

        ids = [
            self.upload(kind, agency, period, data, name) for agency, period, data, name in files
        ]
        jobs = self.wait_jobs(ids, {ImportStatus.PREVIEW, ImportStatus.INVALID, *FINAL_BAD})
        bad = [j for j in jobs if j.status != ImportStatus.PREVIEW]
        if bad:
            raise SystemExit(
                f"{kind}: {len(bad)} file(s) refused, e.g. {bad[0].agency} {bad[0].status}: "
                f"{str(bad[0].issues)[:600]}"
            )
        rows = sum(j.rows_total for j in jobs)
        for job in jobs:
            response = self.web.post(reverse("importers_job_confirm", args=[job.pk]))
            if response.status_code != 302:
                raise SystemExit(f"confirm {job.pk}: HTTP {response.status_code}")
        # A confirmed job is queued at once; it ends committed, or back in preview when what
        # it would change moved since the preview (the clerk is asked to look again).
        jobs = self.wait_jobs(ids, {ImportStatus.COMMITTED, ImportStatus.PREVIEW, *FINAL_BAD})
        bad = [j for j in jobs if j.status != ImportStatus.COMMITTED]
        if bad:
            raise SystemExit(
                f"{kind}: commit of {bad[0].agency} ended {bad[0].status}: "
                f"{json.dumps(bad[0].issues, ensure_ascii=False)[:600]}"
            )
        return f"{len(jobs)} files, {rows:,} rows"


def verified(client, user) -> None:
    """A session signed in with ``force_login`` whose user has a second factor (``--browse``
    gives Sở Nội vụ one, as production asks of it): marked as the second-factor step marks it
    (django-otp's session key), as the person would have answered it on signing in."""
    from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

    device = next(iter(devices_for_user(user, confirmed=True)), None)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


FINAL_BAD = {"unreadable", "duplicate", "failed", "cancelled"}


def results_files(doors, period, province, lines: int, rng) -> list[tuple]:
    import openpyxl

    files = []
    last = min(period.end_date, datetime.date.today() - datetime.timedelta(days=1))
    inner = nested(province)
    for owner, (people, products) in sorted(province.items(), key=lambda kv: kv[0].code):
        if owner in inner:
            continue
        workbook = openpyxl.load_workbook(io.BytesIO(doors.template("results", owner, period)))
        sheet = workbook["Kết quả"]
        row = 3
        for official in people:
            for n in range(lines):
                assigned = rng.randint(1, 4)
                completed = rng.randint(0, assigned)
                deadline = period.start_date + datetime.timedelta(days=rng.randint(9, 26))
                done_on = min(deadline - datetime.timedelta(days=rng.randint(0, 5)), last)
                values = [
                    official,
                    None,
                    products[rng.randrange(len(products))],
                    None,
                    assigned,
                    completed,
                    deadline,
                    done_on if completed else None,
                    rng.randint(0, 1) if completed else 0,
                    0,
                    f"{official}-{period.code}-{n}",
                    None,
                ]
                for column, value in enumerate(values, start=1):
                    sheet.cell(row, column).value = value
                row += 1
        out = io.BytesIO()
        workbook.save(out)
        files.append((owner, period, out.getvalue(), f"ket-qua-{owner.code}-{period.code}.xlsx"))
    return files


def form01_files(doors, period, province, rng) -> list[tuple]:
    """Each agency's general-criteria template, every criterion marked by the evaluator. A
    leader's đ and e rows get one of the levels the row lists ("100% / 50% / 0%" in the column
    of the maximum, as the sheet's instructions tell a clerk), in the evaluator's column, the
    self-mark left blank. Competency rows stay as they are (a blank keeps what is there, and a
    competency's level is the evaluator's alone, never a self-mark)."""
    import openpyxl

    from importers.kinds.general_marks.spec import COMPETENCY_COMPONENT, LEADER_COMPONENT, SHEET

    files = []
    inner = nested(province)
    for owner in sorted(province, key=lambda a: a.code):
        if owner in inner:
            continue
        data = doors.template("general_marks", owner, period)
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        sheet = workbook[SHEET]
        marked = 0
        for row in sheet.iter_rows(min_row=1):
            component, most = row[2].value, row[5].value
            if component == LEADER_COMPONENT and isinstance(most, str):
                levels = leader_levels(most)
                row[6].value = None
                row[7].value = levels[0] if rng.random() < 0.8 else rng.choice(levels)
                marked += 1
                continue
            if not isinstance(most, int | float) or component in (
                None,
                LEADER_COMPONENT,
                COMPETENCY_COMPONENT,
            ):
                continue
            mark = most if rng.random() < 0.8 else round(most * 0.5, 1)
            row[6].value = mark
            row[7].value = mark
            marked += 1
        if not marked:
            continue
        out = io.BytesIO()
        workbook.save(out)
        files.append((owner, period, out.getvalue(), f"tieu-chi-{owner.code}-{period.code}.xlsx"))
    return files


def leader_levels(shown: str) -> list[float]:
    """The levels a leader row lists, highest first: "100% / 50% / 0%" → [100.0, 50.0, 0.0]
    (a decimal comma read as the clerk writes it)."""
    levels = [
        float(part.strip().rstrip("%").replace(".", "").replace(",", "."))
        for part in shown.split("/")
        if part.strip()
    ]
    return sorted(levels, reverse=True)


def api_write(doors, period, province, lines: int, extra: int, rng) -> str:
    """The integration system's bulk writes: every line of the agencies inside another
    agency's subtree (``nested``), and ``extra`` lines for the largest agency."""
    batches = [(owner, people, products, lines) for owner, (people, products) in
               province.items() if owner in nested(province)]  # fmt: skip
    largest, (people, products) = max(province.items(), key=lambda kv: len(kv[1][0]))
    if extra:
        batches.append((largest, people[: max(1, extra // lines)], products, lines))
    from api.conf import max_bulk_items as max_items

    created = updated = requests = 0
    for owner, people, products, per_person in batches:
        items = []
        for official in people:
            for n in range(per_person):
                assigned = rng.randint(1, 4)
                deadline = period.start_date + datetime.timedelta(days=rng.randint(9, 26))
                items.append(
                    {
                        "external_id": f"API-{owner.code}-{period.code}-{official}-{n}",
                        "agency": owner.code,
                        "period": period.code,
                        "official_id": official,
                        "product_code": products[rng.randrange(len(products))],
                        "assigned": assigned,
                        "completed": rng.randint(0, assigned),
                        "deadline": deadline.isoformat(),
                        "failed_reviews": 0,
                        "delays": 0,
                    }
                )
        for start in range(0, len(items), max_items()):  # the API's own limit a request
            chunk = items[start : start + max_items()]
            response = doors.api.post(
                "/api/v1/integration/assignment-lines/bulk/",
                data=json.dumps({"items": chunk}),
                content_type="application/json",
            )
            if response.status_code == 428:
                # A month sent again (``--resume`` inside it): the lines exist, and the API
                # takes a change only with the version the system saw. The system takes the
                # stored versions the refusal lists (``current``) and sends again, as an
                # integration that lost its own record of them does.
                current = response.json()["error"].get("current") or {}
                for at, stored in current.items():
                    if stored:
                        chunk[int(at.removeprefix("items[").rstrip("]"))]["version"] = stored[
                            "version"
                        ]
                response = doors.api.post(
                    "/api/v1/integration/assignment-lines/bulk/",
                    data=json.dumps({"items": chunk}),
                    content_type="application/json",
                )
                requests += 1
            if response.status_code != 200:
                raise SystemExit(
                    f"API bulk write {owner.code}: HTTP {response.status_code} "
                    f"{response.content[:600]!r}"
                )
            body = response.json()
            created, updated = created + body["created"], updated + body["updated"]
            requests += 1
    return f"{requests} requests: created {created}, updated {updated}"


def close_month(doors, period) -> str:
    from django.urls import reverse

    from scoring.models import PeriodStatus

    response = doors.web.post(
        reverse("dashboards_period_close", args=[period.pk]), {"confirm": "1"}
    )
    period.refresh_from_db()
    if response.status_code != 302 or period.status == PeriodStatus.OPEN:
        raise SystemExit(f"close {period.code}: HTTP {response.status_code}, {period.status}")
    return f"{period.code} {period.get_status_display()}"


# --------------------------------------------------------------------------- the document feed


#: Documents each catalog owner's document system sends a month (``--documents``).
FEED_SOURCE = "QLVB {code} (diễn tập, webhook)"


def feed_sources(province) -> dict:
    """One webhook source per catalog owner, with the document type "CV" mapped to the owner's
    first catalog item, as Sở Nội vụ sets a source up in the admin (set up once, like the
    province itself). Sở Tư pháp's source leaves a completion to the evaluator's acceptance on
    the worklog (the default); the others take the document system's "completed" as accepted
    (``Source.completion_needs_review``, a per-source choice)."""
    from connectors.models import Source, SourceKind, TaskTypeMapping

    sources = {}
    for owner, (_people, products) in province.items():
        source, _created = Source.objects.get_or_create(
            name=FEED_SOURCE.format(code=owner.code),
            defaults={
                "agency": owner,
                "kind": SourceKind.WEBHOOK,
                "completion_needs_review": owner.code == SIGNED_IN_AGENCY,
            },
        )
        TaskTypeMapping.objects.get_or_create(
            source=source, external_type="CV", defaults={"product_code": products[0]}
        )
        sources[owner.pk] = source
    return sources


def push(web, source, body: bytes) -> str:
    """One signed POST to the source's webhook (``connectors.views``), as the document system
    sends it: its own Unix time and the HMAC of time and body."""
    from django.urls import reverse

    from connectors.views import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

    stamp = str(int(time.time()))
    response = web.post(
        reverse("connectors:webhook", args=[source.pk]),
        data=body,
        content_type="application/xml",
        headers={TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: sign(source.secret, stamp, body)},
    )
    if response.status_code not in (200, 202):
        raise SystemExit(
            f"webhook {source.name}: HTTP {response.status_code} {response.content[:400]!r}"
        )
    return response.json()["result"]


def documents(doors, period, province, per_agency: int, rng, again: str = "") -> str:
    """Each owner's document system pushes ``per_agency`` documents handed to its people in the
    month (deadline in the month), then each one's status "06 đã hoàn thành": three in four
    on or before the deadline, one in four two days after it (a delay)."""
    from collections import Counter

    from django.test import Client

    from connectors import samples

    sources = feed_sources(province)
    sender = timed(Client)()  # the document system: no sign-in, its signature only
    answers: Counter = Counter()
    for owner, (people, _products) in province.items():
        source = sources[owner.pk]
        for n, official in enumerate(rng.sample(people, min(per_agency, len(people))), 1):
            document_id = f"DT-{owner.code}-{period.code}-{n}{again}"
            issued = period.start_date + datetime.timedelta(days=1)
            deadline = period.start_date + datetime.timedelta(days=rng.randint(9, 24))
            body = samples.document(
                document_id,
                number=str(n),
                notation=f"{owner.code}-VP",
                date=issued,
                subject=f"Việc giao qua văn bản số {n} tháng {period.code}",
                due=deadline,
                staff=official,
            )
            answers["document " + push(sender, source, body)] += 1
            done = deadline + datetime.timedelta(days=rng.choice([-3, -1, 0, 2]))
            status = samples.status(
                document_id, when=datetime.datetime.combine(done, datetime.time(16))
            )
            answers["status " + push(sender, source, status)] += 1
    return ", ".join(f"{k} {v}" for k, v in sorted(answers.items()))


def reviews(doors, period) -> str:
    """The evaluators of Sở Tư pháp (``SIGNED_IN_AGENCY``, where role holders have a sign-in)
    review the completions its document system reported, on the worklog's line page: they open
    it and accept with what the page prefilled (the reported day; a late one is a delay), or
    one in four is returned for rework first and, when the person has a sign-in, reported
    again by them on the same page and then accepted. A completion whose evaluator has no
    sign-in stays waiting (counted), as it would in the province."""
    from collections import Counter

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from connectors.models import Package, PackageKind
    from scoring.models import AssignmentLine
    from worklog.access import can_review
    from worklog.models import WorkStatus
    from worklog.services.work import status_of

    day = timezone.localdate()
    line_ids = Package.objects.filter(
        source__name=FEED_SOURCE.format(code=SIGNED_IN_AGENCY),
        kind=PackageKind.DOCUMENT,
        line__period=period,
    ).values_list("line_id", flat=True)
    lines = AssignmentLine.objects.filter(pk__in=line_ids).select_related("civil_servant")
    users = list(
        get_user_model()
        .objects.filter(civil_servant__postings__agency__path__startswith=doors.stp_path)
        .distinct()
    )
    done: Counter = Counter()
    for number, line in enumerate(lines):
        if status_of(line) != WorkStatus.SUBMITTED:
            done["not waiting"] += 1
            continue
        evaluator = next((u for u in users if can_review(u, line, day)), None)
        if evaluator is None:
            done["no evaluator signed in"] += 1
            continue
        reviewer = doors.signed_in(evaluator)
        person = line.civil_servant.user
        if number % 4 == 0 and person is not None:
            page_action(reviewer, line, "return", {"comment": "Bổ sung số liệu (diễn tập)."})
            page_action(
                doors.signed_in(person),
                line,
                "submit",
                {"document_number": f"{line.pk}/BC", "description": "Báo cáo bổ sung"},
            )
            done["returned, reported again"] += 1
        page_action(reviewer, line, "accept", {})
        done["accepted"] += 1
    return ", ".join(f"{k} {v}" for k, v in sorted(done.items())) or "none"


FORM = re.compile(r"<form\b[^>]*action=\"([^\"]*)\"[^>]*>(.*?)</form>", re.DOTALL)
FIELD = re.compile(r"<input\b[^>]*>", re.DOTALL)


def page_action(client, line, action: str, typed: dict) -> None:
    """Open the line's page, take the action's form as the page prefilled it (hidden round and
    "what the page showed", the dates), type ``typed`` over it, and send it. A refusal ends the
    rehearsal with the page's message."""
    import html

    from django.urls import reverse

    page = reverse("worklog_line", args=[line.pk])
    target = reverse("worklog_line_action", args=[line.pk, action])
    response = client.get(page)
    body = response.content.decode()
    form = next((inner for url, inner in FORM.findall(body) if url == target), None)
    if response.status_code != 200 or form is None:
        raise SystemExit(f"worklog {action} line {line.pk}: no form (HTTP {response.status_code})")
    data = {}
    for tag in FIELD.findall(form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if name and (not kind or kind.group(1) not in ("checkbox", "file", "submit")):
            data[name.group(1)] = html.unescape(value.group(1)) if value else ""
    data.update(typed)
    response = client.post(target, data)
    if response.status_code != 302:
        errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>\s*([^<]+)', response.content.decode())
        raise SystemExit(
            f"worklog {action} line {line.pk}: HTTP {response.status_code} {errors[:3]}"
        )


# --------------------------------------------------------------------------- the quarter

OFFICE_USER, CHAIRMAN_USER = "vanphong.ubnd", "chutich.tinh"
QUARTER_STATUSES = ["done_on_time"] * 6 + ["done_late", "overdue"]


def quarter(doors, year: int, number: int, rng) -> str:
    """The chairman's quarterly assessment of departments and communes (Gia Lai plan §V.3;
    ``org_scoring``): the Office of the province People's Committee (``vanphong.ubnd``) enters
    two province tasks of the quarter for every agency it sees, one task form each
    (``org_scoring_quarter_task_add``), and the chairman (``chutich.tinh``) confirms the quarter
    on the board. The rehearsal's clock is past the quarter's entry window (days 5–10 of its
    last month), so every entry is taken late and marked, as the window's default
    (``QuarterWindow.late_entry``) allows the Office. A quarter the demo already confirmed is
    left as it is."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q
    from django.urls import reverse

    from org_scoring import quarters
    from org_scoring.access import quarterly_agencies
    from org_scoring.models import ProvinceTask
    from org_scoring.services import quarterly

    if quarterly.is_confirmed(year, number):
        return f"Q{number}/{year} already confirmed"
    users = get_user_model().objects
    office = doors.signed_in(users.get(username=OFFICE_USER))
    first, last = quarters.quarter_bounds(year, number)
    agencies = list(quarterly_agencies(users.get(username=OFFICE_USER)))
    for agency in agencies:
        for n in (1, 2):
            status = QUARTER_STATUSES[rng.randrange(len(QUARTER_STATUSES))]
            response = office.post(
                reverse("org_scoring_quarter_task_add"),
                {
                    "agency": agency.pk,
                    "year": year,
                    "quarter": number,
                    "title": f"Nhiệm vụ UBND tỉnh giao số {n} quý {number} (diễn tập)",
                    "document_number": f"{agency.pk}{n}/UBND-DT",
                    "document_date": f"{first + datetime.timedelta(days=3 * n):%d/%m/%Y}",
                    "deadline": f"{last - datetime.timedelta(days=20 // n):%d/%m/%Y}",
                    "status": status,
                    "note": "",
                },
            )
            if response.status_code != 302:
                errors = re.findall(
                    r'class="error-message"[^>]*>\s*([^<]+)', response.content.decode()
                )
                raise SystemExit(
                    f"province task {agency.code}: HTTP {response.status_code} {errors[:3]}"
                )
    chairman = doors.signed_in(users.get(username=CHAIRMAN_USER))
    response = chairman.post(
        reverse("org_scoring_quarter_board"),
        {"year": year, "quarter": number, "action": "confirm", "note": "Diễn tập."},
    )
    if response.status_code != 302 or not quarterly.is_confirmed(year, number):
        raise SystemExit(f"confirm Q{number}/{year}: HTTP {response.status_code}, not confirmed")
    tasks = ProvinceTask.objects.filter(year=year, quarter=number)
    return (
        f"Q{number}/{year}: {tasks.count()} tasks of {len(agencies)} agencies "
        f"({tasks.filter(Q(entered_late=True) | Q(updated_late=True)).count()} marked late), "
        "confirmed"
    )


# --------------------------------------------------------------------------- complaints


def complaints(doors, period, limit: int = 12) -> str:
    """December's results contested in January, inside the filing window (Nghệ An plan
    §IV.1.2; ``ratings.services.period_complaints``): up to ``limit`` people of Sở Tư pháp with
    a sign-in file a complaint on their result's page naming one of their lines; the evaluator
    answers on the complaint's page — every other one rejected with reasons, the others upheld
    with the line's completed quantity raised by one. A closed month refuses an upheld answer,
    so Sở Nội vụ first reopens December on its reopening page (with the reason) and closes it
    again on its close page once the answers are in; the month's check then runs again."""
    from collections import Counter

    from django.urls import reverse

    from ratings.models import PeriodComplaint
    from scoring.models import AssignmentLine, PeriodScore

    scores = list(
        PeriodScore.objects.filter(
            period=period,
            civil_servant__user__isnull=False,
            agency__path__startswith=doors.stp_path,
        ).select_related("civil_servant__user")[:limit]
    )
    filed: list[tuple] = []
    for score in scores:
        line = (
            AssignmentLine.objects.filter(civil_servant=score.civil_servant, period=period)
            .order_by("id")
            .first()
        )
        if line is None:
            continue
        person = doors.signed_in(score.civil_servant.user)
        response = person.post(
            reverse("ratings_period_complaint_file", args=[score.pk]),
            {"text": "Số lượng hoàn thành chưa đúng với báo cáo (diễn tập).", "lines": [line.pk]},
        )
        if response.status_code != 302:
            raise SystemExit(f"complaint of {score.civil_servant}: HTTP {response.status_code}")
        filed.append((PeriodComplaint.objects.filter(score=score).latest("id"), line))
    answered: Counter = Counter()
    upheld = [(c, line) for n, (c, line) in enumerate(filed) if n % 2 and line.assigned_quantity]
    if upheld:
        response = doors.web.post(
            reverse("dashboards_period_reopen", args=[period.pk]),
            {"confirm": "1", "reason": "Sửa kết quả theo kiến nghị được chấp nhận (diễn tập)."},
        )
        if response.status_code != 302:
            raise SystemExit(f"reopen {period.code}: HTTP {response.status_code}")
    for complaint, line in filed:
        evaluator = complaint.evaluator.user if complaint.evaluator else None
        if evaluator is None:
            answered["waiting: evaluator without a sign-in"] += 1
            continue
        if (complaint, line) in upheld:
            line.refresh_from_db()
            raised = min(line.assigned_quantity, line.completed_quantity + 1)
            data = {
                "decision": "upheld",
                "text": "Chấp nhận, sửa số lượng hoàn thành.",
                "line": line.pk,
                "completed_quantity": f"{raised.normalize():f}".replace(".", ","),
            }
        else:
            data = {"decision": "rejected", "text": "Kết quả đúng với báo cáo đã nghiệm thu."}
        response = doors.signed_in(evaluator).post(
            reverse("ratings_period_complaint", args=[complaint.pk]), {"action": "answer", **data}
        )
        if response.status_code != 302:
            errors = re.findall(
                r'class="[^"]*error[^"]*"[^>]*>\s*([^<]+)', response.content.decode()
            )
            raise SystemExit(f"answer {complaint.pk}: HTTP {response.status_code} {errors[:3]}")
        answered[data["decision"]] += 1
    if upheld:
        close_month(doors, period)
    return f"{len(filed)} filed; " + ", ".join(f"{k} {v}" for k, v in sorted(answered.items()))


# --------------------------------------------------------------------------- the checks


def digest(rows) -> tuple[int, str]:
    """``benchmarks/month_digest.py``'s digest of stored score rows: every column but the id
    and ``computed_at``, JSON compared as parsed values with sorted keys."""
    from django.db import models

    fields = [f for f in rows.model._meta.concrete_fields if f.attname not in {"id", "computed_at"}]
    names = [f.attname for f in fields]
    json_columns = {f.attname for f in fields if isinstance(f, models.JSONField)}
    total, count = hashlib.sha256(), 0
    for row in rows.order_by("civil_servant_id").values_list(*names).iterator(chunk_size=5000):
        count += 1
        for name, value in zip(names, row, strict=True):
            text = (
                json.dumps(value, sort_keys=True, ensure_ascii=False)
                if name in json_columns
                else repr(value)
            )
            total.update(f"{name}={text}\x1f".encode())
        total.update(b"\x1e")
    return count, total.hexdigest()


class Rollback(Exception):
    pass


def from_scratch(rows, forget, recompute) -> tuple[int, str]:
    """``rows`` forgotten (``forget``) and computed again by ``recompute``, inside a
    transaction that is then rolled back: nothing stored changes."""
    from django.db import transaction

    result = None
    try:
        with transaction.atomic():
            forget()
            recompute()
            result = digest(rows.all())
            raise Rollback
    except Rollback:
        pass
    return result


def month_scores(period):
    from scoring.models import PeriodScore
    from scoring.services import score_period

    rows = PeriodScore.objects.filter(period=period)

    def forget():
        # A complaint holds on to the result it contests (PROTECT): that row stays with its
        # inputs fingerprint emptied, so it is computed again like the deleted ones.
        contested = rows.filter(complaints__isnull=False)
        contested.update(inputs_hash="")
        rows.exclude(pk__in=contested.values("pk")).delete()

    return rows, forget, lambda: score_period(period, force=True)


def year_scores(year: int):
    from scoring.models import AnnualScore
    from scoring.services import score_year

    # Rating cases hold on to their annual score (PROTECT): the rows stay, their sources
    # fingerprints are emptied, so every person's year is computed again from the period
    # scores (what ``score_batch.py --only-annual`` measures as "fingerprints emptied").
    rows = AnnualScore.objects.filter(year=year)
    return rows, lambda: rows.update(sources_hash=""), lambda: score_year(year)


#: When this sitting began (``main``): a task a worker was stopped in by an earlier sitting's
#: end (``SystemExit`` from its SIGTERM) failed then; the job kit took its work up again, which
#: the job checks below verify.
SITTING_BEGAN = None

#: The exceptions of a task whose worker was stopped, not of a task that failed.
STOPPED = ("builtins.SystemExit", "builtins.KeyboardInterrupt")


def stuck() -> list[str]:
    from django_tasks_db.models import DBTaskResult

    from cms.models import ExportJob, JobStatus
    from importers.models import ImportJob, ImportStatus
    from scoring.models import StaleFigure

    problems = []
    tasks = DBTaskResult.objects.exclude(task_path__endswith=SWEEP)
    if SITTING_BEGAN is not None:
        tasks = tasks.exclude(
            status="FAILED", exception_class_path__in=STOPPED, finished_at__lt=SITTING_BEGAN
        )
    for status in ("RUNNING", "FAILED", "READY"):
        n = tasks.filter(status=status).count()
        if n:
            problems.append(f"{n} task(s) {status}")
    exports = ExportJob.objects.exclude(status=JobStatus.DONE).count()
    if exports:
        problems.append(f"{exports} file(s) to download not made")
    open_jobs = ImportJob.objects.filter(
        status__in=[ImportStatus.QUEUED, ImportStatus.PARSING, ImportStatus.COMMITTING]
    ).count()
    failed_jobs = ImportJob.objects.filter(status=ImportStatus.FAILED).count()
    if open_jobs:
        problems.append(f"{open_jobs} import job(s) unfinished")
    if failed_jobs:
        problems.append(f"{failed_jobs} import job(s) failed")
    stale = StaleFigure.objects.count()
    if stale:
        problems.append(f"{stale} stale figure mark(s) not refreshed")
    try:
        from scoring.models import ScoringRun

        owed = ScoringRun.objects.filter(status__in=["queued", "running"]).count()
        failed = ScoringRun.objects.filter(status="failed").count()
        if owed:
            problems.append(f"{owed} scoring run(s) owed")
        if failed:
            problems.append(f"{failed} scoring run(s) failed")
    except ImportError:
        pass
    return problems


def check(rehearsal, period) -> bool:
    """The month's period scores and the year's annual scores (and ratings, quota applied)
    as stored, against the same computed from scratch; and nothing stuck."""
    started, cpu = time.perf_counter(), time.process_time()
    results = []
    for what, (rows, forget, recompute) in (
        ("period scores", month_scores(period)),
        (f"annual scores {period.start_date.year}", year_scores(period.start_date.year)),
    ):
        stored, again = digest(rows), from_scratch(rows, forget, recompute)
        results.append((what, stored, again))
    problems = stuck()
    ok = not problems and all(stored == again and stored[0] for _w, stored, again in results)
    figures = "; ".join(
        f"{stored[0]:,} {what} {'=' if stored == again else '≠'} from scratch "
        f"({stored[1][:12]} / {again[1][:12]})"
        for what, stored, again in results
    )
    return rehearsal.checked(
        period.code,
        f"{figures}; {'nothing stuck' if not problems else '; '.join(problems)}",
        ok,
        started,
        cpu,
    )


# --------------------------------------------------------------------------- the six months


def half_year(doors, year: int, half: int, door: dict) -> str:
    """The six-month step (H1 after June, H2 after December): nothing is stored for it, every
    screen, export and the API compute it from the stored period scores (``ratings.services.
    half_year``). Read through the API (``GET /api/v1/half-year-scores/``, the integration
    system's token, every page) into ``door``; :func:`half_year_check` compares it afterwards,
    apart from the phase's time."""
    page, requests = 1, 0
    while True:
        response = doors.api.get(
            "/api/v1/half-year-scores/",
            {"year": year, "half": half, "page": page, "page_size": 500},
        )
        requests += 1
        if response.status_code != 200:
            raise SystemExit(f"half-year-scores H{half}: HTTP {response.status_code}")
        body = response.json()
        for person in body["results"]:
            for item in person["halves"]:
                door[person["official_id"]] = (
                    item["score"],
                    item["level"],
                    item["recomputing_since"],
                )
        if not body.get("next"):
            break
        page += 1
    scored = sum(1 for score, _l, _r in door.values() if score is not None)
    return (
        f"H{half}: {requests} request(s), {len(door):,} people, {scored:,} with a figure "
        "read through the API"
    )


def half_year_check(rehearsal, door: dict, year: int, half: int) -> bool:
    """The six months read through the API (``door``) against the same figures computed from
    period scores recomputed from scratch (rolled back); none may be "being recomputed". Timed
    apart, as the month's check."""
    from django.db import transaction

    from org.models import CivilServant
    from ratings.services.half_year import half_years_many
    from scoring.models import Period, PeriodKind, PeriodScore
    from scoring.services import score_period

    started, cpu = time.perf_counter(), time.process_time()
    months = Period.objects.filter(
        kind=PeriodKind.MONTH,
        start_date__year=year,
        start_date__month__gt=6 * (half - 1),
        start_date__month__lte=6 * half,
    )
    ids = dict(CivilServant.objects.filter(official_id__in=door).values_list("id", "official_id"))
    again = {}
    try:
        with transaction.atomic():
            for period in months:
                forget_scores(PeriodScore.objects.filter(period=period))
                score_period(period, force=True)
            for person_id, items in half_years_many(list(ids), year).items():
                for item in items:
                    if item.half == half:
                        result = item.result if item.usable else None
                        again[ids[person_id]] = (
                            None if result is None else f"{result.score:.2f}",
                            "" if result is None else (result.rating or ""),
                        )
            raise Rollback
    except Rollback:
        pass
    scored = [k for k, (score, _l, _r) in door.items() if score is not None]
    recomputing = [k for k, (_s, _l, since) in door.items() if since]
    differ = [k for k, (score, level, _r) in door.items() if again.get(k) != (score, level or "")]
    ok = not recomputing and not differ and len(scored) >= 1
    return rehearsal.checked(
        f"{year}-H{half}",
        f"{len(door):,} people read through the API "
        f"{'equal to' if not differ else f'({len(differ)} differ from)'} the six months from "
        f"period scores recomputed from scratch; {len(recomputing)} being recomputed",
        ok,
        started,
        cpu,
    )


def forget_scores(rows) -> None:
    """Delete ``rows`` but those a complaint about the month holds on to (PROTECT: the demo's
    January–March complaints); those are recomputed in place by the forced scoring."""
    from django.db import transaction
    from django.db.models.deletion import ProtectedError

    try:
        with transaction.atomic():
            rows.delete()
    except ProtectedError as exc:
        held = {getattr(row, "score_id", None) for row in exc.protected_objects}
        rows.exclude(pk__in=held).delete()


# --------------------------------------------------------------------------- the season

#: The agency whose every case the demo gives sign-ins for (``demo.ratings_demo``: the subject,
#: the head who holds the meeting, the rater, the opinion holder; ``quantri.stp`` appraises).
SIGNED_IN_AGENCY = "STP"
NEXT_STEP = {
    "draft": "self_assess",
    "self_assessed": "review",
    "reviewed": "appraise",
    "opinion_requested": "give_opinion",
    "opinion_given": "decide",
    "decided": "notify",
}
LEVEL_ORDER = {"not_completed": 0, "completed": 1, "good": 2, "excellent": 3}
#: The refusals about the level itself (a ceiling, a head above the agency, a deputy above the
#: head, the quota), as the rater reads them: the rater then chooses a lower level. Any other
#: refusal (an order: "decide the agency first") is waited out.
LEVEL_REFUSAL = re.compile(r"cao hơn|tối đa|Vượt tỷ lệ", re.IGNORECASE)
#: The order a rater works in: staff, then the agencies and units bottom up, then their heads,
#: then the deputies (a head not above the agency, a deputy not above the head).
ROLE_ORDER = {"staff": 0, "head": 2, "deputy": 3}


def open_season(doors, year: int) -> str:
    """Sở Nội vụ opens the year's cases for the whole province (``ratings_open``, the form of
    the case list): one per civil servant with an annual score, one per agency and unit. The
    request asks; the worker opens them (``ratings.tasks``), followed here as on the page."""
    from django.urls import reverse

    from cms.models import JobStatus
    from ratings.models import CaseOpening, RatingCase

    before = RatingCase.objects.filter(year=year).count()
    last = CaseOpening.objects.order_by("-id").values_list("id", flat=True).first() or 0
    asked = time.perf_counter()
    response = doors.web.post(reverse("ratings_open"), {"year": year, "agency": ""})
    if response.status_code != 302:
        raise SystemExit(f"open cases {year}: HTTP {response.status_code}")
    answered = time.perf_counter() - asked
    job = CaseOpening.objects.filter(id__gt=last).get()
    while job.status not in (JobStatus.DONE, JobStatus.FAILED):
        if doors.worker.poll() is not None:
            raise SystemExit(f"the worker exited with {doors.worker.returncode}")
        time.sleep(0.5)
        job.refresh_from_db()
    if job.status != JobStatus.DONE:
        raise SystemExit(f"open cases {year}: the job failed: {job.last_error}")
    cases = RatingCase.objects.filter(year=year)
    return (
        f"{cases.count() - before:,} cases opened ({before:,} already open; the job: "
        f"{job.created_count:,} created, {job.existing_count:,} there, {job.skipped_count:,} "
        f"without an annual score): {cases.filter(kind='civil_servant').count():,} people, "
        f"{cases.filter(kind='agency').count():,} agencies and units; the request answered in "
        f"{answered * 1000:.0f} ms"
    )


class SeasonDriver:
    """Every case of ``SIGNED_IN_AGENCY``'s subtree to its notified decision, each step POSTed to
    ``ratings_case_action`` by a sign-in that holds the step's role on the case (the demo's
    ``congchuc.*``, ``truongphong.*``, ``quantri.stp``, ``giamdoc.stp``, ``chutich.tinh`` and
    Sở Nội vụ for the director's appraisal). A case whose step has nobody signed in (the
    rehearsal's copies of people have no account) stays where it is and is counted."""

    def __init__(self, doors, year: int):
        from django.contrib.auth import get_user_model

        from org.models import Agency

        self.doors, self.year = doors, year
        self.root = Agency.objects.get(code=SIGNED_IN_AGENCY)
        self.staff = list(get_user_model().objects.filter(username__in=["quantri.stp", "sonoivu"]))
        self.refusals: dict[int, str] = {}
        #: case → the state it waits in on a person with no sign-in (not looked at again
        #: while it stays there: at 100,000 people, 7,000 of Sở Tư pháp's cases)
        self.no_sign_in: dict[int, str] = {}
        self.steps = 0
        self.number = 0
        self.lowered: dict[int, int] = {}  # case → levels below the first choice
        self.lowered_reasons: list[str] = []

    def client(self, user):
        """The person's session, signed in with their second factor where they have one (the
        gate sends a session without it to the second-factor page: a 302 that moved nothing)."""
        return self.doors.signed_in(user)

    def cases(self):
        from django.db.models import Q

        from ratings.models import RatingCase

        return RatingCase.objects.filter(year=self.year).filter(
            Q(kind="civil_servant", agency__path__startswith=self.root.path)
            | Q(kind="agency", subject_agency__path__startswith=self.root.path)
        )

    def candidates(self, case, actors) -> list:
        from django.contrib.auth import get_user_model

        people = [
            h.person for h in (actors.evaluator, actors.rater, actors.opinion) if h and h.person
        ]
        if case.civil_servant_id:
            people.append(case.civil_servant)
        users = get_user_model().objects.filter(
            pk__in=[*actors.subject_user_ids, *(p.user_id for p in people if p.user_id)]
        )
        return [*users, *self.staff]

    def level(self, case) -> str:
        """The level proposed and decided: the person's annual rating as stored (the quota
        applied), for an agency the highest its score allows; one level lower for each
        decision refused (the rater reads the refusal: a head above their agency, a deputy
        above their head, the quota) and chooses the level the rule allows."""
        from ratings.services.case_figure import current_annual
        from ratings.services.ceilings import ceiling_for

        if case.is_agency_case:
            level = ceiling_for(case).level or "completed"
        else:
            annual = current_annual(case)
            level = (annual.rating if annual else "") or "completed"
        rank = max(0, LEVEL_ORDER.get(level, 1) - self.lowered.get(case.pk, 0))
        return next(name for name, n in LEVEL_ORDER.items() if n == rank)

    def data(self, case, action: str, level: str) -> dict:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from ratings.forms import form_for
        from ratings.workflow.transitions import TRANSITIONS

        today = timezone.localdate().isoformat()
        self.number += 1
        data = {
            "self_assess": {
                "self_assessment": "Hoàn thành các nhiệm vụ được giao trong năm (diễn tập).",
                "self_level": level,
            },
            "review": {
                "meeting_date": today,
                "meeting_comments": "Tập thể thống nhất nhận xét, đánh giá (diễn tập).",
                "minutes": SimpleUploadedFile(
                    "bien-ban.pdf", b"%PDF-1.4 dien tap", content_type="application/pdf"
                ),
            },
            "appraise": {"proposal_level": level, "proposal_comment": "Đủ căn cứ đề xuất."},
            "give_opinion": {"opinion_text": "Thống nhất với đề xuất."},
            "decide": {
                "decision_level": level,
                "decision_ref": f"{self.number}/QĐ-DT",
                "decision_date": today,
            },
        }.get(action, {})
        # The case page's forms are prefixed with the action (``ratings.forms.form_for``).
        return {f"{form_for(TRANSITIONS[action], case).prefix}-{k}": v for k, v in data.items()}

    def round(self) -> int:
        from django.urls import reverse

        from ratings.actors import resolve_actors
        from ratings.workflow.transitions import TRANSITIONS

        moved = 0
        # A case still waiting in the same state on a person with no sign-in is left alone
        # (at 100,000 people 7,000 of Sở Tư pháp's cases: sorting and resolving them again each
        # round took the driver minutes a round).
        cases = [c for c in self.cases().select_related("civil_servant", "subject_agency", "agency")
                 if (c.state in NEXT_STEP or c.state == "appraised")
                 and self.no_sign_in.get(c.pk) != c.state]  # fmt: skip
        # Bottom up (units before their agency), "good" before "excellent" (the quota counts
        # decisions), heads after their staff.
        cases.sort(
            key=lambda c: (
                1 if c.is_agency_case else ROLE_ORDER.get(c.role, 0),
                -(c.subject_agency.depth if c.is_agency_case else 0),
                LEVEL_ORDER.get(self.level(c), 0),
                c.pk,
            )
        )
        for case in cases:
            actors = resolve_actors(case)
            action = NEXT_STEP.get(case.state) or (
                "request_opinion" if actors.opinion_required else "decide"
            )
            roles = TRANSITIONS[action].actors
            user = next(
                (u for u in self.candidates(case, actors) if actors.roles_of(u) & roles), None
            )
            if user is None:
                self.no_sign_in[case.pk] = case.state
                continue
            self.no_sign_in.pop(case.pk, None)
            response = self.client(user).post(
                reverse("ratings_case_action", args=[case.pk, action]),
                self.data(case, action, self.level(case)),
            )
            self.steps += 1
            if response.status_code == 302 and response["Location"] == reverse(
                "ratings_case", args=[case.pk]
            ):
                moved += 1
                self.refusals.pop(case.pk, None)
            else:
                reason = (
                    f"sent to {response['Location']}"  # not the case page: the step did not run
                    if response.status_code == 302
                    else refusal_text(response)
                )
                self.refusals[case.pk] = f"{action} HTTP {response.status_code}: {reason}"
                if (
                    action == "decide"
                    and LEVEL_REFUSAL.search(reason)
                    and self.level(case) != "not_completed"
                ):
                    self.lowered[case.pk] = self.lowered.get(case.pk, 0) + 1
                    self.lowered_reasons.append(reason)
                    moved += 1  # another try next round, one level lower
        return moved

    def run(self) -> str:
        from ratings.models import CaseState

        rounds = 1
        while rounds < 40 and self.round():
            rounds += 1
        cases = self.cases()
        notified = cases.filter(state=CaseState.NOTIFIED).count()
        note = (
            f"{SIGNED_IN_AGENCY}: {self.steps} steps in {rounds} rounds, {notified} of "
            f"{cases.count()} cases notified; {len(self.no_sign_in)} wait on a person with no "
            f"sign-in"
        )
        if self.lowered:
            note += (
                f"; {len(self.lowered)} decision(s) set lower after a refusal, e.g. "
                f"“{self.lowered_reasons[0][:200]}”"
            )
        if self.refusals:
            pk, reason = next(iter(self.refusals.items()))
            note += f"; {len(self.refusals)} refused, e.g. case {pk}: {reason[:300]}"
        return note


def refusal_text(response) -> str:
    """The reasons the case page gives (``ratings-refusal``), else its error message."""
    import html

    text = response.content.decode(errors="replace")
    block = re.search(r'id="ratings-refusal".*?<ul>(.*?)</ul>', text, re.S) or re.search(
        r'class="messages".*?</ul>', text, re.S
    )
    found = re.findall(r"<li[^>]*>(.*?)</li>", block.group(0) if block else "", re.S)
    reasons = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", t)).split()) for t in found]
    return " | ".join(r for r in reasons if r)[:400] or f"HTTP {response.status_code}"


def compact(record: dict) -> tuple:
    """(key, kind, figure, rating) of a national record: the key (official id, period code) of
    a period result or (official id, year) of an annual rating; the figure its total or
    score."""
    official, result = record["civil_servant"]["official_id"], record["result"]
    if "period" in record:
        return (
            (official, record["period"]["code"]),
            record["kind"],
            result.get("total"),
            result.get("rating"),
        )
    return (official, record["year"]), record["kind"], result.get("score"), result.get("rating")


def national_export(doors, day) -> str:
    """The national database's side. The worker sends what is due by itself (its sweep,
    ``api.national_export.send_due``, through the configured transport: here the default,
    ``FileDropTransport``); the national system reads through the API with a token whose system has
    ``national_export``: every batch the worker sent (``GET /api/v1/national-export/?batch=…``)
    and the day's batch still unsent (``?date=``), then acknowledges every record
    (``POST …/acknowledgements/``). The records are kept for the season's check."""
    from rest_framework.test import APIClient

    from api.models import IntegrationSystem, IntegrationToken, OutboxRecord
    from org.models import Agency

    system, _created = IntegrationSystem.objects.update_or_create(  # again on --resume
        name="Diễn tập — Cơ sở dữ liệu quốc gia",
        defaults={"national_export": True, "can_write": False},
    )
    system.agencies.set(Agency.objects.filter(parent__isnull=True))
    _row, token = IntegrationToken.issue(system)
    api = timed(APIClient)()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    # What the check compares, not the whole record: (key, kind, figure, rating) a record —
    # 829,132 whole records held 6.6 GB at 100,000 people.
    records: dict[int, tuple] = {}

    def read(query: dict) -> int:
        response = api.get("/api/v1/national-export/", query)
        if response.status_code != 200:
            raise SystemExit(
                f"national export {query}: HTTP {response.status_code} {response.content[:300]!r}"
            )
        doc = response.json()
        for record in doc["records"]:
            records[record["record_id"]] = compact(record)
        return doc["count"]

    # The worker goes on sending while the national side reads: a record still unsent when
    # the day's batch is read may be in a batch named a moment later. So the day's unsent
    # first, then every batch named so far, again until no new batch appears.
    read_batches: set[str] = set()
    while True:
        unsent = read({"date": day.isoformat()})
        named = set(OutboxRecord.objects.exclude(batch="").values_list("batch", flat=True))
        if not named - read_batches:
            break
        for name in sorted(named - read_batches):
            read({"batch": name})
        read_batches |= named
    sent = sorted(read_batches)
    ids = sorted(records)
    acknowledged = 0
    for start in range(0, len(ids), 1000):
        ack = api.post(
            "/api/v1/national-export/acknowledgements/",
            data=json.dumps({"ids": ids[start : start + 1000]}),
            content_type="application/json",
        )
        if ack.status_code != 200:
            raise SystemExit(f"acknowledgements: HTTP {ack.status_code} {ack.content[:300]!r}")
        acknowledged += ack.json()["acknowledged"]
    doors.export_records = [records[i] for i in ids]
    kinds: dict[str, int] = {}
    for _key, kind, _figure, _rating in records.values():
        kinds[kind] = kinds.get(kind, 0) + 1
    listed = ", ".join(f"{n:,} {kind}" for kind, n in sorted(kinds.items()))
    return (
        f"{len(sent)} batches sent by the worker + today's unsent ({unsent:,}): "
        f"{len(records):,} records read ({listed}); {acknowledged:,} acknowledged"
    )


def season(rehearsal, doors, year: int) -> None:
    from django.utils import timezone

    print(f"season {year} ({timezone.localdate():%d/%m/%Y}):", flush=True)
    rehearsal.phase("open cases", lambda: open_season(doors, year))
    driver = SeasonDriver(doors, year)
    rehearsal.phase("decisions", driver.run)
    rehearsal.phase("national export", lambda: national_export(doors, timezone.localdate()))
    season_check(rehearsal, doors, year, driver)


def season_check(rehearsal, doors, year: int, driver) -> bool:
    """After the season: the year's annual scores and ratings as stored against a from-scratch
    recomputation; every open case's figure (``case_figure``, what Form 02 prints) the stored
    annual score, current; every decision made on the figure it carries, still current (not
    stale, decided = now); the excellent decisions within the quota of their group; every record
    the national side read equal to the stored period score or decision it carries, and every
    final result of the year exported; nothing stuck."""
    from api.outbox import DECIDED_STATES
    from ratings.models import CaseState, RatingCase
    from ratings.services.case_figure import case_figures
    from ratings.services.frameworks import rules_for_case
    from ratings.services.quota import group_label, quota_status
    from scoring.models import AnnualScore, Period, PeriodScore, PeriodStatus
    from scoring.services.scope import people_without, year_bounds

    started, cpu = time.perf_counter(), time.process_time()
    problems = []
    rows, forget, recompute = year_scores(year)
    stored, again = digest(rows), from_scratch(rows, forget, recompute)
    if stored != again:
        problems.append(f"annual scores {year} ≠ from scratch")
    annual = dict(
        AnnualScore.objects.filter(year=year, scored=True).values_list("civil_servant_id", "score")
    )
    cases = list(
        RatingCase.objects.filter(year=year)
        .exclude(state=CaseState.CANCELLED)
        .select_related("civil_servant", "subject_agency", "agency")
    )
    people = [c for c in cases if not c.is_agency_case]
    decided = [c for c in cases if c.state in DECIDED_STATES]
    # Read together (``case_figures``: the same figure ``case_figure`` gives each case).
    figures = case_figures(people + [c for c in decided if c.is_agency_case])
    wrong = [
        c.pk
        for c in people
        if figures[c.pk].stale
        or c.civil_servant_id not in annual
        or figures[c.pk].score != annual[c.civil_servant_id]
    ]
    if wrong:
        problems.append(f"{len(wrong)} case(s) whose figure is not the stored annual score")
    caseless = set(annual) - {c.civil_servant_id for c in people}
    if caseless:
        problems.append(f"{len(caseless)} person(s) with an annual score and no case")
    stale, differ, groups = [], [], {}
    for case in decided:
        figure = figures[case.pk]
        if figure.stale:
            stale.append(case.pk)
        elif not case.is_agency_case and (figure.decided is None or figure.decided_differs):
            differ.append(case.pk)
        if not case.is_agency_case and case.decision_level == "excellent":
            rules = rules_for_case(case)
            groups[group_label(case, rules)] = quota_status(case, rules, include_self=True)
    over = [label for label, q in groups.items() if q.excellent > q.max_excellent]
    if stale or differ:
        problems.append(f"{len(stale)} decision(s) on a stale figure, {len(differ)} on another")
    if over:
        problems.append(f"quota exceeded in {', '.join(over)}")
    # What the national side read: the latest record of each result against what is stored.
    latest: dict[tuple, tuple] = {}
    for key, kind, figure_sent, rating_sent in getattr(doors, "export_records", []):
        latest[key] = (kind, figure_sent, rating_sent)
    periods = {
        p.pk: p.code
        for p in Period.objects.filter(start_date__year=year).exclude(status=PeriodStatus.OPEN)
    }
    # (official id, period code) → (person id, total, rating), read as plain rows (829,000 of
    # them at 100,000 people).
    scores = {
        (official, periods[period_id]): (person, total, rating)
        for person, official, period_id, total, rating in PeriodScore.objects.filter(
            scored=True, period_id__in=list(periods)
        )
        .exclude(rating="")
        .values_list(
            "civil_servant_id", "civil_servant__official_id", "period_id", "total", "rating"
        )
        .iterator(chunk_size=5000)
    }
    by_person = {c.civil_servant.official_id: c for c in decided if not c.is_agency_case}
    wrong_export = []
    for key, (kind, figure_sent, rating_sent) in latest.items():
        if kind == "cancellation":
            continue
        if isinstance(key[1], str):  # a period's result
            if key not in scores and not key[1].startswith(str(year)):
                continue  # another year's month
            score = scores.get(key)
            same = score is not None and (figure_sent, rating_sent) == (
                None if score[1] is None else f"{score[1]:f}",
                score[2],
            )
        else:
            if key[1] != year:
                continue  # a decision of another year (the demo's 2023–2025)
            case = by_person.get(key[0])
            same = case is not None and (figure_sent, rating_sent) == (
                f"{annual[case.civil_servant_id]:f}",
                case.decision_level,
            )
        if not same:
            wrong_export.append((key, figure_sent, rating_sent))
    # Every final result of the year exported: the closed months' rated scores and the
    # decisions, of the people the national database takes (``people_without``).
    owed = set()
    by_code: dict[str, dict] = {}
    for key, score in scores.items():
        by_code.setdefault(key[1], {})[key] = score
    for period in Period.objects.filter(start_date__year=year).exclude(status=PeriodStatus.OPEN):
        keys = by_code.get(period.code, {})
        outside = people_without(
            "national_export",
            [s[0] for s in keys.values()],
            period.start_date,
            period.end_date,
        )
        owed |= {k for k, s in keys.items() if s[0] not in outside}
    outside = people_without(
        "national_export", [c.civil_servant_id for c in by_person.values()], *year_bounds(year)
    )
    owed |= {(o, year) for o, c in by_person.items() if c.civil_servant_id not in outside}
    missing = owed - set(latest)
    annual_records = sum(1 for k in latest if k[1] == year)
    period_records = sum(1 for k in latest if str(k[1]).startswith(f"{year}-"))
    if wrong_export:
        problems.append(
            f"{len(wrong_export)} national record(s) ≠ stored, e.g. {wrong_export[0]}"[:400]
        )
    if missing:
        problems.append(f"{len(missing)} final result(s) never exported, e.g. {sorted(missing)[0]}")
    problems += stuck()
    ok = not problems
    return rehearsal.checked(
        f"season {year}",
        f"{stored[0]:,} annual scores {'=' if stored == again else '≠'} "
        f"from scratch ({stored[1][:12]} / {again[1][:12]}); {len(people):,} cases (every "
        f"scored person) with figures = stored annual scores, current; {len(decided)} "
        f"decisions ({len(by_person)} people) on their current figure; excellent within the "
        f"quota in {len(groups)} group(s) ("
        + ", ".join(f"{q.excellent} ≤ {q.max_excellent}" for q in groups.values())
        + f"); national side read {period_records:,} period + {annual_records} "
        f"annual results of {year} = stored, none missing; "
        f"{'nothing stuck' if ok else '; '.join(problems)}",
        ok,
        started,
        cpu,
    )


# --------------------------------------------------------------------------- main


def after_month(rehearsal, doors, first_day: datetime.date, rng, workdir: Path) -> None:
    """What follows a month's close: the quarter after March, June, September and December
    (left as it is once confirmed), the six months' results after June and December. Once done
    it leaves a mark in the run's directory, so a run resumed with that ``--workdir`` does not
    repeat it (the six months store nothing to tell by: the API computes them)."""
    mark = after_month_mark(workdir, first_day)
    if mark.exists():
        print(f"after {first_day:%m/%Y}: done by the kept run ({mark.name})", flush=True)
        return
    if first_day.month % 3 == 0:
        number = first_day.month // 3
        rehearsal.phase("quarter", lambda: quarter(doors, first_day.year, number, rng))
    if first_day.month in (6, 12):
        half = first_day.month // 6
        door: dict = {}
        rehearsal.phase("six months", lambda: half_year(doors, first_day.year, half, door))
        half_year_check(rehearsal, door, first_day.year, half)
    from django.utils import timezone

    mark.write_text(f"{timezone.localtime():%d/%m/%Y %H:%M}\n")


def after_month_mark(workdir: Path, first_day: datetime.date) -> Path:
    return workdir / f"after-{first_day:%Y-%m}.done"


def months_closed() -> int:
    """How many of the rehearsal's months, from April, a kept database has closed in a row."""
    from scoring.models import Period, PeriodKind, PeriodStatus

    closed = set(
        Period.objects.filter(kind=PeriodKind.MONTH, start_date__gte=FIRST_MONTH)
        .exclude(status=PeriodStatus.OPEN)
        .values_list("start_date", flat=True)
    )
    m = 0
    while m < MAX_MONTHS and month_start(m) in closed:
        m += 1
    return m


def month_started(m: int) -> bool:
    """Whether a kept database holds any import of the rehearsal's ``m``-th month (a run
    stopped inside it: the month's files are then sent again, as a clerk's second upload)."""
    from importers.models import ImportJob

    return ImportJob.objects.filter(period_code=f"{month_start(m):%Y-%m}").exists()


def worker_nice() -> int:
    """The worker's CPU priority as production's unit sets it (``Nice=`` of
    ``deploy/systemd/kpi-worker.service``; 0 when it sets none)."""
    unit = (ROOT / "deploy" / "systemd" / "kpi-worker.service").read_text()
    found = re.search(r"^Nice=(-?\d+)$", unit, re.MULTILINE)
    return int(found.group(1)) if found else 0


def start_worker(env) -> subprocess.Popen:
    nice = worker_nice()
    command = [
        *(["nice", "-n", str(nice)] if nice else []),
        sys.executable,
        str(ROOT / "manage.py"),
        "db_worker",
        "--interval",
        "0.2",
        "--no-startup-delay",
    ]
    log = open(Path(env["KPI_REHEARSAL_DIR"]) / "worker.log", "ab")  # noqa: SIM115
    return subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=log
    )


def stop_worker(worker) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def main(argv=None) -> int:
    global SITTING_BEGAN
    SITTING_BEGAN = datetime.datetime.now(datetime.UTC)
    args = parse_args(argv)
    rng = random.Random(args.seed)
    if args.resume:
        url, remove = args.resume, lambda: None
    else:
        url, remove = create_database(args.database_url)
    if args.workdir:
        workdir = Path(args.workdir)
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="kpi-rehearsal-"))
    (workdir / "kpi_rehearsal_settings.py").write_text(
        textwrap.dedent(SETTINGS) + textwrap.dedent(CLOCK)
    )
    destination = clock_destination(args)
    if args.resume and destination:
        destination = max(destination, resumed_clock(args.resume))
    clock = (
        {
            "KPI_REHEARSAL_TODAY": destination.isoformat(),
            "KPI_REHEARSAL_CLOCK_SET": repr(time.time()),
        }
        if destination
        else {}
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KPI_REHEARSAL_")},
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "kpi_rehearsal_settings",
        "PYTHONPATH": os.pathsep.join(
            [str(workdir), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
        "KPI_REHEARSAL_DIR": str(workdir),  # the worker's log: worker.log
        **clock,
    }
    os.environ.update(
        {k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "KPI_REHEARSAL_DIR", *clock)}
    )
    sys.path[:0] = [str(workdir), str(ROOT)]
    # Stopped with SIGTERM: still stop the worker and remove the database (``finally``).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.db import connection

    load = os.getloadavg()
    from django.utils import timezone

    print(
        f"rehearsal: {args.people:,} people, {args.months} month(s), {connection.vendor}; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; clock "
        + (
            f"moved to {timezone.localtime():%d/%m/%Y %H:%M} (time-machine, ticking)"
            if destination
            else f"real ({timezone.localtime():%d/%m/%Y %H:%M})"
        ),
        flush=True,
    )
    worker = rehearsal = None
    total, total_cpu = time.perf_counter(), time.process_time()
    try:
        from org.models import Posting
        from scoring.models import Period, PeriodKind

        first = 0
        resent: dict[int, str] = {}  # month → what its documents' ids end with when sent again
        if args.resume:
            from django.core.management import call_command

            # The kept database brought to this code's schema, as an upgrade does.
            call_command("migrate", verbosity=0)
            first = months_closed()
            if month_started(first):
                # The document systems send new documents (a document sent again with other
                # dates would be refused as older than what is stored, rightly).
                resent[first] = f"-L{int(time.time())}"
            # A run picked up again draws its own numbers from here on (an uninterrupted run
            # keeps one stream, so its digests stay comparable with earlier rounds').
            rng = random.Random(args.seed * 1000 + first)
            print(
                f"resumed: {first} month(s) closed, from {month_start(first):%m/%Y}"
                + (" (its files are sent again)" if month_started(first) else "")
                + f"; {Posting.objects.count():,} postings",
                flush=True,
            )
        else:
            built = build(args.people, args.seed)
            print(
                f"built: demo {built['demo_s']:.1f} s, +{built['added']:,} people in "
                f"{built['grow_s']:.1f} s ({Posting.objects.count():,} postings)",
                flush=True,
            )
        worker = start_worker(env)
        rehearsal = Rehearsal(args, worker)
        rehearsal.phase("worker start", lambda: "")
        if args.browse:  # before the doors sign in: it sets Sở Nội vụ's password
            rehearsal.browsing = Browsing(url, workdir, args.browse, args.think, args.seed)
            print(
                f"browsing: {args.browse} people, a page every {args.think:g} s on average "
                f"({Browsing.ADMIN_SHARE:.0%} Sở Nội vụ's admin pages, signed in with the "
                f"second factor; the rest public pages), gunicorn on port "
                f"{rehearsal.browsing.port}",
                flush=True,
            )
        doors = Doors(worker)
        if first:
            after_month(rehearsal, doors, month_start(first - 1), rng, workdir)

        for m in range(first, args.months):
            period = Period.for_date(month_start(m), PeriodKind.MONTH, create=True)
            province = owners_and_people(period)
            people = sum(len(p) for p, _c in province.values())
            print(f"month {period.code}: {len(province)} agencies, {people:,} people", flush=True)
            files = rehearsal.files(
                "results",
                doors,
                lambda p=period, o=province: results_files(doors, p, o, args.lines, rng),
            )
            rehearsal.phase("results", lambda files=files: doors.import_files("results", files))
            rehearsal.phase(
                "api",
                lambda period=period, province=province: api_write(
                    doors, period, province, args.lines, args.api_lines, rng
                ),
            )
            if args.documents:
                rehearsal.phase(
                    "documents",
                    lambda period=period, province=province, m=m: documents(
                        doors, period, province, args.documents, rng, resent.get(m, "")
                    ),
                )
                rehearsal.phase("reviews", lambda period=period: reviews(doors, period))
            files = rehearsal.files(
                "form01", doors, lambda p=period, o=province: form01_files(doors, p, o, rng)
            )
            rehearsal.phase(
                "form01", lambda files=files: doors.import_files("general_marks", files)
            )
            del files
            rehearsal.phase("close", lambda period=period: close_month(doors, period))
            check(rehearsal, period)
            after_month(rehearsal, doors, period.start_date, rng, workdir)
        if args.months < MAX_MONTHS or args.no_season:
            print(
                "season: not run ("
                + ("--no-season" if args.no_season else "it needs December closed: --months 9")
                + ")",
                flush=True,
            )
        else:
            december = Period.for_date(month_start(args.months - 1), PeriodKind.MONTH)
            rehearsal.phase("complaints", lambda: complaints(doors, december))
            check(rehearsal, december)
            season(rehearsal, doors, FIRST_MONTH.year)
        if TOO_LONG:
            rehearsal.failures.append(f"{len(TOO_LONG)} request(s) over {web_timeout()} s")
        print(
            f"requests longer than production's {web_timeout()} s: {len(TOO_LONG)}"
            + "".join(f"; {method} {path} {took:.1f} s" for method, path, took in TOO_LONG[:10]),
            flush=True,
        )
        wall = time.perf_counter() - total
        load = os.getloadavg()
        phases = [r for r in rehearsal.rows if r["phase"] != "worker start"]
        print(
            f"the province's work (every phase but the worker's start): "
            f"{sum(r['wall'] for r in phases):.1f} s wall, worker "
            f"{sum(r['worker_cpu'] for r in phases):.1f} s CPU; the clerks' files "
            f"{rehearsal.files_s:.1f} s and the checks {rehearsal.checks_s:.1f} s apart",
            flush=True,
        )
        print(
            f"total: {wall:.1f} s wall, this process {time.process_time() - total_cpu:.1f} s CPU, "
            f"worker {worker_cpu(worker.pid):.1f} s CPU; load average {load[0]:.2f} "
            f"{load[1]:.2f} {load[2]:.2f}; checks "
            f"{'all OK' if not rehearsal.failures else 'FAILED: ' + ', '.join(rehearsal.failures)}",
            flush=True,
        )
        return 1 if rehearsal.failures else 0
    finally:
        if rehearsal is not None and rehearsal.browsing is not None:
            rehearsal.browsing.close()
        if worker is not None:
            stop_worker(worker)
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept: {url} (uploads and the worker's log in {workdir})")
        else:
            remove()
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
