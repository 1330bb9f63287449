"""The importers stay easy to change (review 2026-11-23, arch.md M4): no import cycle among
their modules, each template builder reads its kind's spec (never the kind), and a web worker
does not load the spreadsheet libraries just to route URLs.

The cycles are found as the review found them (its appendix): every import of every module of
``importers`` (top-level and inside functions, ``TYPE_CHECKING`` blocks left out), resolved to
the longest project module it names, then Tarjan's strongly connected components."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = "importers"


def _modules() -> dict[str, tuple[Path, bool]]:
    modules = {}
    for path in (ROOT / APP).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        package = parts[-1] == "__init__"
        modules[".".join(parts[:-1] if package else parts)] = (path, package)
    return modules


def _imported_names(module: str, path: Path, package: bool):
    """Every name an import of the module reaches, outside ``if TYPE_CHECKING:`` blocks."""

    def walk(node, type_checking=False):
        for child in ast.iter_child_nodes(node):
            checking = type_checking or (
                isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)
            )
            if not checking and isinstance(child, ast.Import):
                for alias in child.names:
                    yield alias.name
            elif not checking and isinstance(child, ast.ImportFrom):
                if child.level:
                    base = module.split(".") if package else module.split(".")[:-1]
                    base = base[: len(base) - (child.level - 1)]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module
                for alias in child.names:
                    yield f"{target}.{alias.name}"
                yield target
            yield from walk(child, checking)

    yield from walk(ast.parse(path.read_text(encoding="utf-8")))


def import_graph() -> dict[str, set[str]]:
    modules = _modules()

    def resolve(name):
        parts = name.split(".")
        while parts:
            if ".".join(parts) in modules:
                return ".".join(parts)
            parts.pop()
        return None

    graph = {}
    for module, (path, package) in modules.items():
        targets = {resolve(name) for name in _imported_names(module, path, package)}
        graph[module] = {target for target in targets if target and target != module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def connect(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycle_among_the_importers_modules():
    """The four kind ⇄ builder cycles and the tasks ⇄ recovery ⇄ views one are gone: a kind
    imports its builder (inside ``build_template``), the builder imports the kind's spec."""
    graph = import_graph()
    assert "importers.kinds.results.spec" in graph  # the packages are read
    assert cycles(graph) == []


@pytest.mark.parametrize("kind", ["results", "catalog", "general_marks"])
def test_each_builder_reads_its_kinds_spec_not_the_kind(kind):
    graph = import_graph()
    imported = graph[f"importers.builders.{kind}"]
    assert f"importers.kinds.{kind}.spec" in imported
    assert f"importers.kinds.{kind}" not in imported
    assert f"importers.kinds.{kind}.kind" not in imported


def test_the_personnel_builder_takes_the_sheets_from_the_kind_it_is_given():
    assert not any(
        target.startswith("importers.kinds.personnel")
        for target in import_graph()["importers.builders.personnel"]
    )


HEAVY = ("pandas", "numpy", "openpyxl", "python_calamine")

URL_LOAD = f"""
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps(sorted(name for name in {HEAVY!r} if name in sys.modules)))
"""


def test_routing_urls_loads_no_spreadsheet_library():
    """A web worker that only routes a request must not pay for pandas, numpy, openpyxl and
    calamine (the review checked ``sys.modules`` after ``get_resolver().url_patterns``). In a
    fresh interpreter, since this test process has long imported them."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    done = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", URL_LOAD],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == []
