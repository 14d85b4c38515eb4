"""The chat against a protocol-speaking server with injectable faults: what the person sees.

The server here is the in-package fake (real loopback HTTP, scripted agent), which can produce
on demand what the real backend rarely does: every error code, silent and endless turns, and a
stream cut mid-turn. ``test_chat_live.py`` runs the same flows against the real server.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from promptreel.client.chat import ACCEPTED_TYPES, Chat
from promptreel.client.config import ChatSettings, ClientConfig
from promptreel.client.sdk import Client
from promptreel.client.testing import Done, DraftEdit, FakeServer, Quiet, Say, Tool, Turn, generated_draft

STUDIO = "http://studio.test"


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    with FakeServer() as f:
        yield f


class Harness:
    def __init__(self, fake: FakeServer, tmp_path: Path, token: str | None = None, **settings: Any) -> None:
        self.out = io.StringIO()
        self.fake = fake
        self.sleeps: list[float] = []
        cfg = ClientConfig(
            api_url=fake.url, web_url=STUDIO, config_dir=tmp_path / "cfg", platform="pytest", token=token
        )
        self.client = Client(config=cfg, sleep=self.sleeps.append)
        opts: dict[str, Any] = {
            "still_working_s": 60.0,
            "give_up_s": 60.0,
            "render_poll_s": 0.0,
            "poll_s": 0.0,
            "download_dir": tmp_path / "videos",
        }
        opts.update(settings)
        self.chat = Chat(
            self.client,
            console=Console(file=self.out, width=240, color_system=None),
            settings=ChatSettings(**opts),
            sleep=self.sleeps.append,
        )

    def say(self, text: str) -> str:
        start = len(self.out.getvalue())
        self.chat.handle(text)
        return self.out.getvalue()[start:]

    @property
    def all(self) -> str:
        return self.out.getvalue()


@pytest.fixture
def h(fake: FakeServer, tmp_path: Path) -> Harness:
    return Harness(fake, tmp_path)


def messages(fake: FakeServer) -> list[str]:
    return [m for s in fake.sessions.values() for m in s.messages]


# ------------------------------------------------------------------ setup and routing


def test_first_use_says_setting_up_once_and_later_runs_continue(fake: FakeServer, tmp_path: Path) -> None:
    h1 = Harness(fake, tmp_path)
    out = h1.say("credits")
    assert out.splitlines()[0] == "Setting up…"
    assert "Credits: 100 available" in out
    assert "Setting up" not in h1.say("status")
    sid = h1.chat.session_id
    h2 = Harness(fake, tmp_path)  # a new run with the same config dir
    assert "Setting up" not in h2.say("status")
    assert h2.chat.session_id == sid
    assert len(fake.sessions) == 1


@pytest.mark.parametrize("word", ["export", "导出", "download", "send me the video"])
def test_export_row(h: Harness, word: str) -> None:
    h.say("generate a video about coffee")
    out = h.say(word)
    said = (
        ("正在导出你的视频", "✅ 视频已完成：")
        if word == "导出"
        else ("Exporting your video", "✅ Your video is ready:")
    )
    assert all(s in out for s in said), out
    assert messages(h.fake) == ["generate a video about coffee"]  # not sent to the agent


@pytest.mark.parametrize("word", ["credits", "积分", "balance", "余额"])
def test_balance_row(h: Harness, word: str) -> None:
    out = h.say(word)
    assert (
        "积分：可用 100，共 100。" if word in ("积分", "余额") else "Credits: 100 available, 100 in total."
    ) in out
    assert messages(h.fake) == []


@pytest.mark.parametrize("word", ["status", "状态", "show tracks"])
def test_summary_row(h: Harness, word: str) -> None:
    assert ("时间线还是空的" if word == "状态" else "The timeline is empty so far") in h.say(word)
    h.say("generate a video about coffee")
    out = h.say(word)
    assert '"Morning Coffee" — 10s, 1920x1080 (16:9)' in out
    assert "Timeline (4 tracks): 1. Video: 2 scenes (0-10s)" in out
    assert messages(h.fake) == ["generate a video about coffee"]


@pytest.mark.parametrize("word", ["upload", "上传"])
def test_upload_row(h: Harness, tmp_path: Path, word: str) -> None:
    clip = tmp_path / "beach.mp4"
    clip.write_bytes(b"\x00" * 3000)
    out = h.say(f"{word} {clip}")
    zh = word == "上传"
    assert ("已上传 beach.mp4" if zh else "Uploaded beach.mp4") + " (video, 64x64, 4s, 2.9 KB)" in out
    assert h.fake.uploads == [("beach.mp4", 3000)]
    assert messages(h.fake) == []
    assert ("哪个文件？" if zh else "Which file?") in h.say(word)


def test_a_bare_file_path_uploads_and_the_rest_goes_to_the_agent(h: Harness, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG")
    out = h.say(f"{logo} use it as the opening shot")
    assert "Uploaded logo.png" in out
    assert messages(h.fake) == ["use it as the opening shot (uploaded: logo.png)"]


def test_everything_else_is_one_turn(h: Harness) -> None:
    h.say("generate a video about coffee")
    h.say("add a sparkle effect")
    assert messages(h.fake) == ["generate a video about coffee", "add a sparkle effect"]


# ------------------------------------------------------------------ turns


def test_generation_warns_shows_text_hides_tools_and_summarises(h: Harness) -> None:
    out = h.say("generate a video about coffee")
    lines = out.splitlines()
    assert lines[0] == "Setting up…"
    assert lines[1] == "On it — this may take a little while."
    assert "I'll make that now." in out and 'Your 10-second video "Morning Coffee" is ready.' in out
    assert "plan_storyboard" not in out and "function" not in out and "{" not in out
    assert "Timeline (4 tracks)" in out
    assert "Next you could say:" in out


def test_a_chinese_conversation_is_answered_in_chinese(h: Harness) -> None:
    out = h.say("生成一个关于咖啡的视频")
    assert "马上开始" in out and "接下来你可以说：" in out and "「导出」渲染并下载 MP4" in out
    assert "On it" not in out and "Next you could say" not in out
    out = h.say("把音乐调小一点")
    assert "完成。改动如下：" in out
    h.fake.fail("render", 402)
    assert "注册或升级套餐即可解锁导出" in h.say("导出")
    assert "Credits: 20 available" in h.say("show my credits please")  # an English sentence switches back


def test_silent_turn_reads_state_and_tells_what_changed(h: Harness) -> None:
    h.say("generate a video about coffee")
    out = h.say("make the music quieter")
    assert "Done. What changed:" in out
    assert "• BGM volume: 35% → 20%" in out
    nxt = [line for line in out.splitlines() if line.startswith("Next you could say:")]
    assert len(nxt) == 1 and 2 <= nxt[0].count('"') // 2 <= 3


def test_edit_with_text_states_what_changed_with_timing(h: Harness) -> None:
    from promptreel.draft import ops

    h.say("generate a video about coffee")
    h.fake.script(
        Turn([Say("Made scene 2 longer."), DraftEdit(lambda d: ops.resize_segment(d, "seg_2", 7000)), Done()])
    )
    out = h.say("make scene 2 longer")
    assert "Made scene 2 longer." in out
    assert "What changed:" in out and 'Video scene "Cup" timing: 5-10s → 5-12s' in out


def test_silent_turn_without_change_says_so(h: Harness) -> None:
    h.fake.set_draft(h.chat.session_id if h.chat.session else _start(h), generated_draft())
    h.fake.script(Turn([Tool("noop"), Done()]))
    out = h.say("do nothing")
    assert "Finished — the timeline did not change." in out


def _start(h: Harness) -> str:
    h.chat.setup()
    return h.chat.session_id


def test_gui_wording_from_the_agent_becomes_the_action(h: Harness) -> None:
    h.say("generate a video about coffee")
    h.fake.script(
        Turn([Say("All set. Click the Export button to download it. Open the timeline to check."), Done()])
    )
    out = h.say("looks good?")
    assert "Click" not in out and "Open the timeline" not in out
    assert 'Say "export" and I\'ll render the MP4 and download it for you.' in out
    assert out.count("Timeline (4 tracks)") == 1  # "open the timeline" → the state summary
    h.fake.script(Turn([Say("拖拽片段即可调整顺序。"), Done()]))
    out = h.say("怎么调整顺序")
    assert "拖拽" not in out and "直接告诉我要怎么改" in out


def test_still_working_repeats_during_silence(fake: FakeServer, tmp_path: Path) -> None:
    h = Harness(fake, tmp_path, still_working_s=0.2)
    _start(h)
    fake.script(Turn([Say("Starting."), Quiet(0.9), Say("Finished."), Done()]))
    out = h.say("slow one")
    n = out.count("⏳ Still working...")
    assert 2 <= n <= 20  # repeated, once per 0.2 s of silence at most
    assert out.index("Starting.") < out.index("⏳ Still working...") < out.index("Finished.")


def test_gives_up_after_heartbeats_only_and_never_resends(fake: FakeServer, tmp_path: Path) -> None:
    h = Harness(fake, tmp_path, still_working_s=0.2, give_up_s=0.6)
    _start(h)
    fake.script(Turn([Say("Thinking."), Quiet(30), Done()]))
    t0 = time.monotonic()
    out = h.say("endless")
    assert time.monotonic() - t0 < 5
    assert "No progress for 0.6 seconds — I've stopped waiting." in out
    assert "won't send your message again" in out
    assert "⏳ Still working..." in out
    assert messages(fake) == ["endless"]
    assert h.chat.failed


def test_dropped_stream_resumes_and_the_server_saw_the_message_once(h: Harness) -> None:
    _start(h)
    h.fake.script(
        Turn([Say("Part one. "), Say("Part two. "), Quiet(0.1), Say("Part three."), Done()], drop_after=2)
    )
    out = h.say("tell me a story")
    assert "reconnecting to the same turn" in out
    assert "Part one." in out and "Part two." in out and "Part three." in out
    assert out.count("Part two.") == 1
    assert messages(h.fake) == ["tell me a story"]


def test_unresumable_drop_polls_state_and_reports_the_change(h: Harness) -> None:
    h.say("generate a video about coffee")
    h.fake.script(
        Turn(
            [Tool("edit"), Quiet(0.3), DraftEdit(lambda d: generated_draft("Evening Tea")), Done()],
            drop_after=0,
        )
    )
    h.chat.settings.poll_s = 0.5
    h.chat._sleep = time.sleep
    out = h.say("rename it to Evening Tea")
    assert "lost mid-turn" in out and "delivered once" in out
    assert 'Title: "Morning Coffee" → "Evening Tea"' in out
    assert messages(h.fake) == ["generate a video about coffee", "rename it to Evening Tea"]


def test_five_unchanged_polls_report_failure_and_offer_retry(h: Harness, tmp_path: Path) -> None:
    h.say("generate a video about coffee")
    h.fake.script(Turn([Tool("edit"), Done()], drop_after=0))
    before = sum(1 for _m, p, _h in h.fake.requests if "/api/state/" in p)
    out = h.say("make it pop")
    polls = sum(1 for _m, p, _h in h.fake.requests if "/api/state/" in p) - before
    assert polls == 1 + 5  # the read before the turn, then five polls
    assert "did not change in 5 checks" in out and 'Say "retry"' in out
    assert messages(h.fake) == ["generate a video about coffee", "make it pop"]
    later = Harness(h.fake, tmp_path)  # a later `promptreel chat --once retry` remembers the offer
    later.say("retry")  # only on request is it sent again
    assert messages(h.fake) == ["generate a video about coffee", "make it pop", "make it pop"]
    later.say("retry")  # and only once: nothing is pending any more, so "retry" is just a message
    assert messages(h.fake)[-1] == "retry"


# ------------------------------------------------------------------ export


def test_export_delivers_file_and_studio_link(h: Harness, tmp_path: Path) -> None:
    h.say("generate a video about coffee")
    out = h.say("export")
    assert "Rendering… 50%" in out and "Rendering… 100%" in out
    files = list((tmp_path / "videos").glob("*.mp4"))
    assert [f.name for f in files] == ["morning-coffee.mp4"]  # named after the video's title
    assert files[0].read_bytes() == b"FAKEMP4DATA!"
    assert f"✅ Your video is ready: {files[0].resolve()}" in out
    claim = next(iter(h.fake.claims))
    assert f"Open it in the studio: {STUDIO}/workspace/claim?ct={claim}" in out


def test_export_of_an_empty_draft_is_refused_before_submitting(h: Harness) -> None:
    out = h.say("export")
    assert "nothing to export yet" in out
    assert not h.fake.jobs


def test_failed_render_is_retried_once_with_a_new_id(h: Harness) -> None:
    h.say("generate a video about coffee")
    h.fake.render_failures = 1
    out = h.say("export")
    assert "The render failed (encoder crashed). Trying once more…" in out
    assert "✅ Your video is ready" in out
    assert len(h.fake.jobs) == 2 and all(j.startswith("render_") for j in h.fake.jobs)
    h.fake.render_failures = 2
    out = h.say("export")
    assert "The render failed again" in out and "ready" not in out
    assert len(h.fake.jobs) == 4


# ------------------------------------------------------------------ error codes


def test_1001_signs_in_again_and_retries(h: Harness) -> None:
    h.say("credits")
    h.fake.revoke_all_tokens()
    out = h.say("credits")
    assert "Your sign-in expired — signing in again…" in out
    assert "Credits: 100 available" in out


def test_1002_starts_a_new_session_and_carries_on(h: Harness) -> None:
    h.say("status")
    first = h.chat.session_id
    h.fake.fail("run_sse", 1002)
    out = h.say("generate a video about coffee")
    assert "no longer on the server — starting a new one" in out
    assert h.chat.session_id != first
    assert h.fake.sessions[h.chat.session_id].messages == ["generate a video about coffee"]


def test_2001_anonymous_gets_the_registration_link(h: Harness) -> None:
    h.say("generate a video about coffee")  # spends the 100 free credits
    out = h.say("generate another video about tea")
    bind = h.fake.session().bind_id
    assert "Register to keep going" in out and f"{STUDIO}/register?bind={bind}" in out


def test_2001_registered_is_told_to_top_up(fake: FakeServer, tmp_path: Path) -> None:
    with Client(config=ClientConfig(api_url=fake.url, config_dir=tmp_path / "x")) as c:
        c.balance()
        token = c._auth.token
    h = Harness(fake, tmp_path, token=token)
    _start(h)
    fake.fail("run_sse", 2001)
    out = h.say("generate a video about coffee")
    assert "Top up credits in your account" in out and "register" not in out


def test_402_is_a_plan_problem_not_credits(h: Harness) -> None:
    h.say("generate a video about coffee")
    h.fake.fail("render", 402)
    out = h.say("export")
    assert "Register or upgrade your plan to unlock export." in out
    assert "out of credits" not in out


def test_4001_lists_accepted_types(h: Harness, tmp_path: Path) -> None:
    doc = tmp_path / "notes.mp4"
    doc.write_bytes(b"x")
    h.fake.fail("upload", 4001)
    out = h.say(f"upload {doc}")
    assert f"Accepted types: {ACCEPTED_TYPES}." in out


def test_4002_suggests_compressing_or_trimming(h: Harness, tmp_path: Path) -> None:
    big = tmp_path / "big.mov"
    big.write_bytes(b"x")
    h.fake.fail("upload", 4002)
    out = h.say(f"upload {big}")
    assert "too large" in out and "Compress it or trim it" in out


def test_429_waits_retry_after_and_retries_once(h: Harness) -> None:
    h.say("credits")
    h.fake.fail("balance", 429, retry_after=2)
    out = h.say("credits")
    assert "retrying in 2 s" in out and "Credits: 100 available" in out
    assert h.sleeps == [2]
    h.fake.fail("balance", 429, times=2, retry_after=3)
    out = h.say("credits")
    assert "Try again in 3 seconds." in out


def test_busy_session_is_explained(h: Harness) -> None:
    _start(h)
    h.fake.fail("run_sse", 4090)
    assert "still working on your previous message" in h.say("add music")


def test_tokens_and_raw_json_are_never_printed(h: Harness, tmp_path: Path) -> None:
    h.say("generate a video about coffee")
    h.say("make the music quieter")
    h.say("status")
    h.say("credits")
    h.fake.revoke_all_tokens()
    h.say("export")
    token = h.client._auth.token
    assert token and token not in h.all
    assert "nmv_" not in h.all and "Bearer" not in h.all
    assert '{"' not in h.all and '"code"' not in h.all


# ------------------------------------------------------------------ the command itself


def run_cli(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "promptreel.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_promptreel_chat_once_and_interactive(fake: FakeServer, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PROMPTREEL_CONFIG_DIR": str(tmp_path / "cfg"),
        "NEMO_WEB_URL": STUDIO,
        "PROMPTREEL_CHAT_RENDER_POLL_S": "0",
        "PROMPTREEL_CHAT_DOWNLOAD_DIR": str(tmp_path / "dl"),
        "COLUMNS": "240",
    }
    env.pop("NEMO_TOKEN", None)
    r = run_cli(["chat", "--server", fake.url, "--once", "generate a video about coffee"], env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Setting up…") and "Timeline (4 tracks)" in r.stdout
    env["NEMO_API_URL"] = fake.url  # the same project continues, found through NEMO_API_URL
    r = run_cli(["chat", "--once", "make the music quieter"], env)
    assert "Setting up" not in r.stdout and "BGM volume: 35% → 20%" in r.stdout
    r = run_cli(["chat"], env, stdin="状态\n导出\nquit\n")
    assert r.returncode == 0
    assert "BGM: Lo-fi (0-10s, 20%)" in r.stdout and "✅ 视频已完成" in r.stdout  # asked in Chinese
    assert f"{STUDIO}/workspace/claim?ct=clm_" in r.stdout
    assert len(fake.sessions) == 1
    assert fake.session().messages == ["generate a video about coffee", "make the music quieter"]
    r = run_cli(["chat", "--once", "generate one more video about tea"], env)
    assert r.returncode == 1 and "register?bind=" in r.stdout
    assert "nmv_" not in r.stdout + r.stderr


def test_with_nemo_token_later_runs_continue_the_same_project(fake: FakeServer, tmp_path: Path) -> None:
    with Client(config=ClientConfig(api_url=fake.url, config_dir=tmp_path / "x")) as c:
        c.balance()
        token = c._auth.token
    h1 = Harness(fake, tmp_path, token=token)
    h1.say("generate a video about coffee")
    h2 = Harness(fake, tmp_path, token=token)
    assert "Setting up" not in h2.say("status")
    assert h2.chat.session_id == h1.chat.session_id
    assert len(fake.sessions) == 1
    assert token and token not in (tmp_path / "cfg" / "credentials.json").read_text()


def test_a_rejected_nemo_token_falls_back_to_the_cached_anonymous_token(
    fake: FakeServer, tmp_path: Path
) -> None:
    h = Harness(fake, tmp_path)
    h.say("credits")
    anon = h.client._auth.token
    asked = sum(1 for _m, p, _h in fake.requests if p == "/api/auth/anonymous-token")
    h2 = Harness(fake, tmp_path, token="nmv_usr_revoked0000")
    out = h2.say("credits")
    assert "signing in again" in out and "Credits: 100 available" in out
    assert h2.client._auth.token == anon
    assert sum(1 for _m, p, _h in fake.requests if p == "/api/auth/anonymous-token") == asked
    assert "revoked0000" not in h2.all


def test_an_unreachable_server_is_said_plainly(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PROMPTREEL_CONFIG_DIR": str(tmp_path / "cfg")}
    r = run_cli(["chat", "--server", f"http://127.0.0.1:{port}", "--once", "credits"], env)
    assert r.returncode == 1
    assert f"I can't reach the promptreel server at http://127.0.0.1:{port}. Is it running?" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr


def test_terminal_session_with_prompt_and_progress_bar(fake: FakeServer, tmp_path: Path) -> None:
    """A real terminal (pty): the prompt, rich's progress bar and the same words come through."""
    import pty
    import re
    import select

    env = {
        **os.environ,
        "PROMPTREEL_CONFIG_DIR": str(tmp_path / "cfg"),
        "NEMO_WEB_URL": STUDIO,
        "PROMPTREEL_CHAT_RENDER_POLL_S": "0.05",
        "PROMPTREEL_CHAT_DOWNLOAD_DIR": str(tmp_path / "dl"),
        "TERM": "xterm-256color",
        "COLUMNS": "200",
        "LINES": "50",
    }
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "promptreel.cli", "chat", "--server", fake.url],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    buf = b""

    def read_until(marker: str, timeout: float = 60) -> str:
        nonlocal buf
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", buf.decode(errors="replace"))
            if marker in text:
                return text
            r, _, _ = select.select([master], [], [], 0.2)
            if r:
                try:
                    buf += os.read(master, 65536)
                except OSError:
                    break
        raise AssertionError(f"{marker!r} not seen in:\n{buf.decode(errors='replace')[-2000:]}")

    try:
        read_until("you ›")
        os.write(master, b"generate a video about coffee\r")
        out = read_until("Next you could say")
        assert "Setting up…" in out and "Timeline (4 tracks)" in out
        os.write(master, b"export\r")
        out = read_until("Open it in the studio")
        assert "✅ Your video is ready" in out and f"{STUDIO}/workspace/claim?ct=clm_" in out
        assert "Rendering" in out and "Rendering…" not in out  # the bar, not the plain lines
        os.write(master, b"quit\r")
        read_until("Bye!")
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


def test_upload_by_link(h: Harness) -> None:
    out = h.say("upload https://example.com/media/surf.mp4 and use it as the opening shot")
    assert "Fetching 1 link(s)…" in out and "Uploaded surf.mp4 (video)." in out
    assert messages(h.fake) == ["use it as the opening shot (uploaded: surf.mp4)"]


def test_partial_text_is_shown_once(h: Harness) -> None:
    _start(h)
    h.fake.script(Turn([Say("Hel", partial=True), Say("lo!", partial=True), Say("Hello!"), Done()]))
    out = h.say("hi")
    assert out.count("Hel") == 1 and "Hello!" in out
    h.fake.script(Turn([Say("Only ", partial=True), Say("deltas.", partial=True), Done()]))
    out = h.say("hi again")
    assert "Only deltas." in out and out.count("Only") == 1
