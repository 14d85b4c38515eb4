"""``promptreel mcp`` driven by the official MCP client over stdio, against a protocol server."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from promptreel.client.testing import FakeServer

TOOLS = {"generate", "edit", "state", "upload", "export", "credits"}


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    with FakeServer() as f:
        yield f


def _text(result: object) -> str:
    return "".join(getattr(c, "text", "") for c in getattr(result, "content", []))


def test_mcp_tools_over_stdio(fake: FakeServer, tmp_path: Path) -> None:
    clip = tmp_path / "intro.mp4"
    clip.write_bytes(b"\x00" * 100)
    bad = tmp_path / "notes.txt"
    bad.write_text("x")
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "promptreel.cli", "mcp"],
        env={
            "NEMO_API_URL": fake.url,
            "NEMO_WEB_URL": "http://studio.test",
            "PROMPTREEL_CONFIG_DIR": str(tmp_path / "cfg"),
            "PROMPTREEL_CHAT_RENDER_POLL_S": "0",
        },
    )
    results: dict[str, tuple[str, bool]] = {}

    async def go() -> set[str]:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            names = {t.name for t in (await session.list_tools()).tools}

            async def call(name: str, args: dict[str, object], key: str | None = None) -> None:
                r = await session.call_tool(name, args)
                results[key or name] = (_text(r), bool(r.is_error))

            await call("credits", {})
            await call("state", {}, "state_empty")
            await call("export", {"output_dir": str(tmp_path / "out")}, "export_empty")
            await call("generate", {"prompt": "generate a video about coffee"})
            await call("edit", {"instruction": "make the music quieter"})
            await call("state", {})
            await call("upload", {"path": str(clip)})
            await call("upload", {"path": str(bad)}, "upload_bad")
            await call("export", {"output_dir": str(tmp_path / "out")})
            await call("generate", {"prompt": "generate another video about tea"}, "generate_broke")
            return names

    names = anyio.run(go)
    assert names >= TOOLS
    assert results["credits"] == ("Credits: 100 available, 0 held, 100 total.", False)
    assert "empty" in results["state_empty"][0]
    assert "Nothing to export yet" in results["export_empty"][0]
    gen, err = results["generate"]
    assert (
        not err and 'Your 10-second video "Morning Coffee" is ready.' in gen and "Timeline (4 tracks)" in gen
    )
    assert "plan_storyboard" not in gen
    edit, err = results["edit"]
    assert not err and "BGM volume: 35% → 20%" in edit
    assert "BGM: Lo-fi (0-10s, 20%)" in results["state"][0]
    assert "Uploaded intro.mp4 (video)" in results["upload"][0]
    text, err = results["upload_bad"]
    assert err and "Accepted types" in text
    text, err = results["export"]
    files = list((tmp_path / "out").glob("*.mp4"))
    assert not err and len(files) == 1 and str(files[0].resolve()) in text
    assert "http://studio.test/workspace/claim?ct=clm_" in text
    text, err = results["generate_broke"]
    assert err and "http://studio.test/register?bind=" in text
    assert all("nmv_" not in t for t, _ in results.values())
    assert fake.session().messages == ["generate a video about coffee", "make the music quieter"]


@pytest.mark.slow
def test_mcp_tools_against_the_real_server(tmp_path: Path) -> None:
    from conftest import LiveServer, server_env

    srv = LiveServer(tmp_path / "data", server_env(tmp_path / "data", anonymous_credits=1000)).start()
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "promptreel.cli", "mcp"],
        env={
            "NEMO_API_URL": srv.url,
            "NEMO_WEB_URL": srv.url,
            "PROMPTREEL_CONFIG_DIR": str(tmp_path / "cfg"),
            "PROMPTREEL_CHAT_RENDER_POLL_S": "0.2",
        },
    )
    out: dict[str, tuple[str, bool]] = {}

    async def go() -> None:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            for name, args in [
                ("generate", {"prompt": "generate a 10 second video about coffee"}),
                ("edit", {"instruction": "make it vertical"}),
                ("state", {}),
                ("credits", {}),
                ("export", {"output_dir": str(tmp_path / "out")}),
            ]:
                r = await session.call_tool(name, args)
                out[name] = (_text(r), bool(r.is_error))

    try:
        anyio.run(go)
    finally:
        srv.stop()
    assert not any(err for _t, err in out.values()), out
    assert "Your 10-second draft is ready." in out["generate"][0]
    assert "Made it vertical (1080×1920)." in out["edit"][0]
    assert "Canvas: 1920x1080 (16:9, 30 fps) → 1080x1920 (9:16, 30 fps)" in out["edit"][0]
    assert "10s at 1080x1920" in out["state"][0]
    assert out["credits"][0] == "Credits: 850 available, 0 held, 850 total."
    files = list((tmp_path / "out").glob("*.mp4"))
    assert len(files) == 1 and str(files[0].resolve()) in out["export"][0]
    assert f"{srv.url}/workspace/claim?ct=clm_" in out["export"][0]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _no_server_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    import os

    from conftest import FAKE_STUDIO, TESTS

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROMPTREEL_", "NEMO_"))}
    env.update(
        {
            "PROMPTREEL_CONFIG_DIR": str(tmp_path / "cfg"),
            "PROMPTREEL_DATA_DIR": str(tmp_path / "data"),
            "PROMPTREEL_PORT": str(_free_port()),
            "PROMPTREEL_STUDIO": FAKE_STUDIO,
            "PROMPTREEL_FAKE_ENGINES": "1",
            "PROMPTREEL_CHAT_RENDER_POLL_S": "0.2",
            "PYTHONPATH": str(TESTS),
            **extra,
        }
    )
    return env


def test_mcp_without_a_server_starts_a_local_one(tmp_path: Path) -> None:
    """No NEMO_API_URL and nothing listening: the first tool call starts `promptreel serve --local`."""
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "promptreel.cli", "mcp"], env=_no_server_env(tmp_path)
    )
    out: dict[str, tuple[str, bool]] = {}

    async def go() -> None:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            tools = {t.name: t for t in (await session.list_tools()).tools}
            assert "format" in tools["export"].input_schema["properties"]
            for key, name, args in [
                ("generate", "generate", {"prompt": "generate a 6 second video about coffee"}),
                ("edit", "edit", {"instruction": "make it vertical"}),
                ("export", "export", {"output_dir": str(tmp_path / "out")}),
                ("premiere", "export", {"output_dir": str(tmp_path / "out"), "format": "premiere"}),
                ("bad_format", "export", {"output_dir": str(tmp_path / "out"), "format": "avid"}),
            ]:
                r = await session.call_tool(name, args)
                out[key] = (_text(r), bool(r.is_error))

    anyio.run(go)
    for key in ("generate", "edit", "export", "premiere"):
        assert not out[key][1], out
    assert list((tmp_path / "out").glob("*.mp4"))
    zips = list((tmp_path / "out").glob("*.fcp7.zip"))
    assert len(zips) == 1 and str(zips[0].resolve()) in out["premiere"][0]
    assert "Premiere" in out["premiere"][0]
    text, err = out["bad_format"]
    assert err and "export failed:" in text and "otio" in text


def test_mcp_with_a_bad_server_url_says_which_and_how_to_fix(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "promptreel.cli", "mcp"],
        env=_no_server_env(tmp_path, NEMO_API_URL=url),
    )
    out: dict[str, tuple[str, bool]] = {}

    async def go() -> None:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            for name, args in [("generate", {"prompt": "a video about tea"}), ("export", {"format": "otio"})]:
                r = await session.call_tool(name, args)
                out[name] = (_text(r), bool(r.is_error))

    anyio.run(go)
    for name, (text, err) in out.items():
        assert err and f"{name} failed: could not reach the promptreel server at {url}" in text, text
        assert "promptreel serve" in text and "NEMO_API_URL" in text
