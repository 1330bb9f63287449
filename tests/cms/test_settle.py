"""A long-running process sets the objects it keeps aside from the garbage collector
(``cms.memory.settle``), after its first requests or tasks and every hundredth, so that a page
reading many rows no longer walks Django's and Wagtail's objects again (docs/operations.md §10)."""

import gc
import importlib.util
import weakref
from pathlib import Path

import pytest

from cms import memory

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


@pytest.fixture
def settling(monkeypatch):
    monkeypatch.setattr(memory, "FREEZE", True)
    yield
    gc.unfreeze()


def test_settle_collects_then_sets_what_lives_aside(settling):
    class Node:
        pass

    gc.unfreeze()
    kept = Node()
    lost = Node()
    lost.me = lost  # a cycle: only the collector frees it
    lost_ref = weakref.ref(lost)
    del lost
    assert lost_ref() is not None
    frozen = memory.settle()
    assert frozen == gc.get_freeze_count() > 0
    # The cycle was collected first, not set aside; what lives is set aside (no longer walked
    # by the collector's passes).
    assert lost_ref() is None
    assert not any(obj is kept for obj in gc.get_objects())


def test_settle_can_be_turned_off(monkeypatch):
    monkeypatch.setattr(memory, "FREEZE", False)
    gc.unfreeze()
    assert memory.settle() == 0
    assert gc.get_freeze_count() == 0


def test_a_process_settles_after_its_first_and_tenth_and_every_hundredth():
    settled = [count for count in range(1, 1001) if memory.settles_after(count)]
    assert settled == [1, 10, *range(100, 1001, 100)]


def test_a_web_worker_settles_before_its_next_request_and_gives_memory_back_after(monkeypatch):
    """deploy/gunicorn.conf.py: settles before requests 2, 11 and every 100th after (none of
    the last request's objects is still alive then); gives memory back after every 100th."""
    spec = importlib.util.spec_from_file_location("kpi_gunicorn_conf", GUNICORN_CONF)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    settled, released = [], []
    monkeypatch.setattr(memory, "settle", lambda: settled.append(conf._served + 1) or 0)
    monkeypatch.setattr(memory, "release", lambda: released.append(conf._served) or True)
    for _ in range(301):
        conf.pre_request(None, None)
        conf.post_request(None, None, {}, None)
    # The request numbers before which it settled, after which it gave memory back.
    assert settled == [2, 11, 101, 201, 301]
    assert released == [100, 200, 300]
