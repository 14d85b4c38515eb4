"""In Chromium: a trial registers from Settings' bind link, then manages API tokens and sees its credits."""

from __future__ import annotations

import re

import httpx
import pytest

from studiokit import ARTIFACTS, needs_chromium

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, expect

WAIT_MS = 30_000  # a loaded CI machine can take seconds per API round trip

pytestmark = [pytest.mark.browser, pytest.mark.slow]
needs_chromium()


def test_register_then_manage_tokens_in_settings(browser: Browser, live_server: str) -> None:
    errors: list[str] = []
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(60_000)
    page.goto(live_server + "/")
    page.wait_for_selector("body[data-ready='1']")

    # a trial's Settings: no tokens, a registration link with its bind id, its credits history
    page.goto(live_server + "/settings")
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#tokens")).to_be_hidden(timeout=WAIT_MS)
    link = page.get_by_role("link", name="create an account")
    href = link.get_attribute("href") or ""
    assert href.startswith("/register?bind=bind_")
    expect(page.locator("#history-rows")).to_contain_text("granted", timeout=WAIT_MS)
    expect(page.locator("#balance")).to_contain_text("Available 100", timeout=WAIT_MS)

    link.click()
    page.wait_for_selector("body[data-ready='1']")
    page.get_by_label("Username").fill("webuser")
    page.get_by_label("Password").fill("a long passphrase")
    page.locator("#auth-submit").click()
    page.wait_for_url(live_server + "/", timeout=20_000)
    assert any(c["name"] == "promptreel_session" and c["httpOnly"] for c in ctx.cookies())

    page.goto(live_server + "/settings")
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#who")).to_have_text("Signed in as webuser", timeout=WAIT_MS)
    expect(page.locator("#history-rows")).to_contain_text("moved", timeout=WAIT_MS)
    expect(page.locator("#balance")).to_contain_text("Available 100", timeout=WAIT_MS)

    # create a token with chosen scopes: shown once, listed without its secret
    page.get_by_label("Name").fill("render bot")
    page.locator('input[name="scope"][value="render"]').check()
    page.locator("#token-create").click()
    secret = page.locator("#new-token-value")
    expect(secret).to_have_value(re.compile(r"^nmv_api_"), timeout=WAIT_MS)
    token = secret.input_value()
    row = page.locator("#token-rows tr", has_text="render bot")
    expect(row).to_contain_text("read render write", timeout=WAIT_MS)
    expect(row).to_contain_text("active", timeout=WAIT_MS)
    assert token not in page.locator("#token-table").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "20-settings-tokens.png"), full_page=True)

    bearer = {"Authorization": f"Bearer {token}"}
    me = httpx.get(f"{live_server}/api/auth/me", headers=bearer).json()["data"]
    assert me["username"] == "webuser" and me["scopes"] == ["read", "render", "write"]

    # revoke: the next request with it is refused
    page.on("dialog", lambda d: d.accept())
    row.get_by_role("button", name="Revoke token render bot").click()
    expect(row).to_contain_text("revoked", timeout=WAIT_MS)
    assert httpx.get(f"{live_server}/api/auth/me", headers=bearer).json()["code"] == 1001

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(live_server + "/signin")
    assert not any(c["name"] == "promptreel_session" for c in ctx.cookies())
    # signed out, this browser starts a fresh trial in the studio
    page.goto(live_server + "/")
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#credits-value")).to_have_text("100", timeout=WAIT_MS)
    ctx.close()
    assert not errors, errors


def test_a_token_lost_on_its_way_starts_a_fresh_trial(browser: Browser, live_server: str) -> None:
    """The server issued this browser's client id a token the page never stored (closed mid-request):
    the studio gets a new client id and a working trial instead of a week of 429s."""
    lost = "3f1c0c9e-5b7a-4a52-9d0e-6a1b2c3d4e5f"
    first = httpx.post(f"{live_server}/api/auth/anonymous-token", headers={"X-Client-Id": lost})
    assert first.json()["code"] == 0
    again = httpx.post(f"{live_server}/api/auth/anonymous-token", headers={"X-Client-Id": lost})
    assert again.status_code == 429 and again.json()["data"]["expires_at"]

    ctx = browser.new_context()
    ctx.add_init_script(
        f"localStorage.getItem('promptreel.clientId') || localStorage.setItem('promptreel.clientId', '{lost}')"
    )
    page = ctx.new_page()
    page.goto(live_server + "/")
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#credits-value")).to_have_text("100", timeout=WAIT_MS)
    fresh = page.evaluate("localStorage.getItem('promptreel.clientId')")
    assert fresh and fresh != lost
    assert page.evaluate("JSON.parse(localStorage.getItem('promptreel.token')).token").startswith("nmv_usr_")
    ctx.close()
