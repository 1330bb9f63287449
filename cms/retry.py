"""The one retry policy for background work (scoring runs, imports, connector runs, outgoing
mail, national deliveries): a bounded number of attempts, each after a delay that doubles from
``first`` up to ``longest``. Every kind of job asks this module when to try again and when to
give up; none keeps a back-off of its own. A step re-run at once within a request (a decision
PostgreSQL ended for a deadlock) goes through :func:`rerun`: no module keeps a retry loop of
its own (``tests/test_architecture.py``)."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    #: After this many failed attempts the work is given up and shown as failed.
    max_attempts: int = 5
    first: datetime.timedelta = datetime.timedelta(minutes=1)
    longest: datetime.timedelta = datetime.timedelta(hours=2)

    def delay(self, attempts: int) -> datetime.timedelta:
        """The wait after the ``attempts``-th failed attempt (1 → ``first``, then doubling)."""
        steps = min(max(attempts - 1, 0), 30)
        return min(self.first * (2**steps), self.longest)

    def gives_up(self, attempts: int) -> bool:
        """Whether ``attempts`` failed attempts are the last allowed."""
        return attempts >= self.max_attempts

    def next_attempt(self, attempts: int, now: datetime.datetime) -> datetime.datetime | None:
        """When to try again after ``attempts`` failures, or None once given up."""
        if self.gives_up(attempts):
            return None
        return now + self.delay(attempts)


def rerun(
    step: Callable[[], T],
    *,
    attempts: int,
    retryable: Callable[[Exception], bool],
    pause: float = 0.05,
    spread: float = 0.25,
) -> T:
    """``step()``, run again — up to ``attempts`` runs in all — when it raises an exception
    ``retryable`` accepts (a deadlock or serialization failure that PostgreSQL ended), after a
    short random pause growing with the attempt (``pause`` … ``spread`` seconds × attempt: two
    requests that collided do not collide again in step). Any other exception, or the last
    attempt's, is raised."""
    for attempt in range(1, attempts + 1):
        try:
            return step()
        except Exception as exc:
            if attempt == attempts or not retryable(exc):
                raise
            time.sleep(random.uniform(pause, spread) * attempt)  # noqa: S311 - jitter
    raise AssertionError("unreachable")
