"""Apps depend one way (design.md "Layers"): an app may import only apps of lower layers.

Every ``import`` of every module of our apps is read (in-function imports too, which is where
cycles hide). ``KNOWN`` lists the imports that still go upward, each with the reason it is
there; the list may only shrink: a new upward import fails, and so does an entry that no
longer exists (remove it from the list).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Lowest first. ``cms`` is the project itself (settings, shared admin helpers, the home page)
#: and imports no domain app; ``demo`` builds the fictional province from everything.
LAYERS = [
    ["cms"],
    ["org"],
    ["accounts"],
    ["audit"],
    ["catalog_pages"],
    ["scoring"],
    ["importers", "worklog", "org_scoring", "oversight"],
    # Above the importers: the one-stop survey import is a template kind of its own
    # (``feedback.survey_import``), registered with the importers' pipeline.
    ["feedback"],
    # Work plans (kế hoạch công tác): items drawn into assignments through the worklog.
    ["workplans"],
    ["ratings"],
    ["dashboards", "api", "support"],
    ["connectors"],
    ["demo"],
]
RANK = {app: rank for rank, group in enumerate(LAYERS) for app in group}

#: (importing app, imported app) → why it is still there. To be removed, not added to.
KNOWN: dict[tuple[str, str], str] = {
    ("org", "accounts"): (
        "the personnel write service asks accounts.sso.matched_field_refusal (issue 41, single "
        "sign-on bound to the person); to be turned into a guard accounts registers with org"
    ),
}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno


def upward_imports() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for app, rank in RANK.items():
        folder = ROOT / app
        if not folder.is_dir():
            continue
        for path in folder.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for module, line in _imports(path):
                target = module.split(".")[0]
                if target in RANK and target != app and RANK[target] >= rank:
                    where = f"{path.relative_to(ROOT)}:{line}"
                    found.setdefault((app, target), []).append(where)
    return found


def test_every_app_is_in_a_layer():
    apps = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists() or (p / "settings").is_dir()}
    assert apps <= set(RANK), f"apps without a layer: {sorted(apps - set(RANK))}"


def test_apps_depend_one_way():
    found = upward_imports()
    new = {pair: places for pair, places in found.items() if pair not in KNOWN}
    assert not new, "imports against the layer order:\n" + "\n".join(
        f"{a} → {b}: {', '.join(places)}" for (a, b), places in sorted(new.items())
    )


def test_known_exceptions_still_exist():
    gone = set(KNOWN) - set(upward_imports())
    assert not gone, f"no longer needed, remove from KNOWN: {sorted(gone)}"


def test_the_package_list_names_every_app_exactly():
    """``pyproject.toml`` packages each app by its own name: a pattern such as ``org*`` once
    packaged ``org_scoring`` by accident, and ``audit`` not at all."""
    import tomllib

    include = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["packages"]["find"]["include"]
    assert sorted(include) == sorted(name for app in RANK for name in (app, f"{app}.*")), (
        "pyproject.toml [tool.setuptools.packages.find] include"
    )
