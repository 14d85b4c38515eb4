"""What new users type, third round: a scene's headline size, all the text at once, black and
white, questions about the whole video, a closing scene, "less text", "change the music", undo
that says what it took back, and the language-model editor told about every tool."""

from __future__ import annotations

import re

import numpy as np
import pytest
import skia

from promptreel.agent.editor import EditContext, EditOutcome, LLMEditor, RuleEditor
from promptreel.agent.edits.colours import MIN_CONTRAST, contrast
from promptreel.agent.edits.picture_words import MOTION_EN, MOTION_ZH
from promptreel.agent.history import History
from promptreel.agent.llm import FakeChatModel
from promptreel.agent.router import route
from promptreel.agent.tools import TOOLS
from promptreel.draft import Draft, Meta, Segment
from promptreel.draft.query import length_text
from promptreel.generators.fakes import FakeIllustrations
from promptreel.render.layouts import compose
from promptreel.render.palette import Palette
from promptreel.render.picture import PictureRenderer
from promptreel.render.scene import SceneRenderer
from test_compose_support import SCENES, IconAssets, surface
from test_editor_support import VoicedSpeech, make_draft

_DRAFTS: dict[str, Draft] = {}


def _draft(lang: str) -> Draft:
    if lang not in _DRAFTS:
        _DRAFTS[lang] = make_draft(lang, speech=VoicedSpeech())
    return _DRAFTS[lang]


def _ctx(history: History | None = None) -> EditContext:
    return EditContext(speech=VoicedSpeech(), illustrations=FakeIllustrations(), history=history or History())


def _edit(draft: Draft, message: str, lang: str = "en", history: History | None = None) -> EditOutcome:
    return RuleEditor().edit(draft, message, lang=lang, context=_ctx(history))


def _session(lang: str, *messages: str) -> list[EditOutcome]:
    """The messages one after another, each on the draft and history the last left."""
    d, h, outs = _draft(lang), History(), []
    for m in messages:
        out = _edit(d, m, lang, h)
        d, h = out.draft, out.history if out.history is not None else h
        outs.append(out)
    return outs


def _scenes(d: Draft) -> list[Segment]:
    st = d.first_track("scenes")
    assert st is not None
    return list(st.segments)


def _title_size(d: Draft) -> object:
    t = d.first_track("title")
    assert t is not None
    return t.segments[0].meta.get("style", {}).get("size")


def _caption_size(d: Draft) -> object:
    t = d.first_track("captions")
    assert t is not None
    return t.meta.get("style", {}).get("size")


def _calls(out: EditOutcome) -> list[str]:
    return [c.name for c in out.calls]


# ---------------------------------------------------------------- a scene's headline size


@pytest.mark.parametrize(
    ("message", "lang", "scene", "bigger"),
    [
        ("make scene 2's title bigger", "en", 2, True),
        ("the headline in the last scene is too small", "en", -1, True),
        ("make the 3rd scene's heading smaller", "en", 3, False),
        ("第三个场景的标题改大一点", "zh", 3, True),
        ("把第二个场景的标题缩小", "zh", 2, False),
    ],
)
def test_a_scenes_headline_size_changes_that_scene_only(
    message: str, lang: str, scene: int, bigger: bool
) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert out.changed and _calls(out) == ["set_headline_size"]
    before, after = _scenes(d), _scenes(out.draft)
    idx = scene - 1 if scene > 0 else len(after) + scene
    scale = float(after[idx].meta["headline_scale"])
    assert (scale > 1) if bigger else (scale < 1)
    assert all(s.meta.get("headline_scale") is None for i, s in enumerate(after) if i != idx)
    assert _title_size(out.draft) == _title_size(d)  # the video's title is another thing
    assert str(before[idx].meta.get("headline")) in out.reply
    assert ("片名不变" if lang == "zh" else "title is unchanged") in out.reply
    assert f"{round(scale * 100)}%" in out.reply


