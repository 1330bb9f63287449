"""The deployment files (deploy/) agree with the settings, the README and each other.

The files themselves run for real in scripts/ci-production.sh (nginx, gunicorn and db_worker
started from them); these checks are the fast part that belongs in every test run: a new
environment variable must reach the example environment file, the services must read that file,
and nginx must never serve uploaded files.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ENV_EXAMPLE = DEPLOY / "kpi.env.example"
SYSTEMD = DEPLOY / "systemd"
NGINX = DEPLOY / "nginx" / "kpi.conf"
ENV_FILE = "/etc/kpi-cong-vu/kpi.env"
CHECKOUT = "/srv/kpi-cong-vu"

READS = re.compile(
    r"""(?:os\.environ\.get|os\.getenv|env_bool|env_list|env_int|environ\.get)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""
)


def example_text() -> str:
    return ENV_EXAMPLE.read_text(encoding="utf-8")


def example_values() -> dict[str, str]:
    values = {}
    for line in example_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def variables_read_by_the_code() -> set[str]:
    names = set()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).parts
        if relative[0] in {".venv", "tests", "benchmarks", "scripts"} or "migrations" in relative:
            continue
        for match in READS.finditer(path.read_text(encoding="utf-8")):
            names.add(match.group(1) or match.group(2))
    return names


def variables_in_readme() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
    return names


