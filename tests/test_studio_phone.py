"""The studio on a phone (and the same things on a desktop), in real Chromium against the real server.

A message sent while the server is down goes back in the box with a note that it was not sent; the
agent's reply comes into view on a phone, without pulling back someone who scrolled up; the top bar
shows every tool at 320, 360 and 390 px (and on a tablet); the preview's head keeps its height whatever its status
says; the box counts characters near the 4,000-character limit and says when a message is over it.
Screenshots land in ``test-artifacts/web/phone-*``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from conftest import LiveServer, server_env
from studiokit import DESKTOP, PHONE, idle, needs_chromium, no_sideways_scroll, open_studio, send, shot

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]
needs_chromium()

LIMIT = 4000  # the studio's limit for one message (the server takes up to 20,000 characters)


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server (fake studio) with credits for many edits, shared by this module."""
    d = tmp_path_factory.mktemp("phone")
    srv = LiveServer(d, server_env(d, anonymous_credits=100_000)).start()
    yield srv.url
    srv.stop()


def box_of(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).last.bounding_box()
    assert box, f"{selector} is not shown"
    return box


def in_window(page: Page, selector: str) -> bool:
    box = box_of(page, selector)
    height = page.evaluate("innerHeight")
    return box["y"] >= -0.5 and box["y"] + box["height"] <= height + 0.5


def first_video(page: Page) -> None:
    send(page, "a 4-second video about tea")
    expect(page.locator(".tl-lane").first).to_be_visible()
    idle(page)


