"""A new user's first hour in the studio, in real Chromium against the real server (fake studio).

A message the server took just before the connection dropped is shown once, as sent (never "not
sent" while the server has it), whether its turn had finished or was still running, and sending it
again meanwhile never makes a second turn; the example prompts all show in the empty player; the
shared view offers only what it can do; a long wait reads as people say it; the top bar tabs in
the order it shows and Upload shows the keyboard focus; on a slow network Send waits for the
studio; the conversation's list keeps its end while the page stays at the preview. Screenshots
land in ``test-artifacts/web/round3-*``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from conftest import LiveServer, server_env
from studiokit import DESKTOP, PHONE, idle, needs_chromium, no_sideways_scroll, open_studio, send, shot

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Error, Page, Route, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]
needs_chromium()


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server (fake studio) with credits for many edits, shared by this module."""
    d = tmp_path_factory.mktemp("round3")
    srv = LiveServer(d, server_env(d, anonymous_credits=100_000)).start()
    yield srv.url
    srv.stop()


def first_video(page: Page) -> None:
    send(page, "a 4-second video about tea")
    expect(page.locator(".tl-lane").first).to_be_visible()
    idle(page)


def drop_after_the_server_took_it(page: Page, wait_ms: float | None = None, typed: str = "") -> None:
    """The next message reaches the server, then its connection drops before any answer arrives
    (after the whole turn, or after ``wait_ms`` of it); ``typed`` is typed into the box meanwhile."""

    def handle(route: Route) -> None:
        with contextlib.suppress(Error):  # the turn goes on on the server; only this connection ends
            route.fetch(timeout=wait_ms) if wait_ms else route.fetch()
        if typed:
            page.locator("#composer-input").fill(typed)
        route.abort("connectionreset")

    page.route("**/run_sse", handle, times=1)


def conversation_once(page: Page, words: str) -> None:
    expect(page.locator(".msg.user", has_text=words)).to_have_count(1)
    expect(page.locator(".msg.unsent")).to_have_count(0)
    expect(page.locator(".unsent-note")).to_have_count(0)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_message_taken_before_the_drop_is_shown_once_as_sent(
    browser: Browser, studio: str, viewport: dict[str, int]
) -> None:
    page = open_studio(browser, studio, viewport)
    first_video(page)
    drop_after_the_server_took_it(page)
    send(page, "make it vertical")
    expect(page.locator(".msg.agent", has_text="Made it vertical")).to_have_count(1)
    idle(page)
    conversation_once(page, "make it vertical")
    expect(page.locator("#composer-input")).to_have_value("")
    expect(page.locator("#composer-note")).to_be_hidden()
    # the studio reconnects by itself, and still shows the message once
    expect(page.locator('[data-notice="network"]')).to_have_count(0, timeout=15_000)
    conversation_once(page, "make it vertical")
    expect(page.locator(".msg.agent", has_text="Made it vertical")).to_have_count(1)
    shot(page, f"round3-taken-{viewport['width']}")
    no_sideways_scroll(page)
    assert not [e for e in page.errors if "Failed to fetch" not in e]  # type: ignore[attr-defined]
    page.context.close()


def test_a_running_turn_taken_before_the_drop_is_followed_and_what_was_typed_stays(
    browser: Browser, studio: str
) -> None:
    page = open_studio(browser, studio, PHONE)
    first_video(page)
    drop_after_the_server_took_it(page, wait_ms=800, typed="make it vertical\nand warmer")
    send(page, "make a SLOW 4-second video about coffee")
    # still running on the server: the studio follows it to its end, the message shown once
    expect(page.locator(".msg.user")).to_have_count(2)
    idle(page)
    conversation_once(page, "make a SLOW 4-second video about coffee")
    expect(page.locator(".msg.agent", has_text="draft is ready")).to_have_count(2)
    # what was typed meanwhile stays in the box; the message the server has does not come back
    expect(page.locator("#composer-input")).to_have_value("make it vertical\nand warmer")
    expect(page.locator("#composer-note")).to_be_hidden()
    page.context.close()


