"""The engine is pure Python: no Django (or other framework) imports, no eval/exec."""

from __future__ import annotations

import ast
from pathlib import Path

import scoring.engine

ENGINE_DIR = Path(scoring.engine.__file__).parent
FORBIDDEN = ("django", "wagtail", "rest_framework")


def test_no_framework_imports():
    for path in ENGINE_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_no_eval_or_exec():
    for path in ENGINE_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"eval", "exec", "compile"}, path.name
