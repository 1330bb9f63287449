"""The order in which the suite's files are handed to the processes (``tests/conftest.py``)."""

from pathlib import Path

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
