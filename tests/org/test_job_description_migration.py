"""Migration org/0007: the old free texts of a job position become a draft version 1 of its
job description (each line of the description a task, the competency text kept in the note),
before org/0008 removes the two fields.

The migration runs on a database of its own, made for the test on the suite's engine (a
SQLite file, or a database on the suite's PostgreSQL server): migrated from zero to org 0006
(org's dependencies only), given two positions with the old texts, then taken to org 0008. The
suite's own database is not migrated back and forth (that cost 220 s of the suite and needed
every later app's migrations undone and redone)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
BEFORE = [("org", "0006_job_descriptions")]
AFTER = [("org", "0008_remove_jobposition_texts")]

#: Run in a process of its own, with the throwaway database as its ``DATABASE_URL``.
SCRIPT = """
import json, sys
import django
django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps

before, after = json.loads(sys.argv[1])
old = migrate([tuple(t) for t in before])
JobPosition = old.get_model("org", "JobPosition")
JobPosition.objects.create(
    code="VT-CU",
    name="Chuyên viên cũ",
    group="professional",
    level="province",
    description="1. Thẩm định dự thảo\\n- Kiểm tra văn bản\\n\\n• Báo cáo định kỳ",
    competency_framework="Soạn thảo văn bản: cấp độ 3",
)
JobPosition.objects.create(
    code="VT-TRONG", name="Không có mô tả", group="support", level="province"
)
new = migrate([tuple(t) for t in after])
JobDescription = new.get_model("org", "JobDescription")
version = JobDescription.objects.get(job_position__code="VT-CU")
print(json.dumps({
    "number": version.number,
    "status": version.status,
    "tasks": list(version.tasks.order_by("sort_order").values_list("name", flat=True)),
    "note": version.note,
    "empty_has_version": JobDescription.objects.filter(job_position__code="VT-TRONG").exists(),
    "fields": sorted(f.name for f in new.get_model("org", "JobPosition")._meta.get_fields()),
}))
"""


@pytest.fixture
def own_database(tmp_path):
    """A new, empty database on the suite's engine; removed afterwards."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'job_description_migration.sqlite3'}"
        return
    import psycopg

    name = f"kpi_test_jobdesc_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_old_texts_become_a_draft_version_1(own_database):
    run = subprocess.run(  # noqa: S603 - this file's own script
        [sys.executable, "-c", SCRIPT, json.dumps([BEFORE, AFTER])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DATABASE_URL": own_database,
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        },
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    found = json.loads(run.stdout.strip().splitlines()[-1])
    assert (found["number"], found["status"]) == (1, "draft")
    assert found["tasks"] == ["Thẩm định dự thảo", "Kiểm tra văn bản", "Báo cáo định kỳ"]
    assert found["note"].endswith("Soạn thảo văn bản: cấp độ 3")
    assert not found["empty_has_version"]
    assert not {"description", "competency_framework"} & set(found["fields"])
    # (the old fields were there before the migration: the check above proves a removal)
    assert "code" in found["fields"]
