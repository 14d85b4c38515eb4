"""A chat message's clause as the rule grammar reads it, the shared vocabulary of edit requests,
and the registry of phrasing rules each capability module fills (see :mod:`promptreel.agent.grammar`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from promptreel.agent.phrases import (
    SCENE_WORDS_EN,
    SCENE_WORDS_ZH,
    has_any,
    scene_refs,
)
from promptreel.language import has_cjk

Call = tuple[str, dict[str, Any]]
Rule = Callable[["_Clause"], "list[Call] | None"]

#: (order, rule): the grammar tries rules in this order and takes the first that understands a clause
RULES: list[tuple[int, Rule]] = []


def rule(order: int) -> Callable[[Rule], Rule]:
    """Register a phrasing rule; lower ``order`` is tried first."""

    def register(fn: Rule) -> Rule:
        RULES.append((order, fn))
        RULES.sort(key=lambda r: r[0])
        return fn

    return register


class _Say(Exception):
    """A rule recognised a non-edit intent (or a question to ask)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


@dataclass(frozen=True)
class _Clause:
    t: str  # normalized text, quotes replaced by ⟦n⟧ markers
    raw: str  # original text of the clause (quotes restored)
    quotes: tuple[str, ...]

    @property
    def zh(self) -> bool:
        return has_cjk(self.t)


_REMOVE = ("remove", "delete", "drop", "get rid of", "take out", "cut out", "lose", "kill", "erase", "ditch",
           "删除", "删掉", "去掉", "去除", "移除", "拿掉", "砍掉", "不要", "删了", "去了")  # fmt: skip


_OFF = ("turn off", "switch off", "turn it off", "disable", "hide", "no", "without", "mute", "off", "stop",
        "关闭", "关掉", "关了", "隐藏", "不要", "去掉", "取消", "静音", "删除", "删掉", "去除")  # fmt: skip


_ON = ("turn on", "switch on", "turn it on", "enable", "show", "back on", "restore", "bring back", "unmute",
       "add", "put back", "打开", "开启", "显示", "加上", "恢复", "添加", "加回", "开")  # fmt: skip


_QUIETER = ("quieter", "softer", "lower", "turn down", "turn it down", "less loud", "too loud", "reduce",
            "decrease", "lower the volume", "down a bit", "not so loud", "calmer volume",
            "小声", "小一点", "小点", "轻一点", "轻点", "低一点", "降低", "调低", "调小", "减小", "太吵", "太大声",
            "太响", "声音小", "音量小", "轻一些", "小一些", "太大了")  # fmt: skip


_LOUDER = ("louder", "turn up", "turn it up", "increase", "raise", "boost", "more volume", "too quiet",
           "can't hear", "cannot hear", "up a bit", "pump up", "大声", "大一点", "大点", "响一点", "响点", "调高",
           "调大", "提高", "增大", "太小声", "听不到", "听不清", "声音大", "音量大", "大一些", "响一些", "太小了", "太轻")  # fmt: skip


_BIGGER = (
    "bigger",
    "larger",
    "big",
    "huge",
    "increase",
    "enlarge",
    "大一点",
    "大一些",
    "放大",
    "更大",
    "大点",
    "加大",
)


_SMALLER = ("smaller", "tiny", "small", "shrink", "decrease", "reduce", "小一点", "小一些", "缩小", "更小", "小点", "减小")  # fmt: skip


_CHANGE = (
    "change",
    "replace",
    "switch",
    "swap",
    "different",
    "another",
    "new",
    "other",
    "换",
    "替换",
    "更换",
    "改",
)


_MUSIC = ("music", "bgm", "soundtrack", "background track", "background song", "song", "tune", "melody",
          "背景音乐", "音乐", "配乐", "背景乐", "曲子", "歌曲", "歌", "旋律")  # fmt: skip


