"""The web studio in real Chromium (Debian's, through Playwright) against the real server.

The main flow runs the real generation pipeline (``promptreel serve`` with the real studio);
the error-path tests use conftest's ``live_server`` / ``server_factory`` (fast fake studio).
Each step saves a screenshot under ``test-artifacts/web/``.
"""

from __future__ import annotations

import base64
import re
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import av
import httpx
import pytest

from conftest import LiveServer, server_env
from studiokit import ARTIFACTS, WAIT_MS, needs_chromium

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]
needs_chromium()

UPLOAD_LIMIT = 200_000


# ----------------------------------------------------------------------------- helpers


def _png(width: int = 8, height: int = 8) -> bytes:
    raw = b"".join(b"\x00" + bytes([200, 120, 40]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def real_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server with the real generation pipeline (credits enough for several edits)."""
    d = tmp_path_factory.mktemp("studio-real")
    srv = LiveServer(d, server_env(d, "", anonymous_credits=2000, max_upload_bytes=UPLOAD_LIMIT)).start()
    yield srv.url
    srv.stop()


PAGE_ERRORS: list[str] = []


@pytest.fixture(autouse=True)
def no_page_errors() -> Iterator[None]:
    PAGE_ERRORS.clear()
    yield
    assert not PAGE_ERRORS, f"script errors in the studio: {PAGE_ERRORS}"


def watch(page: Page) -> Page:
    page.on("pageerror", lambda e: PAGE_ERRORS.append(str(e)))
    return page


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def open_studio(browser: Browser, url: str, locale: str = "en-US") -> Page:
    ctx = browser.new_context(locale=locale, viewport={"width": 1360, "height": 860}, accept_downloads=True)
    page = watch(ctx.new_page())
    page.set_default_timeout(120_000)
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='1']")
    return page


def send(page: Page, text: str) -> None:
    box = page.get_by_label("Message to the video agent")
    box.fill(text)
    box.press("Enter")


def lane_roles(page: Page) -> list[str]:
    return page.locator(".tl-lane").evaluate_all("ls => ls.map(l => l.dataset.role)")


# ----------------------------------------------------------------------------- tests


def test_pages_and_static_files_are_served_locally(live_server: str) -> None:
    page = httpx.get(live_server + "/")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text), "everything must be served locally"
    assert 'content="{{version}}"' not in page.text
    js = httpx.get(live_server + "/static/js/main.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert httpx.get(live_server + "/static/css/studio.css").headers["content-type"].startswith("text/css")
    for bad in (
        "/static/../api/routes/studio.py",
        "/static/%2e%2e/%2e%2e/settings.py",
        "/static/index.html",
        "/static/",
        "/static/js/missing.js",
    ):
        assert httpx.get(live_server + bad).status_code == 404, bad
    for p in ("/workspace/claim?ct=clm_x", "/register?bind=b", "/signin"):
        r = httpx.get(live_server + p)
        assert r.status_code == 200 and 'src="/static/js/main.js"' in r.text


def test_generate_preview_edit_upload_export_claim(browser: Browser, real_url: str, tmp_path: Path) -> None:
    page = open_studio(browser, real_url)
    expect(page.locator("#credits-value")).to_have_text("2000")
    shot(page, "01-start")

    # generate from a prompt: the person's message, the working indicator with its stage, lanes
    send(page, "a 6-second video about tea")
    expect(page.locator(".msg.user")).to_have_count(1)
    expect(page.locator("#working")).to_be_visible()
    expect(page.locator("#working-text")).to_contain_text(
        re.compile("raw cut|post-production"), timeout=120_000
    )
    shot(page, "02-working")
    expect(page.locator("#working")).to_be_hidden(timeout=300_000)
    roles = lane_roles(page)
    assert roles[0] == "scenes" and {"narration", "bgm", "title"} <= set(roles)
    expect(page.locator("#summary")).to_contain_text("Timeline (")
    expect(page.locator(".msg.agent").last).to_contain_text("ready")
    expect(page.locator(".msg.tool").first).to_be_hidden()
    scene_boxes = page.locator(".tl-lane[data-role='scenes'] .tl-seg").evaluate_all(
        "bs => bs.map(b => [b.getBoundingClientRect().left, b.getBoundingClientRect().width])"
    )
    lane = page.locator("#tl-lanes").bounding_box()
    assert lane and abs(sum(w for _, w in scene_boxes) - lane["width"]) < 4, "scenes drawn to scale"
    expect(page.locator("#credits-value")).not_to_have_text("2000")

    # the preview plays while it renders (its stream), then the finished file takes over: a
    # duration, and currentTime advances with the playhead
    expect(page.locator("#preview-status")).to_have_text("Preview ready", timeout=300_000)
    assert "/stream?" not in page.evaluate("document.querySelector('#video').src")
    page.wait_for_function(
        "() => { const v = document.querySelector('#video'); return v.getAttribute('src') && v.duration > 0 }",
        timeout=300_000,
    )
    duration = page.evaluate("document.querySelector('#video').duration")
    assert 5.5 < duration < 6.5
    page.evaluate("document.querySelector('#video').muted = true; document.querySelector('#video').play()")
    page.wait_for_function("() => document.querySelector('#video').currentTime > 1")
    assert page.evaluate("parseFloat(document.querySelector('#tl-playhead').style.left)") > 10
    page.evaluate("document.querySelector('#video').pause()")
    shot(page, "03-preview-playing")

    # scrub by clicking the timeline; select a segment to see its details; tool traffic on demand
    page.locator("#tl-lanes").scroll_into_view_if_needed()
    lane = page.locator("#tl-lanes").bounding_box()
    assert lane
    page.mouse.click(lane["x"] + lane["width"] * 0.75, lane["y"] - 10)
    page.wait_for_function(
        f"() => Math.abs(document.querySelector('#video').currentTime - {duration * 0.75}) < 0.3"
    )
    page.locator(".tl-lane[data-role='scenes'] .tl-seg").nth(1).click()
    expect(page.locator("#details")).to_contain_text("Clip details")
    page.locator("#show-tools").check()
    expect(page.locator(".msg.tool").first).to_be_visible()
    expect(page.locator(".msg.tool").first).to_contain_text("generate raw cut")
    shot(page, "04-scrub-details-tools")
    page.locator("#show-tools").uncheck()

    # a chat edit changes a lane
    send(page, "remove the music")
    expect(page.locator(".msg.user")).to_have_count(2)
    expect(page.locator("#working")).to_be_hidden(timeout=300_000)
    page.wait_for_function("() => !document.querySelector(\".tl-lane[data-role='bgm']\")")
    assert "scenes" in lane_roles(page)
    expect(page.locator("#summary")).not_to_contain_text("BGM")
    shot(page, "05-edited")

    # upload with the file button (progress, then the probed facts); wrong type; too large
    good = tmp_path / "logo.png"
    good.write_bytes(_png(64, 48))
    page.locator("#file-input").set_input_files(str(good))
    expect(page.locator(".upload.ok")).to_contain_text("logo.png uploaded (photo, 64×48")
    bad = tmp_path / "notes.txt"
    bad.write_text("hello, not a picture")
    page.locator("#file-input").set_input_files(str(bad))
    expect(page.locator(".upload.bad").first).to_contain_text("not supported")
    big = tmp_path / "huge.png"
    big.write_bytes(_png() + b"\0" * (UPLOAD_LIMIT + 10_000))
    page.locator("#file-input").set_input_files(str(big))
    expect(page.locator(".upload.bad").nth(1)).to_contain_text("too large")

    # drag-and-drop upload
    handle = page.evaluate_handle(
        """(b64) => { const dt = new DataTransfer(); const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            dt.items.add(new File([bytes], 'dropped.png', {type: 'image/png'})); return dt; }""",
        base64.b64encode(_png(32, 32)).decode(),
    )
    page.dispatch_event("body", "dragenter", {"dataTransfer": handle})
    expect(page.locator("#dropzone")).to_be_visible()
    shot(page, "06-dropzone")
    page.dispatch_event("body", "drop", {"dataTransfer": handle})
    expect(page.locator(".upload.ok").nth(1)).to_contain_text("dropped.png uploaded")
    expect(page.locator("#dropzone")).to_be_hidden()
    shot(page, "07-uploads")

    # export: progress, then a download link (signed output.url) that downloads the MP4
    page.get_by_role("button", name="Export").click()
    expect(page.locator("#export-box")).to_be_visible()
    link = page.locator("#download-link")
    expect(link).to_be_visible(timeout=300_000)
    expect(page.locator("#export-text")).to_contain_text("ready")
    shot(page, "08-exported")
    with page.expect_download() as dl:
        link.click()
    saved = tmp_path / "out.mp4"
    dl.value.save_as(saved)
    with av.open(str(saved)) as c:
        v = c.streams.video[0]
        assert (v.codec_context.width, v.codec_context.height) == (1920, 1080)
        assert c.duration is not None and 5.5e6 < c.duration < 6.6e6

    # the claim link opens the project read-only in a fresh context (no token, nothing stored)
    ct = page.evaluate(
        """async () => { const s = window.promptreelStudio.state.session;
           const tok = JSON.parse(localStorage.getItem('promptreel.token')).token;
           const r = await fetch('/api/auth/claim-token', {method: 'POST', headers: {'Content-Type': 'application/json',
             Authorization: 'Bearer ' + tok, 'X-Skill-Source': 'test'},
             body: JSON.stringify({task_id: s.task_id, session_id: s.session_id})});
           return (await r.json()).data.claim_token; }"""
    )
    assert ct.startswith("clm_")
    page.context.close()
    ctx = browser.new_context(viewport={"width": 1360, "height": 860})
    viewer = watch(ctx.new_page())
    viewer.goto(f"{real_url}/workspace/claim?ct={ct}")
    viewer.wait_for_selector("body[data-ready='1']")
    expect(viewer.locator("#readonly-badge")).to_be_visible()
    expect(viewer.locator(".tl-lane[data-role='scenes'] .tl-seg")).not_to_have_count(0)
    expect(viewer.locator(".tl-lane[data-role='bgm']")).to_have_count(0)
    expect(viewer.locator("#composer")).to_be_hidden()
    expect(viewer.locator("#export-btn")).to_be_hidden()
    viewer.wait_for_function("() => document.querySelector('#video').duration > 5")
    assert "ct=" not in viewer.url
    assert viewer.evaluate("localStorage.getItem('promptreel.token')") is None
    shot(viewer, "09-claim-view")
    ctx.close()


def test_out_of_credits_links_to_registration(browser: Browser, live_server: str) -> None:
    page = open_studio(browser, live_server)
    expect(page.locator("#credits-value")).to_have_text("100")
    send(page, "a 6-second video about tea")
    expect(page.locator(".tl-lane").first).to_be_visible(timeout=WAIT_MS)  # a generation
    expect(page.locator("#working")).to_be_hidden()
    expect(page.locator("#credits-value")).to_have_text("0")
    send(page, "make it vertical")
    note = page.locator(".notice.error")
    expect(note).to_contain_text("run out of credits")
    bind = page.evaluate("window.promptreelStudio.state.session.bind_id")
    assert bind
    expect(note.get_by_role("link", name="Register")).to_have_attribute("href", f"/register?bind={bind}")
    expect(page.locator("#working")).to_be_hidden()
    shot(page, "10-no-credits")
    page.context.close()


def test_export_blocked_is_explained_apart_from_credits(
    browser: Browser, server_factory: Callable[..., LiveServer]
) -> None:
    srv = server_factory(anonymous_scopes=["read", "write", "upload"])
    page = open_studio(browser, srv.url)
    send(page, "a 4-second video about tea")
    expect(page.locator(".tl-lane").first).to_be_visible(timeout=WAIT_MS)  # a generation
    expect(page.locator("#working")).to_be_hidden()
    page.get_by_role("button", name="Export").click()
    note = page.locator(".notice.error", has_text="not allowed")
    expect(note).to_contain_text("not about credits")
    expect(note.get_by_role("link", name="Register")).to_be_visible()
    expect(page.locator("#export-text")).to_contain_text("failed")
    shot(page, "11-export-blocked")
    page.context.close()


def test_chinese_ui_and_keyboard(browser: Browser, live_server: str) -> None:
    page = open_studio(browser, live_server, locale="zh-CN")
    expect(page.get_by_role("button", name="导出")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    box = page.get_by_label("发给视频助手的消息")
    box.focus()
    page.keyboard.type("一段关于茶的 6 秒视频")
    page.keyboard.press("Enter")
    expect(page.locator(".tl-lane").first).to_be_visible(timeout=WAIT_MS)  # a generation
    expect(page.locator("#working")).to_be_hidden()
    expect(page.locator(".tl-label").first).to_contain_text("画面")
    ruler = page.locator("#tl-ruler")
    ruler.focus()
    page.keyboard.press("End")
    expect(ruler).to_have_attribute("aria-valuenow", "6000")
    page.keyboard.press("ArrowLeft")
    expect(ruler).to_have_attribute("aria-valuenow", "5000")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('tl-seg')")
    page.keyboard.press("Enter")
    expect(page.locator("#details")).to_contain_text("片段详情")
    shot(page, "12-chinese-keyboard")
    page.context.close()


def test_failed_turn_is_explained_and_nothing_charged(browser: Browser, live_server: str) -> None:
    page = open_studio(browser, live_server)
    send(page, "a 4-second video that will FAIL")
    expect(page.locator("#working")).to_be_hidden()
    expect(page.locator(".msg.agent").last).to_contain_text("Nothing was charged")
    expect(page.locator("#credits-value")).to_have_text("100")
    expect(page.locator("#send-btn")).to_be_enabled()
    shot(page, "13-failed-turn")
    page.context.close()


def test_studio_restores_the_project_after_reload(browser: Browser, live_server: str) -> None:
    headers: list[dict[str, str]] = []
    page = open_studio(browser, live_server)
    page.context.on(
        "request",
        lambda r: (
            headers.append(r.headers)
            if ("/api/" in r.url or "/run_sse" in r.url) and "/download" not in r.url
            else None
        ),
    )
    send(page, "a 4-second video about tea")
    expect(page.locator(".tl-lane").first).to_be_visible(timeout=WAIT_MS)  # a generation
    expect(page.locator("#working")).to_be_hidden()
    token = page.evaluate("localStorage.getItem('promptreel.token')")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator(".tl-lane").first).to_be_visible(timeout=WAIT_MS)  # a generation
    expect(page.locator(".msg.user")).to_have_count(1)
    assert page.evaluate("localStorage.getItem('promptreel.token')") == token
    assert "nmv_" not in page.url
    assert headers
    for h in headers:
        assert h.get("x-skill-source") == "promptreel-studio"
        assert h.get("x-skill-platform") == "web"
        assert re.fullmatch(r"\d+\.\d+\.\d+.*", h.get("x-skill-version", ""))
    page.on("dialog", lambda d: d.accept())  # "Start a new project? The current one stays in Projects."
    page.get_by_role("button", name="New project").click()
    expect(page.locator(".tl-lane")).to_have_count(0)
    expect(page.locator(".msg")).to_have_count(0)
    page.context.close()


def test_register_page_shows_the_account_form(browser: Browser, live_server: str) -> None:
    page = open_studio(browser, live_server)
    page.goto(f"{live_server}/register?bind=bind_abc")
    page.wait_for_selector("body[data-ready='1']")
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_attribute("autocomplete", "new-password")
    expect(page.locator("#studio")).to_be_hidden()
    expect(page.locator("#export-btn")).to_be_hidden()
    expect(page.locator("#credits-value")).to_have_text("100")
    shot(page, "14-register")
    page.context.close()