def test_sending_it_again_before_the_studio_knows_never_makes_two_turns(
    browser: Browser, studio: str
) -> None:
    page = open_studio(browser, studio, PHONE)
    first_video(page)
    # the server takes it, but the studio cannot read the conversation until the user presses Send again
    page.route("**/api/state/**", lambda route: route.abort("connectionreset"))
    drop_after_the_server_took_it(page)
    send(page, "make it vertical")
    expect(page.locator(".msg.unsent")).to_have_count(1)
    expect(page.locator("#composer-input")).to_have_value("make it vertical")
    page.unroute("**/api/state/**")
    page.locator("#send-btn").click()
    idle(page)
    conversation_once(page, "make it vertical")
    expect(page.locator(".msg.agent", has_text="Made it vertical")).to_have_count(1)
    expect(page.locator("#composer-input")).to_have_value("")
    page.context.close()


# ----------------------------------------------------------------------------- the empty player


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
@pytest.mark.parametrize("width", [320, 390])
def test_the_example_prompts_are_all_in_the_empty_player(
    browser: Browser, studio: str, width: int, locale: str
) -> None:
    page = open_studio(browser, studio, {"width": width, "height": 640}, locale=locale)
    player = page.locator("#player").bounding_box()
    assert player
    for item in [page.locator("#player-empty p"), *page.locator("#examples .chip").all()]:
        box = item.bounding_box()
        assert box, item
        inside = (
            box["y"] >= player["y"] - 0.5
            and box["y"] + box["height"] <= player["y"] + player["height"] + 0.5
            and box["x"] >= player["x"] - 0.5
            and box["x"] + box["width"] <= player["x"] + player["width"] + 0.5
        )
        assert inside, f"{item.inner_text()!r} is cut off by the player: {box} in {player}"
    no_sideways_scroll(page)
    shot(page, f"round3-empty-{width}-{locale}")
    # a first video: the player takes the video's shape again
    page.locator("#examples .chip").first.click()
    idle(page)
    expect(page.locator("#preview-status")).not_to_be_empty()
    box = page.locator("#player").bounding_box()
    assert box and abs(box["width"] / box["height"] - 16 / 9) < 0.05, box
    page.context.close()


# ----------------------------------------------------------------------------- the shared view


@pytest.mark.parametrize("viewport", [{"width": 320, "height": 640}, DESKTOP], ids=["320", "desktop"])
def test_the_shared_view_offers_only_what_it_can_do(
    browser: Browser, studio: str, viewport: dict[str, int]
) -> None:
    page = open_studio(browser, studio, viewport)
    first_video(page)
    page.locator("#share-btn").click()
    url = page.locator('[data-notice="share"]').get_attribute("data-url")
    assert url
    view = page.context.new_page()
    view.goto(url)
    view.wait_for_selector("body[data-ready='1']")
    expect(view.locator("#readonly-badge")).to_be_visible()
    expect(view.locator(".tl-lane").first).to_be_visible()
    for sel in ("#format-pick", "#export-format", "#share-btn", "#undo-btn", "#redo-btn", "#export-btn"):
        expect(view.locator(sel)).to_be_hidden()
    expect(view.locator("#lang-btn")).to_be_visible()
    no_sideways_scroll(view)
    shot(view, f"round3-shared-{viewport['width']}")
    view.goto(studio + "/signin")
    view.wait_for_selector("body[data-ready='1']")
    for sel in ("#format-pick", "#share-btn", "#export-btn"):
        expect(view.locator(sel)).to_be_hidden()
    page.context.close()


# ----------------------------------------------------------------------------- a long wait


@pytest.mark.parametrize(
    ("locale", "retry_after", "words", "link"),
    [
        ("en-US", 604_640, "Too many requests. You can try again in 7 days.", True),
        ("en-US", 300, "Too many requests. You can try again in 5 minutes.", False),
        ("zh-CN", 604_640, "请求过于频繁，请7天后再试。", True),
    ],
)
def test_a_long_wait_is_said_as_people_say_it(
    browser: Browser, studio: str, locale: str, retry_after: int, words: str, link: bool
) -> None:
    ctx = browser.new_context(locale=locale, viewport=PHONE)  # type: ignore[arg-type]
    page = ctx.new_page()
    page.route(
        "**/api/auth/anonymous-token",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": str(retry_after)},
            content_type="application/json",
            body='{"code": 429, "message": "Too many tokens from this address", "data": null}',
        ),
    )
    page.goto(studio + "/")
    page.wait_for_selector("body[data-ready='1']")
    rate = page.locator('[data-notice="rate"]')
    expect(rate.locator("p")).to_have_text(words)
    expect(rate.locator("a")).to_have_count(1 if link else 0)
    ctx.close()


