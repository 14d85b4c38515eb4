"""Next steps in the reply make sense for this video: each rule of the suggestion list, seen
through the reply a user gets after an edit or a generation."""

from __future__ import annotations

import re

from promptreel.agent import suggest
from promptreel.agent.editor import EditContext, EditOutcome, RuleEditor
from promptreel.agent.events import Event
from promptreel.agent.turn import run_generation
from promptreel.draft import Draft
from test_editor_support import make_draft


def edit(d: Draft, message: str, lang: str = "en", media: tuple[object, ...] = ()) -> EditOutcome:
    return RuleEditor().edit(d, message, lang=lang, context=EditContext(media=media))


def steps_in(reply: str) -> list[str]:
    """The suggested phrasings in a reply's "Next you could try" line."""
    tail = next(
        (ln for ln in reply.splitlines() if ln.startswith(("Next you could try", "接下来可以试试"))), ""
    )
    return [a or b for a, b in re.findall(r'"([^"]+)"|“([^”]+)”', tail)]


def after(d: Draft, message: str, lang: str = "en") -> tuple[Draft, list[str]]:
    out = edit(d, message, lang)
    assert out.changed, (message, out.reply)
    return out.draft, steps_in(out.reply)


def test_never_make_it_vertical_on_a_vertical_video() -> None:
    d0 = make_draft()
    assert "make it vertical" in suggest.next_steps(d0, "en", ("generate",))
    vertical, steps = after(d0, "make it vertical")
    assert steps and "make it vertical" not in steps
    for kind in ("generate", "summary", "title", "undo", "duration"):
        assert "make it vertical" not in suggest.next_steps(vertical, "en", (kind,))
        assert "改成竖屏" not in suggest.next_steps(vertical, "zh", (kind,))


def test_no_music_suggested_while_music_plays_and_offered_once_it_is_gone() -> None:
    d0 = make_draft()
    for kind in ("generate", "music", "summary", "narration"):
        assert not any("add lo-fi" in s for s in suggest.next_steps(d0, "en", (kind,)))
    gone, steps = after(d0, "remove the music")
    assert "add lo-fi music at 30%" in steps
    _, steps = after(d0, "mute the music")
    assert "bring the music back" in steps and "make the music quieter" not in steps
    assert "make the music quieter" not in suggest.next_steps(gone, "en", ("music",))


def test_a_caption_colour_just_chosen_is_not_offered_again() -> None:
    d0 = make_draft()
    assert "make the captions yellow" in suggest.next_steps(d0, "en", ("captions",))
    yellow, steps = after(d0, "make the captions yellow")
    assert "make the captions yellow" not in steps
    assert "make the captions yellow" not in suggest.next_steps(yellow, "en", ("captions",))
    assert "字幕改成黄色" not in suggest.next_steps(yellow, "zh", ("captions",))
    assert "make the captions white" in suggest.next_steps(yellow, "en", ("captions",))
    white, _ = after(yellow, "make the captions white")
    assert "make the captions yellow" in suggest.next_steps(white, "en", ("captions",))


def test_no_captions_suggested_while_captions_are_on() -> None:
    d0 = make_draft()
    for kind in ("generate", "summary", "narration", "captions"):
        picks = suggest.next_steps(d0, "en", (kind,))
        assert "turn on captions" not in picks and "add captions" not in picks
    _, steps = after(d0, "turn off captions")
    assert "turn on captions" in steps and "make the captions yellow" not in steps


def test_chinese_users_get_chinese_phrasings() -> None:
    d0 = make_draft("zh")
    out = edit(d0, "去掉背景音乐", "zh")
    steps = steps_in(out.reply)
    assert steps and all(re.search(r"[\u4e00-\u9fff]", s) for s in steps), out.reply
    assert "加上30%音量的lo-fi音乐" in steps and steps[-1] == "导出"
    en = edit(d0, "remove the music", "en")
    assert all(not re.search(r"[\u4e00-\u9fff]", s) for s in steps_in(en.reply))


def test_steps_follow_what_was_just_done_and_end_with_export() -> None:
    d0 = make_draft()
    _, steps = after(d0, "remove the title")
    assert steps[0] == "undo" and steps[-1] == "export"
    _, steps = after(d0, "swap scene 1 and 2")
    assert "use wipe transitions" in steps or "show tracks" in steps
    assert len(steps) <= 3


def test_speed_and_transitions_are_not_suggested_twice() -> None:
    d0 = make_draft()
    slow, _ = after(d0, "speak a bit slower")
    assert "speak a bit slower" not in suggest.next_steps(slow, "en", ("voice", "generate", "scene_added"))
    wipes, _ = after(d0, "use wipe transitions")
    assert "use wipe transitions" not in suggest.next_steps(wipes, "en", ("scene_length", "visual"))
    assert "use crossfade transitions" in suggest.next_steps(wipes, "en", ("transition",))


def test_uploads_are_suggested_only_when_there_are_some() -> None:
    d0 = make_draft()
    photo = {"media_id": "med_1", "kind": "image", "name": "beans.jpg"}
    assert "use my photo in scene 2" not in suggest.next_steps(d0, "en", ("visual",))
    assert "use my photo in scene 2" in suggest.next_steps(d0, "en", ("visual",), media=[photo])
    song = {"media_id": "med_3", "kind": "audio", "name": "song.mp3"}
    assert "use my photo in scene 2" not in suggest.next_steps(d0, "en", ("visual",), media=[song])


def test_the_generation_reply_suggests_for_the_video_it_made() -> None:
    d0 = make_draft()
    vertical = edit(d0, "make it vertical").draft

    def reply_for(d: Draft, lang: str = "en") -> str:
        items = list(run_generation("a video", lambda stage: d, lang=lang))
        last = items[-1]
        assert isinstance(last, Event)
        return last.texts[0]

    assert "make it vertical" in reply_for(d0)
    assert "make it vertical" not in reply_for(vertical)
    assert "改成竖屏" not in reply_for(vertical, "zh") and "例如" in reply_for(vertical, "zh")


def test_every_fact_a_step_names_is_one_the_draft_can_show() -> None:
    d0 = make_draft()
    known = {f.split(":")[0] for f in suggest.facts(d0)} | {
        "vertical", "square", "landscape", "music_muted", "no_music", "narration_off", "no_narration",
        "slow", "fast", "captions_off", "no_captions", "captions_top", "captions_bottom", "no_title",
        "title", "overlay", "uploads", "short", "long", "scenes", "transition", "music", "captions_coloured",
        "grey",
    }  # fmt: skip
    for step in suggest.steps():
        for w in step.when:
            assert w.lstrip("!").split(":")[0] in known, (step, w)


def test_black_and_white_is_a_fact_and_back_to_colour_follows_it() -> None:
    grey = edit(make_draft(), "black and white").draft
    assert "grey" in suggest.facts(grey) and "grey" not in suggest.facts(make_draft())
    assert "back to colour" in suggest.next_steps(grey, "en", ("palette",))
