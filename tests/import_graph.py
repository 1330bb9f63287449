"""The project's import graph, measured: cycles inside each app and imports deferred into functions.

Every import counts, in-function ones too: grimp reads every ``import`` statement of a module,
wherever it stands, and resolves ``from pkg import submodule`` to the submodule. A cycle here is
a strongly connected component of more than one module among one app's modules (the edges
between them only). ``tests/test_layers.py`` holds the app cycle-free; run this module for the
figures (arch.md F1)::

    .venv/bin/python -m tests.import_graph
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections import Counter
from functools import cache
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
APPS: list[str] = PYPROJECT["tool"]["importlinter"]["root_packages"]


@cache
def graph() -> grimp.ImportGraph:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return grimp.build_graph(*APPS, cache_dir=None)


def cycles(package: str) -> list[list[str]]:
    """The import cycles among ``package``'s modules (``package`` itself and everything under
    it), each as its sorted module names, largest first."""
    g = graph()
    modules = {package} | g.find_descendants(package)
    edges = {m: g.find_modules_directly_imported_by(m) & modules for m in modules}
    found = sorted(_strongly_connected(edges), key=len, reverse=True)
    return [sorted(c) for c in found if len(c) > 1]


def _strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative (an app's chain of imports can be deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    found.append(component)
    return found


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def deferred_imports() -> list[tuple[str, int, str]]:
    """Every import statement inside a function that names a project module: (module, line,
    the module imported), migrations left out."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module = _module_name(path)
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    if isinstance(node, ast.Import):
                        targets = [alias.name for alias in node.names]
                    elif isinstance(node, ast.ImportFrom):
                        targets = [_resolve(module, path.name == "__init__.py", node)]
                    else:
                        continue
                    for target in targets:
                        if target.split(".")[0] in APPS:
                            found.append((module, node.lineno, target))
    # a nested function's import is seen from every enclosing function: count it once
    return sorted(set(found))


def deferred_outside_ready() -> list[tuple[str, int, str]]:
    """:func:`deferred_imports` but those inside an app's ``AppConfig.ready()``, Django's place
    for them (signal receivers, hooks: the app registry is ready there)."""
    in_ready = set()
    for app in APPS:
        path = ROOT / app / "apps.py"
        if not path.exists():
            continue
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(function, ast.FunctionDef) and function.name == "ready":
                in_ready |= {
                    (f"{app}.apps", node.lineno)
                    for node in ast.walk(function)
                    if isinstance(node, ast.Import | ast.ImportFrom)
                }
    return [entry for entry in deferred_imports() if entry[:2] not in in_ready]


def report() -> str:
    lines = []
    total = 0
    for app in sorted(APPS):
        found = cycles(app)
        total += len(found)
        sizes = ", ".join(str(len(c)) for c in found)
        lines.append(f"{app:14} {len(found):3} cycles" + (f" ({sizes} modules)" if found else ""))
        lines.extend(f"{'':14}   {' '.join(c)}" for c in found)
    deferred = deferred_imports()
    same_app = sum(1 for m, _, t in deferred if m.split(".")[0] == t.split(".")[0])
    per_module = Counter(m for m, _, _ in deferred)
    lines.append(f"intra-app cycles: {total}")
    lines.append(
        f"in-function imports of project modules: {len(deferred)} statements"
        f" in {len(per_module)} modules"
        f" ({same_app} inside the same app, {len(deferred) - same_app} across apps)"
    )
    lines.append(f"  of which outside an app's AppConfig.ready(): {len(deferred_outside_ready())}")
    lines.extend(f"  {n:3} {m}" for m, n in per_module.most_common(10))
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
