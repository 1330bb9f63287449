"""The live server's requests are over before a browser test's database is put back.

With the test database in memory (SQLite), the live server's request threads and the test's
own thread use one database connection (pytest-django's ``LiveServer`` passes it to them). A
request still running when the test ends then runs *inside* the teardown's flush and restore:
SQLite refuses the flush ("cannot start a transaction within a transaction") and the
connection stays in a transaction that every later test of the process trips on. The CI of
stop 70 (29/11/2026) showed it: Wagtail's editing-session page sends its "release" request
(``navigator.sendBeacon``, so Playwright never sees it) while the page closes, the release
deleted its row while the teardown flushed, and 5 tests failed and 14 errored after it in
that process.

So the server's application is wrapped in a :class:`Gate`: requests are counted from the
moment the application is called until their response is closed, and a browser context is
opened and closed through :func:`browser_context`, which, when the last open context ends,
closes the gate (a request that comes later is answered 503 without reaching Django, so
without the database), waits for the counted requests to finish, and only then closes the
browser context, and then waits for the server's connection threads to end (each ends with
Django's ``connections.close_all()``, which checks the shared connection). Nothing that the
pages start can touch the database after that.

The gate also lets **one request at a time** reach Django. The shared connection is one
SQLite connection with one transaction state: two requests that run together interleave their
savepoints on it. The CI of stop 71 (30/11/2026) showed it: a catalog page's "submit" POST ran
while Wagtail's editing-session ping (the edit page sends one every 10 s) was inside its own
atomic block; SQLite answered "no such savepoint", the POST was answered 503 and the catalog
never entered its workflow. A browser sends background requests (pings, polls, beacons) beside
the one the test drives, over several connections; in production each server thread has its
own connection, so serialising the requests here hides nothing the tests look at.
"""

from __future__ import annotations

import functools
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Locator, Page

#: How long a closing context waits for the server's requests (a hung request is a failure).
DRAIN_SECONDS = 60.0

_CLOSED_BODY = "Máy chủ thử đã đóng cho bài kiểm thử này.".encode()


class _Response:
    """The application's response, counted until the server closes it (WSGI calls ``close``
    after the last byte, or when the client went away)."""

    def __init__(self, result, done):
        self._result = result
        self._done = done

    def __iter__(self):
        return iter(self._result)

    def close(self):
        try:
            close = getattr(self._result, "close", None)
            if close is not None:
                close()
        finally:
            self._done()


