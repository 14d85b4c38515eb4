"""``promptreel chat`` against the real server (spawned on loopback), asserting what a person sees.

The server runs with the fast fake studio (``tests/fake_studio.py``). Where the real backend
never misbehaves on demand — a turn with no text, a stream cut mid-turn, GUI-worded replies —
a small pass-through proxy in front of it strips text parts, rewrites text or cuts the first
connection; everything else (resume, state, credits, renders) is the real server's.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import av
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from typer.testing import CliRunner

from conftest import LiveServer, server_env
from promptreel.cli import app
from promptreel.client.chat import ACCEPTED_TYPES
from promptreel.client.config import CredentialStore
from promptreel.client.testing import serve_in_thread

pytestmark = pytest.mark.slow

STUDIO = "http://studio.test"
GEN = "generate a 10 second video about coffee"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    d = tmp_path_factory.mktemp("chat-server")
    srv = LiveServer(d, server_env(d, anonymous_credits=1000)).start()
    yield srv.url
    srv.stop()


# ------------------------------------------------------------------ helpers


class Person:
    """One person's terminal: a config dir and ``promptreel chat`` runs against one server."""

    def __init__(self, url: str, home: Path, **env: str) -> None:
        self.url = url
        self.home = home
        self.env = {
            "PROMPTREEL_CONFIG_DIR": str(home / "cfg"),
            "PROMPTREEL_CHAT_DOWNLOAD_DIR": str(home / "videos"),
            "PROMPTREEL_CHAT_RENDER_POLL_S": "0.2",
            "NEMO_WEB_URL": STUDIO,
            "NEMO_TOKEN": "",
            "NEMO_API_URL": "",
            **env,
        }
        self.seen: list[str] = []

    def chat(self, message: str | None = None, *, stdin: str | None = None, **env: str) -> tuple[int, str]:
        args = ["chat", "--server", self.url] + (["--once", message] if message is not None else [])
        result = CliRunner().invoke(app, args, input=stdin, env={**self.env, **env}, catch_exceptions=False)
        self.seen.append(result.output)
        return result.exit_code, result.output

    def says(self, message: str, **env: str) -> str:
        return self.chat(message, **env)[1]

    @property
    def store(self) -> CredentialStore:
        return CredentialStore(self.home / "cfg")

    def api(self, path: str) -> Any:
        """Read the server directly with this person's cached token (the test's own check)."""
        token = self.store.token(self.url)
        r = httpx.get(f"{self.url}{path}", headers={"Authorization": f"Bearer {token}"})
        return r.json()["data"]

    def balance(self) -> int:
        return int(self.api("/api/credits/balance/simple")["available"])

    def state(self) -> dict[str, Any]:
        sid = self.store.session(self.url)["session_id"]
        return dict(self.api(f"/api/state/nemo_agent/me/{sid}/latest"))


def png(path: Path, w: int = 16, h: int = 16) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + os.urandom(3 * w) for _ in range(h))  # noise: does not compress
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


def video_seconds(path: Path) -> float:
    with av.open(str(path)) as c:
        return float(c.duration or 0) / 1_000_000


