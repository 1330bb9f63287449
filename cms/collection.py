"""Pausing Python's cyclic garbage collector around bulk work.

Used around the imports (``importers.pipeline``) and the scoring batches (``scoring.services.
period_batch.score_period``, ``scoring.services.annual.score_year``): the one way to pause it.
A large import builds millions of short-lived containers (calamine's rows, the columns, the
tuples sent to the database). The collector then runs full passes over all of them again and
again, which cost a sixth of a 100,000-line import's CPU and free nothing: that work makes no
reference cycles worth collecting early. Reference counting still frees everything as usual;
only cycles wait until the pause ends, when the collector resumes on its normal schedule.

The pause is process-wide, so it is counted: with two imports in two threads, the collector
resumes when the last one ends, and never stays off because one began while another ran.
"""

import contextlib
import gc
import threading

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextlib.contextmanager
def collection_paused():
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
