"""Benchmark: the open API under load, served by gunicorn on 127.0.0.1 (loopback only).

Builds the demo province (``load_demo`` + the scored months of ``load_scoring_demo``) in a
SEPARATE, throwaway database — a temporary SQLite file by default (WAL mode), or a fresh
database on a PostgreSQL server given with ``--database-url``/``DATABASE_URL`` — issues an
integration token for the whole province, starts ``gunicorn cms.wsgi`` (2 sync workers by
default, production settings plus a small override module: the throwaway database, a high
per-token rate so the load is not throttled) and runs BOUNDED phases, each with a fixed request
count and a time limit:

1. score lookups — ``GET /api/v1/period-scores/?civil_servant=…&period=…`` for random people,
   by ``--clients`` (100) concurrent clients, each connected and waiting a random think time
   (exponential, mean ``--think`` = 1 s) between its requests: about 100 requests/s offered,
   the load the target is measured at. The same 100 clients then with half the think time
   (≈ 200 req/s), then with none (saturation: every client fires again the moment it has its
   answer, so latency is clients ÷ capacity — this measures capacity, not response time), then
   as many clients as workers with no think time (server latency without queueing), and the
   floor in the same run: ``GET /healthz`` (same server and middleware, one ``SELECT 1``) by
   as many clients as workers, so the lookup's server time is printed as a multiple of it;
2. aggregate reads — ``/api/v1/aggregates/agencies/`` and ``/aggregates/province/`` by the 100
   paced clients;
3. bulk writes — ``POST /api/v1/integration/assignment-lines/bulk/`` with 5,000 lines:
   all new, re-sent unchanged, re-sent with every line changed.

For each phase it prints requests/s and client-side p50/p95/p99 latency, and the server-side
time per request from gunicorn's access log (``%(D)s``), which separates the work done per
request from the time spent waiting in the listen queue. The server is stopped and the database
removed at the end (``--keep`` keeps the database).

    .venv/bin/python benchmarks/api_load.py
    .venv/bin/python benchmarks/api_load.py --clients 100 --requests 4000
    DATABASE_URL=$(bash scripts/postgres-up.sh | tail -1) .venv/bin/python benchmarks/api_load.py

Only the standard library is used for the clients (threads + ``http.client``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
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
HOST = "127.0.0.1"
SCORE_TARGET_MS = 50
PRODUCTION_CACHES = {"default": {"BACKEND": "cms.cache.DatabaseCache", "LOCATION": "kpi_cache"}}
BULK_TARGET_S = 2.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds a client waits between requests"
    )
    parser.add_argument("--requests", type=int, default=3000, help="per read phase")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per phase")
    parser.add_argument("--bulk-lines", type=int, default=5000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    return parser.parse_args()


# --------------------------------------------------------------------------- data


def build(url: str) -> dict:
    """Migrate, load the demo province, score it, issue a token. Returns what the load needs."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    from django.core.management import call_command

    logging.disable(logging.WARNING)
    call_command("migrate", verbosity=0)
    # The server runs with production settings, whose cache lives in the database (shared by
    # the workers); migrate under the test settings made no cache table.
    from django.test.utils import override_settings

    with override_settings(CACHES=PRODUCTION_CACHES):
        call_command("createcachetable", verbosity=0)
    from demo.loader import load_demo
    from demo.scoring_demo import load_scoring_demo

    started = time.perf_counter()
    load_demo()
    scoring = load_scoring_demo()
    from django.db.models import Count

    from api.models import IntegrationSystem, IntegrationToken
    from catalog_pages.models import CatalogVersion
    from importers.kinds.people import members_of
    from org.models import Agency
    from scoring.models import Period, PeriodScore

    # Every root (the People's Committee, the Party, the Front): the whole province's people.
    roots = list(Agency.objects.filter(parent__isnull=True))
    system = IntegrationSystem.objects.create(name="Benchmark — phần mềm QLVB")
    system.agencies.set(roots)
    _row, token = IntegrationToken.issue(system)

    # The open month with stored scores: read there, and write there (it accepts inputs).
    period = (
        Period.objects.filter(status="open")
        .annotate(stored=Count("scores"))
        .filter(stored__gt=0)
        .order_by("-stored", "-start_date")
        .first()
    )
    scored = list(
        PeriodScore.objects.filter(period=period).values_list(
            "civil_servant__official_id", flat=True
        )
    )
    # The biggest agency with a catalog in force: the bulk writes go there.
    best = None
    for agency in Agency.objects.filter(depth=1):
        version = CatalogVersion.objects.in_force(agency, period.end_date)
        if version is None:
            continue
        members = members_of(agency, period.start_date, period.end_date)
        if best is None or len(members) > len(best[2]):
            best = (agency, list(version.items.values_list("code", flat=True)), members)
    agency, products, members = best
    from django.db import connections

    connections.close_all()
    return {
        "token": token,
        "period": period.code,
        "people": scored,
        "agency": agency.code,
        "products": products,
        "members": sorted(members),
        "built_s": time.perf_counter() - started,
        "scores": PeriodScore.objects.count(),
        "scoring_periods": scoring.periods,
    }


