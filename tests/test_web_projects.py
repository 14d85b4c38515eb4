"""Projects, uploads, scene thumbnails and the poster in real Chromium at desktop and phone sizes.

An uploaded photo is listed with its picture and stays listed after a reload; once it is in the
video, Fit / Fill changes its segment's ``fit``; every scene on the timeline shows a still; the
player's poster is a frame the server draws from the middle of the first scene after the title;
the projects dialog opens, renames, duplicates and deletes (after a confirmation); a reload in
the middle of a generation shows no example prompts. Screenshots: ``test-artifacts/web/projects-*``.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import LiveServer, server_env
from studiokit import DESKTOP, PHONE, idle, needs_chromium, no_sideways_scroll, open_studio, send, shot

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Dialog, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]
needs_chromium()

STUDIO = "fake_studio_media:MediaStudio"


def _png(width: int = 240, height: int = 320) -> bytes:
    rows = []
    for y in range(height):
        rows.append(b"\x00" + b"".join(bytes([40 + x % 200, 120, 200 - y % 150]) for x in range(width)))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    d = tmp_path_factory.mktemp("web-projects")
    srv = LiveServer(d, server_env(d, STUDIO, fake_engines=1, anonymous_credits=5000)).start()
    yield srv
    srv.stop()


def reload(page: Page) -> None:
    page.reload()
    page.wait_for_selector("body[data-ready='1']")


def loaded_image(page: Page, selector: str) -> None:
    """The image is there and decoded (a real picture, not a broken one)."""
    page.wait_for_function(
        "(s) => { const i = document.querySelector(s); return !!i && i.complete && i.naturalWidth > 0; }",
        arg=selector,
    )


def draft_fit(page: Page) -> list[str]:
    fits: list[str] = page.evaluate(
        "() => window.promptreelStudio.state.draft.t.flatMap(t => t.sg).filter(s => s.k === 'media').map(s => s.m.fit)"
    )
    return fits


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_projects_uploads_and_stills(
    browser: Browser, server: LiveServer, tmp_path: Path, viewport: dict[str, int]
) -> None:
    tag = "desktop" if viewport is DESKTOP else "phone"
    page = open_studio(browser, server.url, viewport)
    answers: dict[str, str] = {}

    def on_dialog(d: Dialog) -> None:
        if d.type == "prompt":
            d.accept(answers.get("prompt", ""))
        else:
            d.accept()

    page.on("dialog", on_dialog)

    # a photo: listed with its picture, from the server
    photo = tmp_path / "portrait.png"
    photo.write_bytes(_png())
    page.locator("#file-input").set_input_files(str(photo))
    stored = page.locator("#uploads li.stored")
    expect(stored).to_have_count(1)
    loaded_image(page, "#uploads li.stored .upload-thumb img")
    expect(stored).to_contain_text("portrait.png")

    # a video with the photo in it: scene stills on the timeline, a drawn poster
    send(page, "a 10 second video with my photo")
    idle(page)
    expect(page.locator("#tl .tl-lane[data-role='scenes'] .tl-seg")).to_have_count(2)
    expect(page.locator("#tl .tl-lane[data-role='scenes'] .tl-thumb.loaded")).to_have_count(2)
    page.wait_for_function(
        "() => (document.querySelector('#video').getAttribute('poster') || '').startsWith('blob:')"
    )
    assert draft_fit(page) == ["cover"]
    fit = stored.locator("[data-fit='contain']")
    expect(stored.locator("[data-fit='cover']")).to_have_attribute("aria-pressed", "true")
    fit.click()
    expect(page.locator("#uploads li.stored [data-fit='contain']")).to_have_attribute("aria-pressed", "true")
    assert draft_fit(page) == ["contain"]
    expect(page.locator("#undo-btn")).to_be_enabled()
    no_sideways_scroll(page)
    shot(page, f"projects-{tag}-01-fit-and-thumbnails")

    # after a reload: the upload, its picture and the choice come back from the server
    reload(page)
    expect(page.locator("#uploads li.stored")).to_have_count(1)
    loaded_image(page, "#uploads li.stored .upload-thumb img")
    expect(page.locator("#uploads li.stored [data-fit='contain']")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#tl .tl-thumb.loaded")).to_have_count(2)

    # projects: a second one, then the list with posters, rename, duplicate, delete, open
    page.locator("#new-project").click()  # the confirmation is accepted
    expect(page.locator("#uploads li.stored")).to_have_count(0)
    send(page, "a SLOW 6 second video about rain")
    page.wait_for_function("() => Object.keys(localStorage).some(k => k.startsWith('promptreel.turn.'))")
    reload(page)  # mid-generation: reattaching, and no example prompts meanwhile
    expect(page.locator("#working")).to_be_visible()
    expect(page.locator("#examples")).to_be_hidden()
    shot(page, f"projects-{tag}-02-reattaching")
    idle(page)

    page.locator("#projects-btn").click()
    dialog = page.locator("#projects-dialog")
    items = dialog.locator("li.project")
    expect(items).to_have_count(2)
    expect(items.first).to_have_class("project current")
    expect(dialog.locator("li.project img")).to_have_count(2)
    loaded_image(page, "#projects-dialog li.project:nth-child(2) img")
    no_sideways_scroll(page)
    shot(page, f"projects-{tag}-03-projects")

    sid = items.nth(1).get_attribute("data-session")
    photo_item = dialog.locator(f"li.project[data-session='{sid}']")
    answers["prompt"] = "Photo story"
    photo_item.locator("[data-act='rename']").click()
    expect(photo_item.locator(".project-sub")).to_have_text("Photo story")
    expect(items.first).to_have_attribute("data-session", str(sid))  # the most recently changed first
    photo_item.locator("[data-act='duplicate']").click()
    expect(items).to_have_count(3)
    expect(dialog.locator(".project-sub", has_text="Photo story (copy)")).to_have_count(1)
    dialog.locator("li.project", has_text="Photo story (copy)").locator("[data-act='delete']").click()
    expect(items).to_have_count(2)
    expect(dialog.locator("#projects-status")).to_contain_text("Deleted")
    shot(page, f"projects-{tag}-04-after-delete")

    photo_item.locator("[data-act='open']").click()
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#uploads li.stored")).to_have_count(1)
    expect(page.locator("#tl .tl-thumb.loaded")).to_have_count(2)
    expect(page.locator(".msg.user", has_text="a 10 second video with my photo")).to_have_count(1)
    no_sideways_scroll(page)
    shot(page, f"projects-{tag}-05-reopened")
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    page.context.close()