# ----------------------------------------------------------------------------- the keyboard


def tab_to(page: Page, selector: str, limit: int = 60) -> list[str]:
    """Press Tab until ``selector`` has the focus; the ids focused on the way, in order."""
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id || document.activeElement.className"))
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return seen
    raise AssertionError(f"Tab never reached {selector}: {seen}")


@pytest.mark.parametrize(
    "viewport", [{"width": 320, "height": 640}, PHONE, DESKTOP], ids=["320", "390", "desktop"]
)
def test_the_top_bar_tabs_in_the_order_it_shows(
    browser: Browser, studio: str, viewport: dict[str, int]
) -> None:
    page = open_studio(browser, studio, viewport)
    first_video(page)
    page.evaluate("window.scrollTo(0, 0)")
    seen = tab_to(page, "#export-format")
    tools = [
        s
        for s in seen
        if s in {"projects-btn", "new-project", "share-btn", "settings-link", "lang-btn", "export-format"}
    ]
    assert len(tools) == 6, seen
    xs = [page.locator(f"#{i}").bounding_box()["x"] for i in tools]  # type: ignore[index]
    assert xs == sorted(xs), f"the tools take the focus out of the order they show in: {tools} at {xs}"
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_upload_shows_the_keyboard_focus(browser: Browser, studio: str, viewport: dict[str, int]) -> None:
    page = open_studio(browser, studio, viewport)
    page.locator("#composer-input").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#file-input")).to_be_focused()
    ring = page.locator(".file-btn").evaluate(
        "e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"
    )
    assert ring == "solid 3px", ring
    page.keyboard.press("Tab")
    expect(page.locator("#send-btn")).to_be_focused()
    ring = page.locator(".file-btn").evaluate("e => getComputedStyle(e).outlineStyle")
    assert ring == "none", ring
    page.context.close()


# ----------------------------------------------------------------------------- a slow network


def test_on_a_slow_network_send_waits_for_the_studio_and_no_empty_timeline_shows(
    browser: Browser, studio: str
) -> None:
    """While the studio's scripts are still on their way, Send cannot reload the page (losing what
    was typed) and the timeline shows no empty lane box; once loaded, both work."""
    ctx = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    page = ctx.new_page()
    held: list[Route] = []
    page.route("**/static/js/main.js", lambda route: held.append(route))
    page.goto(studio + "/", wait_until="commit")
    page.wait_for_selector("#tl", state="attached")
    expect(page.locator("#send-btn")).to_be_disabled()
    expect(page.locator("#tl")).to_be_hidden()
    page.locator("#composer-input").fill("a 4-second video about tea")
    page.wait_for_timeout(200)
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#composer-input")).to_have_value("a 4-second video about tea")
    expect(page.locator("#send-btn")).to_be_enabled()
    page.locator("#send-btn").click()
    expect(page.locator(".tl-lane").first).to_be_visible()
    idle(page)
    ctx.close()


# ----------------------------------------------------------------------------- the conversation


def newest_in_list(page: Page) -> bool:
    return page.evaluate(
        """() => {
          const list = document.querySelector('#messages');
          const items = [...list.children].filter((li) => li.getClientRects().length);
          const last = items[items.length - 1].getBoundingClientRect();
          const box = list.getBoundingClientRect();
          return last.bottom <= box.bottom + 1 && last.top >= box.top - 1;
        }"""
    )


@pytest.mark.parametrize("words", ["undo", "make it vertical"])
def test_the_list_keeps_its_end_while_the_page_stays_at_the_preview(
    browser: Browser, studio: str, words: str
) -> None:
    """On a phone, watching the preview at the top: Undo (or a message sent by a chip or the Undo
    button) leaves the page where it is, and the conversation's own list still ends at the newest."""
    page = open_studio(browser, studio, PHONE)
    first_video(page)
    for edit in ("make the captions yellow", "make it square", "make it vertical"):
        send(page, edit)
        idle(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(200)
    if words == "undo":
        page.locator("#undo-btn").click()
    else:  # sent by the studio itself, not from the box (as Undo, Redo and the examples are)
        page.evaluate("async (w) => (await import('/static/js/turn.js')).send(w)", words)
    idle(page)
    page.wait_for_timeout(300)
    assert page.evaluate("scrollY") == 0
    assert newest_in_list(page), "the newest message is out of the list's view"
    page.context.close()
