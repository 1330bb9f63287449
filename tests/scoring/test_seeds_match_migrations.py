"""A database migrated from zero holds exactly the frameworks ``scoring/seeds.py`` seeds (arch.md
F4): the data migrations that change a seeded framework call ``scoring.seeds`` instead of
copying a literal, so a migrated database and a re-seeded one (``demo.base_data``, after every
flush of the suite) cannot drift apart again."""

import ast
import json
from pathlib import Path

import pytest

from scoring import seeds
from scoring.models import CriteriaFramework

ROOT = Path(__file__).resolve().parents[2]

#: The data migrations that change the seeded Nghệ An framework after 0002 shipped it.
FEED_MIGRATIONS = (
    "scoring/migrations/0016_nghe_an_satisfaction_feedback.py",
    "worklog/migrations/0004_nghe_an_coordination_feed.py",
)


def _json(value):
    return json.loads(json.dumps(value))


@pytest.mark.django_db
def test_the_migrated_frameworks_are_the_seeds():
    """The test database is built by running every migration from zero (pytest-django); each
    seeded framework there, and its latest revision, carries the seeds' rules exactly."""
    for spec in seeds.FRAMEWORKS:
        framework = CriteriaFramework.objects.get(code=spec["code"])
        assert framework.rules == _json(spec["rules"]), spec["code"]
        assert framework.latest_revision.content["rules"] == _json(spec["rules"]), spec["code"]
        assert (framework.name, framework.live) == (spec["name"], spec["live"])


def test_the_nghe_an_seed_carries_both_feeds():
    rules = next(s["rules"] for s in seeds.FRAMEWORKS if s["code"] == "nghe-an-bon-nhom-chi-so")
    assert rules["feedback"]["satisfaction_criteria"] == ["satisfaction.S.1", "satisfaction.S.2"]
    assert rules["coordination"]["criteria"] == ["coordination.C.2"]


@pytest.mark.parametrize("relative", FEED_MIGRATIONS)
def test_the_feed_migrations_call_the_seeds_and_copy_no_literal(relative):
    tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
    imports = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "scoring"
        for alias in node.names
    }
    assert "seeds" in imports
    literals = [
        node.lineno
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict | ast.List)
    ]
    assert literals == []
    assert "add_nghe_an_feed" in ast.unparse(tree)
