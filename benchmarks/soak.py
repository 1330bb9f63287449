"""Soak: a bounded run of mixed API and page traffic against gunicorn on 127.0.0.1.

Builds the demo province (scored months, an integration token for the whole province) in a
SEPARATE, throwaway database exactly like ``benchmarks/api_load.py`` — a temporary SQLite file
by default, or a fresh database on the PostgreSQL server given with ``--database-url`` /
``DATABASE_URL`` — starts ``gunicorn cms.wsgi`` with production settings (2 sync workers,
recycled with ``kpi-web.service``'s own ``--max-requests``; until 26/11/2026 the soaks ran
without it, so the tables of docs/operations.md §10 before that date show a leak if there was
one; ``KPI_TRACE_MEMORY=<file>`` shows the worker's Python objects) and runs ``--minutes`` (10)
of traffic at the target
rate: ``--clients`` (100) clients, each waiting a random think time (exponential, mean
``--think`` = 1 s) between its requests, about 100 requests/s offered. Each request is drawn:

* 65 % score lookups ``GET /api/v1/period-scores/?civil_servant=…&period=…`` (token);
* 10 % aggregates ``GET /api/v1/aggregates/{agencies,province}/?period=…`` (token);
* 15 % public pages: the transparency overview and an agency's page (anonymous);
* 10 % admin pages signed in as Sở Nội vụ (``sonoivu``): the dashboard and the people list;

and, with ``--writes`` (a share, default 0.10; 0 for reads only), that share of the requests are
WRITES instead: one new assignment line each through the API's bulk door
(``POST /api/v1/integration/assignment-lines/bulk/``), each queueing a rescoring run that a
``manage.py db_worker`` started beside gunicorn (the production queue) carries out: with
``kpi-worker.service``'s own arguments (``--max-tasks``) and started again whenever it exits, as
``Restart=always`` does. The worker's memory is reported with gunicorn's, and the queue must be
drained at the end.

Every ``--sample`` (30) seconds it prints one row: requests, errors, p50/p95 latency of the
window, and the resident memory (RSS, from ``/proc``) of the gunicorn master and each worker.
At the end: the error rate, p95 over the whole run and its worst window, and each process's
memory at the first full window and at the end (growth in MiB and %).

    .venv/bin/python benchmarks/soak.py
    .venv/bin/python benchmarks/soak.py --minutes 2 --sample 10
    DATABASE_URL=$(bash scripts/postgres-up.sh | tail -1) .venv/bin/python benchmarks/soak.py

Loopback only; the standard library's ``http.client`` and threads are the clients.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_load import HOST, ROOT, build, percentile, start_server, stop_server
from score_batch import create_database


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--think", type=float, default=1.0, help="mean think time, seconds")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--sample", type=float, default=30.0, help="seconds per report row")
    parser.add_argument(
        "--writes", type=float, default=0.10, help="share of requests that write (0 = none)"
    )
    return parser.parse_args()


def public_targets() -> tuple[list[str], list[str]]:
    """Public page paths (overview, agency pages) and admin paths, read from the built demo."""
    from dashboards.models import TransparencyIndexPage
    from org.models import Agency

    index = TransparencyIndexPage.objects.live().first()
    public = []
    if index is not None:
        base = urllib.parse.urlsplit(index.url or "/").path
        public.append(base)
        for agency in Agency.objects.filter(kind__in=["department", "commune"]).order_by("code")[
            :5
        ]:
            public.append(f"{base}co-quan/{agency.code.lower()}/")
    admin = ["/admin/", "/admin/snippets/org/civilservant/", "/admin/snippets/scoring/periodscore/"]
    return public, admin


def _cookies_of(response, cookies: dict) -> None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";", 1)[0]


def _second_factor(port: int, cookies: dict, otp_key: str) -> None:
    """Production settings ask Sở Nội vụ for a second factor (TOTP, accounts.otp_views) after
    the password: answer it with the current code of the device the benchmark enrolled."""
    from django_otp.oath import TOTP

    totp = TOTP(bytes.fromhex(otp_key))
    form = urllib.parse.urlencode(
        {
            "token": f"{totp.token():06d}",
            "csrfmiddlewaretoken": cookies.get("csrftoken", ""),
            "next": "/admin/",
        }
    )
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request(
        "POST",
        "/tai-khoan/xac-thuc/?next=/admin/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Referer": f"http://{HOST}:{port}/tai-khoan/xac-thuc/",
        },
    )
    response = conn.getresponse()
    response.read()
    _cookies_of(response, cookies)
    conn.close()
    if response.status != 302:
        raise SystemExit(f"second factor refused: HTTP {response.status}")


def sign_in(port: int, username: str, password: str, otp_key: str = "") -> str:
    """The ``Cookie`` header of a signed-in admin session (second factor answered when the
    server asks for it); the admin home page must then answer 200."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/admin/login/")
    response = conn.getresponse()
    body = response.read().decode()
    cookies = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = urllib.parse.urlencode(
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token,
            "next": "/admin/",
        }
    )
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    conn.request(
        "POST",
        "/admin/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"http://{HOST}:{port}/admin/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";", 1)[0]
    conn.close()
    if response.status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"sign-in as {username} failed: HTTP {response.status}")
    if otp_key:
        _second_factor(port, cookies, otp_key)
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/admin/", headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:  # e.g. sent to the second factor's page: every request would fail
        raise SystemExit(
            f"signed in as {username}, but /admin/ answers HTTP {response.status} "
            f"→ {response.getheader('Location')}"
        )
    return cookie


