"""Replies that say what changed, third round: the server's own undo and redo name what came
back (in the conversation's language), times read as people say them ("0.3–14.4 s", "whole
video", "20 s → 12 s"), colours by name, several undone steps in one line, and Chinese replies
with no English words in them."""

from __future__ import annotations

import re

from conftest import LiveServer
from promptreel.agent.spans import for_people, said_colour
from promptreel.draft.query import length_text, parse_span, span_label, span_text
from serverkit import Api
from test_editor_round3 import _session

#: a time with milliseconds in it ("14.397s", "0.3-14.397s") — what people should never read
_MS = re.compile(r"\d+\.\d{2,}\s?(s|秒)")
#: a Latin word in a Chinese reply's first line (numbers, ratios and units aside)
_LATIN = re.compile(r"[A-Za-z]{2,}")


def _first(reply: str) -> str:
    return reply.split("\n")[0]


# ---------------------------------------------------------------- the server's undo and redo


def _api(server_factory: object) -> Api:
    # the real studio on fake engines: the editor's own edits, stored as versions by the server
    srv: LiveServer = server_factory(studio="", fake_engines="1", cost_generate=0, cost_edit=0)  # type: ignore[operator]
    api = Api(srv.url)
    api.anonymous()
    return api


def test_server_undo_and_redo_say_what_came_back(server_factory: object) -> None:
    api = _api(server_factory)
    sid = api.session()["session_id"]
    assert api.run(sid, "generate a 4-second video about tea").complete
    assert api.run(sid, "make it vertical").complete
    undo = " ".join(api.run(sid, "undo").texts())
    assert "Undid the last change: aspect ratio 9:16 → 16:9" in undo, undo
    assert "Undone" not in undo and "Timeline (" not in undo
    redo = " ".join(api.run(sid, "redo").texts())
    assert "Redid the change: aspect ratio 16:9 → 9:16" in redo, redo
    # another change of the same kind: text added, then taken back and brought back
    assert api.run(sid, "add the text 'Open daily' at the top").complete
    undo = " ".join(api.run(sid, "undo").texts())
    assert "Undid the last change: text overlays 1 → 0" in undo, undo
    redo = " ".join(api.run(sid, "redo").texts())
    assert "Redid the change: text overlays 0 → 1" in redo, redo
    nothing = " ".join(api.run(sid, "redo").texts())
    assert "nothing to redo" in nothing


def test_server_undo_speaks_chinese_in_a_chinese_conversation(server_factory: object) -> None:
    api = _api(server_factory)
    sid = api.session("zh")["session_id"]
    assert api.run(sid, "做一个4秒的茶叶视频").complete
    assert api.run(sid, "改成竖屏").complete
    undo = " ".join(api.run(sid, "撤销").texts())
    assert "已撤销上一步：画面比例 9:16 → 16:9" in undo, undo
    assert not _LATIN.search(_first(undo)), undo
    redo = " ".join(api.run(sid, "redo").texts())  # the conversation is Chinese: so is the reply
    assert "已重做：画面比例 16:9 → 9:16" in redo, redo


# ---------------------------------------------------------------- times for people


def test_spans_are_said_for_people_and_kept_exact_for_tools() -> None:
    assert span_label(300, 14397) == "0.3-14.397s" and parse_span("0.3-14.397s") == (300, 14397)
    assert span_text(300, 14397) == "0.3–14.4 s" and span_text(300, 14397, zh=True) == "0.3–14.4 秒"
    assert span_text(0, 20000, total=20000) == "whole video" and span_text(0, 20000, 20000, True) == "全片"
    assert span_text(0, 3500, total=20000) == "0–3.5 s" and length_text(12033) == "12 s"
    assert for_people({"what": "captions", "timing": "0.3-14.397s"}, False)["timing"] == "0.3–14.4 s"
    assert said_colour("#fdd835", False) == "yellow" and said_colour("#FDD835", True) == "黄色"
    assert said_colour("#123456", False) == "#123456"


def test_edit_replies_show_tenths_whole_video_and_colour_names() -> None:
    caption, music = _session("en", "change the caption colour to yellow", "make the music calmer")
    assert re.search(r"Caption colour \(\d+(\.\d)?–\d+(\.\d)? s\): white → yellow\.", caption.reply), (
        caption.reply
    )
    assert "(whole video)" in music.reply and not _MS.search(music.reply), music.reply
    # the same in Chinese, and another colour of the same kind
    caption, music = _session("zh", "字幕改成红色", "音乐换成舒缓的")
    assert re.search(r"字幕颜色（\d+(\.\d)?–\d+(\.\d)? 秒）：白色 → 红色。", caption.reply), caption.reply
    assert "（全片）" in music.reply, music.reply


def test_lengths_read_as_seconds_not_spans() -> None:
    for lang, msgs in (("en", ("remove scene 2", "undo", "slow down the narration")),
                       ("zh", ("删除第2个场景", "撤销", "语速慢一点"))):  # fmt: skip
        for out in _session(lang, *msgs):
            assert not _MS.search(out.reply) and not re.search(r"\b0-\d", out.reply), out.reply
    removed = _session("en", "remove scene 2")[0].reply
    assert re.search(r"length \d+ s → \d+(\.\d)? s", removed), removed