# ----------------------------------------------------------------------------- 1. not sent


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_message_sent_while_the_server_is_down_goes_back_in_the_box(
    browser: Browser, server_factory: Callable[..., LiveServer], viewport: dict[str, int]
) -> None:
    srv = server_factory(anonymous_credits=1000)
    page = open_studio(browser, srv.url, viewport)
    first_video(page)
    box = page.locator("#composer-input")

    srv.stop()
    send(page, "make it vertical")
    expect(page.locator('[data-notice="network"]')).to_contain_text("could not be reached")
    expect(box).to_have_value("make it vertical")
    note = page.locator("#composer-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("was not sent")
    expect(page.locator(".msg.user.unsent")).to_contain_text("Not sent")
    expect(page.locator("#send-btn")).to_be_enabled()
    assert in_window(page, "#composer-note")
    shot(page, f"phone-unsent-{viewport['width']}-1-down")

    srv.start()
    expect(page.locator('[data-notice="network"]')).to_have_count(0)
    expect(page.locator("#preview-status")).to_have_text("Preview ready")
    # the conversation is the server's again; the message that never reached it is still in the box
    expect(box).to_have_value("make it vertical")
    expect(note).to_contain_text("was not sent")
    shot(page, f"phone-unsent-{viewport['width']}-2-back")

    box.press("Enter")
    expect(page.locator(".msg.agent", has_text="Made it vertical")).to_have_count(1)
    idle(page)
    expect(box).to_have_value("")
    expect(note).to_be_hidden()
    expect(page.locator(".msg.user", has_text="make it vertical")).to_have_count(1)
    expect(page.locator(".msg.unsent")).to_have_count(0)
    assert not [e for e in page.errors if "Failed to fetch" not in e]  # type: ignore[attr-defined]
    page.context.close()


def test_a_message_typed_meanwhile_is_kept_before_the_unsent_one_goes_back(
    browser: Browser, server_factory: Callable[..., LiveServer]
) -> None:
    srv = server_factory(anonymous_credits=1000)
    page = open_studio(browser, srv.url, PHONE)
    first_video(page)
    # hold the request until something new is typed, then let it fail as an unreachable server would
    page.route(
        "**/run_sse",
        lambda route: (page.locator("#composer-input").fill("and the captions yellow"), route.abort()),
    )
    send(page, "make it vertical")
    expect(page.locator("#composer-input")).to_have_value("make it vertical\nand the captions yellow")
    page.context.close()


# ----------------------------------------------------------------------------- 2. the reply in view


def test_the_reply_comes_into_view_on_a_phone(browser: Browser, studio: str) -> None:
    page = open_studio(browser, studio, PHONE)
    first_video(page)
    assert in_window(page, ".msg.agent")
    for i, words in enumerate(("make it vertical", "make the captions yellow", "make it square")):
        send(page, words)
        expect(page.locator(".msg.agent")).to_have_count(3 + i)
        idle(page)
        page.wait_for_timeout(300)  # the preview above may change size meanwhile
        assert in_window(page, ".msg.agent"), f"the reply to {words!r} is out of view"
    shot(page, "phone-reply-in-view")

    # scrolled up to watch the preview while a reply comes: the page stays there
    send(page, "make a SLOW 4-second video about coffee")
    expect(page.locator(".msg.user")).to_have_count(5)
    page.evaluate("window.scrollTo(0, 0)")
    idle(page)
    page.wait_for_timeout(300)
    assert page.evaluate("scrollY") == 0

    # Undo by the preview leaves the page where it is too
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(100)
    page.locator("#undo-btn").click()
    expect(page.locator(".msg.user")).to_have_count(6)
    idle(page)
    page.wait_for_timeout(300)
    assert page.evaluate("scrollY") == 0
    assert in_window(page, "#undo-btn")
    no_sideways_scroll(page)
    assert not page.errors  # type: ignore[attr-defined]
    page.context.close()


def test_the_reply_stays_in_the_chat_box_on_a_desktop(browser: Browser, studio: str) -> None:
    page = open_studio(browser, studio, DESKTOP)
    first_video(page)
    for words in ("make it vertical", "make the captions yellow", "make it square", "make it vertical"):
        send(page, words)
        idle(page)
    last = box_of(page, ".msg.agent")
    chat = box_of(page, "#messages")
    assert chat["y"] - 0.5 <= last["y"] and last["y"] + last["height"] <= chat["y"] + chat["height"] + 0.5
    assert page.evaluate("scrollY") == 0
    # reading further up while a reply comes: the list stays where it was scrolled to
    send(page, "make a SLOW 4-second video about coffee")
    expect(page.locator(".msg.user")).to_have_count(6)
    page.wait_for_timeout(600)  # the list's own scroll to the new message has finished
    page.evaluate("document.querySelector('#messages').scrollTop = 0")
    # the scroll event (which records that the reader left the end) is handled before a frame
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    idle(page)
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelector('#messages').scrollTop") == 0
    page.context.close()


# ----------------------------------------------------------------------------- 3. the top bar


TOOLS = ("#projects-btn", "#new-project", "#share-btn", "#settings-link", "#lang-btn", "#format-pick")


@pytest.mark.parametrize("width", [320, 360, 390, 768])
def test_every_tool_of_the_top_bar_is_in_sight(browser: Browser, studio: str, width: int) -> None:
    """Two rows on a phone or a tablet (mark, title, credits, Export; then the tools), all in sight:
    nothing scrolls sideways, nothing overlaps, each tool is 44 px to the touch on a phone."""
    page = open_studio(browser, studio, {"width": width, "height": 740})
    first_video(page)
    page.evaluate("window.scrollTo(0, 0)")
    bar = box_of(page, ".topbar")
    assert bar["height"] <= 112, f"the top bar is {bar['height']} px tall"
    no_sideways_scroll(page)
    tools = page.locator("#topbar-tools")
    assert tools.evaluate("e => e.scrollWidth <= e.clientWidth"), "the tools scroll sideways"
    boxes = {}
    for sel in (".brand", "#project-title", "#credits", "#export-btn", *TOOLS):
        box = boxes[sel] = box_of(page, sel)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (sel, box)
        assert bar["y"] <= box["y"] and box["y"] + box["height"] <= bar["y"] + bar["height"] + 0.5, sel
        if width < 640 and sel in TOOLS:
            assert box["height"] >= 42 and box["width"] >= 44, (sel, box)
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            p, q = boxes[a], boxes[b]
            apart = (
                p["x"] + p["width"] <= q["x"] + 0.5
                or q["x"] + q["width"] <= p["x"] + 0.5
                or p["y"] + p["height"] <= q["y"] + 0.5
                or q["y"] + q["height"] <= p["y"] + 0.5
            )
            assert apart, f"{a} overlaps {b}: {p} {q}"
    # the export format reads whole on a phone, as a short word over the menu of full names
    word = page.locator("#format-short")
    if width < 640:
        expect(word).to_have_text("MP4")
        assert word.evaluate("e => e.scrollWidth <= e.clientWidth"), "the format is cut off"
        page.locator("#export-format").select_option("fcp7")
        expect(word).to_have_text("Premiere")
        page.locator("#export-format").select_option("mp4")
    # the tools keep their names for screen readers, and work
    expect(page.get_by_role("button", name="New project")).to_have_count(1)
    expect(page.get_by_role("link", name="Settings")).to_have_count(1)
    expect(page.get_by_role("combobox", name="Export as")).to_have_count(1)
    page.locator("#projects-btn").click()
    expect(page.locator("#projects-dialog")).to_be_visible()
    page.locator("#projects-close").click()
    shot(page, f"phone-topbar-{width}")
    assert not page.errors  # type: ignore[attr-defined]
    page.context.close()


def test_the_format_reads_in_chinese_on_a_phone(browser: Browser, studio: str) -> None:
    page = open_studio(browser, studio, {"width": 320, "height": 640}, locale="zh-CN")
    word = page.locator("#format-short")
    expect(word).to_have_text("MP4")
    page.locator("#export-format").select_option("jianying")
    expect(word).to_have_text("剪映")
    page.locator("#export-format").select_option("otio")
    expect(word).to_have_text("OTIO")
    assert word.evaluate("e => e.scrollWidth <= e.clientWidth")
    page.context.close()


def test_the_top_bar_on_a_desktop_shows_its_words(browser: Browser, studio: str) -> None:
    page = open_studio(browser, studio, DESKTOP)
    assert box_of(page, ".topbar")["height"] <= 64
    for sel, words in (
        ("#projects-btn", "Projects"),
        ("#new-project", "New project"),
        ("#settings-link", "Settings"),
    ):
        expect(page.locator(sel).locator(".btn-label")).to_be_visible()
        expect(page.locator(sel)).to_have_text(words)
    expect(page.locator("#credits")).to_contain_text("Credits")
    no_sideways_scroll(page)
    page.context.close()


# ----------------------------------------------------------------------------- 4. the preview's head

STATUSES = [
    "",
    "Preview queued…",
    "Rendering preview… 9%",
    "Rendering preview… 59%",
    "Preview ready",
    "Preview failed",
]


@pytest.mark.parametrize(
    "viewport", [PHONE, {"width": 320, "height": 700}, DESKTOP], ids=["phone", "320", "desktop"]
)
def test_the_preview_head_keeps_its_height_whatever_the_status(
    browser: Browser, studio: str, viewport: dict[str, int]
) -> None:
    page = open_studio(browser, studio, viewport)
    first_video(page)
    expect(page.locator("#preview-status")).to_have_text("Preview ready")
    seen = set()
    for text in STATUSES:
        page.evaluate("t => { document.querySelector('#preview-status').textContent = t; }", text)
        head = box_of(page, ".stage .panel-head")
        undo = box_of(page, "#undo-btn")
        player = box_of(page, "#player")
        seen.add((round(head["height"]), round(undo["y"]), round(player["y"])))
        status = box_of(page, "#preview-status") if text else None
        if status:  # the status is on screen, inside the panel, next to Undo and Redo
            assert status["x"] + status["width"] <= undo["x"] + 0.5 or status["y"] >= undo["y"], text
    assert len(seen) == 1, f"the head moves with its status: {sorted(seen)}"
    page.evaluate("document.querySelector('#preview-status').textContent = 'Rendering preview… 59%'")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, f"phone-preview-head-{viewport['width']}")
    no_sideways_scroll(page)
    page.context.close()