def rss_mib(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as stream:
            for line in stream:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return sorted(int(value) for value in text.split())


class Window:
    """Latencies and errors since the last report row (thread-safe)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.all_latencies: list[float] = []
        self.all_errors = 0
        self.kinds: dict[str, int] = {}
        self.by_kind: dict[str, list[float]] = {}

    def add(self, elapsed: float | None, error: str | None, kind: str = ""):
        with self.lock:
            if elapsed is not None:
                self.latencies.append(elapsed)
                self.all_latencies.append(elapsed)
                self.by_kind.setdefault(kind, []).append(elapsed)
            if error is not None:
                self.errors.append(error)
                self.all_errors += 1
                kind = error.split("?")[0]
                self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def take(self) -> tuple[list[float], list[str]]:
        with self.lock:
            taken = self.latencies, self.errors
            self.latencies, self.errors = [], []
            return taken


def production_sign_in(username: str, device_name: str):
    """Make ``username`` able to sign in to a server running production settings: the demo's
    password hashed with Django's default hasher (the demo is built under the test settings,
    fast MD5 hashes, which production does not accept) and one confirmed TOTP device for the
    second factor, its code computed at each sign-in (:func:`sign_in`). Returns the device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from demo.loader import DEMO_PASSWORD

    users = get_user_model().objects
    hasher = PBKDF2PasswordHasher()
    users.filter(username=username).update(password=hasher.encode(DEMO_PASSWORD, hasher.salt()))
    device, _created = TOTPDevice.objects.get_or_create(
        user=users.get(username=username), name=device_name, defaults={"confirmed": True}
    )
    return device


def web_recycling() -> list[str]:
    """``kpi-web.service``'s own recycling of gunicorn's workers (``--max-requests`` and its
    jitter, with their values), for a benchmark's gunicorn to run as production does."""
    web = unit_arguments("kpi-web.service", "cms.wsgi")
    return [
        w
        for i, w in enumerate(web)
        if w.startswith("--max-requests") or (i and web[i - 1].startswith("--max-requests"))
    ]


def unit_arguments(unit: str, after: str) -> list[str]:
    """The arguments after ``after`` on the ``ExecStart`` line of ``deploy/systemd/<unit>``:
    the soak runs the worker and gunicorn with production's own options."""
    for line in (ROOT / "deploy" / "systemd" / unit).read_text().splitlines():
        if line.startswith("ExecStart="):
            words = line.split()
            return words[words.index(after) + 1 :]
    raise SystemExit(f"no ExecStart in deploy/systemd/{unit}")