# ---------------------------------------------------------------- undo in the editor


def test_undo_names_the_values_that_came_back() -> None:
    _, undo, redo = _session("en", "make the title bigger and show it for 5 seconds", "undo", "redo")
    assert re.search(r"Undid the last change: title size \d+ → \d+; title shown 0–5 s → 0–\d", undo.reply), (
        undo.reply
    )
    assert "title shown 0–" in redo.reply and "→ 0–5 s" in redo.reply, redo.reply
    _, _, undo = _session("en", "make the captions bigger", "move the captions to the top", "undo")
    assert "Undid the last change: caption position" in undo.reply and "→ bottom" in undo.reply, undo.reply


def test_several_steps_undone_read_as_one_line() -> None:
    out = _session("en", "make the music calmer", "make it vertical", "undo the last two changes")[-1]
    first = _first(out.reply)
    assert first.startswith("Undid the last 2 changes:") and first.count("Undid") == 1, first
    assert "aspect ratio 9:16 → 16:9" in first and "music calm → " in first, first


def test_chinese_undo_has_no_english_words() -> None:
    for msgs in (("关掉字幕", "撤销"), ("背景音乐静音", "撤销"), ("字幕移到顶部", "撤销")):
        out = _session("zh", *msgs)[-1]
        first = _first(out.reply)
        assert first.startswith("已撤销上一步：") and not _LATIN.search(first), out.reply


# ---------------------------------------------------------------- more replies read and fixed


def test_music_volume_says_whose_volume() -> None:
    for message in ("make the music quieter", "make the music louder"):
        out = _session("en", message)[0]
        assert _first(out.reply).startswith("Background music volume: 35% → "), out.reply
    out = _session("zh", "音乐小声一点")[0]
    assert _first(out.reply).startswith("背景音乐音量：35% → "), out.reply


def test_undo_of_mute_and_narration_off_names_them() -> None:
    undo = _session("en", "mute the music", "undo")[-1].reply
    assert "Undid the last change: music volume muted → 35%" in undo, undo
    undo = _session("en", "turn off the narration", "undo")[-1].reply
    assert "Undid the last change: narration off → on" in undo, undo
    undo = _session("zh", "关掉旁白", "撤销")[-1].reply
    assert _first(undo) == "已撤销上一步：旁白 关 → 开。", undo
    undo = _session("zh", "音乐静音", "撤销")[-1].reply
    assert _first(undo) == "已撤销上一步：音乐音量 静音 → 35%。", undo


def test_transitions_are_named_in_the_reply_language() -> None:
    done, undo = _session("zh", "转场改成淡入淡出", "撤销")
    assert not _LATIN.search(_first(done.reply)) and not _LATIN.search(_first(undo.reply)), (
        done.reply,
        undo.reply,
    )
    assert _first(undo.reply).startswith("已撤销上一步：转场 淡入淡出 → "), undo.reply
    undo = _session("en", "use slide transitions", "undo")[-1].reply
    assert "Undid the last change: transitions slide → " in undo, undo


def test_refusals_say_seconds_to_a_tenth() -> None:
    from promptreel.agent.reply import explain

    assert "shorter than 3.7 s" in explain("too_short", {"scene": 2, "min_s": 3.633}, "en")
    assert "大约 12.4 秒" in explain("too_short_total", {"min_s": 12.345}, "zh")
    assert "already 20 s long" in explain("same_total", {"total_s": 20.0}, "en")


def test_undo_says_which_scenes_moved_or_changed() -> None:
    for move in ("move scene 3 to the start", "swap scene 1 and 2"):
        undo = _first(_session("en", move, "undo")[-1].reply)
        assert undo.startswith("Undid the last change: scene order"), undo
    undo = _first(_session("en", "make the headline of scene 2 bigger", "undo")[-1].reply)
    assert undo == "Undid the last change: scene 2 headline size 125% → 100%.", undo
    undo = _first(_session("zh", "第二个场景的标题大一点", "撤销")[-1].reply)
    assert undo == "已撤销上一步：第 2 个场景标题字号 125% → 100%。", undo
    for title in ("清晨仪式", "午后时光"):
        done, undo = _session("zh", f"把标题改成“{title}”", "撤销")
        assert ", " not in _first(done.reply) and "个场景的文字" in undo.reply, (done.reply, undo.reply)


def test_timeline_answer_reads_for_people_and_the_protocol_summary_stays_exact() -> None:
    from promptreel.draft import summary
    from test_editor_round3 import _draft

    for message in ("what is on the timeline", "show tracks"):
        first = _first(_session("en", message)[0].reply)
        assert first.startswith("Timeline (") and re.search(r"\(0–\d+(\.\d)? s\)", first), first
        assert not re.search(r"\d-\d+(\.\d+)?s\b", first), first
    assert re.search(r"Video: \d+ scenes \(0-\d+(\.\d+)?s\)", summary(_draft("en")))  # PROTOCOL.md's form
