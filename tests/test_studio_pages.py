"""The studio's other pages and words, in real Chromium against the real server (fake studio).

Settings fit a phone, lead back to the studio and speak the studio's language; a new project is
named between words and a rename says what it changed; every text reads at AA contrast; the shared
view shows a frame of the video, not its blank start; a notice keeps its words wide on a phone.
Screenshots land in ``test-artifacts/web/round3-*``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import LiveServer, server_env
from studiokit import DESKTOP, PHONE, idle, needs_chromium, no_sideways_scroll, open_studio, send, shot

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]
needs_chromium()


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server (fake studio) with credits for many edits, shared by this module."""
    d = tmp_path_factory.mktemp("pages")
    srv = LiveServer(d, server_env(d, anonymous_credits=100_000)).start()
    yield srv.url
    srv.stop()


def first_video(page: Page) -> None:
    send(page, "a 4-second video about tea")
    expect(page.locator(".tl-lane").first).to_be_visible()
    idle(page)


# ----------------------------------------------------------------------------- settings


@pytest.mark.parametrize("width", [320, 390, 768])
def test_settings_fit_a_phone_and_lead_back_to_the_studio(browser: Browser, studio: str, width: int) -> None:
    page = open_studio(browser, studio, {"width": width, "height": 700})
    page.goto(studio + "/register")
    page.wait_for_selector("body[data-ready='1']")
    page.fill("#auth-username", f"reader{width}")
    page.fill("#auth-password", "correct horse battery")
    page.click("#auth-submit")
    page.wait_for_url(studio + "/")
    page.goto(studio + "/settings")
    expect(page.locator("#tokens")).to_be_visible()
    page.fill("#token-name", "a laptop used for the weekly cooking videos")
    page.click("#token-create")
    expect(page.locator("#new-token")).to_be_visible()
    expect(page.locator("#history-rows tr").first).to_be_visible()
    no_sideways_scroll(page)
    # on a phone the tables keep their words whole (one line a cell), scrolling on their own
    for cell in page.locator(".account-table th, .account-table td").all()[:12] if width < 640 else []:
        box = cell.bounding_box()
        assert box and box["height"] < 60, (cell.inner_text(), box)
    link = page.get_by_role("link", name="Back to the studio")
    expect(link).to_be_visible()
    shot(page, f"round3-settings-{width}")
    link.click()
    page.wait_for_selector("body[data-ready='1']")
    page.context.close()


# ----------------------------------------------------------------------------- rename


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        (
            "a 4-second video for our bakery's weekend sale: croissants 2 for $5, sourdough loaves $6",
            "a 4-second video for our bakery's weekend sale: croissants…",
        ),
        (
            "做一个4秒的视频，介绍我们面包店的周末促销活动：牛角包两个五块钱，酸面包六块钱，周六周日早上八点到下午两点营业，欢迎大家光临",
            "做一个4秒的视频，介绍我们面包店的周末促销活动：牛角包两个五块钱，酸面包六块钱，周六周日早上八点到下午两点营业，欢迎大…",
        ),
    ],
    ids=["en", "zh"],
)
def test_a_project_is_named_between_words_and_a_rename_says_what_it_changed(
    browser: Browser, studio: str, prompt: str, name: str
) -> None:
    page = open_studio(browser, studio, PHONE)
    send(page, prompt)
    expect(page.locator(".tl-lane").first).to_be_visible()
    idle(page)
    page.on("dialog", lambda d: d.accept("Weekend sale") if d.type == "prompt" else d.accept())
    page.locator("#projects-btn").click()
    item = page.locator("#projects-list li.project").first
    expect(item.locator(".project-sub")).to_have_text(name)
    item.locator("[data-act='rename']").click()
    expect(page.locator("#projects-list li.project").first.locator(".project-sub")).to_have_text(
        "Weekend sale"
    )
    expect(page.locator("#projects-status")).to_have_text(
        "Renamed to “Weekend sale”. The video keeps its own title, “Fake”: to change it, ask in the chat"
        " (“change the title to …”)."
    )
    no_sideways_scroll(page)
    shot(page, "round3-renamed")
    page.context.close()


# ----------------------------------------------------------------------------- contrast

