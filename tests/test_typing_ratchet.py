"""mypy's reach only grows and its typing debt only shrinks (issue 46, arch.md F6).

The reach: the files ``[tool.mypy] files`` names in ``pyproject.toml`` (``make typecheck``)
include every file listed in ``tests/typing_checked_files.txt``. A change that drops a file from
mypy's reach fails here; a change that adds files appends them to the list (the message says
which), so the next change cannot drop them again.

The debt: the (module, error code) pairs the ``[[tool.mypy.overrides]]`` blocks switch off with
``disable_error_code`` number at most :data:`DISABLED_CODES_CEILING`. A change that types a
module removes its pairs and lowers the ceiling to the new count (the message says to); a
change that adds a pair fails here. No override may silence a module whole (``ignore_errors``)."""

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


#: The (module, error code) pairs pyproject's mypy overrides disable: 63 when issue 46's second
#: step began, 46 after it, 31 after the third, none after the fourth. Only ever lowered.
DISABLED_CODES_CEILING = 0


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def disabled_codes() -> set[tuple[str, str]]:
    """(module, error code) for every code an override disables, per module it names."""
    pairs: set[tuple[str, str]] = set()
    for override in _config()["tool"]["mypy"].get("overrides", []):
        modules = override["module"]
        for module in [modules] if isinstance(modules, str) else modules:
            pairs |= {(module, code) for code in override.get("disable_error_code", [])}
    return pairs


def checked_files() -> set[str]:
    """The .py files mypy reads as its targets, as its ``files`` globs expand."""
    config = _config()
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


def test_typing_debt_only_goes_down():
    """The disabled (module, code) pairs never grow; once fewer, the ceiling follows them."""
    count = len(disabled_codes())
    assert count <= DISABLED_CODES_CEILING, (
        f"{count} disabled (module, error code) pairs in pyproject's mypy overrides, more than "
        f"the ceiling {DISABLED_CODES_CEILING}: type the code instead of disabling a check"
    )
    assert count == DISABLED_CODES_CEILING, (
        f"typing debt went down to {count} pairs: lower DISABLED_CODES_CEILING in "
        f"{Path(__file__).name} to {count}"
    )


def test_no_module_is_silenced_whole():
    silenced = [
        override["module"]
        for override in _config()["tool"]["mypy"].get("overrides", [])
        if override.get("ignore_errors")
    ]
    assert silenced == []