def unit(name: str) -> dict[str, list[str]]:
    """Key → values of a systemd unit file (keys may repeat)."""
    entries: dict[str, list[str]] = {}
    for line in (SYSTEMD / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            entries.setdefault(key.strip(), []).append(value.strip())
    return entries


def test_the_example_names_every_variable_of_the_readme_and_the_code():
    text = example_text()
    expected = variables_in_readme() | variables_read_by_the_code()
    assert "DJANGO_SECRET_KEY" in expected and "DATABASE_URL" in expected  # the scan works
    missing = sorted(name for name in expected if not re.search(rf"\b{name}\b", text))
    assert not missing, f"add these to deploy/kpi.env.example (and README): {missing}"


def test_the_readme_table_is_in_the_example_as_settings_not_only_comments():
    values = example_values()
    commented = {"KPI_ADMIN_PASSWORD"}  # set only for the one run of ensure_admin
    missing = sorted(variables_in_readme() - set(values) - commented)
    assert not missing, missing


def test_the_example_is_read_alike_by_systemd_and_by_a_shell():
    for number, line in enumerate(example_text().splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*=[^\s\"'$`\\]*", line), f"line {number}: {line}"


def test_the_example_cannot_start_production_as_it_is():
    """No usable secret ships in the example: production refuses an empty one."""
    values = example_values()
    assert values["DJANGO_SECRET_KEY"] == ""
    assert values["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"
    assert "CHANGE-ME" in values["DATABASE_URL"]


def test_services_read_the_environment_file_and_run_unprivileged():
    for name in (
        "kpi-web.service",
        "kpi-worker.service",
        "kpi-backup.service",
        "kpi-daily.service",
    ):
        entries = unit(name)
        assert entries["EnvironmentFile"] == [ENV_FILE], name
        assert entries["User"] == ["kpi"], name
        assert entries["WorkingDirectory"] == [CHECKOUT], name
        assert entries["ProtectSystem"] == ["strict"], name
        assert entries["NoNewPrivileges"] == ["yes"], name


def test_web_and_worker_run_the_documented_commands():
    web = unit("kpi-web.service")["ExecStart"][0].split()
    assert web[:2] == [f"{CHECKOUT}/.venv/bin/gunicorn", "cms.wsgi"]
    assert web[web.index("--bind") + 1] == "127.0.0.1:8000"
    worker = unit("kpi-worker.service")
    assert worker["ExecStart"][0].split()[:3] == [
        f"{CHECKOUT}/.venv/bin/python",
        "manage.py",
        "db_worker",
    ]
    assert worker["Restart"] == ["always"]
    # Both kinds of process are recycled, so their memory stays where it started (the soak,
    # docs/operations.md §10): gunicorn's workers after --max-requests, the worker after
    # --max-tasks (it ends itself; Restart=always starts a fresh one).
    command = worker["ExecStart"][0].split()
    assert int(command[command.index("--max-tasks") + 1]) >= 100
    assert int(web[web.index("--max-requests") + 1]) >= 100
    # A large import commit is given time to finish when the worker is stopped.
    assert int(worker["TimeoutStopSec"][0]) >= 300
    # The pages come first: the worker runs at a lower CPU priority than the web workers (the
    # rehearsal's month-end with 200 people browsing, docs/operations.md §10), and the
    # rehearsal starts its worker at the same priority.
    assert int(worker["Nice"][0]) > 0
    assert "Nice" not in unit("kpi-web.service")
    assert unit("kpi-backup.service")["ExecStart"] == [f"{CHECKOUT}/scripts/backup.sh"]
    assert "OnCalendar" in (SYSTEMD / "kpi-backup.timer").read_text(encoding="utf-8")


def test_the_daily_jobs_are_commands_of_this_project():
    from django.core.management import get_commands

    daily = unit("kpi-daily.service")["ExecStart"]
    commands = [line.split()[2] for line in daily]
    assert all(line.split()[:2] == [f"{CHECKOUT}/.venv/bin/python", "manage.py"] for line in daily)
    assert set(commands) <= set(get_commands()), commands
    assert {
        "export_national_db",
        "send_deadline_warnings",
        "send_rating_reminders",
        "send_quarterly_reminders",
    } <= set(commands)
    assert "OnCalendar" in (SYSTEMD / "kpi-daily.timer").read_text(encoding="utf-8")


def test_services_may_write_where_the_example_puts_files_and_backups():
    values = example_values()
    media = Path(values["DJANGO_MEDIA_ROOT"])
    for name in ("kpi-web.service", "kpi-worker.service", "kpi-daily.service"):
        writable = [Path(p) for p in unit(name)["ReadWritePaths"]]
        assert any(media == p or p in media.parents for p in writable), name
    backups = Path(values["KPI_BACKUP_DIR"])
    writable = [Path(p) for p in unit("kpi-backup.service")["ReadWritePaths"]]
    assert any(backups == p or p in backups.parents for p in writable)


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_units_pass_systemd_analyze():
    files = sorted(str(p) for p in SYSTEMD.iterdir())
    result = subprocess.run(  # noqa: S603
        ["systemd-analyze", "verify", *files],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # Paths of the installed system (/srv/kpi-cong-vu) do not exist on a build machine.
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "is not executable: No such file or directory" not in line
    ]
    assert not problems, problems


def nginx_locations() -> dict[str, str]:
    text = re.sub(r"#[^\n]*", "", NGINX.read_text(encoding="utf-8"))
    return {
        match.group(1): match.group(2)
        for match in re.finditer(r"location\s+([^{\s]+(?:\s+[^{\s]+)?)\s*\{([^{}]*)\}", text)
    }


def test_nginx_never_serves_uploaded_files():
    text = re.sub(r"#[^\n]*", "", NGINX.read_text(encoding="utf-8"))
    locations = nginx_locations()
    assert "return 404" in locations["/media/"]
    media = example_values()["DJANGO_MEDIA_ROOT"].rstrip("/")
    media_parent = str(Path(media).parent)
    for directive in re.findall(r"\b(?:alias|root)\s+([^;]+);", text):
        assert not directive.startswith(media_parent), directive
    # X-Accel-Redirect targets, if any, must be internal-only.
    for location, body in locations.items():
        if "alias" in body and location != "/static/":
            assert "internal;" in body, location


def test_nginx_serves_static_files_from_static_root_and_proxies_the_rest():
    from django.conf import settings

    locations = nginx_locations()
    # Production collects to DJANGO_STATIC_ROOT, outside the checkout (which nginx's www-data
    # cannot read once step 3's permissions are set: the 2026-11-25 review's M4, 403 on every
    # static file); development keeps staticfiles/ in the checkout.
    static_root = example_values()["DJANGO_STATIC_ROOT"].rstrip("/")
    assert not static_root.startswith(CHECKOUT), static_root
    assert f"alias {static_root}/;" in locations["/static/"]
    assert Path(settings.STATIC_ROOT) == ROOT / "staticfiles"
    proxy = locations["/"]
    assert "proxy_pass http://kpi_app;" in proxy
    production = (ROOT / "cms" / "settings" / "production.py").read_text(encoding="utf-8")
    assert '("HTTP_X_FORWARDED_PROTO", "https")' in production
    assert "proxy_set_header X-Forwarded-Proto https;" in proxy
    # The client cannot forge the address the throttles see: the header is overwritten.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in proxy
    assert "server 127.0.0.1:8000;" in NGINX.read_text(encoding="utf-8")


def test_nginx_accepts_the_largest_import():
    limit = re.search(r"client_max_body_size\s+(\d+)m;", NGINX.read_text(encoding="utf-8"))
    assert int(limit.group(1)) * 1024 * 1024 > int(example_values()["KPI_IMPORT_MAX_BYTES"])


@pytest.mark.parametrize(
    "script",
    [
        "scripts/backup.sh",
        "scripts/restore.sh",
        "scripts/ci-production.sh",
        "scripts/ci-recipe.sh",
        "scripts/ci-recipe/systemctl",
        "scripts/ci-recipe/timedatectl",
        "scripts/ci-recipe/editor",
        "deploy/kpi-manage",
    ],
    ids=lambda name: name,
)
def test_operations_scripts_parse(script):
    result = subprocess.run(  # noqa: S603
        ["bash", "-n", str(ROOT / script)],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr


OPERATIONS = ROOT / "docs" / "operations.md"


def test_the_recipe_keeps_the_checkout_private_and_static_files_readable():
    """Step 3 closes the checkout to others; step 2 makes the static folder nginx reads."""
    recipe = OPERATIONS.read_text(encoding="utf-8")
    assert "chmod -R o-rwx /srv/kpi-cong-vu" in recipe
    static_root = example_values()["DJANGO_STATIC_ROOT"]
    assert f"-m 755 /var/www/kpi-cong-vu {static_root}" in recipe


@pytest.mark.parametrize("timer", ["kpi-daily.timer", "kpi-backup.timer"])
def test_timers_fire_in_vietnam_time_whatever_the_servers_zone(timer):
    """The 2026-11-25 review's L4: on a UTC server "00:30" was 07:30 in Vietnam."""
    calendar = re.search(r"^OnCalendar=(.+)$", (SYSTEMD / timer).read_text(), re.M).group(1)
    assert calendar.endswith(" Asia/Ho_Chi_Minh"), calendar
    if shutil.which("systemd-analyze"):
        result = subprocess.run(  # noqa: S603
            ["systemd-analyze", "calendar", calendar],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    assert "timedatectl set-timezone Asia/Ho_Chi_Minh" in OPERATIONS.read_text(encoding="utf-8")


def test_the_restore_example_creates_the_database_as_postgres_first():
    """The 2026-11-25 review's L5: the example failed with "permission denied to create
    database" (the step-4 user has no CREATEDB) and ANALYZE printed 48 warnings."""
    recipe = OPERATIONS.read_text(encoding="utf-8")
    example = recipe[recipe.index("## 5. Restore") :]
    created = example.index("sudo -u postgres createdb --owner kpi")
    assert created < example.index('scripts/restore.sh "$B"')
    restore = (ROOT / "scripts" / "restore.sh").read_text(encoding="utf-8")
    assert '-c "ANALYZE"' not in restore
    assert "tableowner = current_user" in restore


def test_the_recipe_blocks_are_extracted_verbatim_and_each_step_has_one():
    """Issue 47: scripts/ci-recipe.sh runs these blocks as written on a fresh Debian 12 root;
    every shell block of §2's steps, the upgrade and the restore belongs to the recipe, and the
    extractor changes nothing but a list item's indentation."""
    from scripts.recipe import blocks

    text = OPERATIONS.read_text(encoding="utf-8")
    found = blocks(text)
    assert list(found) == [
        "packages", "user", "code", "database", "environment", "schema",
        "nginx", "services", "first-backup", "upgrade", "restore",
    ]  # fmt: skip
    for name, body in found.items():
        for line in body.splitlines():
            assert line == "" or f"   {line}" in text or line in text, (name, line)
    # What an operator can paste: no prompt for a password, no unknown placeholder.
    everything = "".join(found.values())
    assert "--pwprompt" not in everything
    assert set(re.findall(r"<[a-z][a-z ]*>", everything)) == {
        "<release>",
        "<repository>",
        "<new release>",
        "<a long password>",
    }
    # The restore runs as the application's role, into a database created by postgres first.
    assert "sudo -u postgres createdb --owner kpi" in found["restore"]
    assert "${DATABASE_URL%/*}" in found["restore"]
    # A release that changes gunicorn's command is restarted, not only reloaded.
    assert "systemctl restart kpi-web" in found["upgrade"]
    assert "systemctl daemon-reload" in found["upgrade"]


def test_long_request_lines_are_refused_by_nginx_in_the_apis_error_shape():
    """Reliability review §5: gunicorn's HTML 414 for request lines over 4,094 bytes was an
    undocumented answer. nginx refuses first (its 8 KiB buffer) with the API's JSON error, and
    gunicorn's own limits are lifted so its HTML never reaches a client."""
    import json

    conf = NGINX.read_text(encoding="utf-8")
    # A URI, not a named location: a request line nginx could not parse has no URI to carry.
    assert "error_page 414 /_errors/414.json;" in conf
    body = re.search(r"return 414 '(.+)';", conf).group(1)
    error = json.loads(body)["error"]
    assert error["code"] == "uri_too_long" and error["fields"] == {}
    assert "quá dài" in error["message"]
    # nginx's own 405 (TRACE) says which methods exist, in the same shape.
    assert "error_page 405 /_errors/405.json;" in conf
    assert 'add_header Allow "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" always;' in conf
    assert json.loads(re.search(r"return 405 '(.+)';", conf).group(1))["error"]["fields"] == {}
    settings = (DEPLOY / "gunicorn.conf.py").read_text(encoding="utf-8")
    for line in ("limit_request_line = 0", "limit_request_field_size = 0"):
        assert line in settings
