"""Apps depend one way, and the big apps' insides keep their layers (design.md "Layers").

The contracts are import-linter's, in ``pyproject.toml`` (``[tool.importlinter]``): every
``import`` of every module counts, in-function imports too (where cycles hide). Imports that
still go against a contract are listed there under ``ignore_imports``, each with its reason;
import-linter fails on an ignore that no longer matches, so the list can only shrink. ``make
lint`` runs the same check as ``lint-imports``.
"""

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _app_layers() -> list[list[str]]:
    """The apps' contract, lowest first: each layer a list of sibling apps."""
    contract = next(c for c in PYPROJECT["tool"]["importlinter"]["contracts"] if c["id"] == "apps")
    return [[name.strip() for name in layer.split("|")] for layer in reversed(contract["layers"])]


APPS = [app for layer in _app_layers() for app in layer]


def test_every_app_is_in_a_layer():
    apps = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists() or (p / "settings").is_dir()}
    assert apps <= set(APPS), f"apps without a layer: {sorted(apps - set(APPS))}"
    assert sorted(PYPROJECT["tool"]["importlinter"]["root_packages"]) == sorted(APPS)


LINT_IMPORTS = Path(shutil.which("lint-imports") or ROOT / ".venv" / "bin" / "lint-imports")


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
def test_the_import_contracts_hold():
    result = subprocess.run(  # noqa: S603
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_the_package_list_names_every_app_exactly():
    """``pyproject.toml`` packages each app by its own name: a pattern such as ``org*`` once
    packaged ``org_scoring`` by accident, and ``audit`` not at all."""
    include = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    assert sorted(include) == sorted(name for app in APPS for name in (app, f"{app}.*")), (
        "pyproject.toml [tool.setuptools.packages.find] include"
    )


# --- no import cycle inside an app (arch.md F1) ----------------------------------------------


@pytest.mark.parametrize("package", [*APPS, "org.access"])
def test_no_import_cycle_inside_an_app(package):
    """No cycle is left inside an app (the last, the framework rules ⇄ their parser and checks,
    went on 26/11: callers use ``parse_framework`` and ``framework_problems``); every import
    counts, in-function ones too (``tests/import_graph.py``)."""
    from tests import import_graph

    found = [sorted(cycle) for cycle in import_graph.cycles(package)]
    assert not found, f"import cycles inside {package} (every import counts): {found}"


# --- deferred imports only where a reason forces them (arch.md F1) ---------------------------

#: Imports of project modules written inside a function, outside an app's ``AppConfig.ready()``
#: (``tests/import_graph.py``): 409 before 26/11, each since moved to the top of its module
#: unless load order or a heavy library (openpyxl, tablib: a page that builds no file does not
#: load them) forces it. The number only goes down.
DEFERRED_CEILING = 14


def test_deferred_imports_are_few_and_say_why():
    from tests import import_graph

    found = import_graph.deferred_outside_ready()
    assert len(found) <= DEFERRED_CEILING, (
        f"{len(found)} imports of project modules inside functions (the ceiling is"
        f" {DEFERRED_CEILING}): import at the top of the module"
    )
    silent = []
    for module, line, target in found:
        path = ROOT / (module.replace(".", "/") + ".py")
        if not path.exists():
            path = ROOT / module.replace(".", "/") / "__init__.py"
        lines = path.read_text(encoding="utf-8").splitlines()
        if "#" not in lines[line - 1] and not lines[line - 2].strip().startswith("#"):
            silent.append(f"{module}:{line} imports {target}")
    assert not silent, f"a deferred import says why on its line or the line above: {silent}"
