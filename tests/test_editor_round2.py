"""Edits a new user types: scene colours, captions back on, questions about a scene, replacing
quoted words, and next steps that never repeat the change just made."""

from __future__ import annotations

import pytest

from promptreel.agent.editor import EditContext, EditOutcome, RuleEditor
from promptreel.agent.edits.colours import MIN_CONTRAST, contrast
from promptreel.agent.router import route
from promptreel.draft import Draft
from promptreel.generators.fakes import FakeIllustrations
from test_editor_support import make_draft

_DRAFTS: dict[str, Draft] = {}


def _draft(lang: str) -> Draft:
    if lang not in _DRAFTS:
        _DRAFTS[lang] = make_draft(lang)
    return _DRAFTS[lang]


def _edit(draft: Draft, message: str, lang: str = "en") -> EditOutcome:
    return RuleEditor().edit(
        draft, message, lang=lang, context=EditContext(illustrations=FakeIllustrations())
    )


def _palettes(d: Draft) -> list[list[str]]:
    st = d.first_track("scenes")
    assert st is not None
    return [[str(c) for c in s.meta.get("palette")] for s in st.segments]


def _mid(p: list[str]) -> str:
    a, b = (tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in p[:2])
    return "#" + "".join(f"{(x + y) // 2:02X}" for x, y in zip(a, b, strict=True))


def _lum(hex_: str) -> float:
    return sum(int(hex_[i : i + 2], 16) for i in (1, 3, 5)) / 765


# ---------------------------------------------------------------- scene colours


@pytest.mark.parametrize(
    ("message", "lang", "mood"),
    [
        ("use a darker color palette", "en", "darker"),
        ("make the background blue", "en", "colour"),
        ("warmer colours", "en", "warmer"),
        ("make the colors lighter", "en", "lighter"),
        ("cooler tones please", "en", "cooler"),
        ("换成蓝色背景", "zh", "colour"),
        ("颜色暗一点", "zh", "darker"),
        ("配色暖一点", "zh", "warmer"),
    ],
)
def test_palette_changes_every_scene_and_text_stays_readable(message: str, lang: str, mood: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert out.changed and not out.question
    assert [c.name for c in out.calls] == ["set_palette"]
    assert out.calls[0].args["mood"] == mood
    before, after = _palettes(d), _palettes(out.draft)
    assert all(a != b for a, b in zip(after, before, strict=True))
    for p in after:
        assert contrast(p[4], _mid(p)) >= MIN_CONTRAST
    assert "→" in out.reply


def test_darker_is_darker_and_blue_is_blue() -> None:
    d = _draft("en")
    dark = _palettes(_edit(d, "use a darker color palette").draft)[0]
    assert _lum(dark[0]) < _lum(_palettes(d)[0][0])
    blue = _palettes(_edit(d, "make the background blue").draft)[0]
    r, g, b = (int(blue[1][i : i + 2], 16) for i in (1, 3, 5))
    assert b > r and b > g


def test_palette_of_one_scene() -> None:
    d = _draft("en")
    out = _edit(d, "make scene 2's background green")
    assert out.calls[0].args == {"mood": "colour", "color": out.calls[0].args["color"], "scene": 2}
    before, after = _palettes(d), _palettes(out.draft)
    assert after[1] != before[1] and after[0] == before[0] and after[2] == before[2]


def test_background_music_is_not_a_colour() -> None:
    out = _edit(_draft("en"), "make the background music quieter")
    assert [c.name for c in out.calls] != ["set_palette"]


# ---------------------------------------------------------------- captions back on


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("put the captions back", "en"),
        ("bring back the captions", "en"),
        ("show the captions again", "en"),
        ("captions back please", "en"),
        ("把字幕加回来", "zh"),
        ("字幕恢复一下", "zh"),
    ],
)
def test_captions_back_on(message: str, lang: str) -> None:
    off = _edit(_draft(lang), "turn off captions" if lang == "en" else "关闭字幕", lang).draft
    out = _edit(off, message, lang)
    assert out.changed and not out.question
    assert out.calls[0].args == {"enabled": True}
    ct = out.draft.first_track("captions")
    assert ct is not None and not ct.hidden


# ---------------------------------------------------------------- questions about a scene


