"""The SQL the production drivers and the benchmarks send by hand names columns that exist.

tests/production/smoke.py and benchmarks/ read the production database with raw SQL (no model
in between, on purpose: they watch the application from outside). A model's column renamed by a
migration leaves such a query broken, and only the production shape in CI found it, after an
hour (stop 52: ``scoring_scoringrun.error`` had become ``last_error``). Each literal query is
planned here (``EXPLAIN``, nothing executed) against the migrated test database on PostgreSQL,
so a renamed column fails in the engine pass of the suite, beside the migration that renamed it.
"""

import ast
import re
from pathlib import Path

import pytest

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / "tests" / "production" / "smoke.py",
    *sorted((ROOT / "benchmarks").glob("*.py")),
]
STATEMENT = re.compile(r"^\s*(SELECT|UPDATE|DELETE|INSERT|WITH)\s")


def literal_queries(path: Path) -> list[tuple[int, str]]:
    """Every string literal of ``path`` that is a whole SQL statement (implicit concatenation
    is one literal to ``ast``); f-strings and templates filled in by ``str.format`` are left
    out."""
    queries = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pieces = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in pieces
        ):
            text = node.value
            if STATEMENT.match(text) and "{" not in text and " FROM STDIN" not in text.upper():
                queries.append((node.lineno, text))
    return queries


QUERIES = [
    pytest.param(text, id=f"{path.relative_to(ROOT)}:{line}")
    for path in SOURCES
    for line, text in literal_queries(path)
]


def test_the_drivers_have_queries_to_check():
    """The collector finds the drivers' queries (a change of style must not empty the test)."""
    assert len(QUERIES) >= 30


@pytest.mark.django_db
@pytest.mark.parametrize("sql", QUERIES)
def test_a_driver_query_names_existing_tables_and_columns(sql):
    if connection.vendor != "postgresql":
        pytest.skip("the drivers speak PostgreSQL's SQL; checked in the PostgreSQL pass")
    # A placeholder inside ANY(...) takes a list (of ids), every other one a number.
    # ("%%" is a literal percent sign, as in LIKE '%%_task').
    params = [
        [] if re.search(r"ANY\(\s*$", sql[: match.start()]) else None
        for match in re.finditer(r"%%|%s", sql)
        if match.group() == "%s"
    ]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