def start_worker(url: str, workdir: Path, arguments=("--interval", "1")) -> subprocess.Popen:
    """``manage.py db_worker`` with the server's settings (written by ``start_server``)."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "kpi_api_bench_settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
    }
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), "db_worker", *arguments],
        cwd=ROOT,
        env=env,
        stdout=(workdir / "worker.log").open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


class SupervisedWorker:
    """The worker as ``kpi-worker.service`` runs it: the unit's own arguments (``--max-tasks``
    included: the worker ends itself after that many tasks) and started again whenever it
    exits, after the unit's ``RestartSec`` (``Restart=always``)."""

    def __init__(self, url: str, workdir: Path):
        self.url, self.workdir = url, workdir
        self.arguments = unit_arguments("kpi-worker.service", "db_worker")
        unit = (ROOT / "deploy" / "systemd" / "kpi-worker.service").read_text()
        found = re.search(r"^RestartSec=(\d+)", unit, re.M)
        self.restart_sec = float(found.group(1)) if found else 5.0
        self.restarts = 0
        self.process = start_worker(url, workdir, self.arguments)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            if self.process.poll() is not None:
                if self._stop.wait(self.restart_sec):
                    return
                self.restarts += 1
                self.process = start_worker(self.url, self.workdir, self.arguments)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        stop_server(self.process)