class Gate:
    """A WSGI wrapper around the live server's application: counts the requests running and
    refuses new ones while no browser context is open."""

    def __init__(self, app):
        self.app = app
        self._lock = threading.Condition()
        self._contexts = 0
        self._running: Counter[str] = Counter()
        self._connections = 0  # the server's connection threads alive (keep-alive ones too)
        #: Held by the one request in Django, from the call until its response is closed.
        self._one_at_a_time = threading.Lock()
        #: The most requests that were inside Django at once (1 unless serialising broke).
        self.most_at_once = 0
        self._inside = 0
        #: Requests answered 503 because they came after their context closed (for tests).
        self.refused: list[str] = []

    @classmethod
    def of(cls, server) -> Gate:
        """The gate on ``server`` (a pytest-django ``LiveServer``), installed on first use."""
        httpd = server.thread.httpd
        app = httpd.get_app()
        if isinstance(app, Gate):
            return app
        gate = cls(app)
        httpd.set_app(gate)
        gate._count_connections(httpd)
        return gate

    def _count_connections(self, httpd) -> None:
        """Count the server's connection threads, from their accept (in the server's thread)
        to their end: a browser's keep-alive connection ends its thread only when the browser
        closes it, and the thread's last act is Django's ``connections.close_all()`` on the
        shared connection."""
        accept, serve = httpd.process_request, httpd.process_request_thread

        def process_request(request, client_address):
            with self._lock:
                self._connections += 1
            try:
                accept(request, client_address)
            except BaseException:
                self._connection_ended()
                raise

        def process_request_thread(request, client_address):
            try:
                serve(request, client_address)
            finally:
                self._connection_ended()

        httpd.process_request = process_request
        httpd.process_request_thread = process_request_thread

    def _connection_ended(self) -> None:
        with self._lock:
            self._connections -= 1
            self._lock.notify_all()

    def connections(self) -> int:
        with self._lock:
            return self._connections

    def __call__(self, environ, start_response):
        name = f"{environ.get('REQUEST_METHOD', '')} {environ.get('PATH_INFO', '')}"
        with self._lock:
            if not self._contexts:
                self.refused.append(name)
                admitted = False
            else:
                self._running[name] += 1
                admitted = True
        if not admitted:
            start_response(
                "503 Service Unavailable", [("Content-Type", "text/plain; charset=utf-8")]
            )
            return [_CLOSED_BODY]
        self._one_at_a_time.acquire()
        with self._lock:
            self._inside += 1
            self.most_at_once = max(self.most_at_once, self._inside)
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self._finished(name)
            raise
        return _Response(result, lambda: self._finished(name))

    def _finished(self, name: str) -> None:
        with self._lock:
            self._inside -= 1
            self._one_at_a_time.release()
            self._running[name] -= 1
            if not self._running[name]:
                del self._running[name]
            self._lock.notify_all()

    def running(self) -> dict[str, int]:
        with self._lock:
            return dict(self._running)

    def opened(self) -> None:
        with self._lock:
            self._contexts += 1

    def closing(self) -> None:
        """One context is ending. When it was the last: refuse new requests, then wait until
        those running are done (AssertionError naming them after :data:`DRAIN_SECONDS`)."""
        with self._lock:
            self._contexts -= 1
            if not self._contexts:
                self._wait(
                    lambda: not self._running,
                    lambda: f"the live server's requests still running: {dict(self._running)}",
                )

    def closed(self) -> None:
        """After the browser context closed: when no other is open, wait until the server's
        connection threads have ended (the browser closed their sockets)."""
        with self._lock:
            if not self._contexts:
                self._wait(
                    lambda: not self._connections,
                    lambda: f"{self._connections} connections to the live server still open",
                )

    def _wait(self, done, left) -> None:
        """With the lock held: wait until ``done()``; after :data:`DRAIN_SECONDS`, fail with
        ``left()`` (what is still open)."""
        if not self._lock.wait_for(done, timeout=DRAIN_SECONDS):
            raise AssertionError(f"{left()} {DRAIN_SECONDS:.0f} s after the test's pages closed")


def _waiting_for_the_page(action):
    """``action`` (a click or a key press), then, unless told ``no_wait_after``, wait for the
    ``load`` event of the page's document: Playwright's action returns once a navigation it
    started has *begun* loading, and a text read then may meet a document parsed half-way (the
    CI of stop 71: ``inner_text('#account-provision')`` was '' — the form was in the document,
    its paragraph not yet). When the action navigated nowhere the document is loaded already
    and the wait returns at once."""

    @functools.wraps(action)
    def acting(self, *args, **kwargs):
        result = action(self, *args, **kwargs)
        if not kwargs.get("no_wait_after"):
            page = self if isinstance(self, Page) else self.page
            page.wait_for_load_state("load")
        return result

    acting.waits_for_the_page = True  # type: ignore[attr-defined]
    return acting


def _actions_wait_for_their_page() -> None:
    """Every click and key press of the browser tests waits for the page it led to (above)."""
    for cls in (Page, Locator):
        for name in ("click", "dblclick", "press"):
            action = getattr(cls, name)
            if not getattr(action, "waits_for_the_page", False):
                setattr(cls, name, _waiting_for_the_page(action))


@contextmanager
def browser_context(browser, server, **options) -> Iterator:
    """``browser.new_context(**options)`` whose pages' requests to ``server`` are over, and
    can start no more, once the block has ended (see the module's docstring)."""
    _actions_wait_for_their_page()
    gate = Gate.of(server)
    gate.opened()
    try:
        context = browser.new_context(**options)
    except BaseException:
        gate.closing()
        raise
    try:
        yield context
    finally:
        try:
            gate.closing()
        finally:
            context.close()
        gate.closed()


@contextmanager
def browser_page(browser, server, *, timeout: int = 15_000, **options) -> Iterator:
    """A page of a new :func:`browser_context` whose ``base_url`` is ``server``'s, with
    Playwright's waits at ``timeout`` ms."""
    with browser_context(browser, server, **options) as context:
        context.set_default_timeout(timeout)
        page = context.new_page()
        page.base_url = server.url
        yield page


#: A phone of 390 × 844 CSS pixels, in Vietnamese (the phone tests' screens).
PHONE = {"width": 390, "height": 844}
PHONE_OPTIONS = {
    "locale": "vi-VN",
    "viewport": PHONE,
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 1,
}
