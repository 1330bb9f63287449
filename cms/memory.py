"""Memory a long-running process has freed, given back to the operating system; the objects it
keeps, set aside from the garbage collector (:func:`settle`).

A worker process (``db_worker``) runs thousands of tasks: each scoring run or import builds
dictionaries, querysets and decimals by the ten thousand and frees them. CPython hands the
freed blocks back to glibc's allocator, which keeps them in its heap for the next allocation
instead of returning them to the system. Over a day the resident size (RSS) then creeps up with
the number of tasks although nothing is leaked (docs/operations.md §10: the 30-minute soak's
worker grew 0.5 MiB a minute; tracemalloc found 144 KiB of Python objects growing over 400
runs, none of them the project's).

``malloc_trim(0)`` (glibc) returns the free memory at the top of the heap and the free pages
inside it to the system. It is called after each task (``importers``' ``db_worker`` command) and
after every 100th request of a web worker (``deploy/gunicorn.conf.py``'s ``post_request``);
``benchmarks/worker_memory.py`` prints its cost and compares a worker with and without it. It
cannot give back an arena that still holds one live block: the worker's slow growth under
writes is bounded by recycling (``--max-tasks``, docs/operations.md §10). On a C library other
than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
from collections.abc import Callable

#: ``KPI_MALLOC_TRIM=0`` turns it off (to measure what it changes: benchmarks/worker_memory.py).
ENABLED = os.environ.get("KPI_MALLOC_TRIM", "1") != "0"

#: glibc's ``malloc_trim`` once looked up; False where there is none.
_trim: Callable[[int], int] | bool | None = None


def _load() -> Callable[[int], int] | bool:
    global _trim
    if _trim is None:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            function = libc.malloc_trim
            function.argtypes = [ctypes.c_size_t]
            function.restype = ctypes.c_int
            _trim = function
        except (OSError, AttributeError):  # not glibc: nothing to call
            _trim = False
    return _trim


def release() -> bool:
    """Give the allocator's free memory back to the system; True if glibc released some."""
    if not ENABLED:
        return False
    trim = _load()
    return bool(callable(trim) and trim(0))


#: ``KPI_GC_FREEZE=0`` turns :func:`settle` off (to measure what it changes:
#: benchmarks/admin_pages.py ``--no-settle``).
FREEZE = os.environ.get("KPI_GC_FREEZE", "1") != "0"

#: The number of requests (web) or tasks (worker) served, after which a process settles before
#: its next one: the first ones load the modules, templates and caches a process keeps; after
#: that, every hundredth.
SETTLE_AT = (1, 10)
SETTLE_EVERY = 100


def settle() -> int:
    """Collect the reference cycles, then set every object still alive aside from Python's
    cyclic garbage collector (``gc.freeze``); the number of objects set aside.

    A web worker holds about 270,000 objects once Django, Wagtail and the project are loaded.
    A page that reads tens of thousands of rows (the chairman's board at a month-end: 22,000
    lines) triggers the collector's full passes, and each pass walks all of those objects
    again although none of them will ever be freed: 40 % of that page's CPU (docs/operations.md
    §10). Frozen objects are skipped by every later pass. They are never collected, so a
    process settles only between requests or tasks, after a full collection, and the objects
    it frees later by reference counting (nearly all) are freed as usual; what a frozen cycle
    would hold stays until the process is recycled (``--max-requests``, ``--max-tasks``). This
    is the use Python's documentation gives for ``gc.freeze``. A web worker settles before a
    request (deploy/gunicorn.conf.py's ``pre_request``) and the worker before a task
    (:func:`before_task`), when the last one's objects are gone."""
    if not FREEZE:
        return 0
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def settles_after(count: int) -> bool:
    """Whether a process settles after its ``count``-th request or task."""
    return count in SETTLE_AT or count % SETTLE_EVERY == 0


def settle_due(served: int) -> None:
    """Before the next request or task of a process that has served ``served``: settle when
    it is due (:func:`settles_after`). The one schedule of the web workers
    (deploy/gunicorn.conf.py's ``pre_request``) and the background worker (:func:`before_task`)."""
    if served and settles_after(served):
        settle()


#: ``KPI_TRACE_MEMORY=<file>``: the worker traces its Python allocations (tracemalloc) and, every
#: :data:`TRACE_EVERY` tasks, appends to <file> what grew most since its 50th task — to tell a
#: cache that fills from a leak (benchmarks/soak.py passes it on to its worker).
TRACE_FILE = os.environ.get("KPI_TRACE_MEMORY", "")
TRACE_EVERY = 200
_tasks = 0
_baseline = None


def before_task() -> None:
    """What the worker does before each task: settle after its 1st and 10th task and every
    100th. Before the next task, not after the last: a failed task's exception, traceback and
    frames are still alive while the worker reports it, and what they hold would be set aside
    for good; by the next task they are gone."""
    settle_due(_tasks)


def after_task() -> None:
    """What the worker does after each task: give memory back, and trace it when asked."""
    global _tasks, _baseline
    _tasks += 1
    release()
    if not TRACE_FILE:
        return
    import tracemalloc

    if not tracemalloc.is_tracing():
        tracemalloc.start(8)
    if _tasks == 50:
        _baseline = tracemalloc.take_snapshot()
    elif _baseline is not None and _tasks % TRACE_EVERY == 0:
        growth = tracemalloc.take_snapshot().compare_to(_baseline, "lineno")
        with open(TRACE_FILE, "a", encoding="utf-8") as out:
            total = sum(stat.size_diff for stat in growth)
            out.write(f"after {_tasks} tasks: {total / 1024:+.0f} KiB since task 50\n")
            for stat in growth[:15]:
                out.write(f"    {stat}\n")