def queue_left() -> int:
    """Tasks still due in the database queue (the worker's own minute sweep left out)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult"
            " WHERE status IN ('READY', 'RUNNING') AND task_path NOT LIKE '%%sweep_task'"
        )
        return cursor.fetchone()[0]


def main():
    args = parse_args()
    url, drop = create_database(args.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="kpi-soak-"))
    process = None
    worker = None
    try:
        print(
            f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
            f"{os.getloadavg()[0]:.2f}; database {url.split('://')[0]}",
            flush=True,
        )
        data = build(url)
        public, admin = public_targets()
        from demo.loader import DEMO_PASSWORD

        device = production_sign_in("sonoivu", "soak")

        # gunicorn with the unit's recycling (--max-requests and its jitter), as in production.
        process, port, _access_log = start_server(url, workdir, args.workers, web_recycling())
        cookie = sign_in(port, "sonoivu", DEMO_PASSWORD, otp_key=device.key)
        token, period, people = data["token"], data["period"], data["people"]
        if args.writes > 0:
            worker = SupervisedWorker(url, workdir)
        written = iter(range(10**9))
        write_lock = threading.Lock()
        print(
            f"demo province: {len(people)} people scored in {period}; gunicorn cms.wsgi on "
            f"{HOST}:{port}, {args.workers} sync workers; {args.clients} clients, think "
            f"{args.think:g} s, {args.minutes:g} min; public pages {len(public)}, "
            f"admin pages {len(admin)}",
            flush=True,
        )

        def write(rng: random.Random) -> tuple[str, str, dict, bytes | None, str]:
            with write_lock:
                n = next(written)
            item = {
                "external_id": f"SOAK-{n}",
                "agency": data["agency"],
                "period": period,
                "official_id": rng.choice(data["members"]),
                "product_code": rng.choice(data["products"]),
                "assigned": 1 + n % 4,
                "completed": 1 + n % 3,
                "deadline": "2026-03-25",
                "failed_reviews": 0,
                "delays": n % 2,
            }
            headers = {
                "Authorization": f"Token {token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            }
            body = json.dumps({"items": [item]}).encode()
            return (
                "POST",
                "/api/v1/integration/assignment-lines/bulk/",
                headers,
                body,
                "writes (API)",
            )

        def draw(rng: random.Random) -> tuple[str, str, dict, bytes | None, str]:
            if args.writes > 0 and rng.random() < args.writes:
                return write(rng)
            roll = rng.random()
            api = {"Authorization": f"Token {token}", "Accept": "application/json"}
            if roll < 0.65:
                person = rng.choice(people)
                path = f"/api/v1/period-scores/?civil_servant={person}&period={period}"
                return "GET", path, api, None, "score lookups (API)"
            if roll < 0.75:
                which = rng.choice(["agencies", "province"])
                path = f"/api/v1/aggregates/{which}/?period={period}"
                return "GET", path, api, None, "aggregates (API)"
            if roll < 0.90 and public:
                return "GET", rng.choice(public), {}, None, "public pages"
            return "GET", rng.choice(admin), {"Cookie": cookie}, None, "admin pages (Sở Nội vụ)"

        window = Window()
        deadline = time.monotonic() + args.minutes * 60
        stop = threading.Event()

        def client(seed: int):
            rng = random.Random(seed)
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            while not stop.is_set() and time.monotonic() < deadline:
                time.sleep(rng.expovariate(1 / args.think))
                method, path, headers, body, kind = draw(rng)
                started = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=60)
                    window.add(None, type(exc).__name__)
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                failed = None if response.status == 200 else f"{response.status} {path}"
                window.add(elapsed, failed, kind)
            conn.close()

        # Warm the workers (imports, template loaders, caches) outside the measurement.
        warm = random.Random(0)
        for _ in range(20):
            method, path, headers, body, _kind = draw(warm)
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            conn.request(method, path, body=body, headers=headers)
            conn.getresponse().read()
            conn.close()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()

        def processes() -> list[int]:
            """gunicorn's master, its workers (recycled by --max-requests), the db_worker."""
            found = [process.pid, *children(process.pid)]
            return found + ([worker.pid] if worker is not None else [])

        names = ["master"] + [f"worker {i + 1}" for i in range(len(processes()) - 1)]
        if worker is not None:
            names[-1] = "db_worker"
        print(
            f"{'t (s)':>6} {'req':>6} {'req/s':>6} {'err':>4} {'p50 ms':>7} {'p95 ms':>7}  "
            + "  ".join(f"{n + ' MiB':>14}" for n in names),
            flush=True,
        )
        rows = []
        while time.monotonic() < deadline:
            time.sleep(min(args.sample, max(0.0, deadline - time.monotonic())))
            latencies, errors = window.take()
            memory = [rss_mib(pid) or 0.0 for pid in processes()]
            elapsed = time.monotonic() - started
            p50 = percentile(latencies, 50) if latencies else 0.0
            p95 = percentile(latencies, 95) if latencies else 0.0
            rows.append((elapsed, len(latencies), len(errors), p95, memory))
            print(
                f"{elapsed:6.0f} {len(latencies):6d} {len(latencies) / args.sample:6.1f} "
                f"{len(errors):4d} {p50:7.1f} {p95:7.1f}  "
                + "  ".join(f"{m:14.1f}" for m in memory),
                flush=True,
            )
        stop.set()
        for thread in threads:
            thread.join()
        total = len(window.all_latencies) + window.all_errors
        print(
            f"total: {total:,} requests in {time.monotonic() - started:.0f} s, "
            f"{window.all_errors} errors ({100 * window.all_errors / max(total, 1):.3f} %), "
            f"p95 {percentile(window.all_latencies, 95):.1f} ms overall, worst window p95 "
            f"{max(r[3] for r in rows):.1f} ms"
        )
        for kind, values in sorted(window.by_kind.items()):
            print(
                f"  {kind:<26} {len(values):>7,} requests, p50 {percentile(values, 50):6.1f} ms, "
                f"p95 {percentile(values, 95):6.1f} ms"
            )
        if worker is not None:
            drained = time.monotonic()
            while queue_left() and time.monotonic() - drained < 600:
                time.sleep(2)
            print(
                f"  db_worker: {next(written):,} lines written; queue drained "
                f"{time.monotonic() - drained:.0f} s after the load ({queue_left()} tasks left);"
                f" started again {worker.restarts} times ({' '.join(worker.arguments)})"
            )
        for kind, count in sorted(window.kinds.items(), key=lambda item: -item[1])[:10]:
            print(f"  error: {kind} × {count}")
        if len(rows) >= 2:
            first, last = rows[0][4], rows[-1][4]
            for name, before, after in zip(names, first, last, strict=False):
                growth = after - before
                print(
                    f"  {name}: {before:.1f} MiB after the first window → {after:.1f} MiB at "
                    f"the end ({growth:+.1f} MiB, {100 * growth / max(before, 1):+.1f} %)"
                )
    finally:
        if worker is not None:
            worker.stop()
        if process is not None:
            stop_server(process)
        drop()


if __name__ == "__main__":
    main()
