"""A thin prompt's narration carries the video: the script is lengthened from data, never made up,
and the scenes are paced so the voice runs to the end of the length asked for."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from promptreel.agent import board as board_module
from promptreel.agent.brief import data, read_brief
from promptreel.agent.director import CLOSE_HOLD_MS, TITLE_MAX_MS, raw_cut
from promptreel.agent.fill import FILL_CEILING, FILL_FROM, FILL_SHARE, script_ms, topic_for
from promptreel.agent.planner import plan
from promptreel.agent.storyboard import TAIL_MS, ScenePlan, Storyboard
from promptreel.draft import Draft
from promptreel.generators.fakes import FakeIllustrations, FakeSpeech

#: prompts that name a subject and give little else, in several kinds and both languages
THIN = (
    "a 30-second promo for our tea shop",
    "a 25 second video about our bicycle workshop in Utrecht",
    "做一个30秒的视频，介绍我们的宠物店",
    "a 20-second teaser for our new bakery",
    "a 40 second recruiting video for Juniper Books",
    "做一个20秒的邀请视频：我们的开业派对，周六下午3点",
    "a 12-second video for our hair salon",
    "a 45 second ad for our gym in Leeds",
    "a 15-second invitation to our housewarming party",
    "a 20 second video for our Christmas market",
)
#: what each prompt says about how to make the video: never said
INSTRUCTIONS = ("second", "promo", "video", "teaser", "recruiting", "invitation", "秒", "视频", "邀请视频")


def unfilled(prompt: str, monkeypatch: pytest.MonkeyPatch) -> Storyboard:
    """The plan the same prompt gets when nothing is added to its script."""
    with monkeypatch.context() as m:
        m.setattr(board_module, "fill", lambda brief, scenes, fields: scenes)
        return plan(prompt)


def cut(board: Storyboard) -> Draft:
    return raw_cut(board, speech=FakeSpeech(), illustrations=FakeIllustrations())


def coverage(draft: Draft) -> tuple[float, float]:
    """(where the voice ends, how much of the video it speaks), both as shares of the duration."""
    track = draft.first_track("narration")
    voices = track.segments if track else ()
    end = max((v.end for v in voices), default=0)
    return end / draft.duration, sum(v.duration for v in voices) / draft.duration


def data_lines() -> Iterator[re.Pattern[str]]:
    """Every line the filler may say, as a pattern (a placeholder matches what fills it)."""
    texts: list[str] = []
    for spec in data("topics").values():
        texts += [*spec["en"]["lines"], *spec["zh"]["lines"]]
    for key, spec in data("occasions").items():
        if key != "recipients":
            texts += [*spec["en"]["lines"], *spec["zh"]["lines"]]
    for spec in data("purposes").values():
        if isinstance(spec.get("en"), dict):  # a kind of video (not a table of words)
            # its own lines, and those for a sale or a kind of subject ("more_place")
            for lang in ("en", "zh"):
                texts += [x for k, v in spec[lang].items() if re.search(r"(?:^|_)(?:intro|more|ask)(?:_|$)", k)
                          for x in v]  # fmt: skip
    for t in texts:
        parts = re.split(r"\{\w+\}", t.rstrip(".。!！"))
        yield re.compile("^" + ".+".join(re.escape(p) for p in parts) + "[.。!！]?$")


@pytest.mark.parametrize("prompt", THIN)
def test_the_voice_carries_a_thin_prompts_video(prompt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    board = plan(prompt)
    draft = cut(board)
    assert draft.duration == board.target_ms, "a user who asks for a length gets it"
    end, share = coverage(draft)
    _, share_before = coverage(cut(unfilled(prompt, monkeypatch)))
    assert end >= 0.8, f"the voice stops at {end:.0%} of the video"
    assert share >= 0.3 and share >= share_before + 0.1, (share_before, share)


@pytest.mark.parametrize("prompt", THIN)
def test_lines_are_added_until_the_script_fills_the_length(
    prompt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    board, before = plan(prompt), unfilled(prompt, monkeypatch)
    zh = board.lang == "zh"
    assert script_ms(before.scenes, zh, board.speed) < board.target_ms * FILL_FROM // 100, "a thin script"
    estimate = script_ms(board.scenes, zh, board.speed)
    assert estimate <= board.target_ms * FILL_CEILING // 100
    if estimate < board.target_ms * FILL_SHARE // 100:  # short of the goal: no line of the topic is left
        topic = topic_for(read_brief(prompt))  # that would still fit
        lines = data("topics")[topic]["zh" if zh else "en"]["lines"] if topic else []
        said = [s.text for s in board.scenes]
        room = board.target_ms * FILL_CEILING // 100 - estimate
        left = [x for x in lines if x not in said and script_ms([ScenePlan(x, x, min_ms=1500)], zh) <= room]
        assert not left, (topic, said)


@pytest.mark.parametrize("prompt", THIN)
def test_added_lines_come_from_data_and_hold_no_facts(prompt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    board, before = plan(prompt), unfilled(prompt, monkeypatch)
    known = {s.text for s in before.scenes}
    added = [s for s in board.scenes if s.text not in known]
    assert added, "a thin prompt's script is lengthened"
    patterns = list(data_lines())
    for s in added:
        assert s.beat == "body", "an added line is the first to go when the speech runs long"
        assert any(p.match(s.text) for p in patterns), s.text
    said = " ".join(s.text for s in board.scenes)
    for figure in re.findall(r"\d+", said):
        assert figure in prompt, f"{figure} is not the user's"
    for word in INSTRUCTIONS:
        assert word not in said.lower(), word
    assert [s.text for s in before.scenes] == [s.text for s in board.scenes if s.text in known]


def test_a_line_that_restates_a_fact_is_said_only_when_the_prompt_gave_it() -> None:
    dated = plan("a 30-second invitation to our garden party on Saturday 14 June at 3pm")
    assert dated.script.count("Saturday 14 June at 3pm") == 1  # said once: the card, no filler again
    undated = plan("a 30-second invitation to our garden party")
    assert "Join us" not in undated.script and "{" not in undated.script


@pytest.mark.parametrize(
    "prompt",
    [
        "a 10 second promo for Luna Café: latte $4.50, cappuccino $4, flat white $4.20, open 7am",
        "a 16 second ad for Sunny Nails: manicures, pedicures and gel polish, walk-ins welcome, 8 Mill Lane",
    ],
)
def test_a_script_that_nearly_fills_its_length_gets_no_generic_copy(
    prompt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    board, before = plan(prompt), unfilled(prompt, monkeypatch)
    assert script_ms(before.scenes, False, board.speed) >= board.target_ms * FILL_FROM // 100
    assert board.scenes == before.scenes


def test_the_title_card_has_its_time_in_the_opening_scene() -> None:
    for prompt in THIN:
        board = plan(prompt)
        if board.title and board.scenes[0].layout == "headline":
            first = cut(board).first_track("scenes")
            assert first is not None and first.segments[0].duration >= TITLE_MAX_MS, prompt


@pytest.mark.parametrize("prompt", THIN[:4])
def test_the_closing_line_ends_the_video(prompt: str) -> None:
    board = plan(prompt)
    draft = cut(board)
    scenes = draft.first_track("scenes")
    voices = draft.first_track("narration")
    assert scenes is not None and voices is not None
    last, said = scenes.segments[-1], voices.segments[-1]
    assert last.start <= said.start, "the last scene is spoken"
    hold = max(TAIL_MS + CLOSE_HOLD_MS, board.scenes[-1].min_ms - said.duration)
    assert draft.duration - said.end <= hold + 1


def test_the_subject_decides_the_topic_and_settings_never_do() -> None:
    assert topic_for(read_brief("a 50 second video about our bakery: sourdough, coffee, cakes")) == "bakery"
    assert topic_for(read_brief('a 10-second teaser for our new podcast "Night Shift"')) == "podcast"
    assert topic_for(read_brief("a 30s vertical video with my photos and upbeat music")) == ""
    assert topic_for(read_brief("做一个10秒的视频，新品上市：桂花乌龙奶茶")) == "milk_tea"
