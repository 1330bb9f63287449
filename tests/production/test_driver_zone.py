"""The production driver names dates in the server's zone.

The driver runs outside Django (no settings), on a machine whose zone is UTC in CI; the server
names its upload folders and today's date in ``TIME_ZONE``. From 17:00 UTC on a month's last
day the two months differ: the disk fault filled the folder of November while the server wrote
to December's (CI of 30/11/2026, 17:20 UTC). The driver's zone is a copy; it must stay the
settings' zone.
"""

import ast
from pathlib import Path

from django.conf import settings

SMOKE = Path(__file__).resolve().parent / "smoke.py"


def test_the_drivers_zone_is_the_servers():
    tree = ast.parse(SMOKE.read_text(encoding="utf-8"))
    zones = [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "ZoneInfo"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]
    assert zones == [settings.TIME_ZONE]
