"""Questions about the whole video — how long it is, what music plays, what the title says, whose
voice speaks, whether captions are on, what shape it is — answered from the draft (read only,
free): "how long is the video?", "what music is playing?", "视频多长？", "用的什么音乐？"."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field

from promptreel.agent.clause import Call, _Clause, _refs, rule
from promptreel.agent.edits.base import Args, EditContext, Result, _lang, capability
from promptreel.agent.edits.voice import voices
from promptreel.draft.model import Draft
from promptreel.draft.query import span_label

__all__ = ["TOPICS", "line"]

Topic = Literal["length", "scenes", "music", "title", "voice", "captions", "shape"]
TOPICS: tuple[Topic, ...] = ("length", "scenes", "music", "title", "voice", "captions", "shape")


class AboutArgs(Args):
    topic: Topic = Field(
        description="length, scenes (the list of scenes), music, title, voice, captions or shape (aspect ratio)"
    )


def _seconds(ms: int) -> str:
    return f"{ms / 1000:g}s"


@capability(
    "describe_video",
    "Answer a question about the whole video: its length and scenes, music, title, voice, captions or "
    "shape (read only).",
    AboutArgs,
)
def describe_video(draft: Draft, ctx: EditContext, topic: str) -> Result:
    res: dict[str, Any] = {"what": "about", "topic": topic, "readonly": True}
    if topic in ("length", "scenes"):
        st = draft.first_track("scenes") or draft.first_track("media")
        res.update(total=_seconds(draft.duration), scenes=len(st.segments) if st else 0)
        if topic == "scenes" and st is not None:
            res["list"] = [
                {"headline": str(s.meta.get("headline") or s.name or s.meta.get("name") or ""),
                 "timing": span_label(s.start, s.end)}
                for s in st.segments
            ]  # fmt: skip
    elif topic == "music":
        t = draft.first_track("bgm")
        if t is not None and t.segments:
            seg = t.segments[0]
            res.update(
                style=str(seg.meta.get("style") or seg.meta.get("name") or "music"),
                volume=f"{round(float(t.meta.get('volume', 0.35) or 0) * 100)}%",
                muted=bool(t.meta.get("muted")),
                timing=span_label(seg.start, seg.end),
            )
    elif topic == "title":
        t = draft.first_track("title")
        if t is not None and t.segments:
            seg = t.segments[0]
            res.update(text=str(seg.meta.get("text") or ""), timing=span_label(seg.start, seg.end))
    elif topic == "voice":
        t = draft.first_track("narration")
        if t is not None and t.segments and not t.hidden:
            seg = t.segments[0]
            vid = str(seg.meta.get("voice") or draft.meta.get("voice") or "")
            lang = _lang(draft)
            known = voices(ctx, draft)
            if not vid:
                vid = next((v.id for v in known if v.lang in ("", lang)), "")
            gender = next((v.gender for v in known if v.id == vid), "")
            res.update(voice=vid or "default", gender=gender or "", speed=float(seg.meta.get("speed") or 1.0))
    elif topic == "captions":
        t = draft.first_track("captions")
        res.update(on=bool(t is not None and t.segments and not t.hidden), lines=len(t.segments) if t else 0)
    else:
        c = draft.canvas
        res.update(aspect=c.aspect, size=f"{c.width}×{c.height}")
    return draft, res


_STYLE_ZH = {"lofi": "Lo-fi", "upbeat": "轻快", "calm": "舒缓", "cinematic": "电影感", "happy": "欢快",
             "corporate": "商务", "warm": "温暖", "energetic": "动感"}  # fmt: skip
_SHAPE_ZH = {"9:16": "竖屏", "16:9": "横屏", "1:1": "方形"}
_SHAPE_EN = {"9:16": "vertical", "16:9": "landscape", "1:1": "square"}


def line(r: dict[str, Any], zh: bool) -> str:
    """The answer, then how to change it."""
    topic = r.get("topic")
    if topic == "scenes":
        items = r.get("list") or []
        if zh:
            listed = "；".join(f"{i}.“{x['headline']}”（{x['timing']}）" for i, x in enumerate(items, 1))
            return f"共 {r['scenes']} 个场景：{listed}。想看某一个，可以问“第2个场景是什么？”。"
        listed = "; ".join(f'{i}. "{x["headline"]}" ({x["timing"]})' for i, x in enumerate(items, 1))
        return f'{r["scenes"]} scenes: {listed}. Ask "what\'s in scene 2?" for one of them.'
    if topic == "length":
        if zh:
            return f"视频时长 {r['total']}，共 {r['scenes']} 个场景。想改可以说“改成15秒”。"
        return f'The video is {r["total"]} long, with {r["scenes"]} scenes. To change it, say "make it 15 seconds".'
    if topic == "music":
        if "style" not in r:
            return "现在没有背景音乐。可以说“加上lo-fi背景音乐”。" if zh else (
                'There is no background music. Say "add lo-fi music" to add some.')  # fmt: skip
        style = str(r["style"])
        if zh:
            state = "（已静音）" if r.get("muted") else ""
            return (f"背景音乐：{_STYLE_ZH.get(style, style)}风格，音量 {r['volume']}{state}，{r.get('timing')}。"
                    "想换可以说“换成舒缓的音乐”或“音乐小声一点”。")  # fmt: skip
        state = " (muted)" if r.get("muted") else ""
        return (f"The background music is {style.replace('lofi', 'lo-fi')} at {r['volume']} volume{state}, "
                f'playing {r.get("timing")}. Say "switch to calm music" or "quieter music" to change it.')  # fmt: skip
    if topic == "title":
        if "text" not in r:
            return "现在没有片名。可以说：把标题改成“清晨仪式”。" if zh else (
                'There is no title. Say change the title to "Morning Ritual" to add one.')  # fmt: skip
        if zh:
            return f"片名是“{r['text']}”，显示在 {r.get('timing')}。想改可以说：把标题改成“……”。"
        return (
            f'The title is "{r["text"]}", shown {r.get("timing")}. Say change the title to "…" to change it.'
        )
    if topic == "voice":
        if "voice" not in r:
            return (
                "这个视频没有旁白。可以说“打开旁白”。"
                if zh
                else 'This video has no narration. Say "turn on narration".'
            )
        g = {"female": ("女声", "a female voice"), "male": ("男声", "a male voice")}.get(str(r.get("gender")))
        speed = f"{r.get('speed', 1.0):g}×"
        if zh:
            who = f"{g[0]}（{r['voice']}）" if g else str(r["voice"])
            return f"旁白用的是{who}，语速 {speed}。想换可以说“换成女声”或“说慢一点”。"
        who = f"{g[1]} ({r['voice']})" if g else f"the voice {r['voice']}"
        return f'The narration uses {who} at {speed} speed. Say "use a female voice" or "speak slower" to change it.'
    if topic == "captions":
        if zh:
            return (f"字幕是开着的（{r.get('lines')} 句）。可以说“字幕大一点”或“关闭字幕”。" if r.get("on")
                    else "字幕现在是关着的。可以说“打开字幕”。")  # fmt: skip
        return (f'Captions are on ({r.get("lines")} lines). Say "bigger captions" or "turn off captions" to change them.'
                if r.get("on") else 'Captions are off. Say "turn on captions" to show them.')  # fmt: skip
    aspect = str(r.get("aspect"))
    if zh:
        return f"画面是{_SHAPE_ZH.get(aspect, aspect)}（{aspect}，{r.get('size')}）。想改可以说“改成竖屏”或“改成方形”。"
    return (f"The video is {_SHAPE_EN.get(aspect, aspect)} ({aspect}, {r.get('size')}). "
            'Say "make it vertical" or "make it square" to change it.')  # fmt: skip


# ---------------------------------------------------------------- phrasings (EN/ZH)

_ASK_EN = re.compile(
    r"^(?:(?:so|and|hey|ok|okay|um|also|quick question|btw),?\s+)*(?:whats|what(?:'s| is| are| kind of| type of| sort of)?"
    r"|which|whose|who(?:'s| is)?|how (?:long|many|big)|is|are|does|do|has|have|can you tell me|tell me|list"
    r"|show me)\b"
)
_LIST_ZH = re.compile(r"^(?:请|帮我)?列出")
_ASK_ZH = re.compile(
    r"[吗嘛呢？?]$|什么|啥|多长|多久|几个|几秒|多少|哪个|哪种|哪些|哪几|是谁|谁的|谁在|有没有|是不是|怎么样"
)
_CHANGE_ZH = re.compile(r"改|换|删|去掉|加上?|调|变|设|放大|缩小|打开|关闭|关掉|开启")
_TOPIC_EN: tuple[tuple[Topic, re.Pattern[str]], ...] = (  # "how long is the title shown": the title's
    ("title", re.compile(r"\btitle\b")),
    (
        "scenes",
        re.compile(
            r"^(?!.*\bhow many\b)(?:(?:what|which|list|show me)\b.*\bscenes\b|.*\bscenes (?:are there|do (?:we|i) have)\b)"
        ),
    ),
    ("music", re.compile(r"\b(?:music|song|soundtrack|bgm|track playing|tune)\b")),
    ("voice", re.compile(r"\b(?:voice|narrator|narration|speaking|talking|voiceover)\b")),
    ("captions", re.compile(r"\b(?:captions?|subtitles?)\b")),
    (
        "length",
        re.compile(
            r"\bhow long\b|\b(?:length|duration|runtime|running time)\b|\bhow many (?:scenes|seconds)\b"
        ),
    ),
    (
        "shape",
        re.compile(
            r"\b(?:aspect(?: ratio)?|resolution|size|vertical|horizontal|landscape|portrait|square|dimensions)\b"
        ),
    ),
)
_TOPIC_ZH: tuple[tuple[Topic, re.Pattern[str]], ...] = (
    ("title", re.compile(r"标题|片名|题目")),
    (
        "scenes",
        re.compile(r"哪些场景|哪几个场景|什么场景|场景(?:都)?(?:有哪些|是什么|列表)|列出(?:所有|全部)?场景"),
    ),
    ("music", re.compile(r"音乐|配乐|背景乐|歌")),
    ("voice", re.compile(r"声音|配音|旁白|谁在说|谁的声|男声|女声")),
    ("captions", re.compile(r"字幕")),
    ("length", re.compile(r"多长|多久|时长|几秒|几个场景|多少个场景|多少秒|长度")),
    ("shape", re.compile(r"比例|尺寸|分辨率|竖屏|横屏|方形")),
)


@rule(1)
def _rule_about(c: _Clause) -> list[Call] | None:
    """A question about the whole video: "how long is the video?", "what music is playing?",
    "what's the title?", "is it vertical?", "视频多长？", "用的什么音乐？", "字幕开着吗"."""
    t = c.t.strip(" .!。！")
    if c.quotes or _refs(c):
        return None  # a scene's question is describe_scene's
    if c.zh:
        if not (_ASK_ZH.search(t) or _LIST_ZH.search(t)) or _CHANGE_ZH.search(
            re.sub(r"改成什么|换成什么", "", t)
        ):
            return None
        topics = _TOPIC_ZH
    else:
        if not _ASK_EN.search(t) or re.search(
            r"\b(?:to|into|instead|if|were|would|could|should|change|make|add|remove|use|switch|turn)\b", t
        ):
            return None
        topics = _TOPIC_EN
    for topic, pattern in topics:
        if pattern.search(t):
            return [("describe_video", {"topic": topic})]
    return None