# --------------------------------------------------------------------------- server


SETTINGS = """
from cms.settings.production import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False
# No collected static files here (the API serves none): keep WhiteNoise out of the way.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]  # noqa: F405
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "root": {"handlers": [], "level": "WARNING"}}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],  # noqa: F405
        "integration": "1000000/min",
    },
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(
    url: str, workdir: Path, workers: int, extra=(), settings: str = ""
) -> tuple[subprocess.Popen, int, Path]:
    """gunicorn on a free loopback port with :data:`SETTINGS` (production's), plus ``settings``
    (more lines of Python appended to them)."""
    (workdir / "kpi_api_bench_settings.py").write_text(
        textwrap.dedent(SETTINGS) + textwrap.dedent(settings)
    )
    port = free_port()
    access_log = workdir / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "kpi_api_bench_settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),  # production refuses a weak key
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "cms.wsgi",
        # The production configuration file (kpi-web.service's --config): its request limits
        # and its post_request hook (freed memory given back, cms.memory) as in production.
        "--config",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--backlog",
        "2048",
        "--timeout",
        "120",
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        "%(m)s %(U)s %(s)s %(D)s",
        "--log-level",
        "warning",
        *extra,
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process, port, access_log
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop_server(process: subprocess.Popen) -> None:
    """Stop the gunicorn we started (its own process group: master and workers)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --------------------------------------------------------------------------- load


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run_phase(port, token, make_request, total, clients, time_limit, think=0.0):
    """``total`` requests from ``clients`` threads (stops early at ``time_limit``); each client
    waits a random think time (exponential, mean ``think`` seconds) before each request."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + time_limit
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}

    def worker(seed):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            if think > 0:
                time.sleep(rng.expovariate(1 / think))
            method, path, body = make_request(rng)
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
                with lock:
                    errors.append(type(exc).__name__)
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors.append(str(status))
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return latencies, errors, wall


def server_times(access_log: Path, since: int, prefix: str) -> list[float]:
    """Server-side milliseconds of the requests logged after byte ``since`` for a path."""
    times = []
    with access_log.open() as stream:
        stream.seek(since)
        for line in stream:
            parts = line.split()
            if len(parts) == 4 and parts[1].startswith(prefix):
                times.append(int(parts[3]) / 1000)
    return times


def report(name, latencies, errors, wall, server=None):
    if not latencies:
        print(f"{name}: no successful request ({len(errors)} errors)")
        return {}
    line = (
        f"{name}: {len(latencies)} requests in {wall:.1f} s = {len(latencies) / wall:.0f} req/s; "
        f"latency p50 {percentile(latencies, 50):.1f} ms, p95 {percentile(latencies, 95):.1f} ms, "
        f"p99 {percentile(latencies, 99):.1f} ms"
    )
    if server:
        line += (
            f"; server time p50 {percentile(server, 50):.1f} ms, "
            f"p95 {percentile(server, 95):.1f} ms"
        )
    if errors:
        line += f"; {len(errors)} errors ({', '.join(sorted(set(errors))[:5])})"
    print(line, flush=True)
    found = {"p95": percentile(latencies, 95), "rate": len(latencies) / wall}
    if server:
        found["server_p50"] = percentile(server, 50)
    return found


def main():
    args = parse_args()
    url, drop = create_database(args.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="kpi-api-bench-"))
    process = None
    try:
        print(
            f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
            f"{os.getloadavg()[0]:.2f}; database {url.split('://')[0]}",
            flush=True,
        )
        data = build(url)
        print(
            f"demo province: {len(data['people'])} people scored in {data['period']}, "
            f"{data['scores']} stored scores (built in {data['built_s']:.1f} s); bulk writes go "
            f"to {data['agency']} ({len(data['members'])} people, {len(data['products'])} "
            "products)",
            flush=True,
        )
        process, port, access_log = start_server(url, workdir, args.workers)
        print(f"gunicorn cms.wsgi on {HOST}:{port}, {args.workers} sync workers", flush=True)
        token, period = data["token"], data["period"]

        def score_lookup(r):
            person = r.choice(data["people"])
            return "GET", f"/api/v1/period-scores/?civil_servant={person}&period={period}", None

        def floor(_r):
            # The floor in the same run: the same server, middleware and token header, one
            # "SELECT 1" and a two-key JSON answer (the load balancers' health check).
            return "GET", "/healthz", None

        def aggregate(r):
            if r.random() < 0.5:
                return "GET", f"/api/v1/aggregates/agencies/?period={period}", None
            return "GET", f"/api/v1/aggregates/province/?period={period}", None

        # Warm both workers (imports, caches) outside the measurements.
        run_phase(port, token, score_lookup, 50, args.workers, 30)
        run_phase(port, token, aggregate, 20, args.workers, 30)

        results = {}
        scores, aggregates = "/api/v1/period-scores/", "/api/v1/aggregates/"
        for key, make, prefix, clients, think in (
            ("paced", score_lookup, scores, args.clients, args.think),
            ("paced ×2", score_lookup, scores, args.clients, args.think / 2),
            ("saturated", score_lookup, scores, args.clients, 0.0),
            ("unqueued", score_lookup, scores, args.workers, 0.0),
            ("floor", floor, "/healthz", args.workers, 0.0),
            ("aggregates", aggregate, aggregates, args.clients, args.think),
        ):
            since = access_log.stat().st_size
            latencies, errors, wall = run_phase(
                port, token, make, args.requests, clients, args.time_limit, think
            )
            time.sleep(0.5)  # let gunicorn flush its access log
            server = server_times(access_log, since, prefix)
            pace = f", think {think:g} s" if think else ", no think time"
            name = {"aggregates": "aggregates", "floor": "floor: /healthz"}.get(key, "score lookup")
            results[key] = report(
                f"{name} × {clients} clients{pace}", latencies, errors, wall, server
            )

        # Bulk writes: one client, 5,000 lines per request.
        members, products = data["members"], data["products"]
        versions: dict[str, str] = {}  # a change to a stored line carries its version

        def bulk_items(variant):
            return [
                {
                    **({"version": versions[f"BENCH-{i}"]} if variant and versions else {}),
                    "external_id": f"BENCH-{i}",
                    "agency": data["agency"],
                    "period": period,
                    "official_id": members[i % len(members)],
                    "product_code": products[i % len(products)],
                    "assigned": 1 + (i + variant) % 4,
                    "completed": 1 + i % 3 if variant < 2 else 1,
                    "deadline": "2026-03-25",
                    "failed_reviews": i % 2,
                    "delays": variant % 2,
                }
                for i in range(args.bulk_lines)
            ]

        bulk_times = []
        for label, variant in (("new", 0), ("unchanged", 0), ("all changed", 3)):
            body = json.dumps({"items": bulk_items(variant)}).encode()
            conn = http.client.HTTPConnection(HOST, port, timeout=120)
            started = time.perf_counter()
            conn.request(
                "POST",
                "/api/v1/integration/assignment-lines/bulk/",
                body=body,
                headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
            )
            response = conn.getresponse()
            payload = json.loads(response.read())
            elapsed = time.perf_counter() - started
            conn.close()
            if response.status != 200:
                print(f"bulk write ({label}) failed: {response.status} {str(payload)[:400]}")
                continue
            bulk_times.append(elapsed)
            versions.update({entry["external_id"]: entry["version"] for entry in payload["items"]})
            print(
                f"bulk write of {args.bulk_lines} lines ({label}): {elapsed:.2f} s "
                f"({len(body) / 1e6:.2f} MB; created {payload['created']}, updated "
                f"{payload['updated']}, unchanged {payload['unchanged']})",
                flush=True,
            )

        paced = results["paced"]
        saturated = results["saturated"]
        unqueued, bare = results["unqueued"], results["floor"]
        print("targets:")
        if unqueued.get("server_p50") and bare.get("server_p50"):
            print(
                f"  score lookup server time p50 {unqueued['server_p50']:.1f} ms = "
                f"{unqueued['server_p50'] / bare['server_p50']:.1f}× the floor's "
                f"{bare['server_p50']:.1f} ms (same server, same run)"
            )
        if paced:
            verdict = "met" if paced["p95"] <= SCORE_TARGET_MS else "NOT met"
            print(
                f"  score lookup p95 ≤ {SCORE_TARGET_MS} ms at {args.clients} concurrent clients "
                f"(think {args.think:g} s, {paced['rate']:.0f} req/s): {paced['p95']:.1f} ms — "
                f"{verdict}"
            )
        if saturated:
            print(
                f"  capacity: {saturated['rate']:.0f} score lookups/s on {args.workers} workers; "
                f"with no think time {args.clients} clients queue for "
                f"{saturated['p95']:.0f} ms (p95) ≈ clients ÷ capacity"
            )
        if bulk_times:
            worst = max(bulk_times)
            verdict = "met" if worst <= BULK_TARGET_S else "NOT met"
            print(
                f"  {args.bulk_lines}-line bulk write ≤ {BULK_TARGET_S} s: {worst:.2f} s — "
                f"{verdict}"
            )
    finally:
        if process is not None:
            stop_server(process)
            print("gunicorn stopped", flush=True)
        shutil.rmtree(workdir, ignore_errors=True)
        if args.keep:
            print(f"database kept: {url}")
        else:
            drop()


if __name__ == "__main__":
    main()
