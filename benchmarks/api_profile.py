"""CPU per API score lookup, in-process (no server, no clients: not disturbed by a loaded machine).

Builds the small province of ``tests/api/world.py`` in a throwaway SQLite file (production's
database cache, so throttling and the token generation pay what they pay in production), issues
an integration token for the whole province, then calls the WSGI application directly:

* ``GET /api/v1/period-scores/?civil_servant=…&period=…`` with the token (the lookup
  ``benchmarks/api_load.py`` measures under load), and
* ``GET /healthz`` (same middleware, one ``SELECT 1``): the floor, in the same run,

each ``--requests`` times after a warm-up, timed with ``time.process_time`` (CPU µs per
request) and, with ``--profile``, once more under ``cProfile`` (the top functions by own time).

    .venv/bin/python benchmarks/api_profile.py
    .venv/bin/python benchmarks/api_profile.py --requests 2000 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="print the cProfile top 30")
    parser.add_argument(
        "--dump",
        default="",
        help="write the bodies of lookups and lists to this folder (compare runs with diff)",
    )
    parser.add_argument(
        "--database", default="", help="keep the built database in this file and reuse it"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="the demo province of benchmarks/api_load.py (its lookups: a month's scored "
        "people, explanations of 30 lines) instead of the small world of the API tests",
    )
    return parser.parse_args()


def build_demo(path: str) -> None:
    """benchmarks/api_load.py's database (demo province, scored, a province-wide token) in
    ``path``, its token and lookups in ``path``.json — in a child process, as api_load builds
    it under the test settings before serving it."""
    import json
    import subprocess

    script = (
        "import json, sys; sys.path.insert(0, 'benchmarks'); from api_load import build; "
        f"built = build({'sqlite:///' + path!r}); "
        "people = [[person, built['period']] for person in built['people']]; "
        f"open({path + '.json'!r}, 'w').write(json.dumps("
        "{'token': built['token'], 'people': people}))"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True)  # noqa: S603
    json.loads(Path(path + ".json").read_text())


def setup(path: str, reuse: bool):
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    # As benchmarks/api_load.py's server: WAL, synchronous=NORMAL.
    settings.DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    django.setup()
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.cache.DatabaseCache",
            "LOCATION": "kpi_cache",
        }
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "integration": "1000000/min",
        },
    }
    # DRF keeps the settings it read at start-up (an app may have read them already).
    from rest_framework.settings import api_settings

    api_settings.reload()
    import logging

    from django.core.management import call_command

    logging.disable(logging.WARNING)
    if reuse:
        import json

        saved = json.loads(Path(path + ".json").read_text())
        return saved["token"], [tuple(pair) for pair in saved["people"]]
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from demo.base_data import ensure_base_data

    ensure_base_data()
    from tests.api.world import build_world

    world = build_world()
    system = world.system("Benchmark", [world.province])
    token = world.tokens[system.name]
    people = [
        (person.official_id, period.code)
        for person in world.people.values()
        for period in (world.february, world.march)
    ]
    import json

    Path(path + ".json").write_text(json.dumps({"token": token, "people": people}))
    return token, people


def environ(path: str, query: str, token: str | None):
    from django.test.client import FakePayload

    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": FakePayload(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if token:
        env["HTTP_AUTHORIZATION"] = f"Token {token}"
    return env


def call(app, env) -> bytes:
    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    body = b"".join(app(dict(env, **{"wsgi.input": io.BytesIO(b"")}), start_response))
    if not statuses[0].startswith("200"):
        raise SystemExit(f"{env['PATH_INFO']}?{env['QUERY_STRING']}: {statuses[0]} {body[:300]}")
    return body


def run(app, envs, count: int) -> float:
    """CPU µs per request over ``count`` requests cycling through ``envs``."""
    for env in envs:
        call(app, env)
    started = time.process_time()
    for index in range(count):
        call(app, envs[index % len(envs)])
    return (time.process_time() - started) / count * 1e6


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="kpi-api-profile-") as tmp:
        path = args.database or str(Path(tmp) / "db.sqlite3")
        reuse = bool(args.database) and Path(path + ".json").exists()
        if args.demo and not reuse:
            build_demo(path)
            reuse = True
        token, people = setup(path, reuse=reuse)
        from django.core.wsgi import get_wsgi_application
        from django.db import connection

        from api.models import ApiAccessLog

        app = get_wsgi_application()
        lookups = [
            environ("/api/v1/period-scores/", f"civil_servant={person}&period={period}", token)
            for person, period in people
        ]
        health = [environ("/healthz", "", None)]
        if args.dump:
            folder = Path(args.dump)
            folder.mkdir(parents=True, exist_ok=True)
            lists = [
                environ("/api/v1/period-scores/", "", token),
                environ("/api/v1/period-scores/", "page_size=2", token),
                environ("/api/v1/annual-scores/", "", token),
                environ("/api/v1/assignment-lines/", "", token),
            ]
            for index, env in enumerate(lookups + lists):
                (folder / f"{index:02d}.json").write_bytes(call(app, env))
        logs_before = ApiAccessLog.objects.count()
        from django.test.utils import CaptureQueriesContext

        call(app, lookups[0])  # the first request imports the URL configuration's modules
        with CaptureQueriesContext(connection) as queries:
            call(app, lookups[0])
        print(f"queries per lookup: {len(queries.captured_queries)}")
        for query in queries.captured_queries:
            print("   ", query["sql"][:160])
        lookup_us = run(app, lookups, args.requests)
        health_us = run(app, health, args.requests)
        logs = ApiAccessLog.objects.count() - logs_before
        print(
            f"lookup  {lookup_us:8.0f} µs CPU/request\n"
            f"healthz {health_us:8.0f} µs CPU/request (floor)\n"
            f"ratio   {lookup_us / health_us:8.2f}×\n"
            f"access-log rows written: {logs} for {args.requests + len(lookups) + 2} lookups"
        )
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for index in range(args.requests):
                call(app, lookups[index % len(lookups)])
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
            print(out.getvalue())
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
            print(out.getvalue())


if __name__ == "__main__":
    main()