# every visible piece of text (disabled controls aside, as WCAG has it) against what is behind it
LOW_CONTRAST = r"""() => {
 const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if(!m) return null; const p=m[1].split(',').map(Number); return [p[0],p[1],p[2],p.length>3?p[3]:1]; };
 const lum = ([r,g,b]) => { const f=v=>{v/=255; return v<=0.03928? v/12.92 : Math.pow((v+0.055)/1.055,2.4)}; return 0.2126*f(r)+0.7152*f(g)+0.0722*f(b); };
 const bgOf = e => { let layers=[]; for(let n=e;n;n=n.parentElement){ const c=parse(getComputedStyle(n).backgroundColor); if(c&&c[3]>0){layers.push(c); if(c[3]>=1) break;} } let out=[14,17,22]; for(const c of layers.reverse()){ out=out.map((v,i)=>v*(1-c[3])+c[i]*c[3]); } return out; };
 const res=[];
 for (const e of document.querySelectorAll('body *')) {
   if (!e.childNodes.length || ![...e.childNodes].some(n=>n.nodeType===3 && n.textContent.trim())) continue;
   const r=e.getBoundingClientRect(); if(!r.width||!r.height) continue;
   const cs=getComputedStyle(e); if(cs.visibility==='hidden') continue;
   let op=1; for(let n=e;n;n=n.parentElement) op*=Number(getComputedStyle(n).opacity);
   const fg=parse(cs.color); const bg=bgOf(e); const a=fg[3]*op; const f=[0,1,2].map(i=>fg[i]*a+bg[i]*(1-a));
   const L1=lum(f), L2=lum(bg); const ratio=(Math.max(L1,L2)+0.05)/(Math.min(L1,L2)+0.05);
   const big = parseFloat(cs.fontSize)>=24 || (parseFloat(cs.fontSize)>=18.66 && Number(cs.fontWeight)>=700);
   if (e.closest(':disabled') == null && ratio < (big?3:4.5)) res.push([e.tagName+'.'+e.className, e.textContent.trim().slice(0,30), ratio.toFixed(2)]);
 }
 return res; }"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_text_reads_at_aa_contrast(browser: Browser, studio: str, viewport: dict[str, int]) -> None:
    page = open_studio(browser, studio, viewport)
    assert page.evaluate(LOW_CONTRAST) == []
    first_video(page)
    page.locator(".tl-seg").first.click()  # the details of a clip too
    assert page.evaluate(LOW_CONTRAST) == []
    page.context.close()


@pytest.mark.parametrize("width", [320, 1440])
def test_settings_speak_the_language_the_studio_chose(browser: Browser, studio: str, width: int) -> None:
    """Switched to Chinese in the studio, the settings page is in Chinese too (it was all English)."""
    page = open_studio(browser, studio, {"width": width, "height": 800})
    page.locator("#lang-btn").click()
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#lang-btn")).to_have_text("EN")
    page.goto(studio + "/register")
    page.wait_for_selector("body[data-ready='1']")
    page.fill("#auth-username", f"zh{width}")
    page.fill("#auth-password", "correct horse battery")
    page.click("#auth-submit")
    page.wait_for_url(studio + "/")
    page.goto(studio + "/settings")
    expect(page.locator("#tokens")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h1")).to_have_text("设置")
    expect(page.get_by_role("link", name="返回工作室")).to_be_visible()
    expect(page.locator("#tokens-heading")).to_have_text("API 令牌")
    expect(page.locator("#who")).to_have_text(f"已登录：zh{width}")
    expect(page.locator("#token-rows tr").first).to_contain_text("有效")
    expect(page.get_by_role("button", name="撤销令牌", exact=False).first).to_be_visible()
    expect(page.locator("#history-heading")).to_have_text("积分记录")
    expect(page.locator("#balance")).to_contain_text("可用")
    expect(page.locator("#history-rows tr").first).to_contain_text("转入")
    page.fill("#token-name", "笔记本")
    page.locator('input[name="scope"]:checked').first.uncheck()
    page.locator('input[name="scope"]:checked').first.uncheck()
    page.click("#token-create")
    expect(page.locator("#token-error")).to_have_text("请至少选择一项权限。")
    no_sideways_scroll(page)
    shot(page, f"round3-settings-zh-{width}")
    page.context.close()


@pytest.mark.parametrize("prompt", ["a 4-second video about tea", "a 12-second video about a bakery sale"])
def test_the_shared_view_shows_a_frame_of_the_video_not_its_blank_start(
    browser: Browser, studio: str, prompt: str
) -> None:
    page = open_studio(browser, studio, DESKTOP)
    send(page, prompt)
    expect(page.locator(".tl-lane").first).to_be_visible()
    idle(page)
    expect(page.locator("#preview-status")).to_have_text("Preview ready")
    page.locator("#share-btn").click()
    url = page.locator('[data-notice="share"]').get_attribute("data-url")
    assert url
    view = page.context.new_page()
    view.goto(url)
    view.wait_for_selector("body[data-ready='1']")
    view.wait_for_function("() => document.querySelector('#video').readyState >= 1")
    view.wait_for_function("() => document.querySelector('#video').currentTime > 0.5")
    shown = view.evaluate("document.querySelector('#video').currentTime")
    assert 0.5 < shown < view.evaluate("document.querySelector('#video').duration"), shown
    view.evaluate("document.querySelector('#video').play()")
    view.wait_for_function("() => !document.querySelector('#video').paused")
    page.context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_a_notice_with_a_link_keeps_its_words_wide_on_a_phone(
    browser: Browser, studio: str, width: int
) -> None:
    """The shared view's hint and a credits notice: the words use the row, the link goes under them."""
    page = open_studio(browser, studio, {"width": width, "height": 700})
    page.evaluate(
        """async () => {
          const { notice } = await import('/static/js/notices.js');
          notice('claim-hint', 'info', 'You are viewing a shared project. Start your own in the studio.',
                 { href: '/', text: 'Open the studio' });
          notice('credits', 'error', 'Not enough credits to make a video: 100 needed, 40 available.',
                 { href: '/register', text: 'Create an account' });
        }"""
    )
    for sel in ('[data-notice="claim-hint"]', '[data-notice="credits"]'):
        box = page.locator(sel).bounding_box()
        words = page.locator(f"{sel} p").bounding_box()
        assert box and words
        assert words["width"] >= 0.6 * (box["width"] - 28), (sel, words, box)
    no_sideways_scroll(page)
    shot(page, f"round3-notices-{width}")
    page.context.close()
