"""The exact draft change behind each kind of edit, on a generated draft."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promptreel.agent.editor import EditContext, EditOutcome, RuleEditor
from promptreel.agent.history import History, NothingToRedo, NothingToUndo
from promptreel.draft import Draft, Segment, Track, codec
from promptreel.generators.fakes import FakeIllustrations
from test_editor_support import Upload, VoicedSpeech, make_draft

SPEECH = VoicedSpeech()
BASE = make_draft(speech=SPEECH)
BASE_ZH = make_draft("zh", speech=SPEECH)
MEDIA = [
    Upload("med_photo", "image", "beans.jpg", src="/tmp/beans.jpg"),
    Upload("med_clip", "video", "pour.mp4", 2500),
]


def edit(message: str, draft: Draft = BASE, **ctx: Any) -> EditOutcome:
    ctx.setdefault("speech", SPEECH)
    ctx.setdefault("illustrations", FakeIllustrations())
    ctx.setdefault("media", MEDIA)
    out = RuleEditor().edit(draft, message, lang="en", context=EditContext(**ctx))
    codec.validate(out.draft)
    return out


def tr(d: Draft, role: str) -> Track:
    t = d.first_track(role)
    assert t is not None, role
    return t


def scenes(d: Draft) -> tuple[Segment, ...]:
    return tr(d, "scenes").segments


def owned(d: Draft, role: str, scene: Segment) -> list[Segment]:
    return [s for s in tr(d, role).segments if scene.start <= s.start and s.end <= scene.end]


def others_equal(a: Draft, b: Draft, *roles: str) -> None:
    assert [t for t in a.tracks if t.role not in roles] == [t for t in b.tracks if t.role not in roles]


def test_title_timing_style_and_removal() -> None:
    out = edit("show the title for 5 seconds")
    t = tr(out.draft, "title").segments[0]
    assert (t.start, t.duration) == (0, 5000)
    others_equal(BASE, out.draft, "title")
    out = edit("make the title red and bigger")
    style = tr(out.draft, "title").segments[0].meta["style"]
    assert style["color"] == "#E53935" and style["size"] == round(130 * 1.25)  # 12% of 1080 px by default
    out = edit("move the title to the end")
    t = tr(out.draft, "title").segments[0]
    assert (t.start, t.end) == (BASE.duration - tr(BASE, "title").segments[0].duration, BASE.duration)
    out = edit("remove the title")
    assert out.draft.first_track("title") is None and out.changed


def test_music_volume_steps_and_mute() -> None:
    out = edit("quieter")
    assert tr(out.draft, "bgm").meta["volume"] == 0.21 and "35% → 21%" in out.reply
    out = edit("louder", draft=out.draft)
    assert tr(out.draft, "bgm").meta["volume"] == 0.315
    out = edit("mute the music")
    assert tr(out.draft, "bgm").meta["muted"] is True and tr(out.draft, "bgm").volume == 0
    out = edit("unmute the music", draft=out.draft)
    assert "muted" not in tr(out.draft, "bgm").meta
    out = edit("remove the music")
    assert out.draft.first_track("bgm") is None
    out = edit("add lo-fi music at 20%", draft=out.draft)
    bgm = tr(out.draft, "bgm")
    assert bgm.meta["volume"] == 0.2 and bgm.segments[0].meta["style"] == "lofi"
    assert (bgm.start, bgm.end) == (0, out.draft.duration)
    assert "Added lo-fi background music" in out.reply


def test_swap_and_move_carry_narration_and_captions() -> None:
    out = edit("swap scene 1 and 3")
    a, b = scenes(BASE), scenes(out.draft)
    assert [s.id for s in b] == [a[2].id, a[1].id, a[0].id, *(s.id for s in a[3:])]
    assert out.draft.duration == BASE.duration
    for s_old in a:
        s_new = next(s for s in b if s.id == s_old.id)
        for role in ("narration", "captions"):
            before = [(x.id, x.start - s_old.start, x.duration) for x in owned(BASE, role, s_old)]
            after = [(x.id, x.start - s_new.start, x.duration) for x in owned(out.draft, role, s_new)]
            assert before == after and before
    assert tr(out.draft, "bgm") == tr(BASE, "bgm")
    # the title card no longer hides most of the new opener's headline
    title, opener = tr(out.draft, "title").segments[0], scenes(out.draft)[0]
    assert title.start == 0 and title.duration == max(1000, round(opener.duration * 0.4))
    assert "title card now shows" in out.reply
    out = edit("move scene 3 to the start")
    assert [s.id for s in scenes(out.draft)] == [a[2].id, a[0].id, a[1].id, *(s.id for s in a[3:])]
    narr = [x.meta["text"] for x in tr(out.draft, "narration").segments]
    assert narr[0] == a[2].meta["text"]


def test_insert_a_scene_with_line_icon_narration_and_captions() -> None:
    out = edit("add a scene about our roastery")
    a, b = scenes(BASE), scenes(out.draft)
    assert len(b) == len(a) + 1 and [(s.id, s.meta) for s in b[:-1]] == [(s.id, s.meta) for s in a]
    new = b[-1]
    assert new.meta["text"] == "Our roastery." and new.meta["headline"] == "Our Roastery"
    assert new.meta["icon"].startswith("fluent-emoji-flat:")
    voice = owned(out.draft, "narration", new)
    assert len(voice) == 1 and voice[0].meta["text"] == "Our roastery."
    assert voice[0].duration == SPEECH.duration_ms("Our roastery.", lang="en")
    caps = owned(out.draft, "captions", new)
    assert caps and " ".join(c.meta["text"] for c in caps) == "Our roastery."
    # the video keeps the length it was asked to have: the other scenes make room, and the reply says so
    assert tr(out.draft, "bgm").segments[0].duration == out.draft.duration == BASE.duration
    assert "stays" in out.reply
    for scene in b:
        line = owned(out.draft, "narration", scene)
        assert len(line) == 1 and line[0].end <= scene.end
    out = edit("add a scene about croissants at the beginning")
    b = scenes(out.draft)
    assert b[0].meta["headline"] == "Croissants" and b[0].meta["icon"] == "fluent-emoji-flat:croissant"
    assert [s.id for s in b[1:]] == [s.id for s in a]
    assert b[1].start == b[0].duration
    # the new opener's headline is not hidden by the title card for most of its time
    title = tr(out.draft, "title").segments[0]
    assert title.start == 0 and title.duration <= max(1000, round(b[0].duration * 0.4))
    assert "title card now shows" in out.reply


def test_remove_the_first_scene_keeps_the_title() -> None:
    out = edit("remove the first scene")
    new, old = tr(out.draft, "title").segments[0], tr(BASE, "title").segments[0]
    assert (new.id, new.meta) == (old.id, old.meta)  # the same title, re-timed onto the new opener
    assert new.start == 0 and new.duration <= max(1000, round(scenes(out.draft)[0].duration * 0.4))
    assert scenes(out.draft)[0].start == 0 and len(scenes(out.draft)) == len(scenes(BASE)) - 1


def test_regenerate_visual_only_touches_that_scene() -> None:
    out = edit("new picture for scene 3")
    a, b = scenes(BASE), scenes(out.draft)
    assert [s.id for s in a] == [s.id for s in b]
    assert b[2].meta["seed"] != a[2].meta["seed"] and b[2].meta["motion"] != a[2].meta["motion"]
    assert [x for i, x in enumerate(b) if i != 2] == [x for i, x in enumerate(a) if i != 2]
    others_equal(BASE, out.draft, "scenes")
    out = edit("new picture of a croissant for scene 3")
    assert scenes(out.draft)[2].meta["icon"] == "fluent-emoji-flat:croissant"


def test_use_uploaded_media_in_a_scene() -> None:
    out = edit("use my photo in scene 2")
    media = tr(out.draft, "media")
    assert out.draft.tracks[1] is media
    (seg,) = media.segments
    s2 = scenes(out.draft)[1]
    assert (seg.start, seg.duration) == (s2.start, s2.duration)
    assert (
        seg.meta["media_id"] == "med_photo"
        and seg.meta["media_kind"] == "image"
        and seg.meta["src"] == "/tmp/beans.jpg"
    )
    out = edit("put my video in the first scene", draft=out.draft)
    segs = tr(out.draft, "media").segments
    assert len(segs) == 2 and segs[0].meta["media_id"] == "med_clip" and segs[0].duration == 2500
    # the uploads travel with their scenes
    out = edit("swap scene 1 and 2", draft=out.draft)
    s = scenes(out.draft)
    by_id = {m.meta["media_id"]: m for m in tr(out.draft, "media").segments}
    assert by_id["med_photo"].start == s[0].start and by_id["med_clip"].start == s[1].start


def test_captions_style_and_back_on() -> None:
    out = edit("make the captions yellow, bigger and at the top")
    style = tr(out.draft, "captions").meta["style"]
    assert (
        style["color"] == "#FDD835" and style["position"] == "top" and style["size"] == 65
    )  # 4.8% of 1080 px by default
    out = edit("turn off captions")
    out = edit("turn captions back on", draft=out.draft)
    assert not tr(out.draft, "captions").hidden and out.draft.meta["captions"] is True


def test_text_overlay_at_the_end() -> None:
    out = edit("add 'Book now' at the end for 3 seconds")
    (seg,) = tr(out.draft, "overlays").segments
    assert seg.meta["text"] == "Book now" and seg.kind == "overlay"
    assert (seg.start, seg.duration) == (BASE.duration - 3000, 3000)
    assert out.draft.tracks[-1].role == "overlays"
    others_equal(BASE, out.draft, "overlays")
    out = edit("remove the text 'Book now'", draft=out.draft)
    assert not tr(out.draft, "overlays").segments


def test_transitions_for_all_scenes_or_one() -> None:
    out = edit("use wipe transitions")
    b = scenes(out.draft)
    assert b[0] == scenes(BASE)[0]
    assert all(s.meta["transition"] == "wipe" and s.meta["transition_ms"] == 500 for s in b[1:])
    out = edit("hard cuts between scene 2 and 3")
    b = scenes(out.draft)
    assert b[2].meta["transition"] == "cut" and b[2].meta["transition_ms"] == 0 and b[1] == scenes(BASE)[1]


def test_total_duration_scales_or_drops_beats() -> None:
    out = edit("make it 30 seconds")
    assert out.draft.duration == 30000 and sum(s.duration for s in scenes(out.draft)) == 30000
    out = edit("make it 12 seconds")
    b = scenes(out.draft)
    assert out.draft.duration == 12000 and len(b) < len(scenes(BASE))
    assert b[0].id == scenes(BASE)[0].id and b[-1].id == scenes(BASE)[-1].id  # hook and call to action stay
    for s in b:
        (voice,) = owned(out.draft, "narration", s)
        assert voice.end <= s.end
    assert "dropped" in out.reply


def test_narration_off_on_and_revoice() -> None:
    out = edit("turn off the narration")
    assert tr(out.draft, "narration").meta["muted"] is True and tr(out.draft, "narration").volume == 0
    out = edit("turn the narration back on", draft=out.draft)
    assert "muted" not in tr(out.draft, "narration").meta
    line = "We roast our beans in small batches at dawn, six days a week."
    out = edit(f'change scene 2\'s narration to "{line}"')
    a, b = scenes(BASE), scenes(out.draft)
    assert b[1].meta["text"] == line
    (voice,) = owned(out.draft, "narration", b[1])
    (old_voice,) = owned(BASE, "narration", a[1])
    assert voice.meta["text"] == line and voice.duration == SPEECH.duration_ms(line, lang="en")
    # a new line is not a new length: the scenes are re-fitted, every line still inside its scene
    assert out.draft.duration == BASE.duration and voice.duration != old_voice.duration
    assert b[1].duration != a[1].duration and "stays" in out.reply  # re-fitted to its new line
    for scene in b:
        assert all(v.end <= scene.end for v in owned(out.draft, "narration", scene))
    caps = owned(out.draft, "captions", b[1])
    assert " ".join(c.meta["text"] for c in caps) == line and caps[-1].end <= voice.end


def test_chinese_draft_edits() -> None:
    out = edit("删除最后一个场景", draft=BASE_ZH)
    assert len(scenes(out.draft)) == len(scenes(BASE_ZH)) - 1 and "删除了" in out.reply
    out = edit("把第一个场景延长两秒", draft=BASE_ZH)
    assert scenes(out.draft)[0].duration == scenes(BASE_ZH)[0].duration + 2000
    out = edit("加一个关于咖啡豆的场景", draft=BASE_ZH)
    new = scenes(out.draft)[-1]
    assert new.meta["text"] == "咖啡豆。" and new.meta["icon"] == "fluent-emoji-flat:hot-beverage"
    assert owned(out.draft, "narration", new)[0].meta["lang"] == "zh"


def test_history_value_type() -> None:
    h = History(limit=2)
    d1, d2, d3 = BASE, edit("make it vertical").draft, edit("make it square").draft
    h = h.record(d1).record(d2)
    prev, h2 = h.undo(d3)
    assert prev == d2 and h2.future == (d3,) and h2.past == (d1,)
    nxt, h3 = h2.redo(prev)
    assert nxt == d3 and h3.past == (d1, d2) and not h3.can_redo
    assert h.record(d3).past == (d2, d3)  # the oldest falls off past the limit
    try:
        History().undo(d1)
    except NothingToUndo:
        pass
    else:
        raise AssertionError("undo on an empty history must raise")
    try:
        History().redo(d1)
    except NothingToRedo:
        pass
    else:
        raise AssertionError("redo on an empty history must raise")
    out = edit("make it vertical")
    assert out.history is not None and out.history.past == (BASE,)
    out2 = edit("show tracks")
    assert out2.history is None


MESSAGES = [
    "make it vertical", "make it square", "quieter", "louder", "remove the last scene", "remove the first scene",
    "make the second scene 2 seconds longer", "shorten scene 2 by 1s", "swap scene 1 and 2", "move scene 3 to the start",
    "add a scene about our roastery", "add a scene about cakes at the beginning", "new picture for scene 2",
    "use my photo in scene 2", "turn off captions", "turn on captions", "use wipe transitions", "make it 15 seconds",
    "make it 25 seconds", "speak a bit slower", "talk faster", "use a female voice", "turn off the narration",
    "add 'Book now' at the end for 3 seconds", "show the title for 5 seconds", "change the title to \"Hi\"",
    'change scene 2\'s narration to "Fresh every day."', "undo", "redo", "remove the music", "add calm music",
    "把背景音乐换成轻快的风格", "删除第二个场景", "字幕放到顶部", "make it better", "remove scene 9",
]  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(MESSAGES), min_size=1, max_size=8))
def test_any_sequence_of_edits_keeps_a_valid_draft(messages: list[str]) -> None:
    d, h = BASE, History()
    for m in messages:
        out = edit(m, draft=d, history=h)
        if not out.changed:
            assert out.draft is d
        d = out.draft
        h = out.history if out.history is not None else h
        codec.validate(d)
        sc = scenes(d)
        assert sc[0].start == 0 and all(x.end == y.start for x, y in itertools.pairwise(sc))
        for seg in d.first_track("overlays").segments if d.first_track("overlays") else ():  # type: ignore[union-attr]
            assert seg.start >= 0 and seg.end <= d.duration
        for role in ("narration", "captions", "media"):
            t = d.first_track(role)
            for seg in t.segments if t else ():
                assert any(s.start <= seg.start and seg.end <= s.end for s in sc), (m, role, seg)
        bgm = d.first_track("bgm")
        if bgm is not None and bgm.segments:
            assert bgm.end == d.duration


def test_only_changed_lines_are_spoken_again() -> None:
    speech = VoicedSpeech()
    d = make_draft(speech=speech)
    before = speech.calls
    out = RuleEditor().edit(
        d, 'change scene 2\'s narration to "Roasted at dawn."', lang="en", context=EditContext(speech=speech)
    )
    assert out.changed and speech.calls == before + 1
    for role in (
        "quieter",
        "make it vertical",
        "turn off captions",
        "use wipe transitions",
        "swap scene 1 and 2",
    ):
        n = speech.calls
        assert RuleEditor().edit(d, role, lang="en", context=EditContext(speech=speech)).changed
        assert speech.calls == n, role
    n = speech.calls
    RuleEditor().edit(d, "speak a bit slower", lang="en", context=EditContext(speech=speech))
    assert speech.calls == n + len(tr(d, "narration").segments)


def test_remap_segments_moves_owned_segments_and_stretches_spanning_ones() -> None:
    from promptreel.draft import Canvas, Meta
    from promptreel.draft.model import TrackType
    from promptreel.draft.ops import remap_segments

    seg = Segment
    d = Draft(
        "d",
        Canvas(),
        (
            Track("v", TrackType.VIDEO, "scenes", "", (seg("a", 0, 1000, "scene"), seg("b", 1000, 2000, "scene"),
                                                       seg("c", 3000, 1000, "scene"))),
            Track("n", TrackType.AUDIO, "narration", "", (seg("na", 100, 800, "voice"), seg("nb", 1200, 1000, "voice"),
                                                         seg("nc", 3100, 500, "voice"))),
            Track("m", TrackType.AUDIO, "bgm", "", (seg("mu", 0, 4000, "music"),)),
            Track("t", TrackType.TEXT, "title", "", (seg("ti", 0, 900, "title", meta=Meta({"text": "T"})),)),
        ),
    )  # fmt: skip
    # reorder c, a; drop b; b's narration goes, the title keeps its place, music spans the new length
    out = remap_segments(d, "v", [("c", 1000), ("a", 1500)])
    got = {s.id: (s.start, s.duration) for _, s in out.segments()}
    assert got == {"c": (0, 1000), "a": (1000, 1500), "nc": (100, 500), "na": (1100, 800), "mu": (0, 2500),
                   "ti": (0, 900)}  # fmt: skip
    # a new segment in the middle; inner stretch about the narration start of b
    new = seg("x", 0, 700, "scene")
    out = remap_segments(d, "v", [("a", 1000), ("x", 700), ("b", 3000), ("c", 1000)], new_segments=[new],
                         inner={"b": (200, 2.0)}, durations={"nb": 2000})  # fmt: skip
    got = {s.id: (s.start, s.duration) for _, s in out.segments()}
    assert got["x"] == (1000, 700) and got["b"] == (1700, 3000) and got["nb"] == (1900, 2000)
    assert got["c"] == (4700, 1000) and got["nc"] == (4800, 500) and got["mu"] == (0, 5700)
