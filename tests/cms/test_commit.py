"""``cms.commit.after_commit``: the callback runs on commit with its arguments, a failing robust
one is logged by its function's name (a bare ``functools.partial`` would break Django's log line
itself), and the callback pickles (tests/demo_replay.py shares recordings between processes)."""

import logging
import pickle

import pytest

from cms.commit import after_commit

pytestmark = pytest.mark.django_db

SEEN: list[object] = []


def _remember(*args: object) -> None:
    SEEN.append(args)


def _fails(reason: str) -> None:
    raise RuntimeError(reason)


def test_the_callback_runs_on_commit_with_its_arguments(django_capture_on_commit_callbacks):
    SEEN.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        after_commit(_remember, 7, "bảy")
        assert SEEN == []
    assert SEEN == [(7, "bảy")]
    assert pickle.loads(pickle.dumps(callbacks[0])).func is _remember  # noqa: S301 (its own)


def test_a_failing_robust_callback_is_logged_by_its_name(
    caplog, django_capture_on_commit_callbacks
):
    """Django's test helper logs a failing robust callback with the same line as the database
    wrapper (``Error calling <__qualname__> in on_commit()``)."""
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        after_commit(_fails, "hỏng", robust=True)
    assert "Error calling _fails in on_commit() (hỏng)." in caplog.text
