"""The browser tests' own set-up: Playwright's sync API marks its event loop as running in the
test thread, where Django then keeps connections per context; the test code must still use the
connection the test database was set up on (tests/exact_restore.py ``keep_connections``), or
every later serialized-rollback test of the process starts from a database that is not the
migrated one (CI of stop 51)."""

import asyncio

import pytest

from tests import demo_replay, exact_restore

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_after_a_browser_call_the_tests_keep_the_test_databases_connection(browser):
    from django.db import connection, connections

    browser.new_context().close()  # a sync call: Playwright leaves its loop marked running
    assert asyncio.get_running_loop() is not None
    assert connections["default"] is exact_restore._INSTALLED["default"]
    assert hasattr(connection, "_test_serialized_contents")
    copy = exact_restore._COPIES["default"]
    now = demo_replay._snapshot()
    assert demo_replay._digest(now) == demo_replay._digest(copy), demo_replay.differences(copy, now)