@pytest.mark.parametrize(
    ("message", "lang", "scene", "says"),
    [
        ("what's in scene 5?", "en", 5, "Come and see"),
        ("what does scene 3 say?", "en", 3, "fresh beans"),
        ("describe the last scene", "en", -1, "Come and see"),
        ("tell me about scene 4", "en", 4, "7am to 7pm"),
        ("第3个场景是什么内容？", "zh", 3, "慢下来"),
        ("第二个场景讲的是什么", "zh", 2, "一杯好咖啡"),
    ],
)
def test_scene_question_is_read_only(message: str, lang: str, scene: int, says: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert [(c.name, c.args) for c in out.calls] == [("describe_scene", {"scene": scene})]
    assert not out.changed and not out.question and out.draft == d and out.history is None
    assert says in out.reply
    assert ("草稿没有改动" if lang == "zh" else "Nothing was changed") in out.reply
    assert route(message, has_draft=True) == "question"  # read-only turns are free


def test_changing_a_scene_is_not_a_question() -> None:
    out = _edit(_draft("en"), 'make scene 2 say "We fix every bike."')
    assert out.calls[0].name == "set_scene_text" and out.changed


# ---------------------------------------------------------------- replacing quoted words


@pytest.mark.parametrize(
    "message",
    [
        "replace 'Come and see' with 'Book a repair today'",
        "change the line 'Come and see' to 'Book a repair today'",
        'swap "come and see" for "Book a repair today"',
        "replace Come and see with Book a repair today",
    ],
)
def test_replace_words_everywhere(message: str) -> None:
    d = _draft("en")
    out = _edit(d, message)
    assert out.changed, out.reply
    st, nt = out.draft.first_track("scenes"), out.draft.first_track("narration")
    assert st is not None and nt is not None
    last = st.segments[-1]
    assert last.meta.get("headline") == "Book a repair today"
    assert "Book a repair today for yourself" in str(last.meta.get("text"))
    assert any("Book a repair today" in str(s.meta.get("text")) for s in nt.segments)
    assert out.draft.duration == d.duration  # narration re-timed, the video keeps its length
    assert "Book a repair today" in out.reply


def test_replace_keeps_the_case_of_a_title() -> None:
    out = _edit(_draft("en"), "change 'coffee shop' to 'bike shop'")
    tt = out.draft.first_track("title")
    assert tt is not None and tt.segments[0].meta.get("text") == "Bike Shop"


def test_replace_in_chinese() -> None:
    d = _draft("zh")
    out = _edit(d, "把“欢迎了解”改成“欢迎光临”", "zh")
    assert out.changed
    st = out.draft.first_track("scenes")
    assert st is not None and "欢迎光临" in str(st.segments[0].meta.get("text"))
    assert "欢迎光临" in out.reply


@pytest.mark.parametrize(
    ("message", "lang", "near"),
    [
        ("replace 'Come and sea us' with 'x'", "en", "Come and see"),
        ("把“欢迎光顾”改成“欢迎来店”", "zh", "欢迎了解"),
    ],
)
def test_replace_not_found_lists_the_closest_lines(message: str, lang: str, near: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert not out.changed and out.draft == d
    assert near in out.reply
    assert ("没找到" if lang == "zh" else "couldn't find") in out.reply


# ---------------------------------------------------------------- next steps never repeat the edit


@pytest.mark.parametrize(
    ("message", "lang", "repeat"),
    [
        ("make the title bigger", "en", "make the title bigger"),
        ("bigger title please", "en", "make the title bigger"),
        ("把标题放大一点", "zh", "把标题放大一点"),
        ("标题大一点", "zh", "把标题放大一点"),
        ("make the music quieter", "en", "make the music quieter"),
        ("背景音乐小声一点", "zh", "背景音乐小声一点"),
    ],
)
def test_next_steps_never_repeat_the_change(message: str, lang: str, repeat: str) -> None:
    out = _edit(_draft(lang), message, lang)
    assert out.changed
    assert f"“{repeat}”" not in out.reply and f'"{repeat}"' not in out.reply


# ---------------------------------------------------------------- more of what new users type


@pytest.mark.parametrize(
    ("message", "lang", "gone"),
    [
        ("delete the scene that says 'Come and see'", "en", "Come and see"),
        ("remove the scene about 7am to 7pm", "en", "Coffee shop: 7am to 7pm."),
        ("删掉说“我们很期待认识你”的那个场景", "zh", "我们很期待认识你。"),
        ("删除关于慢下来的场景", "zh", "慢下来，喝一口，享受此刻。"),
    ],
)
def test_remove_a_scene_by_its_words(message: str, lang: str, gone: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert out.changed and [c.name for c in out.calls] == ["remove_scene"]
    st0, st1 = d.first_track("scenes"), out.draft.first_track("scenes")
    assert st0 is not None and st1 is not None
    assert len(st1.segments) == len(st0.segments) - 1
    texts = [str(s.meta.get("text")) for s in st1.segments]
    assert not any(t == gone or t.endswith(gone) for t in texts)
    nt = out.draft.first_track("narration")
    assert nt is not None and out.draft.first_track("narration") is not None


def test_remove_a_scene_by_words_it_does_not_say() -> None:
    d = _draft("en")
    out = _edit(d, "delete the scene that says 'hello there friend'")
    assert not out.changed and out.draft == d and "closest" in out.reply


@pytest.mark.parametrize(
    ("message", "lang", "title"),
    [
        ('change "Coffee" in the title to "Bike"', "en", "Bike Shop"),
        ("把标题里的“咖啡”改成“单车”", "zh", "单车品牌"),
    ],
)
def test_change_a_word_in_the_title_only(message: str, lang: str, title: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    tt = out.draft.first_track("title")
    assert tt is not None and tt.segments[0].meta.get("text") == title
    assert out.draft.first_track("narration") == d.first_track("narration")


@pytest.mark.parametrize(
    ("off", "back", "lang"),
    [("turn off the voiceover", "put the voiceover back", "en"), ("关闭旁白", "把旁白加回来", "zh")],
)
def test_narration_back_on(off: str, back: str, lang: str) -> None:
    muted = _edit(_draft(lang), off, lang).draft
    out = _edit(muted, back, lang)
    assert out.changed and out.calls[0].args == {"enabled": True}


@pytest.mark.parametrize(
    ("message", "lang", "font"),
    [
        ("change the caption font to serif", "en", "Noto Serif"),
        ("use the Lato font for the subtitles", "en", "Lato"),
        ("字幕字体换成黑体", "zh", "Noto Sans CJK SC"),
    ],
)
def test_caption_font(message: str, lang: str, font: str) -> None:
    out = _edit(_draft(lang), message, lang)
    assert out.changed and out.calls[0].args == {"font": font}
    ct = out.draft.first_track("captions")
    assert ct is not None and ct.meta.get("style", {}).get("font") == font


@pytest.mark.parametrize(
    ("message", "lang", "scene", "text"),
    [
        ('change the headline of scene 2 to "Fast repairs"', "en", 2, "Fast repairs"),
        ("change scene 2's title to Fast repairs", "en", 2, "Fast repairs"),
        ("第二个场景的标题改成“快速修车”", "zh", 2, "快速修车"),
    ],
)
def test_a_scene_headline_is_not_the_video_title(message: str, lang: str, scene: int, text: str) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert [(c.name, c.args) for c in out.calls] == [("set_headline", {"scene": scene, "text": text})]
    st = out.draft.first_track("scenes")
    assert st is not None and st.segments[scene - 1].meta.get("headline") == text
    assert out.draft.first_track("title") == d.first_track("title")
    assert "→" in out.reply


@pytest.mark.parametrize(
    ("message", "mood"),
    [("more vibrant colours", "vivid"), ("颜色鲜艳一点", "vivid"), ("softer colours", "muted")],
)
def test_vivid_and_muted_colours(message: str, mood: str) -> None:
    lang = "zh" if "颜色" in message else "en"
    out = _edit(_draft(lang), message, lang)
    assert out.calls[0].args == {"mood": mood} and out.changed


def test_turn_the_music_off() -> None:
    out = _edit(_draft("en"), "turn the music off")
    assert out.calls[0].args == {"muted": True} and out.changed


def test_colour_steps_follow_a_colour_change_but_not_the_same_one() -> None:
    out = _edit(_draft("en"), "use a darker color palette")
    assert '"warmer colours"' in out.reply and '"use a darker color palette"' not in out.reply


@pytest.mark.parametrize(
    ("message", "not_call"),
    [
        ("move the title to scene 2", "set_headline"),
        ("move the title to scene 2", "set_title"),
        ("make scene 2's title bigger", "set_headline"),
        ("change scene 2 caption to hello", "set_headline"),
        ("what if scene 2 were shorter", "describe_scene"),
    ],
)
def test_words_that_only_look_like_new_edits(message: str, not_call: str) -> None:
    out = _edit(_draft("en"), message)
    assert not_call not in [c.name for c in out.calls]


@pytest.mark.parametrize(
    ("message", "lang", "mood", "scene"),
    [("make scene 2 brighter", "en", "lighter", 2), ("make the last scene darker", "en", "darker", -1),
     ("第二个场景暗一点", "zh", "darker", 2)],
)  # fmt: skip
def test_one_scene_darker_or_brighter(message: str, lang: str, mood: str, scene: int) -> None:
    d = _draft(lang)
    out = _edit(d, message, lang)
    assert out.calls[0].args == {"mood": mood, "scene": scene}
    before, after = _palettes(d), _palettes(out.draft)
    i = scene - 1 if scene > 0 else len(before) + scene
    assert after[i] != before[i] and sum(a != b for a, b in zip(after, before, strict=True)) == 1
    assert contrast(after[i][4], _mid(after[i])) >= MIN_CONTRAST
