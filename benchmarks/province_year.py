"""Rehearsal: a province's months driven through the real doors with the background worker running.

Builds the demo province (``demo.loader.load_demo``: agencies, units, blocs, công chức, viên chức
and contract workers, catalogs and frameworks of every kind the seeds provide, sign-ins) in a
SEPARATE, throwaway database — a temporary SQLite file by default, or a fresh database on the
PostgreSQL server given with ``--database-url`` / ``DATABASE_URL`` (``score_batch.create_database``)
— grows it to ``--people`` by copying the demo's evaluated people's postings (same agencies,
units, positions, categories), starts ``manage.py db_worker`` (the project's worker of the
database queue, django-tasks-db) as a separate process, and drives ``--months`` months from
April 2026 (the demo holds January to March) through the doors a province uses:

* ``results``: each catalog-owning agency's monthly Excel file — the template downloaded from
  the importer's template door, filled with openpyxl as a clerk fills it, uploaded, validated by
  the worker, previewed, confirmed, committed by the worker (which then re-scores);
* ``api``: an integration system's bulk write of assignment lines
  (``POST /api/v1/integration/assignment-lines/bulk/``, token of the whole province);
* ``form01``: each agency's Form 01 general-criteria marks, the ``general_marks`` Excel
  template (prefilled with every person's criteria) filled with the evaluator's marks and sent
  through the same upload → preview → confirm doors;
* ``close``: Sở Nội vụ's guided close of the month (``dashboards_period_close``), whose final
  scoring runs on the worker.

The web doors are called in this process through Django's test client, signed in as the
demo's Sở Nội vụ (``sonoivu``), and the API through DRF's test client with an integration
token: the same URLs, views, forms and services as behind gunicorn, without the HTTP transport.
The background work runs only in the separate worker. Agencies inside another catalog owner's
subtree send their lines through the API (an Excel submission replaces every Excel line of its
subtree). Not driven yet: worklog reviews, complaints, the document feed, quarters, the
six-month step, the annual rating season and the national export (docs/operations.md §10).

Every phase prints wall time, the CPU time of this process and of the worker, the queue's
deepest point (ready + running tasks, the worker's own periodic sweep not counted) and how long
the queue took to drain after the phase's last request. At every month's end a consistency
check: the month's stored period scores equal a from-scratch recomputation
(``scoring.services.score_period`` after deleting them, inside a transaction rolled back
afterwards; digests as ``benchmarks/month_digest.py`` computes them), so do the year's annual
scores and ratings with the quota (``scoring.services.score_year``), and nothing is stuck: no
task RUNNING or FAILED, no import job left unfinished or failed, no scoring run owed. A failed
check ends the rehearsal with exit status 1.

    .venv/bin/python benchmarks/province_year.py --people 500 --months 3
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
        "timeout": 120,
    }
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--lines", type=int, default=3, help="assignment lines per person a month")
    parser.add_argument("--api-lines", type=int, default=500, help="lines of the API write")
    parser.add_argument("--seed", type=int, default=335)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args(argv)


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

    def phase(self, name: str, body):
        """Run ``body`` (the requests), then wait for the queue to drain; one printed row."""
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
        }
        self.rows.append(row)
        print(
            f"  {name:<16} wall {row['wall']:7.2f} s  cpu {row['cpu']:6.2f} s  worker cpu "
            f"{row['worker_cpu']:6.2f} s  queue deepest {row['deepest']:4d}  drained in "
            f"{row['drain']:6.2f} s  {row['note']}",
            flush=True,
        )
        return result


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


class Doors:
    def __init__(self, worker):
        from rest_framework.test import APIClient

        from django.test import Client

        from accounts.models import User
        from api.models import IntegrationSystem, IntegrationToken
        from org.models import Agency

        self.worker = worker
        self.web = Client()
        self.sonoivu = User.objects.get(username="sonoivu")
        self.web.force_login(self.sonoivu)
        system = IntegrationSystem.objects.create(name="Diễn tập — phần mềm quản lý văn bản")
        system.agencies.set(Agency.objects.filter(parent__isnull=True))
        _row, token = IntegrationToken.issue(system)
        self.api = APIClient()
        self.api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    def template(self, kind: str, agency, period) -> bytes:
        from django.urls import reverse

        response = self.web.get(
            reverse("importers_template"),
            {"tpl-kind": kind, "tpl-agency": agency.pk, "tpl-period": period.pk},
        )
        if response.status_code != 200 or response["Content-Type"] != XLSX:
            raise SystemExit(f"template {kind} {agency.code}: HTTP {response.status_code}")
        return response.content

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
    """Each agency's general-criteria template, every criterion marked by the evaluator (the
    leaders' đ/e rows and the competency rows left as they are: a blank keeps what is there,
    and a competency's level is the evaluator's alone, never a self-mark)."""
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
            response = doors.api.post(
                "/api/v1/integration/assignment-lines/bulk/",
                data=json.dumps({"items": items[start : start + max_items()]}),
                content_type="application/json",
            )
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
    return rows, rows.delete, lambda: score_period(period, force=True)


def year_scores(year: int):
    from scoring.models import AnnualScore
    from scoring.services import score_year

    # Rating cases hold on to their annual score (PROTECT): the rows stay, their sources
    # fingerprints are emptied, so every person's year is computed again from the period
    # scores (what ``score_batch.py --only-annual`` measures as "fingerprints emptied").
    rows = AnnualScore.objects.filter(year=year)
    return rows, lambda: rows.update(sources_hash=""), lambda: score_year(year)


def stuck() -> list[str]:
    from django_tasks_db.models import DBTaskResult

    from importers.models import ImportJob, ImportStatus
    from scoring.models import StaleFigure

    problems = []
    tasks = DBTaskResult.objects.exclude(task_path__endswith=SWEEP)
    for status in ("RUNNING", "FAILED", "READY"):
        n = tasks.filter(status=status).count()
        if n:
            problems.append(f"{n} task(s) {status}")
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
    print(
        f"  check {period.code}: {figures}; "
        f"{'nothing stuck' if not problems else '; '.join(problems)} "
        f"[{time.perf_counter() - started:.2f} s, cpu {time.process_time() - cpu:.2f} s] "
        f"{'OK' if ok else 'FAILED'}",
        flush=True,
    )
    if not ok:
        rehearsal.failures.append(period.code)
    return ok


# --------------------------------------------------------------------------- main


def start_worker(env) -> subprocess.Popen:
    command = [
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
    args = parse_args(argv)
    rng = random.Random(args.seed)
    url, remove = create_database(args.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="kpi-rehearsal-"))
    (workdir / "kpi_rehearsal_settings.py").write_text(textwrap.dedent(SETTINGS))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "kpi_rehearsal_settings",
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
        "KPI_REHEARSAL_DIR": str(workdir),  # the worker's log: worker.log
    }
    os.environ.update(
        {k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "KPI_REHEARSAL_DIR")}
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
    print(
        f"rehearsal: {args.people:,} people, {args.months} month(s), {connection.vendor}; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        flush=True,
    )
    worker = None
    total, total_cpu = time.perf_counter(), time.process_time()
    try:
        built = build(args.people, args.seed)
        from org.models import Posting

        print(
            f"built: demo {built['demo_s']:.1f} s, +{built['added']:,} people in "
            f"{built['grow_s']:.1f} s ({Posting.objects.count():,} postings)",
            flush=True,
        )
        worker = start_worker(env)
        rehearsal = Rehearsal(args, worker)
        rehearsal.phase("worker start", lambda: "")
        doors = Doors(worker)
        from scoring.models import Period, PeriodKind

        for m in range(args.months):
            first = datetime.date(FIRST_MONTH.year + (FIRST_MONTH.month - 1 + m) // 12,
                                  (FIRST_MONTH.month - 1 + m) % 12 + 1, 1)  # fmt: skip
            period = Period.for_date(first, PeriodKind.MONTH, create=True)
            province = owners_and_people(period)
            people = sum(len(p) for p, _c in province.values())
            print(f"month {period.code}: {len(province)} agencies, {people:,} people", flush=True)
            rehearsal.phase(
                "results",
                lambda period=period, province=province: doors.import_files(
                    "results", results_files(doors, period, province, args.lines, rng)
                ),
            )
            rehearsal.phase(
                "api",
                lambda period=period, province=province: api_write(
                    doors, period, province, args.lines, args.api_lines, rng
                ),
            )
            rehearsal.phase(
                "form01",
                lambda period=period, province=province: doors.import_files(
                    "general_marks", form01_files(doors, period, province, rng)
                ),
            )
            rehearsal.phase("close", lambda period=period: close_month(doors, period))
            check(rehearsal, period)
        wall = time.perf_counter() - total
        load = os.getloadavg()
        print(
            f"total: {wall:.1f} s wall, this process {time.process_time() - total_cpu:.1f} s CPU, "
            f"worker {worker_cpu(worker.pid):.1f} s CPU; load average {load[0]:.2f} "
            f"{load[1]:.2f} {load[2]:.2f}; checks "
            f"{'all OK' if not rehearsal.failures else 'FAILED: ' + ', '.join(rehearsal.failures)}",
            flush=True,
        )
        return 1 if rehearsal.failures else 0
    finally:
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
