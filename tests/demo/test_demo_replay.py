"""The demo province is loaded for real once per test process and replayed after that
(tests/demo_replay.py, issue 31 item 7): a replay gives exactly the rows of a real load —
every table, every primary key — and the same files."""

import pytest

from django.db import transaction

from demo.loader import load_demo
from tests import demo_replay

pytestmark = pytest.mark.django_db


def test_a_replayed_demo_is_the_loaded_demo(monkeypatch):
    monkeypatch.setattr(demo_replay, "_RECORDINGS", {})
    monkeypatch.delenv(demo_replay.ENV, raising=False)
    monkeypatch.delenv(demo_replay.SHARED, raising=False)
    start = demo_replay._digest(demo_replay._snapshot())
    real = demo_replay.STATS["real"]
    replayed = demo_replay.STATS["replayed"]

    savepoint = transaction.savepoint()
    loaded_summary = load_demo()
    loaded = demo_replay._digest(demo_replay._snapshot())
    files = {path: open(path, "rb").read() for path in demo_replay._files()}  # noqa: SIM115
    transaction.savepoint_rollback(savepoint)
    assert demo_replay._digest(demo_replay._snapshot()) == start
    assert demo_replay.STATS["real"] == real + 1

    summary = load_demo()
    assert demo_replay.STATS["replayed"] == replayed + 1
    assert demo_replay._digest(demo_replay._snapshot()) == loaded
    assert summary == loaded_summary and summary is not loaded_summary
    assert {path: open(path, "rb").read() for path in files} == files  # noqa: SIM115


def test_a_different_start_loads_for_real(monkeypatch):
    """A database that is not in the recorded start state is never patched: the real loader
    runs (and that start is recorded too)."""
    from org.models import Agency
    from tests.factories import AgencyFactory

    monkeypatch.setattr(demo_replay, "_RECORDINGS", {})
    monkeypatch.delenv(demo_replay.SHARED, raising=False)
    monkeypatch.setattr(demo_replay, "STATS", dict(demo_replay.STATS))  # not the demo's count
    calls = []
    wrapped = demo_replay.replaying(lambda: calls.append(Agency.objects.count()) or "tóm tắt")
    assert wrapped() == "tóm tắt" and len(calls) == 1
    assert wrapped() == "tóm tắt" and len(calls) == 1  # same start: replayed
    AgencyFactory()
    assert wrapped() == "tóm tắt" and len(calls) == 2  # another start: loaded for real


def test_a_recording_made_by_another_process_is_replayed(monkeypatch, tmp_path, settings):
    """The run's processes share recordings through a folder (``KPI_TEST_DEMO_SHARED``): a
    process that has recorded nothing itself replays the start another one wrote down, with the
    same rows, keys and files (in its own media folders), and never loads for real."""
    folders = {name: tmp_path / name for name in ("shared", "a", "a-private", "b", "b-private")}
    for folder in folders.values():
        folder.mkdir()
    monkeypatch.delenv(demo_replay.ENV, raising=False)
    monkeypatch.setenv(demo_replay.SHARED, str(folders["shared"]))
    monkeypatch.setattr(demo_replay, "_RECORDINGS", {})
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = str(folders["a"]), str(folders["a-private"])
    start = demo_replay._digest(demo_replay._snapshot())
    real, shared = demo_replay.STATS["real"], demo_replay.STATS["shared"]

    savepoint = transaction.savepoint()
    loaded_summary = load_demo()
    loaded = demo_replay._digest(demo_replay._snapshot())
    files_a = _contents(folders["a"], folders["a-private"])
    transaction.savepoint_rollback(savepoint)
    assert demo_replay.STATS["real"] == real + 1
    assert len(list(folders["shared"].glob("*.pickle"))) == 1
    assert files_a, "the demo writes files (documents, evidence)"

    # Another process: nothing recorded in its memory, media folders of its own.
    monkeypatch.setattr(demo_replay, "_RECORDINGS", {})
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = str(folders["b"]), str(folders["b-private"])
    assert demo_replay._digest(demo_replay._snapshot()) == start

    summary = load_demo()
    assert demo_replay.STATS["real"] == real + 1
    assert demo_replay.STATS["shared"] == shared + 1
    assert demo_replay._digest(demo_replay._snapshot()) == loaded
    assert summary == loaded_summary
    assert _contents(folders["b"], folders["b-private"]) == files_a


def _contents(*roots):
    return {
        (index, str(path.relative_to(root))): path.read_bytes()
        for index, root in enumerate(roots)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_recording_that_cannot_be_written_down_stays_in_its_process(monkeypatch, tmp_path):
    """A commit callback that is a closure cannot cross to another process: the recording is
    kept in memory only and the other process loads for real (never a half-written file)."""
    from django.db import transaction as tx

    monkeypatch.setenv(demo_replay.SHARED, str(tmp_path))
    monkeypatch.setattr(demo_replay, "_RECORDINGS", {})
    monkeypatch.setattr(demo_replay, "STATS", dict(demo_replay.STATS))  # not the demo's count
    calls = []

    def loader():
        calls.append(1)
        tx.on_commit(lambda: None)
        return "tóm tắt"

    wrapped = demo_replay.replaying(loader)
    assert wrapped() == "tóm tắt" and len(calls) == 1
    assert not list(tmp_path.glob("*.pickle"))
    assert not [p for p in tmp_path.iterdir() if p.suffix not in {".lock"}]
    assert wrapped() == "tóm tắt" and len(calls) == 1  # replayed in this process
    monkeypatch.setattr(demo_replay, "_RECORDINGS", {})
    assert wrapped() == "tóm tắt" and len(calls) == 2  # another process: loaded for real


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_a_transactional_test_the_database_is_the_migrated_one_row_for_row():
    """Django reloads its JSON copy with new ids for group–permission links and timestamps cut
    to milliseconds; then no demo load after a transactional test could be replayed. The copy is
    kept and put back with plain SQL instead (tests/exact_restore.py)."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from tests import exact_restore

    copy = exact_restore._COPIES[connection.alias]
    migrated = demo_replay._digest(copy)
    assert demo_replay._digest(demo_replay._snapshot()) == migrated, (
        demo_replay.differences(copy, demo_replay._snapshot()),
        {"tests before": exact_restore.RECENT, "put back": exact_restore.ADOPTED[-3:]},
    )
    assert Group.objects.exists()

    call_command("flush", inhibit_post_migrate=True, interactive=False, verbosity=0)
    assert not Group.objects.exists()
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    assert demo_replay._digest(demo_replay._snapshot()) == migrated, demo_replay.differences(
        copy, demo_replay._snapshot()
    )
