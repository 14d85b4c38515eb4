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
    later = [str(s.meta.get("text")) for s in track(out.draft, "narration").segments[1:]]
    assert any("coffee shop" in line for line in later), later


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


def test_adding_a_title_when_there_is_one_adds_a_second_line_and_says_so() -> None:
    d0 = make_draft()
    for message, lang in (
        ('add a title "Grand Opening"', "en"),
        ('add a heading "Grand Opening"', "en"),
        ("加个标题“Grand Opening”", "zh"),
    ):
        out = edit(d0, message, lang)
        titles = [s for t in out.draft.tracks_by_role("title") for s in t.segments]
        assert out.changed and [s.meta["text"] for s in titles] == ["Coffee Shop", "Grand Opening"], message
        first, second = titles
        # shown with the card, where it leaves room, a size smaller; the title itself is untouched
        assert (second.start, second.end) == (first.start, first.end)
        assert second.meta["position"] != first.meta.get("position", "center")
        assert out.draft.meta["title"] == "Coffee Shop" and track(out.draft, "title").segments[0] == first
        assert ("already has the title" in out.reply and "second title line" in out.reply) or (
            "已经有标题" in out.reply and "第二行标题" in out.reply
        ), out.reply
    plain = edit(d0, 'change the title to "Grand Opening"')
    assert [s.meta["text"] for t in plain.draft.tracks_by_role("title") for s in t.segments] == [
        "Grand Opening"
    ]
    assert "already has" not in plain.reply
    # the line goes with the title: removed with it, re-timed with it
    two = edit(d0, 'add a title "Grand Opening"').draft
    assert not edit(two, "remove the title").draft.tracks_by_role("title")
    gone = edit(two, "delete the first scene").draft
    spans = {(s.start, s.end) for t in gone.tracks_by_role("title") for s in t.segments}
    assert len(spans) == 1
    # a title that is already there is not added twice
    again = edit(two, 'add a title "Grand Opening"')
    assert not again.changed or len(again.draft.tracks_by_role("title")) == 2


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


def test_one_home_for_chinese_detection_numerals_and_durations() -> None:
    from promptreel import language
    from promptreel.agent import asks, lexicon, phrases

    # the prompt reader and the chat editor read with the same functions
    assert lexicon.has_cjk is language.has_cjk and lexicon.zh_number is language.zh_number
    assert phrases.durations is language.durations and phrases.parse_number is language.parse_number
    assert asks.has_word is language.find_word
    assert language.has_cjk("把标题改成红色") and not language.has_cjk("make it red")
    assert language.count_cjk("字幕 big") == 2
    for word, n in (("两", 2), ("十五", 15), ("一百零五", 105), ("二〇二五", 2025), ("twenty-five", 25)):
        assert language.parse_number(word) == n
    assert language.zh_number("一千二百") == 1200 and language.parse_number("两半") == 2.5
    # one reader of time spans: what the editor reads and what a prompt asks for agree
    for text, ms in (
        ("twenty-five seconds", 25_000),
        ("a minute and a half", 90_000),
        ("two and a half minutes", 150_000),
        ("half a minute", 30_000),
        ("一分半", 90_000),
        ("两秒半", 2_500),
        ("30s", 30_000),
    ):
        assert [s.ms for s in language.time_spans(text)] == [ms], text
        assert asks.parse_duration(text) == max(5_000, ms), text
    # a word glued to an "s" is no span; a bare "m" or "a second" never sizes a video
    assert language.durations("set the title as 'morning ritual'") == []
    assert language.durations("foreign ones as far as they go") == []
    assert asks.parse_duration("5m downloads and counting") is None
    assert asks.parse_duration("a second video about cats") is None
    assert asks.parse_duration("做一个30s的视频") == 30_000
    assert asks.parse_duration("午休30分钟的办公室") is None  # content, not the video's length


def test_every_scene_edit_keeps_the_title_card_off_the_new_openers_headline() -> None:
    d0 = make_draft()
    for message in (
        "move scene 3 to the start",
        "swap scene 1 and 2",
        "add a scene about croissants at the beginning",
    ):
        out = edit(d0, message)
        first = track(out.draft, "scenes").segments[0]
        title = track(out.draft, "title").segments[0]
        assert out.changed and first.meta.get("beat") != "hook" and first.meta.get("headline"), message
        assert title.start == first.start and title.duration <= max(1000, first.duration * TITLE_SHARE) + 1
        assert "title card now shows" in out.reply, message
    # an edit that leaves the hook first does not touch the card
    out = edit(d0, "make the music quieter")
    assert track(out.draft, "title") == track(d0, "title") and "title card" not in out.reply


def test_a_title_card_reaching_into_the_next_scene_ends_with_the_opener() -> None:
    from promptreel.agent.edits.invariants import keep_title_clear
    from promptreel.draft import ops

    d0 = make_draft()
    opener, second = track(d0, "scenes").segments[:2]
    title = track(d0, "title").segments[0]
    # a little into the next scene is fine; most of it is not
    a_little = ops.update_segment(d0, title.id, duration=opener.duration + round(second.duration * 0.2))
    assert keep_title_clear(a_little) == (a_little, None)
    most = ops.update_segment(d0, title.id, duration=opener.duration + round(second.duration * 0.6))
    fixed, span = keep_title_clear(most)
    assert span and track(fixed, "title").segments[0].end == opener.end


def test_an_edit_that_cannot_keep_the_length_says_it_changed() -> None:
    d0 = make_draft()
    long_line = " ".join(["We roast every bean by hand in small batches, then taste each one twice."] * 4)
    out = edit(d0, f'change scene 2\'s narration to "{long_line}"')
    assert out.changed and out.draft.duration > d0.duration
    assert "length changed: 20 s → " in out.reply
    zh = RuleEditor().edit(
        make_draft("zh"),
        f"把第二个场景的旁白改成“{'我们每天清晨手工烘焙咖啡豆，每一批都要品尝两次。' * 8}”",
        lang="zh",
        context=EditContext(),
    )
    assert zh.changed and "时长变了" in zh.reply


def test_music_that_filled_the_video_still_fills_it_after_any_scene_edit() -> None:
    d = make_draft()
    for _ in range(len(track(d, "scenes").segments) - 1):
        d = edit(d, "remove the last scene").draft
    assert len(track(d, "scenes").segments) == 1  # music over a lone scene reads as that scene's own
    for message in ("add a scene about our roastery", "make it 30 seconds", "swap scene 1 and 2"):
        d = edit(d, message).draft
        assert track(d, "bgm").end == d.duration, message
    # a music edit may end the music early on purpose: it is left as asked
    early, _ = apply_tool(d, EditContext(), "remove_music", {})
    assert not early.first_track("bgm") or not track(early, "bgm").segments
