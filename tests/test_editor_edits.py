"""Every line of shared/prompts/edits.txt, in order, on a generated draft, with the exact change each makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptreel.agent.editor import EditContext, EditOutcome, RuleEditor
from promptreel.agent.history import History
from promptreel.agent.spans import spans_said
from promptreel.draft import Draft, Track, codec, summary
from promptreel.draft.query import span_text
from promptreel.generators.fakes import FakeIllustrations, FakeSpeech
from test_editor_support import VoicedSpeech, make_draft

EDITS = Path(__file__).resolve().parents[2] / "shared" / "prompts" / "edits.txt"
if not EDITS.exists():  # a checkout without the shared folder next to it
    EDITS = Path("/work/shared/prompts/edits.txt")


def edit_lines() -> list[str]:
    return [
        ln.strip()
        for ln in EDITS.read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    ]


def _track(d: Draft, role: str) -> Track:
    t = d.first_track(role)
    assert t is not None, role
    return t


def _same_except(a: Draft, b: Draft, *roles: str) -> None:
    """Every track outside ``roles`` is identical."""
    ta = [t for t in a.tracks if t.role not in roles]
    tb = [t for t in b.tracks if t.role not in roles]
    assert ta == tb


def _inside(s_start: int, s_end: int, t: Track) -> list[int]:
    return [i for i, s in enumerate(t.segments) if s_start <= s.start and s.end <= s_end]


class Session:
    """Carries the draft and the undo history from turn to turn, as the server does."""

    def __init__(self, speech: FakeSpeech) -> None:
        self.speech = speech
        self.draft = make_draft(speech=speech)
        self.history = History()
        self.editor = RuleEditor()
        self.log: list[tuple[str, EditOutcome]] = []

    def say(self, message: str) -> EditOutcome:
        ctx = EditContext(speech=self.speech, illustrations=FakeIllustrations(), history=self.history)
        out = self.editor.edit(self.draft, message, lang="en", context=ctx)
        if out.history is not None:
            self.history = out.history
        self.draft = out.draft
        codec.validate(out.draft)
        self.log.append((message, out))
        return out


def test_edits_file_has_the_expected_lines() -> None:
    lines = edit_lines()
    assert lines[0] == "make it vertical" and lines[-1] == "credits" and len(lines) == 13


@pytest.mark.parametrize("voiced", [True, False], ids=["female-voice-installed", "one-voice-only"])
def test_every_line_of_edits_txt_in_order(voiced: bool) -> None:
    speech: FakeSpeech = VoicedSpeech() if voiced else FakeSpeech()
    s = Session(speech)
    lines = iter(edit_lines())

    # make it vertical → 1080×1920, same fps, nothing else moves
    d0 = s.draft
    out = s.say(next(lines))
    assert out.changed and not out.question
    assert (s.draft.canvas.width, s.draft.canvas.height, s.draft.canvas.fps) == (1080, 1920, d0.canvas.fps)
    assert s.draft.tracks == d0.tracks
    assert "9:16" in out.reply and "1080×1920" in out.reply

    # change the title to "Morning Ritual"
    d0 = s.draft
    out = s.say(next(lines))
    title = _track(s.draft, "title").segments[0]
    assert title.meta["text"] == "Morning Ritual" and title.name == "Morning Ritual"
    assert s.draft.meta["title"] == "Morning Ritual"
    old_title = _track(d0, "title").segments[0]
    assert (title.start, title.duration) == (old_title.start, old_title.duration)
    _same_except(d0, s.draft, "title")
    assert f'"{old_title.meta["text"]}" → "Morning Ritual"' in out.reply

    # add lo-fi background music at 35% volume
    d0 = s.draft
    out = s.say(next(lines))
    bgm = _track(s.draft, "bgm")
    assert [seg.meta["style"] for seg in bgm.segments] == ["lofi"]
    assert bgm.meta["volume"] == 0.35 and bgm.volume == 0.35
    assert (bgm.start, bgm.end) == (0, s.draft.duration)
    _same_except(d0, s.draft, "bgm")
    assert "lo-fi" in out.reply and "35%" in out.reply

    # make the second scene 2 seconds longer → ripple
    d0 = s.draft
    out = s.say(next(lines))
    sc0, sc1 = _track(d0, "scenes").segments, _track(s.draft, "scenes").segments
    assert len(sc1) == len(sc0)
    assert sc1[1].duration == sc0[1].duration + 2000 and sc1[1].start == sc0[1].start
    assert sc1[0] == sc0[0]
    for a, b in zip(sc0[2:], sc1[2:], strict=True):
        assert b.start == a.start + 2000 and b.duration == a.duration
    for role in ("narration", "captions"):
        for a, b in zip(_track(d0, role).segments, _track(s.draft, role).segments, strict=True):
            assert b.duration == a.duration and b.meta == a.meta
            assert b.start == (a.start + 2000 if a.start >= sc0[1].end else a.start)
    assert _track(s.draft, "bgm").segments[0].duration == d0.duration + 2000
    assert _track(s.draft, "title") == _track(d0, "title")
    assert s.draft.duration == d0.duration + 2000
    assert "Scene 2" in out.reply and "2 s later" in out.reply

    # remove the last scene → its narration and captions go, music shortens
    d0 = s.draft
    out = s.say(next(lines))
    sc0, sc1 = _track(d0, "scenes").segments, _track(s.draft, "scenes").segments
    last = sc0[-1]
    assert sc1 == sc0[:-1]
    for role in ("narration", "captions"):
        kept = [x for x in _track(d0, role).segments if x.end <= last.start]
        assert list(_track(s.draft, role).segments) == kept
        assert len(kept) < len(_track(d0, role).segments)
    assert _track(s.draft, "bgm").segments[0].duration == last.start
    assert s.draft.duration == last.start
    assert "Removed scene" in out.reply

    # turn off captions → hidden, not deleted
    d0 = s.draft
    out = s.say(next(lines))
    caps = _track(s.draft, "captions")
    assert caps.hidden and caps.segments == _track(d0, "captions").segments
    assert s.draft.meta["captions"] is False
    _same_except(d0, s.draft, "captions")
    assert f"Captions ({span_text(caps.start, caps.end)}): on → off" in out.reply

    # use a female voice and speak a bit slower → new voice (when installed), speed 0.9, timing re-flowed
    d0 = s.draft
    out = s.say(next(lines))
    assert [c.name for c in out.calls] == ["set_voice", "set_speech_speed"]
    want_voice = (
        "en_US-amy-medium" if voiced else str(_track(d0, "narration").segments[0].meta.get("voice") or "")
    )
    nar1, sc1 = _track(s.draft, "narration").segments, _track(s.draft, "scenes").segments
    nar0, sc0 = _track(d0, "narration").segments, _track(d0, "scenes").segments
    assert len(nar1) == len(nar0) and len(sc1) == len(sc0)
    cursor = 0
    for _a_sc, b_sc, a_n, b_n in zip(sc0, sc1, nar0, nar1, strict=True):
        spoken = speech.duration_ms(str(a_n.meta["text"]), lang="en", speed=0.9)
        assert b_n.duration == spoken and b_n.meta["speed"] == 0.9
        assert str(b_n.meta.get("voice") or "") == want_voice
        # the scenes are re-fitted so the video keeps its length; each still holds its whole line
        assert b_sc.start == cursor and b_sc.start <= b_n.start and b_n.end <= b_sc.end
        cursor = b_sc.end
        caps = [c for c in _track(s.draft, "captions").segments if b_sc.start <= c.start < b_sc.end]
        assert caps and caps[0].start >= b_n.start and caps[-1].end <= b_n.end
    assert s.draft.meta["speed"] == 0.9
    assert s.draft.duration == d0.duration
    assert _track(s.draft, "bgm").segments[0].duration == s.draft.duration
    assert "1× → 0.9×" in out.reply
    if voiced:
        assert "→ en_US-amy-medium" in out.reply
    else:
        assert "No female voice is installed" in out.reply and "only" in out.reply

    # 把背景音乐换成轻快的风格 → upbeat, Chinese reply
    d0 = s.draft
    out = s.say(next(lines))
    assert [seg.meta["style"] for seg in _track(s.draft, "bgm").segments] == ["upbeat"]
    assert _track(s.draft, "bgm").meta["volume"] == 0.35
    _same_except(d0, s.draft, "bgm")
    assert "背景音乐风格" in out.reply and "轻快" in out.reply

    # 把标题改成“清晨仪式”
    d0 = s.draft
    out = s.say(next(lines))
    assert _track(s.draft, "title").segments[0].meta["text"] == "清晨仪式"
    _same_except(d0, s.draft, "title")
    assert "“Morning Ritual” → “清晨仪式”" in out.reply

    # show tracks → the summary line, no change
    d0 = s.draft
    out = s.say(next(lines))
    assert not out.changed and s.draft is d0 and out.history is None
    assert out.reply.splitlines()[0] == spans_said(
        summary(d0)
    )  # the protocol summary, its times said for people
    assert 'Title: "清晨仪式"' in out.reply and "hidden" in out.reply and "upbeat" in out.reply

    # export 1080p MP4 / 导出 / credits → helpful replies, the draft is untouched
    for lang_zh in (False, True, False):
        d0 = s.draft
        out = s.say(next(lines))
        assert not out.changed and s.draft is d0 and not out.calls and not out.question
        assert ("导出" in out.reply) if lang_zh else ("Nothing was changed" in out.reply)
    assert "credit" in s.log[-1][1].reply.lower()
    assert "1080×1920" in s.log[-3][1].reply

    # undo walks back through every change, one turn at a time; redo walks forward again
    changed = [(m, o) for m, o in s.log if o.changed]
    assert len(changed) == 9
    final = s.draft
    for _, o in reversed(changed):
        before = s.draft
        assert before == o.draft
        out = s.say("undo")
        assert out.changed and [c.name for c in out.calls] == ["undo"]
    assert s.draft == make_draft(speech=speech)
    out = s.say("undo")
    assert not out.changed and "nothing to undo" in out.reply.lower()
    for _, o in changed:
        out = s.say("redo")
        assert out.changed and s.draft == o.draft
    assert s.draft == final
    out = s.say("撤销")
    assert out.changed and s.draft == changed[-2][1].draft and "撤销" in out.reply
