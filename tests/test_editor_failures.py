"""Vague, impossible and failing requests: a question or a clear explanation, and the draft untouched."""

from __future__ import annotations

from typing import Any

import pytest

import promptreel.agent.editor as editor_mod
from promptreel.agent import tools
from promptreel.agent.editor import EditContext, EditOutcome, RuleEditor
from promptreel.agent.history import History
from promptreel.draft import Draft
from promptreel.draft.ops import remove_track
from promptreel.generators.fakes import FakeIllustrations
from test_editor_support import Upload, VoicedSpeech, make_draft


def run(message: str, draft: Draft | None = None, **ctx: Any) -> tuple[Draft, EditOutcome]:
    speech = VoicedSpeech()
    d = draft or make_draft(speech=speech)
    ctx.setdefault("speech", speech)
    ctx.setdefault("illustrations", FakeIllustrations())
    out = RuleEditor().edit(d, message, lang="en", context=EditContext(**ctx))
    return d, out


def untouched(d: Draft, out: EditOutcome) -> None:
    assert out.draft is d
    assert not out.changed
    assert out.history is None
    assert out.reply


def test_public_api() -> None:
    assert set(editor_mod.__all__) >= {
        "ToolCall",
        "EditOutcome",
        "EditContext",
        "Editor",
        "RuleEditor",
        "LLMEditor",
        "TOOLS",
        "tool_schemas",
    }
    for name in tools.__all__:
        assert hasattr(tools, name)


@pytest.mark.parametrize("message", ["remove scene 9", "delete the ninth scene", "make scene 7 longer by 2s"])
def test_scene_that_does_not_exist(message: str) -> None:
    d, out = run(message)
    untouched(d, out)
    n = len(d.first_track("scenes").segments)  # type: ignore[union-attr]
    assert (
        "There is no scene" in out.reply and f"{n} scenes" in out.reply and "Nothing was changed" in out.reply
    )
    assert out.question
    assert out.results[-1]["ok"] is False and out.results[-1]["error"] == "no_scene"


def test_scene_that_does_not_exist_in_chinese() -> None:
    d, out = run("删除第九个场景")
    untouched(d, out)
    n = len(d.first_track("scenes").segments)  # type: ignore[union-attr]
    assert "没有第 9 个场景" in out.reply and f"{n} 个场景" in out.reply and "草稿没有改动" in out.reply


@pytest.mark.parametrize(
    "message", ["make it better", "improve it", "make it more professional", "优化一下", "让它更好看"]
)
def test_vague_requests_get_a_question(message: str) -> None:
    d, out = run(message)
    untouched(d, out)
    assert out.question and not out.calls
    assert ("?" in out.reply) or ("？" in out.reply) or ("呢" in out.reply)


@pytest.mark.parametrize("message", ["blorp", "asdfgh qwerty", "？？"])
def test_unknown_messages_get_a_question(message: str) -> None:
    d, out = run(message)
    untouched(d, out)
    assert out.question and not out.calls


def test_one_failing_part_rolls_back_the_whole_message() -> None:
    d, out = run("make it vertical and remove scene 9")
    untouched(d, out)
    assert [c.name for c in out.calls] == ["set_aspect", "remove_scene"]
    assert out.results[0]["rolled_back"] is True and out.results[1]["ok"] is False
    assert out.draft.canvas.width == 1920


def test_quieter_without_music_explains() -> None:
    base = make_draft()
    no_music = remove_track(base, base.first_track("bgm").id)  # type: ignore[union-attr]
    d, out = run("quieter", draft=no_music)
    untouched(d, out)
    assert "no background music" in out.reply


def test_upload_needed_for_my_photo() -> None:
    d, out = run("use my photo in scene 2")
    untouched(d, out)
    assert "upload" in out.reply.lower()
    d, out = run("第二个场景用我的照片")
    untouched(d, out)
    assert "上传" in out.reply


def test_too_short_for_the_narration() -> None:
    d, out = run("shorten the first scene by 10 seconds")
    untouched(d, out)
    assert "can't be shorter" in out.reply
    d, out = run("make it 2 seconds")
    untouched(d, out)
    assert "too short" in out.reply


def test_same_value_says_so() -> None:
    d, out = run("make it landscape")
    untouched(d, out)
    assert "already" in out.reply
    d, out = run("captions on")
    untouched(d, out)
    assert "already" in out.reply


def test_undo_and_redo_with_nothing_stored() -> None:
    d, out = run("undo", history=History())
    untouched(d, out)
    assert "nothing to undo" in out.reply.lower()
    d, out = run("重做", history=History())
    untouched(d, out)
    assert "没有可以重做" in out.reply


def test_a_crashing_tool_leaves_the_draft_untouched(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(draft: Draft, ctx: Any, **kw: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(
        tools.TOOLS, "set_aspect", tools.Tool("set_aspect", "", tools.TOOLS["set_aspect"].parameters, boom)
    )
    d, out = run("make it vertical")
    untouched(d, out)
    assert out.results[-1]["error"] == "internal"
    assert "Traceback" not in out.reply


def test_removing_what_is_not_there() -> None:
    _d, out = run("remove the title")
    assert out.changed
    d2, out2 = run("remove the title", draft=out.draft)
    untouched(d2, out2)
    assert "no title" in out2.reply
    d3, out3 = run("make the title red", draft=out.draft.replace(meta=out.draft.meta.set(title=None)))
    untouched(d3, out3)
    assert "no title" in out3.reply
    out4 = RuleEditor().edit(out.draft, 'add the title "Grand Opening"', lang="en", context=EditContext())
    t = out4.draft.first_track("title")
    assert out4.changed and t is not None and t.segments[0].meta["text"] == "Grand Opening"
    assert (t.segments[0].start, t.segments[0].duration) == (0, 3000)


def test_media_kind_mismatch_and_unknown_scene_for_media() -> None:
    d, out = run("use my photo in scene 12", media=[Upload("m1", "image", "a.jpg")])
    untouched(d, out)
    assert "no scene 12" in out.reply


def test_female_voice_when_only_one_is_installed() -> None:
    from promptreel.generators.fakes import FakeSpeech

    d = make_draft()
    out = RuleEditor().edit(d, "use a female voice", lang="en", context=EditContext(speech=FakeSpeech()))
    assert not out.changed and out.draft is d
    assert "No female voice is installed" in out.reply
    out = RuleEditor().edit(d, "换成女声", lang="zh", context=EditContext(speech=FakeSpeech()))
    assert not out.changed and "没有安装女声" in out.reply


@pytest.mark.parametrize(
    ("message", "word"), [("make it vertical and " * 40, "at most 12"), ("a" * 5000, "too long")]
)
def test_oversized_messages_are_refused_quickly(message: str, word: str) -> None:
    d, out = run(message)
    untouched(d, out)
    assert word in out.reply and not out.calls
