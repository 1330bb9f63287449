"""How the suite runs (``tests/conftest.py``): the order in which its files are handed to the
processes, and the time a test has when its set-up does a process's one-time work."""

from pathlib import Path

import pytest_timeout

from tests import conftest

ROOT = Path(__file__).resolve().parent.parent


def test_the_files_handed_out_first_exist():
    missing = [name for name in conftest.FIRST_FILES if not (ROOT / name).is_file()]
    assert not missing, f"FIRST_FILES names files that are gone: {missing}"


class _Item:
    def __init__(self, nodeid: str, marker: str | None = None):
        self.nodeid = nodeid
        self._marker = marker

    def get_closest_marker(self, name: str):
        return name if name == self._marker else None


def test_the_longest_files_go_first_and_a_file_stays_whole():
    items = [
        _Item("tests/a/test_small.py::test_one"),
        _Item("tests/a/test_many.py::test_one"),
        _Item(f"{conftest.FIRST_FILES[1]}::test_two"),
        _Item("tests/a/test_many.py::test_two"),
        _Item("tests/browser/test_page.py::test_one", marker="browser"),
        _Item(f"{conftest.FIRST_FILES[0]}::test_one"),
        _Item(f"{conftest.FIRST_FILES[1]}::test_one"),
    ]
    assert [item.nodeid for item in conftest._file_order(items)] == [
        f"{conftest.FIRST_FILES[0]}::test_one",
        f"{conftest.FIRST_FILES[1]}::test_two",
        f"{conftest.FIRST_FILES[1]}::test_one",
        "tests/browser/test_page.py::test_one",
        "tests/a/test_many.py::test_one",
        "tests/a/test_many.py::test_two",
        "tests/a/test_small.py::test_one",
    ]


class _Marked(_Item):
    def __init__(self, demo: bool):
        super().__init__("tests/x/test_y.py::test_z", marker="demo" if demo else None)


def test_a_first_set_up_has_time_for_the_database_and_the_demo(monkeypatch):
    timers = []
    monkeypatch.setattr(
        pytest_timeout, "pytest_timeout_set_timer", lambda item, settings: timers.append(settings)
    )
    settings = pytest_timeout.Settings(600, "signal", False, False)
    allowance = conftest.FIRST_SETUP_ALLOWANCE
    monkeypatch.setattr(conftest, "_DATABASE_READY", [])
    monkeypatch.setitem(conftest_stats(), "real", 0)
    monkeypatch.setitem(conftest_stats(), "replayed", 0)
    conftest.pytest_timeout_set_timer(_Marked(demo=True), settings)
    conftest.pytest_timeout_set_timer(_Marked(demo=False), settings)
    monkeypatch.setattr(conftest, "_DATABASE_READY", [True])
    conftest.pytest_timeout_set_timer(_Marked(demo=True), settings)
    assert [t.timeout for t in timers] == [600 + 2 * allowance, 600 + allowance, 600 + allowance]
    monkeypatch.setitem(conftest_stats(), "real", 1)
    # a later test: pytest-timeout's own timer, with the ten minutes
    assert conftest.pytest_timeout_set_timer(_Marked(demo=True), settings) is None
    # a process whose first demo was another process's recording, replayed: the same
    monkeypatch.setitem(conftest_stats(), "real", 0)
    monkeypatch.setitem(conftest_stats(), "replayed", 1)
    assert conftest.pytest_timeout_set_timer(_Marked(demo=True), settings) is None


def conftest_stats() -> dict:
    from tests.demo_replay import STATS

    return STATS
