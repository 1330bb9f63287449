"""The one retry policy for background work (scoring runs, imports, connector runs, outgoing
mail, national deliveries): a bounded number of attempts, each after a delay that doubles from
``first`` up to ``longest``. Every kind of job asks this module when to try again and when to
give up; none keeps a back-off of its own."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


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