STATUS_KEYS = ("previewQueued", "previewRendering", "previewReady", "previewFailed")


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
@pytest.mark.parametrize("width", [320, 390])
def test_every_preview_status_reads_whole_on_a_phone(
    browser: Browser, studio: str, width: int, locale: str
) -> None:
    """No status ends in "…": each is on screen whole (the failure's too), the head keeps its height."""
    page = open_studio(browser, studio, {"width": width, "height": 700}, locale=locale)
    first_video(page)
    texts = page.evaluate(
        """async (keys) => {
          const { t } = await import('/static/js/i18n.js');
          return keys.map((k) => t(k, { pct: 100 }));
        }""",
        list(STATUS_KEYS),
    )
    heights = set()
    for text in texts:
        page.evaluate("t => { document.querySelector('#preview-status').textContent = t; }", text)
        status = page.locator("#preview-status")
        whole = status.evaluate(
            "e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight"
            " && getComputedStyle(e).textOverflow !== 'ellipsis'"
        )
        assert whole, f"{text!r} is cut off at {width} px"
        box = box_of(page, "#preview-status")
        head = box_of(page, ".stage .panel-head")
        assert box["x"] >= head["x"] and box["x"] + box["width"] <= head["x"] + head["width"] + 0.5, text
        heights.add(round(head["height"]))
    assert len(heights) == 1, f"the head moves with its status: {sorted(heights)}"
    page.evaluate("t => { document.querySelector('#preview-status').textContent = t; }", texts[-1])
    shot(page, f"phone-status-{width}-{locale}")
    page.context.close()