_VOICE = ("voice", "voices", "voiceover", "voice-over", "voice over", "narration", "narrator", "narrate",
          "speaker", "speak", "speaks", "speaking", "talk", "talking", "talks", "read", "reading", "speech",
          "spoken", "vo", "旁白", "配音", "解说", "人声", "朗读", "语速", "说话", "说", "讲", "念", "读", "嗓音",
          "声音")  # fmt: skip


_TITLE = ("title", "titles", "heading", "title card", "标题", "片名", "题目", "大标题", "主标题")


_CAPTIONS = ("caption", "captions", "subtitle", "subtitles", "subs", "cc", "closed captions", "字幕")


_TRANSITION = ("transition", "transitions", "转场", "过渡", "切换效果", "切换方式", "转场效果")


_SCENE_EN = re.compile(SCENE_WORDS_EN)


_SCENE_ZH = re.compile(SCENE_WORDS_ZH)


_FONTS = {"inter": "Inter", "lato": "Lato", "roboto": "Roboto", "open sans": "Open Sans", "dejavu": "DejaVu Sans",
          "serif": "Noto Serif", "noto": "Noto Sans", "sans": "Inter", "宋体": "Noto Serif CJK SC",
          "黑体": "Noto Sans CJK SC", "衬线": "Noto Serif"}  # fmt: skip


#: the words edits are named by, for reading past a slip of the keyboard ("musci", "captoins",
#: "swich"): nouns and comparatives a chat edit hangs on, none of them one slip from a common
#: word a request says for itself ("white" / "while", "speak" / "steak" are left out on purpose)
VOCABULARY = frozenset({
    "music", "background", "soundtrack", "melody", "caption", "captions", "subtitle", "subtitles",
    "narration", "narrator", "voiceover", "voice", "title", "heading", "transition", "transitions",
    "crossfade", "vertical", "horizontal", "landscape", "portrait", "square", "scene", "scenes", "volume",
    "louder", "quieter", "slower", "faster", "bigger", "smaller", "longer", "picture", "video", "remove",
    "delete", "export", "download", "switch",
})  # fmt: skip


def _scene_word(c: _Clause) -> bool:
    return bool(_SCENE_EN.search(c.t) or _SCENE_ZH.search(c.t))


def _refs(c: _Clause) -> list[int]:
    return [r.index for r in scene_refs(c.t)]


def _position(t: str) -> str | None:
    if has_any(t, ("top", "upper", "顶部", "上方", "上面", "顶端", "最上")):
        return "top"
    if has_any(t, ("center", "centre", "middle", "中间", "居中", "中央", "正中")):
        return "center"
    if has_any(t, ("bottom", "lower", "底部", "下方", "下面", "底端", "最下")):
        return "bottom"
    return None


def _unquote(c: _Clause, text: str) -> str:
    return re.sub(r"⟦(\d+)⟧", lambda m: c.quotes[int(m.group(1))], text)


def _tail_text(c: _Clause, pattern: str) -> str | None:
    """The words after ``pattern`` in the clause (quotes restored), trimmed of filler."""
    m = re.search(pattern, c.t)
    if not m:
        return None
    rest = c.t[m.end() :].strip()
    rest = re.sub(r"^(?:(?:to|as|into|be|is|say|says|read|reads)\b|:|=|成|为|做|是|：)\s*", "", rest)
    rest = re.sub(r"\s*(?:please|thanks|thank you|吧|呗|哦|了)\s*[.!。！]?$", "", rest).strip(" .!。！,，\"'")
    if not rest:
        return None
    if re.fullmatch(r"⟦\d+⟧", rest):
        return _unquote(c, rest)
    # keep the user's casing from the raw clause where possible
    plain = _unquote(c, rest)
    idx = c.raw.lower().find(plain.lower())
    return c.raw[idx : idx + len(plain)] if idx >= 0 else plain


def _first_quote(c: _Clause) -> str | None:
    return c.quotes[0] if c.quotes else None


def _strip_quotes(t: str) -> str:
    return re.sub(r"⟦\d+⟧", " ", t)
