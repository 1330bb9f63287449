"""The CI stand-in for systemctl (scripts/ci-recipe/systemctl) on a loaded machine.

Stop 54's CI failed in the recipe's "services" block with "systemctl (CI): kpi-web.service
exited" and an empty unit log: the stand-in asked whether the unit's process group was alive
before the supervisor's ``setsid`` had made that group, which on a busy machine can come first.
A ``setsid`` that takes a second to start (a wrapper first on PATH) makes that moment certain
here, so the test does not depend on the machine's load.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SYSTEMCTL = ROOT / "scripts" / "ci-recipe" / "systemctl"

pytestmark = pytest.mark.skipif(not Path("/usr/bin/setsid").exists(), reason="util-linux setsid")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def systemd(tmp_path):
    units, state, logs, bin_dir = (tmp_path / name for name in ("units", "state", "logs", "bin"))
    for folder in (units, state, logs, bin_dir):
        folder.mkdir()
    slow_setsid = bin_dir / "setsid"
    slow_setsid.write_text('#!/bin/sh\nsleep 1\nexec /usr/bin/setsid "$@"\n')
    slow_setsid.chmod(slow_setsid.stat().st_mode | stat.S_IXUSR)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "CI_SYSTEMD_UNITS": str(units),
        "CI_SYSTEMD_STATE": str(state),
        "CI_SYSTEMD_LOGS": str(logs),
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            ["bash", str(SYSTEMCTL), *args],  # noqa: S607
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    started: list[str] = []
    yield units, run, started
    for unit in started:
        run("stop", unit)


def _unit(units: Path, name: str, exec_start: str, restart: str) -> None:
    (units / f"{name}.service").write_text(
        textwrap.dedent(
            f"""\
            [Service]
            Type=notify
            ExecStart={exec_start}
            Restart={restart}
            RestartSec=1
            TimeoutStopSec=5
            """
        )
    )


def test_a_service_is_waited_for_even_when_its_group_is_made_late(systemd, tmp_path):
    units, run, started = systemd
    port = _free_port()
    server = tmp_path / "serve.py"
    server.write_text(
        "import socket, sys, time\n"
        "host, port = sys.argv[sys.argv.index('--bind') + 1].split(':')\n"
        "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
        "s.bind((host, int(port))); s.listen()\n"
        "while True: time.sleep(1)\n"
    )
    _unit(units, "web", f"{sys.executable} {server} --bind 127.0.0.1:{port}", "on-failure")
    started.append("web")

    result = run("start", "web")

    assert result.returncode == 0, result.stderr
    assert "exited" not in result.stderr
    assert _answers(port)
    assert run("is-active", "web").stdout.strip() == "active"
    run("stop", "web")
    assert run("is-active", "web").stdout.strip() == "inactive"
    assert not _answers(port)


def test_a_service_that_ends_before_it_listens_is_still_reported(systemd):
    units, run, started = systemd
    port = _free_port()
    _unit(units, "gone", f"/bin/sh -c true --bind 127.0.0.1:{port}", "no")
    started.append("gone")

    result = run("start", "gone")

    assert result.returncode == 1
    assert "systemctl (CI): gone.service exited" in result.stderr
    assert "gone.service exited with status 0" in result.stderr