class Proxy:
    """Pass-through to the real server that can strip or rewrite agent text and cut a stream."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.strip_text = False
        self.rewrite: Callable[[str], str] | None = None
        self.drop_after: int | None = None  # cut the first /run_sse connection after n events
        self.turn_posts: list[str | None] = []  # Last-Event-ID of each /run_sse call (None: a new message)
        self.app = Starlette(routes=[Route("/{path:path}", self.handle, methods=["GET", "POST"])])

    def _edit(self, line: str) -> str:
        data = json.loads(line[5:].strip())
        parts = data.get("content", {}).get("parts", [])
        if self.strip_text:
            parts[:] = [p for p in parts if "text" not in p]
        elif self.rewrite:
            for p in parts:
                if "text" in p:
                    p["text"] = self.rewrite(p["text"])
        return "data: " + json.dumps(data, ensure_ascii=False)

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        skip = {b"host", b"content-length", b"accept-encoding", b"connection"}
        headers = [(k, v) for k, v in request.headers.raw if k.lower() not in skip]
        url = self.upstream + request.url.path + (f"?{request.url.query}" if request.url.query else "")
        client = httpx.AsyncClient(timeout=None)
        resp = await client.send(
            client.build_request(request.method, url, headers=headers, content=body), stream=True
        )
        out = {
            k: v
            for k, v in resp.headers.items()
            if k.lower() not in ("content-length", "transfer-encoding", "content-encoding", "connection")
        }
        is_turn = request.url.path == "/run_sse"
        if is_turn:
            self.turn_posts.append(request.headers.get("last-event-id"))
        if not (is_turn and resp.headers.get("content-type", "").startswith("text/event-stream")):
            content = await resp.aread()
            await client.aclose()
            return Response(content, status_code=resp.status_code, headers=out)
        drop = self.drop_after if request.headers.get("last-event-id") is None else None

        async def gen() -> AsyncIterator[bytes]:
            sent = 0
            block: list[str] = []
            try:
                async for line in resp.aiter_lines():
                    if line:
                        block.append(line)
                        continue
                    if not block:
                        continue
                    is_event = any(x.startswith("data:") for x in block)
                    if is_event and drop is not None and sent >= drop:
                        raise ConnectionAbortedError("cut on purpose")
                    lines = [self._edit(x) if x.startswith("data:") else x for x in block]
                    yield ("\n".join(lines) + "\n\n").encode()
                    sent += int(is_event)
                    block = []
            finally:
                await resp.aclose()
                await client.aclose()

        return StreamingResponse(gen(), status_code=resp.status_code, headers=out)


@pytest.fixture
def proxy(server: str) -> Iterator[Proxy]:
    p = Proxy(server)
    url, stop = serve_in_thread(p.app)
    p.url = url  # type: ignore[attr-defined]
    yield p
    stop()


# ------------------------------------------------------------------ routing of every keyword row


def test_every_keyword_row_against_the_real_server(server: str, tmp_path: Path) -> None:
    me = Person(server, tmp_path)
    code, out = me.chat(GEN)
    assert code == 0 and out.startswith("Setting up…\n")
    assert "this may take a little while" in out
    assert "Your 10-second draft is ready." in out and "Timeline (4 tracks)" in out
    assert out.count("Timeline (4 tracks)") == 1
    assert "generate_raw_cut" not in out and "function_call" not in out
    after_generation = me.balance()
    assert after_generation == 900

    for word in ("credits", "积分", "balance", "余额"):
        zh = word in ("积分", "余额")  # answered in the person's language
        assert me.says(word).strip() == (
            "积分：可用 900，共 900。" if zh else "Credits: 900 available, 900 in total."
        )
    for word in ("status", "状态", "show tracks"):
        out = me.says(word)
        assert "10s, 1920x1080 (16:9)" in out
        assert (
            "Timeline (4 tracks): 1. Video: 2 scenes (0-10s) 2. Voiceover: 2 lines (0-10s) 3. BGM: Lo-fi"
            in out
        )
    dot = png(tmp_path / "dot.png")
    for word in ("upload", "上传"):
        out = me.says(f"{word} {dot}")
        assert ("已上传" if word == "上传" else "Uploaded") + " dot.png (image, 16x16" in out
    assert "Uploaded dot.png (image, 16x16" in me.says(str(dot))  # a bare path is an upload too
    assert len(me.state()["state"]["video_infos"]) == 3

    for i, word in enumerate(("export", "导出", "download", "send me the video"), 1):
        out = me.says(word)
        zh = word == "导出"
        assert ("正在导出你的视频" if zh else "Exporting your video") in out, out
        assert ("渲染中… 100%" if zh else "Rendering… 100%") in out, out
        files = sorted((tmp_path / "videos").glob("*.mp4"), key=lambda f: f.stat().st_mtime)
        assert len(files) == i  # each export its own file, named after the title
        assert any(f"{'视频已完成：' if zh else 'Your video is ready: '}{f.resolve()}" in out for f in files)
        assert (
            f"{'在工作室中打开：' if zh else 'Open it in the studio: '}{STUDIO}/workspace/claim?ct=clm_"
            in out
        )
    assert 9.5 <= video_seconds(files[-1]) <= 10.5
    # none of the routed keywords reached the agent: nothing was charged, the draft is unchanged
    assert me.balance() == after_generation
    assert me.state()["version"] == 2

    out = me.says("add a warm filter")  # everything else is a turn
    assert "I didn't change anything" in out
    assert all("nmv_" not in s for s in me.seen)


def test_studio_link_opens_the_project(server: str, tmp_path: Path) -> None:
    me = Person(server, tmp_path)
    me.says(GEN)
    out = me.says("export")
    link = next(
        line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Open it in the studio")
    )
    ct = link.split("ct=", 1)[1]
    r = httpx.get(f"{server}/workspace/claim", params={"ct": ct}, follow_redirects=True)
    assert r.status_code == 200


# ------------------------------------------------------------------ turns


def test_gui_wording_from_the_person(server: str, tmp_path: Path) -> None:
    me = Person(server, tmp_path)
    me.says(GEN)
    assert "✅ Your video is ready" in me.says("click the Export button")
    assert "Timeline (4 tracks)" in me.says("open the timeline")
    assert "Timeline (4 tracks)" in me.says("打开时间线")
    before = me.balance()
    out = me.says("click make it vertical")  # "click X" → X goes to the agent
    assert "Made it vertical (1080×1920)." in out
    assert "Canvas: 1920x1080 (16:9, 30 fps) → 1080x1920 (9:16, 30 fps)" in out
    assert me.balance() == before - 50


def test_gui_wording_from_the_agent(proxy: Proxy, tmp_path: Path) -> None:
    me = Person(proxy.url, tmp_path)  # type: ignore[attr-defined]
    me.says(GEN)
    proxy.rewrite = lambda t: t + " Click the Export button to download it. Open the timeline to check."
    out = me.says("make it vertical")
    assert "Made it vertical" in out
    assert "Click the Export" not in out and "Open the timeline" not in out
    assert 'Say "export" and I\'ll render the MP4 and download it for you.' in out
    assert "Timeline (4 tracks)" in out  # "open the timeline" became the state summary


def test_silent_turn_reads_state_and_tells_what_changed(proxy: Proxy, tmp_path: Path) -> None:
    me = Person(proxy.url, tmp_path)  # type: ignore[attr-defined]
    me.says(GEN)
    proxy.strip_text = True
    out = me.says("make it vertical")
    assert "Made it vertical" not in out  # the stream carried no text
    assert "Done. What changed:" in out
    assert "• Canvas: 1920x1080 (16:9, 30 fps) → 1080x1920 (9:16, 30 fps)" in out
    nxt = [line for line in out.splitlines() if line.startswith("Next you could say:")]
    assert len(nxt) == 1 and 2 <= nxt[0].count('"') // 2 <= 3


def test_resume_after_the_stream_drops_mid_turn(proxy: Proxy, tmp_path: Path) -> None:
    me = Person(proxy.url, tmp_path)  # type: ignore[attr-defined]
    me.says("credits")
    proxy.drop_after = 2
    code, out = me.chat(GEN)
    assert code == 0
    assert "reconnecting to the same turn" in out
    assert out.count("Your 10-second draft is ready.") == 1
    assert out.count("Got it — generating your video:") == 1
    assert proxy.turn_posts[0] is None and proxy.turn_posts[1] == "2"
    assert [p for p in proxy.turn_posts if p is None] == [None]  # the message was posted once
    assert me.balance() == 900  # charged once
    assert me.state()["version"] == 2  # one generation (two stages), not two


def test_drop_before_any_event_polls_state_instead_of_resending(proxy: Proxy, tmp_path: Path) -> None:
    me = Person(proxy.url, tmp_path, PROMPTREEL_CHAT_POLL_S="0.5")  # type: ignore[attr-defined]
    me.says("credits")
    proxy.drop_after = 0
    out = me.says(GEN)
    assert "lost mid-turn" in out and "delivered once" in out
    assert "Timeline (4 tracks)" in out
    assert proxy.turn_posts == [None]
    assert me.balance() == 900


def test_still_working_and_give_up_timers(server: str, tmp_path: Path) -> None:
    me = Person(server, tmp_path, PROMPTREEL_CHAT_STILL_WORKING_S="0.6")
    me.says("credits")
    out = me.says("generate a SLOW 10 second video about rain")  # two 3-second stages
    assert out.count("⏳ Still working...") >= 4
    assert "Your 10-second draft is ready." in out
    me2 = Person(
        server, tmp_path / "2", PROMPTREEL_CHAT_STILL_WORKING_S="0.5", PROMPTREEL_CHAT_GIVE_UP_S="1.5"
    )
    me2.says("credits")
    code, out = me2.chat("generate a SLOW 10 second video about snow")
    assert code == 1
    assert "⏳ Still working..." in out
    assert "No progress for 1.5 seconds — I've stopped waiting." in out
    assert "won't send your message again" in out
    assert "Your 10-second draft is ready." not in out


# ------------------------------------------------------------------ error codes


def test_1001_gets_a_new_anonymous_token_and_retries(server: str, tmp_path: Path) -> None:
    me = Person(server, tmp_path, NEMO_TOKEN="nmv_usr_not-a-real-token")
    out = me.says("credits")
    assert "Your sign-in expired — signing in again…" in out
    assert "Credits: 1000 available" in out
    assert "not-a-real-token" not in out


def test_1002_starts_a_new_session(server: str, tmp_path: Path) -> None:
    me = Person(server, tmp_path)
    me.says("credits")
    old = me.store.session(server)
    me.store.save_session(server, {**old, "session_id": "ses_gone"})
    out = me.says("status")
    assert "That project is no longer on the server — starting a new one." in out
    assert "The timeline is empty so far" in out
    assert me.store.session(server)["session_id"] not in ("ses_gone", old["session_id"])


def test_2001_shows_the_registration_link(server_factory: Callable[..., LiveServer], tmp_path: Path) -> None:
    srv = server_factory(cost_generate=5000)
    me = Person(srv.url, tmp_path)
    code, out = me.chat(GEN)
    bind = me.store.session(srv.url)["bind_id"]
    assert code == 1 and bind
    assert (
        f"Register to keep going — this project and any credits left move to your account: "
        f"{STUDIO}/register?bind={bind}" in out
    )


def test_402_says_register_or_upgrade(server_factory: Callable[..., LiveServer], tmp_path: Path) -> None:
    srv = server_factory(anonymous_scopes=["read", "write", "upload"])
    me = Person(srv.url, tmp_path)
    me.says(GEN)
    code, out = me.chat("export")
    assert code == 1
    assert "Register or upgrade your plan to unlock export." in out
    assert "out of credits" not in out and "top up" not in out.lower()


def test_4001_lists_accepted_types(server: str, tmp_path: Path) -> None:
    me = Person(server, tmp_path)
    fake = tmp_path / "notes.mp4"
    fake.write_text("this is not a video, whatever the name says\n" * 20)
    code, out = me.chat(f"upload {fake}")
    assert code == 1 and f"That file type isn't supported. Accepted types: {ACCEPTED_TYPES}." in out


def test_4002_suggests_compress_or_trim(server_factory: Callable[..., LiveServer], tmp_path: Path) -> None:
    srv = server_factory(max_upload_bytes=300)
    me = Person(srv.url, tmp_path)
    big = png(tmp_path / "big.png", 64, 64)
    assert big.stat().st_size > 300
    code, out = me.chat(f"upload {big}")
    assert code == 1 and "That file is too large" in out and "Compress it or trim it" in out


def test_429_is_explained_without_waiting_days(
    server_factory: Callable[..., LiveServer], tmp_path: Path
) -> None:
    srv = server_factory(tokens_per_ip=1)
    assert "Credits: 100" in Person(srv.url, tmp_path / "a").says("credits")
    code, out = Person(srv.url, tmp_path / "b").chat("credits")
    assert code == 1
    assert "Too many anonymous tokens from this address" in out and "Try again in 7 days." in out


# ------------------------------------------------------------------ the command as a process


def test_interactive_chat_process(server: str, tmp_path: Path) -> None:
    me = Person(server, tmp_path)
    env = {**os.environ, **me.env, "NEMO_API_URL": server}
    env.pop("NEMO_TOKEN")
    script = f"{GEN}\nmake it vertical\n状态\n积分\nquit\n"
    r = subprocess.run(
        [sys.executable, "-m", "promptreel.cli", "chat"],
        input=script,
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.count("Setting up…") == 1
    assert "Made it vertical (1080×1920)." in out and "Canvas: 1920x1080" in out
    assert "6s, 1080x1920 (9:16)" in out or "10s, 1080x1920 (9:16)" in out
    assert "积分：可用 850" in out  # asked in Chinese
    assert "nmv_" not in out + r.stderr


def test_chat_starts_a_local_server_when_none_is_configured(tmp_path: Path) -> None:
    from conftest import free_port

    port = free_port()
    env = server_env(tmp_path / "data", PORT=port)
    env.update({"PROMPTREEL_CONFIG_DIR": str(tmp_path / "cfg"), "NEMO_WEB_URL": STUDIO})
    r = subprocess.run(
        [sys.executable, "-m", "promptreel.cli", "chat", "--once", "credits"],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"No server at http://127.0.0.1:{port} — starting a local one…" in r.stdout
    assert "Credits: 100 available, 100 in total." in r.stdout
    assert (tmp_path / "data" / "promptreel.db").exists()  # it ran on the configured data dir
    with pytest.raises(httpx.HTTPError):  # it was stopped on the way out
        httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1)


def test_without_nemo_web_url_links_point_at_the_server(server: str, tmp_path: Path) -> None:
    me = Person(server, tmp_path, NEMO_WEB_URL="")
    me.says(GEN)
    out = me.says("export")
    assert f"Open it in the studio: {server}/workspace/claim?ct=clm_" in out


def test_server_killed_mid_turn_is_reported_and_nothing_is_resent(
    server_factory: Callable[..., LiveServer], tmp_path: Path
) -> None:
    import time

    srv = server_factory()
    me = Person(srv.url, tmp_path, PROMPTREEL_CHAT_POLL_S="1", PROMPTREEL_CHAT_READ_TIMEOUT_S="5")
    me.says("credits")
    env = {**os.environ, **me.env}
    env.pop("NEMO_TOKEN")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "promptreel.cli",
            "chat",
            "--server",
            srv.url,
            "--once",
            "generate a SLOW 10 second video about storms",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 60
    while not me.state()["turn_running"]:  # wait until the turn runs (inside its first 3-second stage)
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.1)
    time.sleep(0.5)
    srv.restart(kill=True)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, out + err
    assert "Traceback" not in out + err
    # either the resumed stream carried the server's own account of the interruption, or the chat
    # watched the project and found it unchanged; in both cases it offers, and does not send, a retry
    assert ("The server restarted during this turn" in out) or ("did not change in 5 checks" in out), out
    assert me.balance() == 100  # nothing charged
    assert me.state()["version"] == 0


def test_next_steps_are_offered_once(server: str, tmp_path: Path) -> None:
    """The agent's reply already suggests what to say next: the chat adds no second list."""
    out = Person(server, tmp_path).says(GEN)
    offers = [ln for ln in out.splitlines() if ln.count('"') >= 4 and ('", "' in ln or '" or "' in ln)]
    assert len(offers) == 1 and "Next you could say" not in out, out


def test_a_link_to_a_server_started_for_the_chat_says_how_to_open_it_later(tmp_path: Path) -> None:
    from conftest import free_port

    port = free_port()
    env = server_env(tmp_path / "data", PORT=port)
    env.update(
        {"PROMPTREEL_CONFIG_DIR": str(tmp_path / "cfg"), "PROMPTREEL_CHAT_DOWNLOAD_DIR": str(tmp_path)}
    )
    env.pop("NEMO_WEB_URL", None)
    outs = []
    for message in (GEN, "export"):
        r = subprocess.run(
            [sys.executable, "-m", "promptreel.cli", "chat", "--once", message],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert r.returncode == 0, r.stdout + r.stderr
        outs.append(r.stdout)
    assert f"Open it in the studio: http://127.0.0.1:{port}/workspace/claim?ct=clm_" in outs[1]
    assert (
        "the local server stops with this chat: run `promptreel serve --local` to open the link later"
        in outs[1]
    )
