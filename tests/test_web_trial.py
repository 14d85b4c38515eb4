"""A new user's first hour in the studio, in real Chromium at desktop and phone sizes.

Trial credits (the defaults: generation 20, edit 2) pay for one video and ten edits; a reload
mid-generation reattaches to the running turn; the conversation comes back from the server;
中文 leaves no English in the interface; the export is named after the title; no page scrolls
sideways on a phone. Screenshots land in ``test-artifacts/web/trial-*``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from conftest import LiveServer
from serverkit import Api
from studiokit import DESKTOP, PHONE, idle, needs_chromium, no_sideways_scroll, open_studio, send, shot

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page, expect

from promptreel.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]
needs_chromium()

DEFAULTS = Settings.model_fields
TRIAL = {
    "cost_generate": DEFAULTS["cost_generate"].default,
    "cost_edit": DEFAULTS["cost_edit"].default,
    "signup_credits": DEFAULTS["signup_credits"].default,
}
# words that may stay Latin in the Chinese interface: the product, the file format, the
# language switch, and the fake studio's own content (a title, clip texts)
ALLOWED = {"promptreel", "mp4", "en", "shift", "fake", "s"}


def latin_words(page: Page) -> set[str]:
    """Latin words in the visible interface (the conversation and the video's own texts excluded)."""
    text: str = page.evaluate(
        """() => {
      const skip = (n) => n.closest('.msg, .tl-seg, .tl-type, #project-title, .summary, #details h3, #details dd.content, script, style');
      const out = [];
      const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const el = n.parentElement;
        if (!el || skip(el) || !n.textContent.trim()) continue;
        const r = el.getBoundingClientRect();
        const cs = getComputedStyle(el);
        if (!r.width || !r.height || cs.visibility === 'hidden' || el.closest('[hidden]')) continue;
        out.push(n.textContent);
      }
      for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
        if (el.closest('.msg, .tl-seg, [hidden]')) continue;
        const r = el.getBoundingClientRect();
        if (!r.width) continue;
        out.push(el.getAttribute('placeholder') || '', el.getAttribute('aria-label') || '');
      }
      return out.join(' ');
    }"""
    )
    return {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", text)} - ALLOWED


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_first_hour(
    browser: Browser, server_factory: Callable[..., LiveServer], tmp_path: Path, viewport: dict[str, int]
) -> None:
    tag = "desktop" if viewport is DESKTOP else "phone"
    srv = server_factory(**TRIAL)
    page = open_studio(browser, srv.url, viewport)
    expect(page.locator("#credits-value")).to_have_text("100")
    no_sideways_scroll(page)
    shot(page, f"trial-{tag}-01-empty")

    # generate, then ten edits on the trial's credits
    send(page, "a 4-second video about tea")
    expect(page.locator(".tl-lane").first).to_be_visible(timeout=60_000)
    idle(page)
    expect(page.locator("#credits-value")).to_have_text("80")
    for i in range(10):
        send(page, "make it vertical")
        expect(page.locator(".msg.agent", has_text="Made it vertical")).to_have_count(i + 1, timeout=30_000)
        idle(page)
    expect(page.locator("#credits-value")).to_have_text("60")
    expect(page.locator(".notice.error")).to_have_count(0)
    expect(page.locator(".msg.agent", has_text="Done.")).to_have_count(0)
    assert page.evaluate("getComputedStyle(document.querySelector('#player')).aspectRatio").replace(
        " ", ""
    ) in (
        "1080/1920",
        "auto1080/1920",
    )
    expect(page.locator(".tl-seg-num").first).to_have_text("1")
    page.locator("#undo-btn").click()
    idle(page)
    expect(page.locator("#credits-value")).to_have_text("60")  # undo is free
    no_sideways_scroll(page)
    shot(page, f"trial-{tag}-02-ten-edits")
    history = page.locator(".msg:not(.tool)").count()

    # reload after: the same conversation, from the server
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator(".msg:not(.tool)")).to_have_count(history)
    expect(page.locator(".tl-lane").first).to_be_visible(timeout=60_000)

    # a second project, reloaded mid-generation: progress and the result come back
    page.on("dialog", lambda d: d.accept())
    page.locator("#new-project").click()
    expect(page.locator(".msg")).to_have_count(0)
    send(page, "a SLOW 4-second video about coffee")
    expect(page.locator("#working")).to_be_visible()
    page.wait_for_function("() => !!localStorage.getItem('promptreel.session')")
    expect(page.locator(".msg.user")).to_have_count(1)
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#working")).to_be_visible()
    expect(page.locator(".msg.user")).to_have_count(1)
    shot(page, f"trial-{tag}-03-reattached")
    idle(page)
    expect(page.locator(".msg.agent").last).not_to_have_text(re.compile("^Done"))
    expect(page.locator(".msg.agent")).to_have_count(1)
    expect(page.locator(".tl-lane").first).to_be_visible(timeout=60_000)
    expect(page.locator("#credits-value")).to_have_text("40")
    shot(page, f"trial-{tag}-04-after-reload")

    # export: the file is named after the title
    page.locator("#export-btn").click()
    link = page.locator("#download-link")
    expect(link).to_be_visible(timeout=90_000)
    with page.expect_download() as dl:
        link.click()
    assert dl.value.suggested_filename == "Fake.mp4"
    shot(page, f"trial-{tag}-05-exported")

    # 中文: remembered, and no English left in the interface
    page.locator("#lang-btn").click()
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#export-btn")).to_have_text("导出")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#export-btn")).to_have_text("导出")
    page.locator(".tl-seg").first.click()
    expect(page.locator("#details")).to_be_visible()
    left = latin_words(page)
    assert left == set(), " ".join(sorted(left))
    no_sideways_scroll(page)
    shot(page, f"trial-{tag}-06-chinese")
    assert not page.errors  # type: ignore[attr-defined]
    page.context.close()


@pytest.mark.parametrize("width", [360, 390, 430])
def test_no_sideways_scroll_on_phones(browser: Browser, live_server: str, width: int) -> None:
    page = open_studio(browser, live_server, {"width": width, "height": 800})
    send(page, "a 4-second video about tea")
    expect(page.locator(".tl-lane").first).to_be_visible(timeout=60_000)
    idle(page)
    no_sideways_scroll(page)
    for sel in ("#send-btn", "#export-btn", "#composer-input", "#video"):
        box = page.locator(sel).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, sel
    for sel in ("#send-btn", "#export-btn", "#undo-btn", "#lang-btn", ".tl-seg"):
        box = page.locator(sel).first.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44, (sel, box)
    page.context.close()


# ----------------------------------------------------------------------------- HTTP


def test_trial_costs_signup_grant_and_conversation(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(**TRIAL)
    api = Api(srv.url)
    api.anonymous()
    costs = httpx.get(srv.url + "/api/credits/costs", headers=api.headers()).json()["data"]
    assert costs == {"generate": 20, "edit": 2, "export": 0, "unlimited": False, "signup_credits": 100}
    sid = api.session()["session_id"]
    assert api.run(sid, "a 4-second video about tea").complete
    for _ in range(10):
        assert api.run(sid, "make it vertical").complete
    assert api.balance()["available"] == 60
    st = api.state(sid)
    msgs = st["messages"]
    assert [m["role"] for m in msgs[:2]] == ["user", "agent"]
    assert msgs[0]["text"] == "a 4-second video about tea"
    assert sum(m["role"] == "user" for m in msgs) == 11
    assert msgs[-1]["text"].startswith("Made it vertical") and msgs[-1]["status"] == "completed"
    assert st["active_turn"] is None
    bind = st["bind_id"]
    reg = httpx.post(
        srv.url + "/api/auth/register",
        json={"username": "newcomer", "password": "long enough pw", "bind_id": bind},
        headers=api.headers(),
    ).json()
    assert reg["code"] == 0 and reg["data"]["credits"] == 160  # the trial's rest + the sign-up grant


def test_out_of_credits_is_refused_exactly_and_failed_turn_is_in_the_history(
    server_factory: Callable[..., LiveServer],
) -> None:
    srv = server_factory(**{**TRIAL, "anonymous_credits": 21})
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    assert api.run(sid, "a 4-second video about tea").complete
    refused = api.run(sid, "make it vertical")
    assert (
        refused.status == 402
        and refused.body
        and refused.body["code"] == 2001
        and "register" in refused.body["data"]["register_url"]
    )
    assert api.balance() == {"available": 1, "frozen": 0, "total": 1}


def test_local_mode_never_blocks(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(**{**TRIAL, "anonymous_credits": 0, "local_mode": True})
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    assert api.run(sid, "a 4-second video about tea").complete
    assert api.run(sid, "make it vertical").complete
    assert api.balance()["available"] == 0
    assert (
        httpx.get(srv.url + "/api/credits/costs", headers=api.headers()).json()["data"]["unlimited"] is True
    )
