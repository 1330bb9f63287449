"""A long-running process sets the objects it keeps aside from the garbage collector
(``cms.memory.settle``), after its first requests or tasks and every hundredth, so that a page
reading many rows no longer walks Django's and Wagtail's objects again (docs/operations.md §10)."""

import gc
import importlib.util
import weakref
from pathlib import Path
from types import SimpleNamespace

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
    # What was set aside can still be freed by reference counting (a frame, a temporary of
    # the test run's own hooks): the count can only go down until the next settling.
    assert 0 < gc.get_freeze_count() <= frozen
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
    sync = SimpleNamespace(cfg=SimpleNamespace(threads=1))
    for _ in range(301):
        conf.pre_request(sync, None)
        conf.post_request(sync, None, {}, None)
    # The request numbers before which it settled, after which it gave memory back.
    assert settled == [2, 11, 101, 201, 301]
    assert released == [100, 200, 300]
    # With threads (gunicorn's gthread), another request may be in flight: never settles.
    threaded = SimpleNamespace(cfg=SimpleNamespace(threads=4))
    settled.clear()
    conf.pre_request(threaded, None)  # before request 302: 301 served, not a settling point
    conf._served = 400
    conf.pre_request(threaded, None)
    assert settled == []
    conf.pre_request(sync, None)
    assert settled == [401]


def test_the_worker_settles_before_a_task_so_a_failed_tasks_leftovers_are_not_kept(
    settling, monkeypatch
):
    """A failed task's exception and frames are alive while the worker reports it (django-tasks-
    db sends task_finished inside its except block): settling then would set aside for good what
    they hold. The worker settles before its next task instead."""

    class Leftover:
        pass

    monkeypatch.setattr(memory, "_tasks", 0)
    monkeypatch.setattr(memory, "release", lambda: True)
    gc.unfreeze()
    memory.before_task()  # the first task: nothing served yet, nothing settled
    assert gc.get_freeze_count() == 0
    refs = []
    try:
        leftover = Leftover()
        leftover.me = leftover  # a cycle held by the failed task's frame
        refs.append(weakref.ref(leftover))
        raise RuntimeError("the task failed")
    except RuntimeError:
        memory.after_task()  # reported inside the except block, as django-tasks-db does
    del leftover
    memory.before_task()  # the next task: settles after the first
    assert gc.get_freeze_count() > 0
    assert refs[0]() is None  # collected, not set aside
