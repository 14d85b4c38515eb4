"""Driving the web studio in real Chromium (Debian's build, headless) with Playwright.

The ``browser`` fixture lives in ``conftest.py``; a test module that uses it marks itself
``browser`` and skips when Chromium or Playwright is missing (``needs_chromium()``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "web"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
WAIT_MS = 90_000  # a loaded CI machine can take seconds per API round trip
EXPECT_MS = 30_000  # what an expect() waits for unless it says otherwise


def needs_chromium() -> None:
    """Skip the calling module when Chromium or Playwright is not installed."""
    pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():  # pragma: no cover - environment without Debian's chromium
        pytest.skip("Debian's chromium is not installed", allow_module_level=True)


def open_studio(
    browser: Browser,
    url: str,
    viewport: dict[str, int] = DESKTOP,
    *,
    locale: str = "en-US",
    timeout_ms: int = WAIT_MS,
) -> Page:
    """A new browser context on the studio, ready; script errors collect in ``page.errors``."""
    ctx = browser.new_context(locale=locale, viewport=viewport, accept_downloads=True)  # type: ignore[arg-type]
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(timeout_ms)
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='1']")
    page.errors = errors  # type: ignore[attr-defined]
    return page


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def send(page: Page, text: str) -> None:
    box = page.locator("#composer-input")
    box.fill(text)
    box.press("Enter")


def idle(page: Page, timeout_ms: int = WAIT_MS) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#working")).to_be_hidden(timeout=timeout_ms)
    expect(page.locator("#send-btn")).to_be_enabled(timeout=30_000)


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, f"the page is {width} px wide in a {inner} px window"
