"""The test clock for modules that read the day when they are collected (``TODAY =
timezone.localdate()`` at the top): a run across midnight, Vietnam time, put the code a day
ahead of the module's ``TODAY`` (CI of 30/11/2026, 17:00 UTC: corrections due "tomorrow", a
work plan's items a day later, an export of the wrong day). Such a module's tests run with
the clock at 10:00 of its ``TODAY``, ticking::

    @pytest.fixture(autouse=True)
    def _clock():
        with on_the_day(TODAY):
            yield
"""

import contextlib
import datetime

import time_machine

from django.utils import timezone


@contextlib.contextmanager
def on_the_day(day: datetime.date):
    moment = datetime.datetime.combine(
        day, datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(moment, tick=True):
        yield
