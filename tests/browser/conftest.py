"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright; no browser download."""

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.gate import browser_page

CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
ROOT = Path(__file__).resolve().parents[2]
# The user guide's pictures taken by the journeys (test_guide.py, test_quarterly_assessment.py):
# an untracked folder, so a test run never changes the guide; ``make guide-screenshots`` sets
# KPI_GUIDE_SCREENSHOTS=docs/huong-dan/anh to refresh the guide's own pictures on purpose.
GUIDE_SHOTS = Path(os.environ.get("KPI_GUIDE_SCREENSHOTS") or ARTIFACTS / "huong-dan" / "anh")
if not GUIDE_SHOTS.is_absolute():
    GUIDE_SHOTS = ROOT / GUIDE_SHOTS
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by tests and
# fixtures around it are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" not in str(item.fspath):
            continue
        item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (run: make browser-deps)")
    from playwright.sync_api import sync_playwright

    from tests.exact_restore import keep_connections

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        keep_connections()
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    with browser_page(
        browser, live_server, locale="vi-VN", viewport={"width": 1280, "height": 900}
    ) as page:
        yield page


@pytest.fixture
def screenshot(page):
    def take(name):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


def login(page, username, password):
    page.goto(f"{page.base_url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}/admin/")
