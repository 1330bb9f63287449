import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.connectors.world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture
def in_november():
    """A November day of 2026 (the world's month) on the clock, ticking. A package the system
    cannot read counts in the month it arrives: a test reconciling November with one of them
    passed only while the real date was in November (failed from 1 December, Vietnam time)."""
    moment = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=True):
        yield
