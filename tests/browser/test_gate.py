"""A browser test's pages are done with the database when the test ends (tests/browser/gate.py).

The CI of stop 70 (29/11/2026): a request that a closing page sent (Wagtail's editing-session
"release") ran in the live server while the test's teardown flushed the database they share;
SQLite refused the flush, and 5 tests failed and 14 errored after it in that process."""

import threading
import time
import urllib.error
import urllib.request

import pytest

from org.access import HOME_AFFAIRS_GROUP
from org.roles import ensure_roles
from tests.browser.conftest import login
from tests.browser.gate import Gate, browser_context
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "matkhau-123"  # tests.factories.UserFactory
SLOW = "/admin/reports/site-history/"


def test_a_request_running_when_the_test_ends_is_over_before_its_database_is_put_back(
    browser, live_server
):
    ensure_roles()
    UserFactory(username="sonoivu.cong", full_name="Lê Văn Cổng", groups=[HOME_AFFAIRS_GROUP])
    gate = Gate.of(live_server)
    application = gate.app
    ran: list[tuple[str, float]] = []
    slow_started = threading.Event()

    def recording(environ, start_response):
        name = f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}"
        if environ["PATH_INFO"] == SLOW:
            slow_started.set()
            time.sleep(1.5)  # a request the page started and the test did not wait for
        result = application(environ, start_response)
        ran.append((name, time.monotonic()))
        return result

    gate.app = recording
    try:
        with browser_context(browser, live_server, locale="vi-VN") as context:
            page = context.new_page()
            page.base_url = live_server.url
            login(page, "sonoivu.cong", PASSWORD)
            page.evaluate(f"() => {{ fetch('{SLOW}'); }}")  # not awaited
            assert slow_started.wait(30), "the page's request never reached the server"
        ended = time.monotonic()

        # The request the page had started ran to its end before the block ended …
        assert [n for n, _ in ran if n == f"GET {SLOW}"] == [f"GET {SLOW}"]
        assert all(at <= ended for _, at in ran), [(n, at - ended) for n, at in ran]
        assert gate.running() == {}
        assert gate.connections() == 0  # the browser's keep-alive connections too
        # … and what comes after it never reaches Django (nor the database).
        count = len(ran)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{live_server.url}/admin/login/", timeout=30)  # noqa: S310 (http)
        assert refused.value.code == 503
        assert refused.value.read().decode() == "Máy chủ thử đã đóng cho bài kiểm thử này."
        assert len(ran) == count
        assert "GET /admin/login/" in gate.refused
    finally:
        gate.app = application
