"""The studio plays a preview while it renders: its stream (the real renderer's fragmented MP4
through the server's stream link) goes to the player through Media Source Extensions, so the
first frame shows before the render has finished; then the finished file takes over."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conftest import LiveServer
from studiokit import WAIT_MS, needs_chromium, open_studio, send

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]
needs_chromium()

# the player's loads and every render status the studio polls, on the page's own clock
PROBE = """
(() => {
  window.__loads = [];
  window.__done = [];
  document.addEventListener("loadeddata", (e) => {
    if (e.target.id === "video") window.__loads.push({ t: performance.now(), src: e.target.currentSrc });
  }, true);
  const orig = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const res = await orig(input, init);
    const url = typeof input === "string" ? input : input.url;
    if (url.includes("/api/render/proxy/lambda/")) {
      res.clone().json().then((b) => { if (b.status === "completed") window.__done.push(performance.now()); }).catch(() => {});
    }
    return res;
  };
})();
"""


def test_the_studio_plays_a_preview_while_it_renders(
    browser: Browser, server_factory: Callable[..., LiveServer]
) -> None:
    srv = server_factory(studio="", fake_engines=True)  # the real renderer, tones for speech and music
    page = open_studio(browser, srv.url)
    page.context.add_init_script(PROBE)
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    send(page, "a 60-second video about tea")
    expect(page.locator("#preview-status")).to_have_text("Preview ready", timeout=WAIT_MS * 2)
    loads = page.evaluate("window.__loads")
    done = page.evaluate("window.__done")
    live = [x for x in loads if x["src"].startswith("blob:")]
    assert live, f"the stream was never played: {loads}"
    assert done and live[0]["t"] < done[0], "the first frame showed before the render had finished"
    # then the finished file, whole and seekable
    final = page.evaluate("document.querySelector('#video').currentSrc")
    assert "/download?" in final
    page.wait_for_function("() => document.querySelector('#video').duration > 59")
    assert not page.errors  # type: ignore[attr-defined]
    page.context.close()