def test_the_video_title_is_still_the_title() -> None:
    out = _edit(_draft("en"), "make the title bigger")
    assert _calls(out) == ["set_title"] and all("headline_scale" not in s.meta for s in _scenes(out.draft))


def test_a_headline_scale_reaches_the_rendered_words() -> None:
    """The renderer reads ``headline_scale`` for a plain headline scene and for a layout's band."""
    w, h = 960, 540
    seg = Segment("s", 0, 3000, "scene", meta=Meta({**SCENES[0], "headline": "Fresh beans"}))
    big = seg.replace(meta=seg.meta.set(headline_scale=1.25))
    small = seg.replace(meta=seg.meta.set(headline_scale=0.8))
    sizes = [SceneRenderer(s, IconAssets(), w, h, captions=False).block.size for s in (small, seg, big)]
    assert sizes[0] < sizes[1] < sizes[2]
    for layout in ("list", "stat", "cta", "quote"):
        meta = {"layout": layout, "headline": "Fresh beans", "items": ["Espresso", "Latte"], "value": "42%",
                "label": "more", "quote": "Best coffee in town"}  # fmt: skip
        heads = []
        for k in (0.8, 1.0, 1.25):
            comp = compose({**meta, "headline_scale": k}, w, h, Palette.of(None))
            heads.append(next(e.block.size for e in comp.elements if getattr(e, "role", "") == "headline"))
        assert heads[0] < heads[1] < heads[2], layout


# ---------------------------------------------------------------- all the text at once


@pytest.mark.parametrize(
    ("message", "lang", "bigger"),
    [
        ("make the text bigger", "en", True),
        ("the font is too small", "en", True),
        ("can u make the txt bigger pls", "en", True),
        ("smaller text please", "en", False),
        ("字太小了", "zh", True),
        ("文字小一点", "zh", False),
    ],
)
def test_all_on_screen_text_resizes_and_the_reply_lists_it(message: str, lang: str, bigger: bool) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert out.changed and _calls(out) == ["set_text_size"]
    t0, t1 = _title_size(d) or 130, _title_size(out.draft)
    c0, c1 = _caption_size(d) or 52, _caption_size(out.draft)
    scales = [float(s.meta.get("headline_scale") or 1) for s in _scenes(out.draft)]
    if bigger:
        assert t1 > t0 and c1 > c0 and all(k > 1 for k in scales)  # type: ignore[operator]
    else:
        assert t1 < t0 and c1 < c0 and all(k < 1 for k in scales)  # type: ignore[operator]
    for part in ("片名", "字幕", "场景标题") if lang == "zh" else ("title", "captions", "scene headlines"):
        assert part in out.reply
    assert f"{t1}" in out.reply and f"{c1}" in out.reply


@pytest.mark.parametrize(
    ("message", "lang", "bigger"),
    [
        ("captions too small", "en", True),
        ("the captions are too big", "en", False),
        ("字幕太小了", "zh", True),
        ("把字幕调大", "zh", True),
        ("字幕太大了", "zh", False),
    ],
)
def test_a_complaint_about_size_goes_the_way_it_means(message: str, lang: str, bigger: bool) -> None:
    """ "too small" wants bigger — it used to make the captions smaller."""
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert _calls(out) == ["set_captions"] and out.changed
    c0, c1 = _caption_size(d) or 52, _caption_size(out.draft)
    assert (c1 > c0) if bigger else (c1 < c0)  # type: ignore[operator]


def test_a_title_that_is_too_big_gets_smaller() -> None:
    d = _draft("en")
    out = _edit(d, "the title is too big")
    assert _calls(out) == ["set_title"] and _title_size(out.draft) < (_title_size(d) or 130)  # type: ignore[operator]


# ---------------------------------------------------------------- black and white


