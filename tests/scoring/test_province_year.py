"""The rehearsal (``benchmarks/province_year.py``, issue 48) at a small size, as a correctness
check: 500 people, three months through the real doors (the results and Form 01 Excel files
through upload → preview → confirm, the API's bulk write, the guided close) with a real
``db_worker`` process running the database queue; every month's stored period scores equal a
from-scratch recomputation, so do the year's annual scores, and nothing is left stuck.

The rehearsal makes its own throwaway SQLite database and its own worker, so this test touches
neither the suite's database nor its settings: it runs the script as an operator would."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The demo province is built inside (``make test-fast`` leaves the test out, like the others).
# The suite's own database and settings are not the rehearsal's: it makes a SQLite file.
SUITE_ONLY = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
pytestmark = [pytest.mark.demo, pytest.mark.timeout(1800)]


def test_three_months_of_500_people_through_the_doors_stay_consistent():
    run = subprocess.run(
        [sys.executable, "benchmarks/province_year.py", "--people", "500", "--months", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in SUITE_ONLY},
        timeout=1700,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:]
    same = (
        r"check (2026-\d\d): ([\d,]+) period scores = from scratch .*; "
        r"[\d,]+ annual scores 2026 = from scratch .*; nothing stuck .* OK"
    )
    checks = re.findall(same, output)
    assert [month for month, _count in checks] == ["2026-04", "2026-05", "2026-06"], output
    assert all(int(count.replace(",", "")) >= 500 for _month, count in checks), output
    for phase in ("results", "api", "form01", "close"):
        assert output.count(f"  {phase} ") == 3, output
    assert "checks all OK" in output
