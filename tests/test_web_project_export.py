"""The studio's export menu in real Chromium: MP4 or a project for an editor, downloaded as a zip
by its signed link; the menu is translated (EN/中文)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

import pytest

from conftest import LiveServer, server_env

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, expect

from test_web_studio import open_studio, send, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    d = tmp_path_factory.mktemp("web_export")
    srv = LiveServer(d, server_env(d, fake_engines=1, local_mode=True)).start()
    yield srv
    srv.stop()


def test_export_menu_downloads_an_editor_project(
    browser: Browser, server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    page = open_studio(browser, server.url)
    menu = page.locator("#export-format")
    labels = menu.locator("option").all_inner_texts()
    assert (
        labels[0] == "MP4 video" and "Premiere / DaVinci Resolve" in labels and "CapCut / JianYing" in labels
    )
    send(page, "generate a 6 second video about tea")
    expect(page.locator("#export-btn")).to_be_enabled(timeout=60_000)
    menu.select_option("fcp7")
    page.locator("#export-btn").click()
    link = page.locator("#download-link")
    expect(link).to_be_visible(timeout=120_000)
    expect(link).to_have_text("Download project (zip)")
    expect(page.locator("#export-text")).to_contain_text("Premiere / DaVinci Resolve project is ready")
    shot(page, "export-project-en")
    with page.expect_download() as dl:
        link.click()
    download = dl.value
    assert download.suggested_filename.endswith("(fcp7).zip")
    path = tmp_path_factory.mktemp("dl") / download.suggested_filename
    download.save_as(path)
    names = zipfile.ZipFile(path).namelist()
    assert any(n.endswith(".xml") for n in names) and "draft.json" in names
    page.context.close()

    zh = open_studio(browser, server.url, locale="zh-CN")
    zh_labels = zh.locator("#export-format option").all_inner_texts()
    assert zh_labels[0] == "MP4 视频" and "Premiere / 达芬奇" in zh_labels and "剪映 / CapCut" in zh_labels
    assert zh.locator("#export-format").get_attribute("aria-label") == "导出格式"
    shot(zh, "export-project-zh")
    zh.context.close()
