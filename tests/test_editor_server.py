"""edits.txt through a live server's /run_sse with the real studio (fake engines): state after each line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import LiveServer
from promptreel.draft import Draft, codec
from serverkit import Api
from test_editor_edits import edit_lines

pytestmark = pytest.mark.slow

PROMPT = "A 12-second promo for our coffee shop: fresh beans roasted every morning, open daily."


def _draft(api: Api, sid: str) -> Draft:
    state: dict[str, Any] = api.state(sid)["state"]
    return codec.decode(state["draft"])


def test_edits_txt_over_run_sse(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(studio="", fake_engines="1", cost_generate=0, cost_edit=0)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    assert api.run(sid, f"make a video: {PROMPT}").complete
    d = _draft(api, sid)
    assert d.first_track("scenes") and d.first_track("captions")
    lines = iter(edit_lines())

    def turn(expect_calls: list[str]) -> tuple[Draft, Draft, list[str]]:
        nonlocal d
        msg = next(lines)
        r = api.run(sid, msg)
        assert r.complete, msg
        assert [c for c in r.calls() if c in expect_calls] == expect_calls, (msg, r.calls())
        assert r.texts(), msg
        before, d = d, _draft(api, sid)
        return before, d, r.texts()

    before, after, _ = turn(["set_aspect"])
    assert (after.canvas.width, after.canvas.height) == (1080, 1920) and after.tracks == before.tracks
    _, after, _ = turn(["set_title"])
    assert after.first_track("title").segments[0].meta["text"] == "Morning Ritual"  # type: ignore[union-attr]
    _, after, _ = turn(["set_music"])
    bgm = after.first_track("bgm")
    assert bgm is not None and bgm.meta["volume"] == 0.35 and bgm.segments[0].meta["style"] == "lofi"
    before, after, _ = turn(["resize_scene"])
    s0, s1 = before.first_track("scenes").segments, after.first_track("scenes").segments  # type: ignore[union-attr]
    assert s1[1].duration == s0[1].duration + 2000 and after.duration == before.duration + 2000
    before, after, _ = turn(["remove_scene"])
    assert len(after.first_track("scenes").segments) == len(s1) - 1  # type: ignore[union-attr]
    assert len(after.first_track("narration").segments) == len(before.first_track("narration").segments) - 1  # type: ignore[union-attr]
    _, after, _ = turn(["set_captions"])
    assert after.first_track("captions").hidden  # type: ignore[union-attr]
    before, after, _ = turn(["set_voice", "set_speech_speed"])
    assert all(s.meta["speed"] == 0.9 for s in after.first_track("narration").segments)  # type: ignore[union-attr]
    assert after.duration == before.duration  # slower speech, same length: the scenes were re-fitted
    _, after, texts = turn(["set_music"])
    assert after.first_track("bgm").segments[0].meta["style"] == "upbeat"  # type: ignore[union-attr]
    assert any("轻快" in t for t in texts)
    _, after, _ = turn(["set_title"])
    assert after.first_track("title").segments[0].meta["text"] == "清晨仪式"  # type: ignore[union-attr]
    # show tracks / export / 导出 / credits: answered, the draft stays as it is
    for _ in range(4):
        before, after, texts = turn([])
        assert after == before and texts
