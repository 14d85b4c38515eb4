"""The chat CLI: "export for Premiere" / "导出剪映草稿" download that editor's project as a zip."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from conftest import LiveServer
from promptreel.client.chat_main import run_chat
from promptreel.client.config import ChatSettings


def test_chat_exports_an_editor_project(
    server_factory: Callable[..., LiveServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srv = server_factory(fake_engines=1, local_mode=True)
    monkeypatch.setenv("PROMPTREEL_CONFIG_DIR", str(tmp_path / "cfg"))
    out = io.StringIO()
    console = Console(file=out, width=200, highlight=False)
    settings = ChatSettings(render_poll_s=0.2, download_dir=tmp_path / "dl")
    lines = ["generate a 6 second video about tea", "export for Premiere", "导出剪映草稿"]
    assert run_chat(srv.url, console=console, settings=settings, lines=lines) == 0
    said = out.getvalue()
    fcp7 = list((tmp_path / "dl").glob("*.fcp7.zip"))
    jianying = list((tmp_path / "dl").glob("*.jianying.zip"))
    assert len(fcp7) == 1 and len(jianying) == 1, said
    assert "Premiere / DaVinci Resolve project (FCP 7 XML) is ready" in said
    assert "剪映 / CapCut 草稿已完成" in said
    assert any(n.endswith(".xml") for n in zipfile.ZipFile(fcp7[0]).namelist())