def test_the_whole_title_is_there_when_the_bar_shows_its_start(browser: Browser, studio: str) -> None:
    page = open_studio(browser, studio, {"width": 320, "height": 640})
    first_video(page)
    title = page.locator("#project-title")
    expect(title).to_have_attribute("title", title.inner_text())
    page.context.close()


# ----------------------------------------------------------------------------- 5. the limit


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_box_counts_near_the_limit_and_says_when_over_it(
    browser: Browser, studio: str, viewport: dict[str, int]
) -> None:
    page = open_studio(browser, studio, viewport)
    box = page.locator("#composer-input")
    count = page.locator("#char-count")
    note = page.locator("#composer-note")

    box.fill("a" * 3499)
    expect(count).to_be_hidden()
    box.fill("a" * 3600)
    expect(count).to_have_text("3,600 / 4,000")
    expect(count).to_be_visible()
    expect(note).to_be_hidden()
    assert in_window(page, "#char-count")

    # over the limit: nothing is cut off, and nothing is sent
    box.fill("tea " * 1025)  # 4,099 characters once trimmed
    assert len(box.input_value()) == 4100
    expect(count).to_have_text("4,099 / 4,000")
    expect(count).to_have_class("char-count over")
    expect(note).to_have_text(
        "Too long to send: 99 characters over the 4,000-character limit. Shorten it, or send it in parts."
    )
    expect(box).to_have_attribute("aria-invalid", "true")
    page.locator("#send-btn").click()
    box.press("Enter")
    page.wait_for_timeout(300)
    expect(page.locator(".msg")).to_have_count(0)
    expect(page.locator("#working")).to_be_hidden()
    assert len(box.input_value()) == 4100
    expect(box).to_be_focused()
    no_sideways_scroll(page)
    shot(page, f"phone-limit-{viewport['width']}")

    # shortened: the note goes and the message is sent
    box.fill("a 4-second video about tea " + "x" * 3900)
    expect(note).to_be_hidden()
    expect(box).not_to_have_attribute("aria-invalid", "true")
    box.fill("a 4-second video about tea")
    expect(count).to_be_hidden()
    box.press("Enter")
    expect(page.locator(".msg.user")).to_have_count(1)
    idle(page)
    assert not page.errors  # type: ignore[attr-defined]
    page.context.close()


def test_the_limit_reads_in_chinese(browser: Browser, studio: str) -> None:
    page = open_studio(browser, studio, PHONE, locale="zh-CN")
    page.locator("#composer-input").fill("茶" * 4001)
    expect(page.locator("#char-count")).to_have_text("4,001 / 4,000")
    expect(page.locator("#composer-note")).to_have_text(
        "太长，无法发送：超出 4,000 字上限 1 字。请删短，或分几次发送。"
    )
    page.context.close()
