"""Edits keep the video whole: each rule the director re-checks after an edit, with the phrasing
that used to break it."""

from __future__ import annotations

from promptreel.agent.editor import EditContext, EditOutcome, RuleEditor
from promptreel.agent.edits.invariants import TITLE_SHARE
from promptreel.agent.tools import apply_tool
from promptreel.draft import Draft, Track
from test_editor_support import make_draft


def edit(d: Draft, message: str, lang: str = "en") -> EditOutcome:
    return RuleEditor().edit(d, message, lang=lang, context=EditContext())


def track(d: Draft, role: str) -> Track:
    t = d.first_track(role)
    assert t is not None, role
    return t


def test_slow_the_narration_down_is_understood_and_keeps_the_length() -> None:
    d0 = make_draft()
    for message in ("slow the narration down", "slow the voice down a bit", "make the voice slower"):
        out = edit(d0, message)
        assert out.changed and [c.name for c in out.calls] == ["set_speech_speed"], message
        assert track(out.draft, "narration").segments[0].meta["speed"] == 0.9
        assert out.draft.duration == d0.duration  # the scenes were re-fitted to the asked length
        assert "stays" in out.reply
    out = edit(d0, "speed the narration up")
    assert out.changed and track(out.draft, "narration").segments[0].meta["speed"] == 1.1


def test_a_speed_change_that_changes_the_length_says_so() -> None:
    d0 = make_draft()
    d1, res = apply_tool(d0, EditContext(), "set_speech_speed", {"delta": -0.3, "keep_length": False})
    assert d1.duration != d0.duration and res["length_kept"] is False
    from promptreel.agent import reply

    assert "length changed" in reply.compose([res], "en")


def test_a_new_title_replaces_the_old_name_where_the_narration_says_it() -> None:
    d0 = edit(make_draft(), 'change the narration of scene 1 to "Welcome to Coffee Shop."').draft
    assert track(d0, "title").segments[0].meta["text"] == "Coffee Shop"
    out = edit(d0, 'change the title to "Morning Ritual"')
    assert out.changed
    first = track(out.draft, "narration").segments[0]
    assert first.meta["text"] == "Welcome to Morning Ritual."
    said = " ".join(str(s.meta.get("text")) for s in track(out.draft, "captions").segments)
    assert "Morning Ritual" in said and "Coffee Shop" not in said
    assert "scene 1" in out.reply
    assert out.draft.duration == d0.duration
    # a common noun spelled in lower case is not the name: it stays
    assert "coffee shop" in str(track(out.draft, "narration").segments[1].meta["text"]).lower()


def test_removing_the_opening_scene_keeps_the_title_off_the_new_openers_headline() -> None:
    d0 = make_draft()
    out = edit(d0, "delete the first scene")
    assert out.changed
    first = track(out.draft, "scenes").segments[0]
    title = track(out.draft, "title").segments[0]
    assert first.meta.get("headline")
    assert title.start == first.start and title.duration <= max(1000, first.duration * TITLE_SHARE) + 1
    assert "title card now shows" in out.reply
    zh = edit(make_draft("zh"), "删除第一个场景", lang="zh")
    t, s = track(zh.draft, "title").segments[0], track(zh.draft, "scenes").segments[0]
    assert zh.changed and t.start == s.start and t.duration <= max(1000, s.duration * TITLE_SHARE) + 1


def test_adding_a_title_when_there_is_one_updates_it_and_says_so() -> None:
    d0 = make_draft()
    out = edit(d0, 'add a title "Grand Opening"')
    assert out.changed and track(out.draft, "title").segments[0].meta["text"] == "Grand Opening"
    assert len(track(out.draft, "title").segments) == 1
    assert "already had the title" in out.reply and '"Coffee Shop"' in out.reply
    plain = edit(d0, 'change the title to "Grand Opening"')
    assert "already had" not in plain.reply


def test_arguments_are_validated_for_every_path() -> None:
    d0 = make_draft()
    for name, args in (
        ("set_aspect", {"aspect": "4:3"}),
        ("set_music", {"style": "polka"}),
        ("resize_scene", {"scene": "two"}),
        ("set_captions", {"position": "left"}),
    ):
        try:
            apply_tool(d0, EditContext(), name, args)
        except Exception as e:
            assert getattr(e, "reason", None) == "bad_args", (name, e)
        else:
            raise AssertionError(f"{name} accepted {args}")


def test_one_home_for_chinese_detection_and_numerals() -> None:
    from promptreel.agent import lexicon, phrases

    assert phrases.is_chinese("把标题改成红色") and lexicon.has_cjk("把标题改成红色")
    assert not phrases.is_chinese("make it red") and lexicon.count_cjk("字幕 big") == 2
    for word, n in (("两", 2), ("十五", 15), ("一百零五", 105), ("二〇二五", 2025)):
        assert lexicon.zh_number(word) == n and phrases.parse_number(word) == n
    assert phrases.parse_number("两半") == 2.5