def _is_grey(c: str) -> bool:
    return c[1:3] == c[3:5] == c[5:7]


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("black and white", "en"),
        ("make it grayscale", "en"),
        ("monochrome please", "en"),
        ("could you make the video black & white please", "en"),
        ("黑白", "zh"),
        ("做成黑白的", "zh"),
    ],
)
def test_black_and_white_greys_every_scene_and_says_so(message: str, lang: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert out.changed and [(c.name, c.args) for c in out.calls] == [("set_palette", {"mood": "grey"})]
    for s in _scenes(out.draft):
        pal = [str(c) for c in s.meta["palette"]]
        assert s.meta["grey"] is True and all(_is_grey(c) for c in pal)
        mid = "#" + "".join(
            f"{(int(pal[0][i : i + 2], 16) + int(pal[1][i : i + 2], 16)) // 2:02X}" for i in (1, 3, 5)
        )
        assert contrast(pal[4], mid) >= MIN_CONTRAST
    assert ("黑白" if lang == "zh" else "Black and white") in out.reply
    assert (
        "片名和字幕保留" if lang == "zh" else "title and captions keep"
    ) in out.reply  # what stays, honestly


def test_black_and_white_then_back_to_colour_and_undo_says_what() -> None:
    d = _draft("en")
    grey, back, again, undone = _session("en", "black and white", "back to colour", "黑白", "undo")
    assert [dict(s.meta)["palette"] for s in _scenes(back.draft)] == [
        dict(s.meta)["palette"] for s in _scenes(d)
    ]
    assert all("grey" not in s.meta for s in _scenes(back.draft))
    assert "colour" in back.reply and all(s.meta.get("grey") for s in _scenes(again.draft))
    assert undone.changed and "black and white → colour" in undone.reply
    # a colour change after black and white starts from the scene's own colours
    warm = _edit(grey.draft, "warmer colours")
    assert all("grey" not in s.meta and not _is_grey(str(s.meta["palette"][0])) for s in _scenes(warm.draft))
    assert "already" in _edit(d, "back to colour").reply  # nothing to bring back: said so


def test_black_and_white_with_another_edit_in_one_message() -> None:
    out = _edit(_draft("en"), "make it black and white and add lofi music")
    assert _calls(out) == ["set_palette", "set_music"]
    assert "didn't understand" not in out.reply


def test_grey_scenes_and_pictures_render_in_grey(tmp_path: object) -> None:
    w, h = 320, 180
    d = _draft("en")
    grey_draft = _edit(d, "black and white").draft
    for draft, grey in ((d, False), (grey_draft, True)):
        for seg in _scenes(draft):  # the scenes as the edit leaves them: every layout, icon and motion
            seg = seg.replace(meta=seg.meta.set(icon="fluent-emoji-flat:red-apple"))
            arr, surf = surface(w, h)
            SceneRenderer(seg, IconAssets(), w, h, captions=False).draw(surf.getCanvas(), 2500)
            rgb = arr[:, :, :3].astype(int)
            spread = int((rgb.max(axis=2) - rgb.min(axis=2)).max())
            assert (spread <= 2) if grey else (spread > 30), (seg.meta.get("layout"), spread)
    # an uploaded photo: drawn through the same grey filter
    path = tmp_path / "red.png"  # type: ignore[operator]
    s = skia.Surface(64, 64)
    s.getCanvas().clear(skia.ColorSetRGB(220, 30, 30))
    s.makeImageSnapshot().save(str(path), skia.kPNG)
    photo = Segment(
        "p", 0, 2000, "media", meta=Meta({"media_id": "m1", "media_kind": "image", "kenburns": False})
    )
    for meta, grey in ((photo.meta, False), (photo.meta.set(grey=True), True)):
        arr, surf = surface(w, h)
        PictureRenderer(photo.replace(meta=meta), IconAssets({"m1": path}), w, h).draw(surf.getCanvas(), 0)
        r, g, b = (int(x) for x in np.asarray(arr[h // 2, w // 2, :3]))
        assert (abs(r - g) <= 1 and abs(g - b) <= 1) if grey else r > g + 100


# ---------------------------------------------------------------- questions


@pytest.mark.parametrize(
    ("message", "lang", "topic"),
    [
        ("how long is the video?", "en", "length"),
        ("how many scenes are there?", "en", "length"),
        ("what music is playing?", "en", "music"),
        ("what's the title?", "en", "title"),
        ("whose voice is this?", "en", "voice"),
        ("are captions on?", "en", "captions"),
        ("is it vertical?", "en", "shape"),
        ("视频多长", "zh", "length"),
        ("用的什么音乐？", "zh", "music"),
        ("标题是什么", "zh", "title"),
        ("字幕开着吗", "zh", "captions"),
    ],
)
def test_questions_about_the_video_are_answered_from_the_draft(message: str, lang: str, topic: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert [(c.name, c.args) for c in out.calls] == [("describe_video", {"topic": topic})]
    assert not out.changed and out.draft == d and out.history is None
    assert route(message, has_draft=True) == "question"  # free
    facts = {
        "length": length_text(d.duration, lang == "zh"),
        "music": "35%",
        "title": str(d.meta.get("title")),
        "voice": "cmn" if lang == "zh" else "en_US-joe-medium",
        "captions": "开着" if lang == "zh" else "on",
        "shape": "16:9",
    }
    assert facts[topic] in out.reply


def test_a_question_with_a_change_in_it_is_an_edit() -> None:
    out = _edit(_draft("en"), "what if the title were red?")
    assert _calls(out) == ["set_title"]


@pytest.mark.parametrize(("message", "lang"), [("第二个场景是什么？", "zh"), ("第1个场景是什么内容？", "zh")])
def test_a_chinese_scene_description_names_the_picture_in_chinese(message: str, lang: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    scene = _scenes(d)[int(out.calls[0].args["scene"]) - 1]
    motion = str(scene.meta.get("motion") or "gradient")
    assert MOTION_ZH[motion] in out.reply
    picture = out.reply.split("画面：")[1]
    assert not re.search(r"[A-Za-z]", picture.split("。")[0])  # no English motion or icon names
    n = int(out.calls[0].args["scene"])
    assert MOTION_EN[motion] in _edit(d, f"what's in scene {n}?", "en").reply  # and in English, in English


# ---------------------------------------------------------------- vague but clear enough


@pytest.mark.parametrize(
    ("message", "lang"), [("add an ending", "en"), ("加个结尾", "zh"), ("加个片尾吧", "zh")]
)
def test_an_ending_shows_the_title_at_the_end(message: str, lang: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert out.changed and _calls(out) == ["add_ending"]
    last = _scenes(out.draft)[-1]
    assert len(_scenes(out.draft)) == len(_scenes(d)) + 1
    assert str(last.meta["headline"]) == str(d.meta["title"])[:12]
    assert out.draft.duration == d.duration  # the video keeps its length
    assert (
        "加个片尾，写" if lang == "zh" else "add an ending that says"
    ) in out.reply  # how to say other words


@pytest.mark.parametrize(
    ("message", "lang", "words"),
    [
        ('add an outro that says "See you soon"', "en", "See you soon"),
        ("加个片尾，写“期待你的光临”", "zh", "期待你的光临"),
    ],
)
def test_an_ending_with_its_words(message: str, lang: str, words: str) -> None:
    out = _edit(_draft(lang), message, lang)
    assert _calls(out) == ["add_ending"] and str(_scenes(out.draft)[-1].meta["text"]).startswith(words)


@pytest.mark.parametrize(
    ("message", "lang"), [("less text", "en"), ("too much text", "en"), ("文字太多了", "zh")]
)
def test_less_text_hides_the_captions_and_says_what_stays(message: str, lang: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    caps = out.draft.first_track("captions")
    assert out.changed and caps is not None and caps.hidden
    assert ("打开字幕" if lang == "zh" else "turn on captions") in out.reply
    again = _edit(out.draft, message, lang)
    assert (
        not again.changed and ("标题" if lang == "zh" else "headline") in again.reply
    )  # honest: what is left


@pytest.mark.parametrize(
    ("message", "lang"),
    [("change the music", "en"), ("i dont like the music", "en"), ("换个音乐", "zh"), ("音乐不好听", "zh")],
)
def test_change_the_music_picks_another_style_and_names_the_rest(message: str, lang: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    bgm0, bgm1 = d.first_track("bgm"), out.draft.first_track("bgm")
    assert bgm0 is not None and bgm1 is not None and out.changed
    assert bgm1.segments[0].meta["style"] != bgm0.segments[0].meta["style"]
    assert ("舒缓" if lang == "zh" else "calm") in out.reply


@pytest.mark.parametrize(
    ("message", "lang"), [("use a different voice", "en"), ("change the narrator", "en"), ("换个声音", "zh")]
)
def test_another_voice_when_none_is_named(message: str, lang: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert out.changed and _calls(out) == ["other_voice"]
    nt = out.draft.first_track("narration")
    assert nt is not None and nt.segments[0].meta["voice"] not in ("", "cmn", "en_US-joe-medium")
    assert str(nt.segments[0].meta["voice"]) in out.reply


def test_smoother_transitions_are_crossfades() -> None:
    out = _edit(_draft("en"), "make the transitions smoother")
    assert [(c.name, c.args) for c in out.calls] == [("set_transition", {"transition": "crossfade"})]


@pytest.mark.parametrize("message", ["how much does it cost?", "要钱吗"])
def test_what_it_costs_is_the_credits_answer(message: str) -> None:
    assert route(message, has_draft=True) == "credits"


@pytest.mark.parametrize(
    ("message", "lang", "style"),
    [
        ("make it more upbeat", "en", "upbeat"),
        ("make it calmer", "en", "calm"),
        ("整体欢快一点", "zh", "upbeat"),
        ("氛围轻松一点", "zh", "calm"),
    ],
)
def test_a_mood_sets_the_music(message: str, lang: str, style: str) -> None:
    out = _edit(_draft(lang), message, lang)
    assert [(c.name, c.args) for c in out.calls] == [("set_music", {"style": style})]


@pytest.mark.parametrize(
    ("message", "lang", "mood"),
    [
        ("make it warmer", "en", "warmer"),
        ("make it a bit darker", "en", "darker"),
        ("暖一点", "zh", "warmer"),
    ],
)
def test_warmer_on_its_own_is_the_colours(message: str, lang: str, mood: str) -> None:
    out = _edit(_draft(lang), message, lang)
    assert [(c.name, c.args) for c in out.calls] == [("set_palette", {"mood": mood})]


@pytest.mark.parametrize(
    ("message", "lang", "shorter"),
    [("it's too long", "en", True), ("视频太长了", "zh", True), ("the video is too short", "en", False)],
)
def test_too_long_means_shorter(message: str, lang: str, shorter: bool) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert _calls(out) == ["set_duration"]
    assert (out.draft.duration < d.duration) if shorter else (out.draft.duration > d.duration)


@pytest.mark.parametrize(("message", "lang"), [("make the ending longer", "en"), ("结尾长一点", "zh")])
def test_the_ending_is_the_last_scene(message: str, lang: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert [(c.name, c.args) for c in out.calls] == [("resize_scene", {"scene": -1, "delta_ms": 1000})]
    assert _scenes(out.draft)[-1].duration == _scenes(d)[-1].duration + 1000


@pytest.mark.parametrize(
    ("message", "lang", "say"),
    [
        ("thanks!", "en", "Anything else"),
        ("looks good", "en", "Anything else"),
        ("谢谢", "zh", "还想改哪里"),
        ("I want it for instagram", "en", "9:16"),
        ("it's boring", "en", "what should change"),
        ("画面有点单调", "zh", "想改哪里"),
    ],
)
def test_a_word_that_is_not_an_edit_gets_an_answer_not_a_shrug(message: str, lang: str, say: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert not out.changed and out.draft == d and say in out.reply
    assert "not sure" not in out.reply and "不太确定" not in out.reply


def test_thanks_is_free() -> None:
    assert route("thanks!", has_draft=True) == "question" and route("谢谢", has_draft=True) == "question"


# ---------------------------------------------------------------- undo and redo


@pytest.mark.parametrize(
    ("message", "lang"),
    [("undo the last two changes", "en"), ("undo twice", "en"), ("撤销两步", "zh")],
)
def test_undo_several_steps(message: str, lang: str) -> None:
    d = _draft(lang)
    *_, out = _session(lang, "make it vertical", "add lofi music", message)
    assert out.changed and out.draft == d
    assert (
        route(message, has_draft=True) == "edit"
    )  # the editor takes every step (the session's undo takes one)
    assert ("画面比例 9:16 → 16:9" if lang == "zh" else "aspect ratio 9:16 → 16:9") in out.reply
    assert ("背景音乐" if lang == "zh" else "music lo-fi → warm") in out.reply


@pytest.mark.parametrize(
    ("message", "lang"),
    [("actually, put it back", "en"), ("I liked it better before", "en"), ("还是原来的好", "zh")],
)
def test_put_it_back_is_undo_and_says_what_came_back(message: str, lang: str) -> None:
    d = _draft(lang)
    *_, out = _session(lang, "remove scene 2", message)
    assert out.changed and out.draft == d and route(message, has_draft=True) == "undo"
    n = len(_scenes(d))
    assert (f"场景数 {n - 1} → {n}" if lang == "zh" else f"scenes {n - 1} → {n}") in out.reply
    assert "Timeline (" not in out.reply  # what came back, not the whole timeline


def test_redo_says_what_came_back() -> None:
    *_, out = _session("en", "make it square", "undo", "redo")
    assert out.changed and "aspect ratio 16:9 → 1:1" in out.reply


# ---------------------------------------------------------------- the language-model editor


def test_the_model_is_told_about_every_tool() -> None:
    llm = FakeChatModel([{"role": "assistant", "content": "Which scene?"}])
    LLMEditor(llm).edit(_draft("en"), "make scene 2's title bigger", context=_ctx())
    system = "\n".join(str(m["content"]) for m in llm.requests[0]["messages"] if m["role"] == "system")
    for name in TOOLS:
        assert re.search(rf"\b{name}\b", system), name
    for hint in ("black and white", "set_headline_size", "describe_video", "replace_text", "set_palette"):
        assert hint in system


# ---------------------------------------------------------------- typos, complaints, several changes at once


def test_scene_2s_title_is_scene_two_not_two_seconds() -> None:
    d = _draft("en")
    out = _edit(d, "make scene 2s title bigger")
    assert [(c.name, c.args) for c in out.calls] == [("set_headline_size", {"scene": 2, "size_scale": 1.25})]
    title = out.draft.first_track("title")
    assert title is not None and title.segments[0].duration == d.first_track("title").segments[0].duration  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("message", "lang", "parts"),
    [
        ("make the title bigger and show it for 5 seconds", "en", ("size", "shown 0–3.5 s → 0–5 s")),
        ("make the title red and bigger", "en", ("colour #FFF8EE → red", "size")),
        ("标题改成红色，再大一点", "zh", ("颜色 #FFF8EE → 红色", "字号")),
    ],
)
def test_every_part_of_the_title_that_changed_is_said(
    message: str, lang: str, parts: tuple[str, ...]
) -> None:
    out = _edit(_draft(lang), message, lang)
    assert _calls(out) == ["set_title"] and out.changed
    for p in parts:
        assert p in out.reply


@pytest.mark.parametrize(
    ("message", "lang", "louder"),
    [
        ("太小声了", "zh", True),
        ("音乐太小声了", "zh", True),
        ("the music is too quiet", "en", True),
        ("音乐太吵了", "zh", False),
        ("music too loud", "en", False),
    ],
)
def test_a_complaint_about_the_music_volume_goes_the_way_it_means(
    message: str, lang: str, louder: bool
) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert _calls(out) == ["set_music"]
    v0, v1 = d.first_track("bgm"), out.draft.first_track("bgm")
    assert v0 is not None and v1 is not None
    assert (v1.volume > v0.volume) if louder else (v1.volume < v0.volume)


def test_a_bare_bigger_in_chinese_is_not_the_music_volume() -> None:
    out = _edit(_draft("zh"), "大一点", "zh")
    assert not out.changed and "set_music" not in _calls(out)


def test_chinese_replies_describe_the_timeline_in_chinese() -> None:
    from promptreel.agent.events import Event
    from promptreel.agent.turn import run_generation

    d = _draft("zh")
    last = list(run_generation("做一个咖啡视频", lambda stage: d, lang="zh"))[-1]
    assert isinstance(last, Event)
    made = last.texts[0]
    n = len(_scenes(d))
    assert f"{n} 个场景" in made and "Timeline (" not in made and "片名“" in made
    shown = _edit(d, "时间线上有什么", "zh").reply
    assert shown.startswith(f"当前时间线：{n} 个场景") and "Timeline (" not in shown


# ---------------------------------------------------------------- round three, second pass


@pytest.mark.parametrize(
    ("message", "lang"), [("what scenes are there?", "en"), ("list the scenes", "en"), ("有哪些场景", "zh")]
)
def test_the_scenes_are_listed_by_their_headlines(message: str, lang: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert [(c.name, c.args) for c in out.calls] == [("describe_video", {"topic": "scenes"})]
    assert not out.changed and route(message, has_draft=True) == "question"
    for s in _scenes(d):
        assert str(s.meta["headline"]) in out.reply


@pytest.mark.parametrize(
    ("message", "lang", "color"),
    [
        ("make the text white", "en", "#FFFFFF"),
        ("white text please", "en", "#FFFFFF"),
        ("文字颜色改成白色", "zh", "#FFFFFF"),
    ],
)
def test_the_text_colour_is_every_word_on_screen(message: str, lang: str, color: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert out.changed and [(c.name, c.args) for c in out.calls] == [("set_text_color", {"color": color})]
    title, caps = out.draft.first_track("title"), out.draft.first_track("captions")
    assert title is not None and caps is not None
    assert title.segments[0].meta["style"]["color"] == color and caps.meta["style"]["color"] == color
    assert all(str(s.meta["palette"][4]) == color for s in _scenes(out.draft))  # white reads on these scenes
    assert all(
        s.meta["palette"][:4] == b.meta["palette"][:4]
        for s, b in zip(_scenes(out.draft), _scenes(d), strict=True)
    )


def test_a_text_colour_that_would_not_read_keeps_the_headlines_and_says_so() -> None:
    d = _draft("en")
    out = _edit(d, "change the font colour to red")
    assert [s.meta["palette"][4] for s in _scenes(out.draft)] == [s.meta["palette"][4] for s in _scenes(d)]
    assert "would not read" in out.reply


@pytest.mark.parametrize(("message", "lang"), [("make the pictures bigger", "en"), ("图标大一点", "zh")])
def test_picture_size_is_answered_honestly(message: str, lang: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert not out.changed and out.draft == d
    assert ("不能单独调整" if lang == "zh" else "can't resize the pictures") in out.reply
    assert ("换一张图" if lang == "zh" else "new picture for scene 2") in out.reply


@pytest.mark.parametrize(("message", "lang"), [("add an intro", "en"), ("帮我加一个片头", "zh")])
def test_an_intro_is_the_title_card(message: str, lang: str) -> None:
    d = _draft(lang)
    has = _edit(d, message, lang)
    assert not has.changed and str(d.meta["title"]) in has.reply  # it opens with its title already: said so
    untitled = _edit(d, "remove the title", "en").draft
    out = _edit(untitled, message, lang)
    title = out.draft.first_track("title")
    assert out.changed and title is not None and title.segments[0].start == 0
    assert title.segments[0].meta["text"] == d.meta["title"]


@pytest.mark.parametrize(
    ("message", "lang", "shorter"),
    [("第一个场景太长了", "zh", True), ("the last scene is too short", "en", False)],
)
def test_a_scene_too_long_or_short(message: str, lang: str, shorter: bool) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    i = 0 if "第一" in message else -1
    assert _calls(out) == ["resize_scene"]
    assert (_scenes(out.draft)[i].duration < _scenes(d)[i].duration) if shorter else (
        _scenes(out.draft)[i].duration > _scenes(d)[i].duration)  # fmt: skip


def test_two_colour_words_in_one_message_and_pop() -> None:
    both = _edit(_draft("en"), "make it brighter and warmer")
    assert [c.args["mood"] for c in both.calls] == [
        "lighter",
        "warmer",
    ] and "didn't understand" not in both.reply
    pop = _edit(_draft("en"), "can you make the colours pop more")
    assert [(c.name, c.args) for c in pop.calls] == [("set_palette", {"mood": "vivid"})]


def test_add_music_when_there_is_music_says_so() -> None:
    out = _edit(_draft("en"), "add some music and make it shorter")
    assert "background music already (warm)" in out.reply and "Updated the background music" not in out.reply


@pytest.mark.parametrize(("message", "lang"), [("i want it to feel cozy", "en"), ("温馨一点", "zh")])
def test_cozy_is_warm_music_and_already_warm_says_what_else(message: str, lang: str) -> None:
    out = _edit(_draft(lang), message, lang)
    assert [(c.name, c.args) for c in out.calls] == [("set_music", {"style": "warm"})]
    assert not out.changed and ("颜色暖一点" if lang == "zh" else "warmer colours") in out.reply


def test_the_model_sees_which_scenes_are_black_and_white() -> None:
    llm = FakeChatModel([{"role": "assistant", "content": "Done?"}])
    grey = _edit(_draft("en"), "black and white").draft
    LLMEditor(llm).edit(grey, "make it warmer", context=_ctx())
    timeline = "\n".join(str(m["content"]) for m in llm.requests[0]["messages"] if m["role"] == "system")
    assert timeline.count("[black and white]") == len(_scenes(grey))


@pytest.mark.parametrize(
    ("message", "lang", "steps"),
    [
        ("oops undo", "en", 1),
        ("take back the last change", "en", 1),
        ("刚才的改动撤销一下", "zh", 1),
        ("undo undo", "en", 2),
        ("帮我撤销两次", "zh", 2),
    ],
)
def test_more_ways_to_say_undo(message: str, lang: str, steps: int) -> None:
    d = _draft(lang)
    first, _, out = _session(lang, "make it vertical", "add lofi music", message)
    assert [c.name for c in out.calls] == ["undo"] * steps and out.changed
    assert out.draft == (first.draft if steps == 1 else d)


@pytest.mark.parametrize(
    ("message", "lang", "topic"),
    [("whats the length", "en", "length"), ("what voice is it", "en", "voice"), ("谁在配音", "zh", "voice")],
)
def test_questions_said_loosely(message: str, lang: str, topic: str) -> None:
    out = _edit(_draft(lang), message, lang)
    assert [(c.name, c.args) for c in out.calls] == [("describe_video", {"topic": topic})]


@pytest.mark.parametrize("message", ["make evrything bigger", "the text is hard to see"])
def test_everything_bigger_is_the_text(message: str) -> None:
    assert _calls(_edit(_draft("en"), message)) == ["set_text_size"]


def test_black_and_white_reaches_an_uploaded_photo_and_says_so() -> None:
    from test_editor_support import Upload

    ctx = EditContext(
        speech=VoicedSpeech(),
        illustrations=FakeIllustrations(),
        media=[Upload("med_1", "image", "beans.jpg")],
    )
    with_photo = RuleEditor().edit(_draft("en"), "use my photo in scene 2", context=ctx).draft
    grey = RuleEditor().edit(with_photo, "black and white", context=ctx)

    def photos(d: Draft) -> list[Segment]:
        return [s for t in d.tracks_by_role("media") for s in t.segments if s.meta.get("media_id")]

    assert photos(grey.draft) and all(s.meta.get("grey") for s in photos(grey.draft))
    assert "1 uploaded picture shown in grey" in grey.reply
    back = RuleEditor().edit(grey.draft, "back to colour", context=ctx)
    assert not any(s.meta.get("grey") for s in photos(back.draft))
