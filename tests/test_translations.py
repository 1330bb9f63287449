"""Every user-facing string of ours is in the English catalogue, translated, and compiled."""

import shutil
import subprocess
from pathlib import Path

import pytest

from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MAKEMESSAGES_IGNORES = [".venv", "tests", "benchmarks", "demo/data/*", "scoring/engine/*"]


def msgids(po_text: str) -> set[str]:
    ids, current, in_id = set(), [], False
    for line in po_text.splitlines():
        if line.startswith("msgid "):
            current, in_id = [line[6:].strip('"')], True
        elif line.startswith('"') and in_id:
            current.append(line.strip('"'))
        else:
            if in_id and "".join(current):
                ids.add("".join(current))
            in_id = False
    return ids


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is not installed")
def test_english_catalogue_is_complete_and_compiles():
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


SOURCE_IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "media",
    "staticfiles",
    "node_modules",
    "__pycache__",
    "*.sqlite3",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "artifacts",
)


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext (xgettext) is not installed")
def test_catalogue_is_up_to_date_with_the_code(tmp_path, monkeypatch, settings):
    """Run makemessages in a copy of the source tree (it writes into every ``locale/`` dir it
    finds under the working directory): no msgid of the code may be missing from ours."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=SOURCE_IGNORE)
    monkeypatch.chdir(copy)
    settings.LOCALE_PATHS = [copy / "locale"]
    before = PO.read_bytes()
    call_command(
        "makemessages",
        locale=["en"],
        ignore_patterns=MAKEMESSAGES_IGNORES,
        verbosity=0,
        no_obsolete=True,
    )
    assert PO.read_bytes() == before, "makemessages must not touch the real catalogue"
    fresh = msgids((copy / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text())
    missing = fresh - msgids(PO.read_text())
    assert not missing, f"run `make messages-update`; strings not in locale/en: {sorted(missing)}"
