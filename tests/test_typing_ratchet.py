"""mypy's reach only grows (issue 46, arch.md F6): the files ``[tool.mypy] files`` names in
``pyproject.toml`` (``make typecheck``) include every file listed in
``tests/typing_checked_files.txt``. A change that drops a file from mypy's reach fails here; a
change that adds files appends them to the list (the message says which), so the next change
cannot drop them again."""

import glob
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIST = ROOT / "tests" / "typing_checked_files.txt"

#: The kits, the write gate and the new apps' services: under mypy from issue 46 on.
KITS = {
    "cms/workflow.py",
    "cms/xlsx.py",
    "cms/retry.py",
    "org/write_gate.py",
    "org/people_writes.py",
    "org/access/__init__.py",
    "org/access/decisions.py",
    "org/access/groups.py",
    "org/access/registry.py",
    "org/access/scopes.py",
    "org/access/tree.py",
    "org/access/user_reach.py",
    "scoring/services/lines.py",
    "worklog/services/flow.py",
    "workplans/services/flow.py",
    "accounts/services.py",
    "feedback/services.py",
    "support/services.py",
}


def checked_files() -> set[str]:
    """The .py files mypy reads as its targets, as its ``files`` globs expand."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found: set[str] = set()
    for pattern in config["tool"]["mypy"]["files"]:
        for match in glob.glob(pattern, root_dir=ROOT, recursive=True):
            path = ROOT / match
            paths = path.rglob("*.py") if path.is_dir() else [path]
            found |= {p.relative_to(ROOT).as_posix() for p in paths if p.suffix == ".py"}
    return found


def _listed() -> set[str]:
    lines = LIST.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_mypy_checks_every_file_it_checked_before():
    """A file on the list that still exists is still checked (a removed file leaves the list)."""
    listed = {name for name in _listed() if (ROOT / name).exists()}
    dropped = sorted(listed - checked_files())
    assert dropped == [], f"dropped from [tool.mypy] files: {dropped}"


def test_the_list_holds_every_checked_file():
    """Files newly under mypy are recorded, so that they cannot leave it silently."""
    missing = sorted(checked_files() - _listed())
    assert missing == [], f"append to {LIST.name}: {missing}"


def test_the_kits_are_checked():
    assert sorted(KITS - checked_files()) == []
