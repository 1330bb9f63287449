"""A browser test's pages are done with the database when the test ends (tests/browser/gate.py).

The CI of stop 70 (29/11/2026): a request that a closing page sent (Wagtail's editing-session
"release") ran in the live server while the test's teardown flushed the database they share;
SQLite refused the flush, and 5 tests failed and 14 errored after it in that process."""

import functools
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest

from org.access import HOME_AFFAIRS_GROUP
from org.roles import ensure_roles
from tests.browser.conftest import login
from tests.browser.gate import Gate, browser_context
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "matkhau-123"  # tests.factories.UserFactory
SLOW = "/admin/reports/site-history/"


@contextmanager
def in_front(gate: Gate, wrapper):
    """For the block, the gate's application is ``wrapper(application, environ,
    start_response)``: the test's own look at (or answer to) each request."""
    application = gate.app
    gate.app = functools.partial(wrapper, application)
    try:
        yield
    finally:
        gate.app = application


def test_a_request_running_when_the_test_ends_is_over_before_its_database_is_put_back(
    browser, live_server
):
    ensure_roles()
    UserFactory(username="sonoivu.cong", full_name="Lê Văn Cổng", groups=[HOME_AFFAIRS_GROUP])
    gate = Gate.of(live_server)
    ran: list[tuple[str, float]] = []
    slow_started = threading.Event()

    def recording(application, environ, start_response):
        name = f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}"
        if environ["PATH_INFO"] == SLOW:
            slow_started.set()
            time.sleep(1.5)  # a request the page started and the test did not wait for
        result = application(environ, start_response)
        ran.append((name, time.monotonic()))
        return result

    with in_front(gate, recording):
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


def test_requests_a_page_sends_together_reach_django_one_at_a_time(browser, live_server):
    """The CI of stop 71 (30/11/2026): a catalog's "submit" POST ran while the edit page's
    editing-session ping was inside its atomic block on the same SQLite connection; SQLite
    answered "no such savepoint" and the POST was answered 503. Here a page sends three
    requests at once, each of which stays inside Django for a while: they run one after the
    other, and every one gets its page."""
    ensure_roles()
    UserFactory(username="sonoivu.mot", full_name="Lê Văn Một", groups=[HOME_AFFAIRS_GROUP])
    gate = Gate.of(live_server)
    inside: list[int] = [0]
    overlaps: list[int] = []
    lock = threading.Lock()

    def slow(application, environ, start_response):
        if environ["PATH_INFO"] == "/admin/login/":
            with lock:
                inside[0] += 1
                overlaps.append(inside[0])
            time.sleep(0.3)  # long enough for the others to arrive meanwhile
            with lock:
                inside[0] -= 1
        return application(environ, start_response)

    with in_front(gate, slow):
        with browser_context(browser, live_server, locale="vi-VN") as context:
            page = context.new_page()
            page.goto(f"{live_server.url}/admin/login/")
            statuses = page.evaluate(
                """() => Promise.all([1, 2, 3].map(
                    (n) => fetch('/admin/login/?n=' + n).then((r) => r.status)))"""
            )
        assert statuses == [200, 200, 200]
        assert overlaps == [1, 1, 1, 1]  # the page itself, then its three requests
        assert gate.most_at_once == 1


def test_a_click_that_opens_a_page_returns_once_that_page_has_loaded(browser, live_server):
    """The CI of stop 71: right after a click that submitted a form, the text of the page's
    ``#account-provision`` read '' — Playwright returned when the new page began loading, and
    the browser had parsed the form but not yet its paragraph. Here the page arrives in two
    parts a second apart; the text read after the click is the whole of it."""
    gate = Gate.of(live_server)

    def halves(application, environ, start_response):
        if environ["PATH_INFO"] == "/hai-phan/":
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])

            def body():
                yield b"<!doctype html><title>x</title><form id='ket-qua'>" + b" " * 4096
                time.sleep(1.0)
                yield "<p>2 người đang công tác chưa có tài khoản.</p></form>".encode()

            return body()
        if environ["PATH_INFO"] == "/mo/":
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [b"<!doctype html><title>y</title><a id='di' href='/hai-phan/'>Xem</a>"]
        return application(environ, start_response)

    with (
        in_front(gate, halves),
        browser_context(browser, live_server, locale="vi-VN") as context,
    ):
        page = context.new_page()
        page.goto(f"{live_server.url}/mo/")
        page.click("#di")
        assert page.inner_text("#ket-qua") == "2 người đang công tác chưa có tài khoản."
        page.goto(f"{live_server.url}/mo/")
        page.locator("#di").click()
        assert page.inner_text("#ket-qua") == "2 người đang công tác chưa có tài khoản."
