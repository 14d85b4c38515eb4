"""How messages split into clauses and which words win: several edits in one message, quotes, numbers."""

from __future__ import annotations

from typing import Any

import pytest

from promptreel.agent.editor import EditContext, RuleEditor, reply_lang
from promptreel.agent.grammar import parse
from promptreel.agent.phrases import durations, parse_number, percentages, quoted, scene_refs
from test_editor_support import make_draft

Calls = list[tuple[str, dict[str, Any]]]


@pytest.mark.parametrize(
    ("message", "calls"),
    [
        ("make it vertical, add lo-fi music at 35% and turn off captions",
         [("set_aspect", {"aspect": "9:16"}), ("set_music", {"style": "lofi", "volume": 0.35}),
          ("set_captions", {"enabled": False})]),
        ("改成竖屏，关闭字幕，背景音乐小声一点",
         [("set_aspect", {"aspect": "9:16"}), ("set_captions", {"enabled": False}),
          ("set_music", {"volume_scale": 0.6})]),
        ('change the title to "Salt and Pepper"', [("set_title", {"text": "Salt and Pepper"})]),
        ("change the title to Salt and Pepper", [("set_title", {"text": "Salt and Pepper"})]),
        ("swap scene 1 and 3", [("swap_scenes", {"a": 1, "b": 3})]),
        ("add a scene about coffee and croissants", [("add_scene", {"about": "coffee and croissants"})]),
        ("use a female voice, then speak slower",
         [("set_voice", {"gender": "female"}), ("set_speech_speed", {"delta": -0.1})]),
        ("remove scenes 2 and 3", [("remove_scene", {"scene": 3}), ("remove_scene", {"scene": 2})]),
        ("用女声并且说慢一点", [("set_voice", {"gender": "female"}), ("set_speech_speed", {"delta": -0.1})]),
        ("make the last scene 3 seconds", [("resize_scene", {"scene": -1, "duration_ms": 3000})]),
        ("add a scene about our team before the last scene", [("add_scene", {"about": "our team", "position": -2})]),
        ("new picture of a croissant for scene 3", [("regenerate_visual", {"scene": 3, "hint": "a croissant"})]),
        ("give scene 2 an image of a sunrise", [("regenerate_visual", {"scene": 2, "hint": "a sunrise"})]),
        ("第三个场景换成面包的图片", [("regenerate_visual", {"scene": 3, "hint": "面包"})]),
        ("the narrator talks too fast", [("set_speech_speed", {"delta": -0.1})]),
        ("make the intro longer", [("resize_scene", {"scene": 1, "delta_ms": 1000})]),
        ("put scene 2 last", [("move_scene", {"scene": 2, "to": -1})]),
        ("the third scene should come first", [("move_scene", {"scene": 3, "to": 1})]),
        ("add an outro scene about booking a table", [("add_scene", {"about": "booking a table"})]),
        ("add an intro about our story", [("add_scene", {"about": "our story", "position": 1})]),
        ("no more wipes", [("set_transition", {"transition": "cut"})]),
        ("add the text 'Open 7-7' at the top for the whole video",
         [("add_overlay", {"text": "Open 7-7", "at": "whole", "position": "top"})]),
        ("声音太小了", [("set_narration", {"volume_scale": 1.5})]),
        ("把旁白的语速调慢", [("set_speech_speed", {"delta": -0.1})]),
        ("remove the outro", [("remove_scene", {"scene": -1})]),
        ("move the title to the end", [("set_title", {"at": "end"})]),
        ("remove the last two scenes", [("remove_scene", {"scene": -2}), ("remove_scene", {"scene": -1})]),
        ("去掉最后两个场景", [("remove_scene", {"scene": -2}), ("remove_scene", {"scene": -1})]),
        ("delete the first 2 scenes", [("remove_scene", {"scene": 2}), ("remove_scene", {"scene": 1})]),
        ("语速正常就好", [("set_speech_speed", {"speed": 1.0})]),
        ("标题放到结尾", [("set_title", {"at": "end"})]),
    ],
)  # fmt: skip
def test_messages_to_calls(message: str, calls: Calls) -> None:
    assert list(parse(message).calls) == calls


def test_an_unclear_part_is_reported_not_dropped() -> None:
    out = RuleEditor().edit(
        make_draft(), "make it vertical and flibbertigibbet the wombats", lang="en", context=EditContext()
    )
    assert out.changed and out.draft.canvas.height == 1920
    assert "I didn't understand" in out.reply and "flibbertigibbet" in out.reply


def test_numbers_times_and_quotes() -> None:
    assert parse_number("十五") == 15 and parse_number("两") == 2 and parse_number("twenty") == 20
    assert parse_number("一百二十") == 120 and parse_number("2.5") == 2.5 and parse_number("abc") is None
    assert [ms for _, ms in durations("extend by 1.5s then 2 seconds and 300 ms")] == [1500, 2000, 300]
    assert [ms for _, ms in durations("延长两秒半，再加十五秒")] == [2500, 15000]
    assert [ms for _, ms in durations("half a second")] == [500]
    assert percentages("music at 35% and 百分之二十") == [0.35, 0.2]
    assert quoted("say “hi” and 'bye' and 「你好」 but don't split") == ["hi", "bye", "你好"]
    assert [r.index for r in scene_refs("the second scene and scene 4, then the last one")] == [2, 4, -1]
    assert [r.index for r in scene_refs("第二个场景和倒数第二个镜头")] == [2, -2]
    assert [r.index for r in scene_refs("scene 2 seconds")] == []


def test_reply_language_follows_the_message() -> None:
    assert reply_lang("make it vertical", "zh") == "en"
    assert reply_lang("改成竖屏", "en") == "zh"
    assert reply_lang("9:16", "zh") == "zh"
    d = make_draft()
    assert "画面比例" in RuleEditor().edit(d, "竖屏", lang="en", context=EditContext()).reply
    assert "Aspect ratio" in RuleEditor().edit(d, "portrait", lang="zh", context=EditContext()).reply


@pytest.mark.parametrize("message", ["help", "what can you do?", "你能做什么"])
def test_help_lists_what_can_be_asked(message: str) -> None:
    d = make_draft()
    out = RuleEditor().edit(d, message, lang="en", context=EditContext())
    assert out.draft is d and not out.changed and not out.question and not out.calls
    assert ("make it vertical" in out.reply) or ("改成竖屏" in out.reply)


def test_removing_several_scenes_removes_the_ones_named() -> None:
    d = make_draft()
    ids = [s.id for s in d.first_track("scenes").segments]  # type: ignore[union-attr]
    out = RuleEditor().edit(d, "remove the last two scenes", lang="en", context=EditContext())
    assert [s.id for s in out.draft.first_track("scenes").segments] == ids[:-2]  # type: ignore[union-attr]
    out = RuleEditor().edit(d, "remove scene 1 and the last scene", lang="en", context=EditContext())
    assert [s.id for s in out.draft.first_track("scenes").segments] == ids[1:-1]  # type: ignore[union-attr]


def test_every_suggested_next_step_is_understood() -> None:
    from promptreel.agent.suggest import steps

    assert steps()
    for step in steps():
        for phrase in (step.en, step.zh):
            p = parse(phrase)
            assert p.calls or p.say == ("export",), (step, phrase, p)
            assert not p.unparsed, (step, phrase)
