"""The server goes away and comes back, in real Chromium against the real server (fake studio).

A request that cannot reach the server says so and that the studio reconnects by itself; once the
server answers again the notice goes and the project is shown as the server has it, and the next
edit works, with no reload of the page. Screenshots land in ``test-artifacts/web/reconnect-*``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from conftest import LiveServer
from studiokit import PHONE, idle, needs_chromium, open_studio, send, shot

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]
needs_chromium()


def test_the_studio_reconnects_when_the_server_is_back(
    browser: Browser, server_factory: Callable[..., LiveServer]
) -> None:
    srv = server_factory(anonymous_credits=1000)
    page = open_studio(browser, srv.url, PHONE)
    send(page, "a 4-second video about tea")
    expect(page.locator(".tl-lane").first).to_be_visible()
    idle(page)
    title = page.locator("#project-title").inner_text()

    srv.stop()
    send(page, "make it vertical")
    notice = page.locator('[data-notice="network"]')
    expect(notice).to_contain_text("could not be reached")
    expect(notice).to_contain_text("reconnects by itself")
    expect(page.locator("#send-btn")).to_be_enabled()
    shot(page, "reconnect-1-down")

    srv.start()
    expect(notice).to_have_count(0)
    expect(page.locator(".tl-lane").first).to_be_visible()
    expect(page.locator("#project-title")).to_have_text(title)
    expect(page.locator(".msg.user").first).to_contain_text("a 4-second video about tea")
    expect(page.locator("#preview-status")).to_have_text("Preview ready")
    shot(page, "reconnect-2-back")

    send(page, "make it vertical")
    expect(page.locator(".msg.agent", has_text="Made it vertical")).to_have_count(1)
    idle(page)
    expect(page.locator("#player")).to_have_class(re.compile(r"\bportrait\b"))
    assert not [e for e in page.errors if "Failed to fetch" not in e]  # type: ignore[attr-defined]
    page.context.close()
