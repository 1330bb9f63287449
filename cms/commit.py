"""Work to run once the current transaction commits, with its arguments.

``transaction.on_commit(lambda: f(x))`` works, but the lambda has no name of its own and cannot be
pickled. :func:`after_commit` registers ``f(x)`` as a ``functools.partial`` that carries ``f``'s
name (Django's ``robust=True`` logs a failing callback by its ``__qualname__``, which a bare
partial lacks, so the log line itself would fail) and that pickles (the tests' demo recordings
are shared between processes, ``tests/demo_replay.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.db import transaction


def after_commit(func: Callable[..., object], *args: object, robust: bool = False) -> None:
    """Run ``func(*args)`` when the current transaction commits (at once outside one)."""
    callback = functools.partial(func, *args)
    callback.__qualname__ = func.__qualname__  # type: ignore[attr-defined]
    transaction.on_commit(callback, robust=robust)
