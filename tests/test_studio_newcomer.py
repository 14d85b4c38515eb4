"""What a new user meets first in the studio, in real Chromium against the real server (fake studio).

Send with an empty box puts the cursor in the box; while the first video is being made the empty
player says so (not "Your preview will appear here."); a music style reads in the interface's
language on the timeline and in its summary. Screenshots land in ``test-artifacts/web/newcomer-*``.
"""

from __future__ import annotations

import pytest

from studiokit import DESKTOP, PHONE, idle, needs_chromium, no_sideways_scroll, open_studio, send, shot

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]
needs_chromium()

# a draft with one music lane, as the real pipeline writes it: the segment has no name, its style says it all
MUSIC_DRAFT = (
    '{"w": 1920, "h": 1080, "fps": 30, "m": {}, "t": [{"id": "trk_bgm", "tt": 1, "r": "bgm", "m": {},'
    ' "sg": [{"id": "seg_m", "s": 0, "d": 20000, "k": "music", "m": {"style": "%s"}}]}]}'
)


def timeline_words(page: Page, style: str) -> list[str]:
    """The lane text and the summary the studio's timeline module writes for a music segment."""
    return page.evaluate(
        """async (draft) => {
          const m = await import('/static/js/timeline.js');
          const d = JSON.parse(draft);
          return [m.segmentText(d.t[0].sg[0]), m.summary(d)];
        }""",
        MUSIC_DRAFT % style,
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_send_with_an_empty_box_puts_the_cursor_in_the_box(
    browser: Browser, live_server: str, viewport: dict[str, int]
) -> None:
    page = open_studio(browser, live_server, viewport)
    page.locator("#send-btn").click()
    expect(page.locator("#composer-input")).to_be_focused()
    expect(page.locator(".msg")).to_have_count(0)
    no_sideways_scroll(page)
    assert not page.errors  # type: ignore[attr-defined]
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_empty_player_says_the_first_video_is_being_made(
    browser: Browser, live_server: str, viewport: dict[str, int]
) -> None:
    page = open_studio(browser, live_server, viewport)
    empty = page.locator("#player-empty p")
    expect(empty).to_have_text("Your preview will appear here.")
    send(page, "a 4-second video about tea SLOW")
    expect(empty).to_contain_text("Making your video")
    expect(page.locator("#examples")).to_be_hidden()
    shot(page, f"newcomer-making-{viewport['width']}")
    idle(page)
    expect(page.locator(".tl-lane").first).to_be_visible()
    expect(empty).not_to_contain_text("Making your video")
    assert not page.errors  # type: ignore[attr-defined]
    page.context.close()


def test_the_making_note_is_in_chinese(browser: Browser, live_server: str) -> None:
    page = open_studio(browser, live_server, PHONE, locale="zh-CN")
    send(page, "做一个4秒的茶视频 SLOW")
    expect(page.locator("#player-empty p")).to_contain_text("正在制作视频")
    idle(page)
    page.context.close()


def test_music_styles_read_in_the_interface_language(browser: Browser, live_server: str) -> None:
    page = open_studio(browser, live_server, DESKTOP, locale="zh-CN")
    for style, word in (("warm", "温暖"), ("lofi", "低保真"), ("upbeat", "轻快"), ("cinematic", "电影感")):
        lane, summary = timeline_words(page, style)
        assert lane == word and f"{word} (0-20s, 35%)" in summary, (lane, summary)
        assert style not in summary
    assert timeline_words(page, "mystery")[0] == "mystery"  # a style without a word stays as written
    page.context.close()
    page = open_studio(browser, live_server, DESKTOP)
    assert timeline_words(page, "lofi")[0] == "lo-fi"
    assert timeline_words(page, "warm")[0] == "warm"
    page.context.close()


NAMED_MUSIC_DRAFT = (
    '{"w": 1920, "h": 1080, "fps": 30, "m": {}, "t": [{"id": "trk_bgm", "tt": 1, "r": "bgm", "m": {},'
    ' "sg": [{"id": "seg_m", "s": 0, "d": 15000, "k": "music", "n": "%s", "m": {"style": "%s"}}]}]}'
)


@pytest.mark.parametrize(("name", "word"), [("happy", "欢快"), ("Calm", "平静")])
def test_music_named_after_its_style_reads_in_the_interface_language(
    browser: Browser, live_server: str, name: str, word: str
) -> None:
    """A chat edit names the music after its style ('happy'): the lane and the summary say 欢快."""
    page = open_studio(browser, live_server, DESKTOP, locale="zh-CN")
    lane, summary = page.evaluate(
        """async (draft) => {
          const m = await import('/static/js/timeline.js');
          const d = JSON.parse(draft);
          return [m.segmentText(d.t[0].sg[0]), m.summary(d)];
        }""",
        NAMED_MUSIC_DRAFT % (name, name.lower()),
    )
    assert lane == word and name not in summary, (lane, summary)
    # a name of its own (an uploaded song) stays as it is
    lane, _ = page.evaluate(
        """async (draft) => {
          const m = await import('/static/js/timeline.js');
          const d = JSON.parse(draft);
          return [m.segmentText(d.t[0].sg[0]), m.summary(d)];
        }""",
        NAMED_MUSIC_DRAFT % ("Summer Song", name.lower()),
    )
    assert lane == "Summer Song"
    page.context.close()


@pytest.mark.parametrize(
    ("icon", "words"),
    [("fluent-emoji-flat:bubble-tea", "bubble tea"), ("twemoji:hot_beverage", "hot beverage")],
)
def test_an_illustration_is_named_in_words_in_the_details(
    browser: Browser, live_server: str, icon: str, words: str
) -> None:
    page = open_studio(browser, live_server, DESKTOP)
    page.evaluate(
        """async (icon) => {
          const { showDetails } = await import('/static/js/details.js');
          const seg = { id: 'seg_s0', s: 0, d: 4000, k: 'scene', n: 'Tea', m: { headline: 'Tea', icon } };
          showDetails({ track: { id: 'trk_scenes', tt: 0, r: 'scenes', m: {}, sg: [seg] }, seg });
        }""",
        icon,
    )
    row = page.locator("#details dl > div", has_text="Illustration")
    expect(row.locator("dd")).to_have_text(words)
    page.context.close()
