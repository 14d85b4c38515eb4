"""Chat message → tool calls, by rules (English and Chinese). No network, deterministic.

A message is split into clauses ("use a female voice and speak a bit slower" → two), each
clause is matched by the first rule that understands it, and the result is a :class:`Parse`:
tool calls (``name``, ``args``) plus anything that is not an edit (export, credits, a vague
wish, words no rule understood). Quoted text is protected from splitting and lower-casing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from promptreel.agent.phrases import (
    SCENE_WORDS_EN,
    SCENE_WORDS_ZH,
    color,
    durations,
    has_any,
    is_chinese,
    mark_quotes,
    music_style,
    normalize,
    percentages,
    scene_refs,
    transition,
    voice_gender,
)

__all__ = ["Parse", "parse", "Call", "MAX_MESSAGE", "MAX_CALLS"]

Call = tuple[str, dict[str, Any]]

MAX_MESSAGE = 2000  # characters; longer messages are not chat edits
MAX_CALLS = 12  # edits in one message


@dataclass(frozen=True)
class Parse:
    """What a message asks for. ``say``: non-edit intents (``export``, ``credits``, ``vague``,
    ``unclear``, ``music_style``…) the reply answers; ``unparsed``: clauses no rule understood."""

    calls: tuple[Call, ...] = ()
    say: tuple[str, ...] = ()
    unparsed: tuple[str, ...] = ()
    lang: str = "en"
    extra: dict[str, Any] = field(default_factory=dict)


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
        return is_chinese(self.t)


# ---------------------------------------------------------------- vocabulary

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
    rest = re.sub(r"^(?:to|as|into|:|=|be|is|say|says|read|reads|成|为|做|是|：)\s*", "", rest)
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


# ---------------------------------------------------------------- rules (each returns calls or None)


def _rule_undo(c: _Clause) -> list[Call] | None:
    t = c.t.strip(" .!。！?？")
    if re.fullmatch(r"(please )?(undo|undo (that|it|this|the last (change|edit|step))|revert( that| it| the last change)?"
                    r"|go back|take (that|it) back|roll ?back|never ?mind,? undo( that)?|cancel (that|the last change)"
                    r"|back to (the )?previous (version|one)|ctrl[- ]?z)( please)?", t) or t in (
        "撤销", "撤回", "回退", "撤销上一步", "撤销刚才的修改", "撤销修改", "返回上一步", "取消上一步", "退回上一步",
        "撤销一下", "撤回一下", "回到上一个版本", "还原", "撤销操作"):  # fmt: skip
        return [("undo", {})]
    if re.fullmatch(r"(please )?(redo|redo (that|it|the last (change|edit|step))|do it again|reapply( that)?"
                    r"|bring (it|that) back|ctrl[- ]?y)( please)?", t) or t in (
        "重做", "恢复", "重做上一步", "恢复刚才的修改", "恢复撤销", "恢复上一步", "重新应用", "撤销撤销", "重做一下"):  # fmt: skip
        return [("redo", {})]
    return None


def _rule_summary(c: _Clause) -> list[Call] | None:
    t = c.t.strip(" .!。！?？")
    if re.search(r"what('s| is| are)? (on|in) (the|my) (timeline|tracks?|video|draft)|show (me )?(the |my )?"
                 r"(tracks|timeline|draft)|list (the |all )?tracks|(timeline|track) (summary|overview)|what tracks"
                 r"|describe (the |my )?(timeline|draft|video)|what do (we|i) have|^status$|^tracks$|^timeline$"
                 r"|current (state|timeline)", t) or has_any(t, (
            "时间线上有什么", "时间线", "显示轨道", "查看轨道", "有哪些轨道", "轨道列表", "当前状态", "状态", "看看轨道",
            "现在有什么", "草稿内容")):  # fmt: skip
        return [("show_timeline", {})]
    return None


def _rule_help(c: _Clause) -> list[Call] | None:
    t = c.t.strip(" .!。！?？")
    if re.fullmatch(r"(help|help me|what can (you|i) do|what can you change|how does this work|commands|options)"
                    r"( here)?", t) or t in ("帮助", "你能做什么", "能做什么", "怎么用", "可以做什么", "有什么功能"):  # fmt: skip
        raise _Say("help")
    return None


def _rule_export(c: _Clause) -> list[Call] | None:
    if re.search(
        r"\b(export|download|render (it|the video|out)|save (it )?as (an )?mp4|give me the (file|mp4))\b", c.t
    ) or has_any(c.t, ("导出", "下载", "渲染", "输出视频", "生成mp4", "导成")):
        raise _Say("export")
    if has_any(c.t, ("credits", "credit", "balance", "积分", "余额", "点数", "额度")):
        raise _Say("credits")
    return None


def _rule_aspect(c: _Clause) -> list[Call] | None:
    t = c.t
    if re.search(r"(?<!\d)9\s*[:x/]\s*16(?!\d)|9比16|九比十六", t) or has_any(t, (
            "vertical", "portrait", "tiktok", "tik tok", "reels", "reel", "shorts", "youtube shorts", "instagram story",
            "stories", "story format", "phone screen", "upright", "竖屏", "竖版", "竖向", "竖的", "竖着", "竖过来",
            "抖音", "快手", "视频号", "手机屏", "竖幅")):  # fmt: skip
        return [("set_aspect", {"aspect": "9:16"})]
    if re.search(r"(?<!\d)1\s*[:x/]\s*1(?!\d)|1比1|一比一", t) or has_any(
        t, ("square", "instagram post", "instagram feed", "feed post", "方形", "正方形", "方的", "方块")
    ):
        return [("set_aspect", {"aspect": "1:1"})]
    if re.search(r"(?<!\d)16\s*[:x/]\s*9(?!\d)|16比9|十六比九", t) or has_any(t, (
            "landscape", "horizontal", "widescreen", "wide screen", "youtube", "desktop", "tv format", "横屏", "横版",
            "横向", "宽屏", "横的", "横过来", "横幅")):  # fmt: skip
        return [("set_aspect", {"aspect": "16:9"})]
    return None


def _rule_transition(c: _Clause) -> list[Call] | None:
    t = c.t
    keyword = has_any(t, _TRANSITION)
    kind = transition(t)
    between = re.search(r"(crossfade|cross-fade|dissolve|wipe|slide|zoom|fade)s?\s+(between|into|to|from)", t)
    cuts_only = re.search(r"\b(hard|straight|jump) cuts?\b|\bcuts? only\b|\bjust cut\b", t)
    plural = re.search(r"\b(crossfades|dissolves|wipes|fades|zooms)\b", t)
    if not (keyword or between or cuts_only or plural):
        return None
    if kind not in (None, "cut") and re.search(
        r"\b(?:no|no more|without|stop|remove|drop|don't use|get rid of)\b[^,]*\b(?:crossfade|dissolve|wipe|fade|"
        r"slide|zoom)s?\b|(?:不要|去掉|取消|删除)\S*(?:擦除|淡入淡出|溶解|滑动|缩放)",
        t,
    ):
        kind = "cut"
    if kind is None:
        if has_any(t, _OFF) or has_any(t, ("none", "no", "remove", "删除", "去掉", "不要", "取消")):
            kind = "cut"
        else:
            raise _Say("transition_what")
    args: dict[str, Any] = {"transition": kind}
    refs = _refs(c)
    if refs:
        if re.search(r"between|和|与|跟|之间", t) and len(refs) >= 2:
            args["scene"] = max(refs) if all(r > 0 for r in refs) else refs[-1]
        elif re.search(r"\bafter\b|之后|后面|后的", t):
            r = refs[0]
            if r < 0:
                raise _Say("transition_after_last")
            args["scene"] = r + 1
        else:
            args["scene"] = refs[0]
    d = durations(t)
    if d and d[0][1] <= 5000:
        args["duration_ms"] = d[0][1]
    return [("set_transition", args)]


def _rule_overlay(c: _Clause) -> list[Call] | None:
    t = c.t
    if has_any(t, _TITLE) or has_any(t, _CAPTIONS):
        return None
    text_word = has_any(t, ("text", "texts", "overlay", "overlays", "words", "caption card", "label", "banner", "文字",
                            "字样", "文本", "标语", "口号"))  # fmt: skip
    if (has_any(t, _REMOVE) and text_word and not c.quotes) or (
        has_any(t, _REMOVE) and c.quotes and text_word
    ):
        return [("remove_overlays", {"text": c.quotes[0]} if c.quotes else {})]
    if not c.quotes:
        m = re.search(
            r"(?:add|put|show|display|overlay|write)\s+(?:the\s+)?(?:text|words)\s*:?\s*(.+?)"
            r"(?:\s+(?:at|on|in|for|from|over|during)\b.*)?$",
            t,
        )
        if not m:
            m2 = re.search(
                r"(?:加上|添加|加|显示|写上|放上)(?:一(?:行|句|段))?(?:文字|字样|文本)[:：]?\s*(\S+?)"
                r"(?:在|于|持续|，|$)",
                t,
            )
            if not m2:
                return None
            text = m2.group(1)
        else:
            text = _unquote(c, m.group(1)).strip(" .!")
            idx = c.raw.lower().find(text)
            text = c.raw[idx : idx + len(text)] if idx >= 0 else text
    else:
        if not has_any(t, ("add", "put", "show", "display", "overlay", "write", "insert", "place", "加上", "添加",
                           "加", "显示", "写上", "放上", "插入", "打上")):  # fmt: skip
            return None
        if has_any(t, _VOICE) and not text_word:
            return None
        text = c.quotes[0]
    if re.search(rf"\b(add|insert)\s+(an?|one|new|another)\s+(new\s+)?{SCENE_WORDS_EN}", t):
        return None
    args: dict[str, Any] = {"text": text}
    dd = durations(_strip_quotes(t))
    starts = re.search(
        r"(?:at|from)\s+(\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b|从\s*(\d+(?:\.\d+)?)\s*秒|在\s*(\d+(?:\.\d+)?)\s*秒",
        t,
    )
    if starts:
        val = next(g for g in starts.groups() if g)
        args["start_ms"] = round(float(val) * 1000)
        dd = [x for x in dd if not starts.start() <= x[0] < starts.end()]
    d = [ms for _, ms in dd]
    if d:
        args["duration_ms"] = d[0]
    refs = _refs(c)
    if refs and "start_ms" not in args:
        args["scene"] = refs[0]
    elif has_any(t, ("whole video", "entire video", "whole thing", "throughout", "all the time", "the whole time",
                     "全程", "整个视频", "一直显示", "始终")):  # fmt: skip
        args["at"] = "whole"
        args.pop("duration_ms", None)
    elif has_any(t, ("start", "beginning", "opening", "intro", "开头", "开始", "片头", "最前")):
        args["at"] = "start"
    elif "start_ms" not in args:
        args["at"] = "end"
    pos = _position(t)
    if has_any(t, ("lower third", "lower-third", "下三分之一")):
        pos = "lower-third"
    if pos:
        args["position"] = pos
    return [("add_overlay", args)]


def _strip_quotes(t: str) -> str:
    return re.sub(r"⟦\d+⟧", " ", t)


def _rule_title(c: _Clause) -> list[Call] | None:
    t = c.t
    renamed = re.search(r"\b(?:rename|call|name)\s+(?:it|the video|this|the clip|the film)\b", t)
    if not renamed and (
        not has_any(t, _TITLE) or (has_any(t, _CAPTIONS) and not re.search(r"(?<![a-z])title", t))
    ):
        return None
    if has_any(t, ("副标题",)):
        return None
    bare = _strip_quotes(t)
    if (has_any(bare, _REMOVE) or has_any(bare, ("no title", "hide", "without", "隐藏"))) and not c.quotes:
        return [("remove_title", {})]
    args: dict[str, Any] = {}
    text = _first_quote(c)
    if text is None:
        text = (
            _tail_text(
                c,
                r"(?<![a-z])(?:title|heading)\s*(?:text\s+)?(?:to|as|into|:|=|should be|should say|reads?|says?)\s*",
            )
            or _tail_text(
                c, r"(?:rename|call|name)\s+(?:it|the video|this|the clip|the film)\s*(?:to|as)?\s*"
            )
            or _tail_text(
                c, r"(?:标题|片名|题目)(?:文字)?(?:改成|改为|换成|换为|设为|设置为|定为|叫做|叫|是|写成|：|:)"
            )
        )
        if text is not None and (
            (color(text.lower()) and len(text) <= 8 and color(text.lower())[0] == text.lower())  # type: ignore[index]
            or has_any(text.lower(), _BIGGER + _SMALLER)
        ):
            text = None  # "change the title to red" / "把标题改成红色" is a colour, not a text
        if text is not None and re.fullmatch(
            r"(?:the\s+)?(?:end|start|beginning|top|bottom|center|centre|middle|left|right)(?:\s+of .*)?|"
            r"(?:结尾|开头|顶部|底部|中间|居中|最后|片头|片尾)",
            text.lower().strip(),
        ):
            text = None  # "move the title to the end" is a place, not a text
    if text:
        args["text"] = text
    bare_nt = bare if text is None else bare.replace(text.lower(), " ")
    if text and re.search(r"\b(?:add|put|insert|include|give it)\b|添加|加上|加个|加一个|增加", bare_nt):
        args["adding"] = True
    col = color(bare_nt)
    if col and "text" not in args:
        args["color"] = col[1]
    if has_any(bare_nt, _BIGGER):
        args["size_scale"] = 1.25
    elif has_any(bare_nt, _SMALLER):
        args["size_scale"] = 0.8
    for k, v in _FONTS.items():
        if has_any(bare_nt, (k,)) and ("font" in bare_nt or "字体" in bare_nt or k in ("serif", "衬线")):
            args["font"] = v
            break
    pos = _position(bare_nt)
    if pos and "text" not in args:
        args["position"] = pos
    d = durations(bare_nt)
    if d and "text" not in args:
        args["duration_ms"] = d[-1][1]
        m = re.search(r"(?:at|from|starting at)\s+(\d+(?:\.\d+)?)\s*s|从\s*(\d+(?:\.\d+)?)\s*秒", bare_nt)
        if m:
            args["start_ms"] = round(float(m.group(1) or m.group(2)) * 1000)
            if len(d) == 1:
                args.pop("duration_ms")
    if "text" not in args and re.search(
        r"\b(?:at|to|in) the (?:end|close)\b|(?:放到|移到|在)(?:结尾|最后|片尾)", bare_nt
    ):
        args["at"] = "end"
    elif "text" not in args and re.search(
        r"\b(?:at|to|in) the (?:start|beginning)\b|(?:放到|移到|在)(?:开头|片头)", bare_nt
    ):
        args["at"] = "start"
    if has_any(bare_nt, ("longer", "久一点", "长一点", "更久")) and "duration_ms" not in args:
        raise _Say("title_how_long")
    if not args:
        raise _Say("title_what")
    return [("set_title", args)]


def _rule_captions(c: _Clause) -> list[Call] | None:
    t = c.t
    if not has_any(t, _CAPTIONS):
        return None
    args: dict[str, Any] = {}
    col = color(t)
    if col:
        args["color"] = col[1]
    if has_any(t, _BIGGER):
        args["size_scale"] = 1.25
    elif has_any(t, _SMALLER):
        args["size_scale"] = 0.8
    pos = _position(t)
    if pos:
        args["position"] = pos
    if has_any(t, _OFF) or has_any(t, _REMOVE):
        args = {"enabled": False}
    elif has_any(t, (*_ON, "on")) or not args:
        if not args and not has_any(t, (*_ON, "on")):
            raise _Say("captions_what")
        args["enabled"] = True
    return [("set_captions", args)]


def _rule_narration(c: _Clause) -> list[Call] | None:
    t = c.t
    bare = _strip_quotes(t)
    gender = voice_gender(bare) or (
        "male" if has_any(bare, ("deeper", "lower-pitched", "低沉", "浑厚")) else None
    )
    voiced = has_any(bare, _VOICE)
    slower = has_any(bare, ("slower", "slow down", "more slowly", "less fast", "slowly", "放慢", "慢一点", "慢点",
                            "慢些", "慢一些", "说慢", "慢慢", "慢下来", "减慢", "降低语速", "调慢", "变慢", "放缓", "too fast",
                            "too quick", "太快"))  # fmt: skip
    slower = slower or bool(re.search(r"\bslow\b(?: \S+){1,3} down\b", bare))
    faster = has_any(bare, ("faster", "speed up", "quicker", "more quickly", "quickly", "less slow", "加快", "快一点",
                            "快点", "快些", "快一些", "说快", "提高语速", "加速", "调快", "变快", "too slow", "太慢"))  # fmt: skip
    faster = faster or bool(re.search(r"\bspeed\b(?: \S+){1,3} up\b", bare))
    if not (voiced or (gender and has_any(bare, ("use", "switch", "change", "用", "换", "改")))) and (
        not (slower or faster) or has_any(bare, _MUSIC) or _scene_word(c)
    ):
        return None
    if has_any(bare, _MUSIC) and not has_any(bare, ("voice", "narration", "旁白", "配音", "解说", "人声")):
        return None
    refs = _refs(c)
    # re-voice one scene's line
    line_word = has_any(bare, ("narration", "line", "lines", "script", "text", "say", "says", "voiceover", "voice-over",
                               "旁白", "台词", "文案", "解说", "说", "念", "讲", "词"))  # fmt: skip
    if refs and line_word:
        text = (
            _first_quote(c)
            or _tail_text(c, r"(?:narration|line|script|text|voiceover|voice-over)\s+(?:to|as|into|:)\s*")
            or _tail_text(c, r"\b(?:say|says|read|reads)\s*:?\s*")
            or _tail_text(c, r"(?:旁白|台词|文案|解说|词)(?:改成|改为|换成|换为|设为|写成|：|:)")
            or _tail_text(c, r"(?:说|念|讲)(?:：|:)?")
        )
        if text:
            return [("set_scene_text", {"scene": refs[0], "text": text})]
        raise _Say("scene_text_what")
    calls: list[Call] = []
    if gender:
        calls.append(("set_voice", {"gender": gender}))
    else:
        m = re.search(r"voice\s*(?:to|:|=)?\s*((?:en|zh|cmn)[-_a-z0-9+]*)", bare)
        if m:
            calls.append(("set_voice", {"voice": m.group(1)}))
    pct = percentages(bare)
    spd = re.search(r"(\d+(?:\.\d+)?)\s*(?:x|倍速?)(?![a-z])", bare)
    much = has_any(bare, ("much", "a lot", "way", "lot", "really", "很多", "多一点", "非常", "大幅"))
    if spd and (voiced or slower or faster):
        calls.append(("set_speech_speed", {"speed": float(spd.group(1))}))
    elif pct and has_any(bare, ("speed", "pace", "rate", "语速", "速度")):
        calls.append(("set_speech_speed", {"speed": pct[0]}))
    elif has_any(bare, ("normal speed", "normal pace", "regular speed", "正常语速", "正常速度")) or re.search(
        r"(?:语速|速度).*(?:正常|恢复)|(?:正常|恢复).*(?:语速|速度)|\b(?:speed|pace)\b.*\bnormal\b", bare
    ):
        calls.append(("set_speech_speed", {"speed": 1.0}))
    elif slower:
        calls.append(("set_speech_speed", {"delta": -0.2 if much else -0.1}))
    elif faster:
        calls.append(("set_speech_speed", {"delta": 0.2 if much else 0.1}))
    if calls:
        return calls
    if pct and not has_any(bare, ("speed", "语速")):
        return [("set_narration", {"volume": pct[0]})]
    if has_any(bare, _QUIETER):
        return [("set_narration", {"volume_scale": 0.6})]
    if has_any(bare, _LOUDER):
        return [("set_narration", {"volume_scale": 1.5})]
    if (
        has_any(bare, _ON)
        and not has_any(bare, ("no", "without", "不要"))
        and not has_any(bare, ("turn off", "关闭", "关掉"))
    ) or ("取消" in bare and "静音" in bare):
        return [("set_narration", {"enabled": True})]
    if has_any(bare, _OFF) or has_any(bare, _REMOVE):
        return [("set_narration", {"enabled": False})]
    if has_any(bare, _CHANGE) or has_any(bare, ("voice",)):
        raise _Say("voice_what")
    return None


_LINE_EN = re.compile(r"\b(?:narration|line|lines|script|voiceover|voice-over|say|says|read|reads|words)\b")
_LINE_ZH = ("旁白", "台词", "文案", "解说", "说", "念", "讲", "词")


def _rule_revoice(c: _Clause) -> list[Call] | None:
    """ "change scene 2's narration to …", "make the third scene say …", "把第二个场景的旁白改成…"."""
    t = c.t
    refs = _refs(c)
    if not refs or has_any(t, _TITLE) or has_any(t, _CAPTIONS):
        return None
    bare = _strip_quotes(t)
    if not (_LINE_EN.search(bare) or has_any(bare, _LINE_ZH)):
        return None
    if re.search(r"\b(add|insert|put|show|overlay)\b", bare) and not _LINE_EN.search(bare.replace("say", "")):
        return None
    text = _first_quote(c)
    if text is None:
        m = re.search(
            r"\b(?:to|say|says|read|reads)\s*:\s*(.+)$|\b(?:to|say|says)\s+(.+)$|:\s*(.+)$", t
        ) or re.search(r"(?:改成|改为|换成|换为|设为|写成|说|念|讲)\s*[:：]?\s*(.+)$|[:：]\s*(.+)$", t)
        if m:
            raw = next(g for g in m.groups() if g).strip(" .!。！")
            plain = _unquote(c, raw)
            idx = c.raw.lower().find(plain.lower())
            text = c.raw[idx : idx + len(plain)] if idx >= 0 else plain
    if not text:
        raise _Say("scene_text_what")
    return [
        (
            "set_scene_text",
            {"scene": refs[0], "text": text.strip(" .!。！") if not text.endswith(".") else text},
        )
    ]


def _rule_music(c: _Clause) -> list[Call] | None:
    t = c.t
    if not has_any(t, _MUSIC):
        return None
    args: dict[str, Any] = {}
    style = music_style(t)
    pct = percentages(t)
    if re.search(r"\b(my|our|the uploaded)\s+(song|track|music|audio|mp3|file)\b", t) or has_any(
        t, ("我的歌", "我上传的", "我的音乐")
    ):
        args["media_id"] = "latest"
    if (
        (has_any(t, _REMOVE) or has_any(t, ("no music", "without music", "no background music", "no bgm")))
        and not style
        and not pct
    ):
        return [("remove_music", {})]
    if has_any(t, ("unmute", "back on", "turn on", "bring back", "取消静音", "打开", "恢复", "开启")) or (
        "取消" in t and "静音" in t
    ):
        args["muted"] = False
    elif has_any(t, ("mute", "silence", "turn off", "switch off", "静音", "关掉", "关闭", "关了", "停掉")):
        args["muted"] = True
    if style:
        args["style"] = style
    if pct:
        args["volume"] = pct[0]
    elif has_any(t, _QUIETER) or re.search(r"\bturn\b.*\bdown\b", t):
        args["volume_scale"] = 0.6
    elif has_any(t, _LOUDER) or re.search(r"\bturn\b.*\bup\b", t):
        args["volume_scale"] = 1.5
    if not args:
        if has_any(t, _CHANGE):
            raise _Say("music_style_what")
        if has_any(t, ("add", "put", "use", "want", "need", "加", "添加", "配上", "加上", "来点", "要")):
            return [("set_music", {})]
        raise _Say("music_what")
    return [("set_music", args)]


def _rule_volume(c: _Clause) -> list[Call] | None:
    """Bare "quieter" / "louder" / "小声一点" mean the background music."""
    t = c.t
    if _scene_word(c) or has_any(t, _TITLE) or has_any(t, _CAPTIONS):
        return None
    if has_any(t, _QUIETER) and (len(t.split()) <= 6 or has_any(t, ("volume", "音量"))):
        return [("set_music", {"volume_scale": 0.6})]
    if has_any(t, _LOUDER) and (len(t.split()) <= 6 or has_any(t, ("volume", "音量"))):
        return [("set_music", {"volume_scale": 1.5})]
    return None


def _insert_position(c: _Clause, refs: list[int]) -> int | None:
    t = c.t
    if refs:
        r = refs[-1]
        if re.search(r"\bafter\b|之后|后面|后边|以后", t):
            return r + 1 if r > 0 else None
        if re.search(r"\bbefore\b|之前|前面|前边", t):
            return r if r > 0 else r - 1
    if has_any(t, ("at the start", "at the beginning", "at the front", "first", "opening", "beginning", "开头",
                   "最前面", "最前", "开始处", "片头")):  # fmt: skip
        return 1
    return None


def _rule_add_scene(c: _Clause) -> list[Call] | None:
    t = c.t
    en = re.search(
        rf"\b(?:add|insert|include|create|make|put in|append|need|want)\s+(?:an?|one|another|a new|one more|"
        rf"new|an extra|an additional)\s+(?:new\s+|extra\s+|more\s+|final\s+|closing\s+|last\s+|outro\s+|"
        rf"ending\s+|intro\s+|opening\s+|first\s+)?{SCENE_WORDS_EN}\b(.*)$",
        t,
    ) or re.search(rf"\bone more\s+{SCENE_WORDS_EN}\b(.*)$", t)
    zh = re.search(
        r"(?:添加|加上|加入|增加|新增|插入|加|再来|补充|多加)(?:一个|一段|一幕|一张|个|段|一)?(?:新的)?"
        r"(?:关于|介绍|讲|展示|有关)?(.*?)(?:的)?(?:场景|镜头|画面|片段|分镜)(.*)$",
        t,
    )
    if en:
        rest = en.group(1)
        m = re.search(
            r"^\s*(?:about|showing|that shows|on|of|with|featuring|for|introducing|covering|where|"
            r"that talks about|to show|saying|that says|which says|with the line|:)\s*(.+)$",
            rest,
        )
        if not m:
            raise _Say("scene_about_what")
        about = m.group(1)
        about = re.split(r"\s+(?:after|before|at the|between|in position|as the)\b", about)[0]
    elif zh:
        about = zh.group(1) or ""
        tail = zh.group(2) or ""
        m = re.search(r"^[:：，,]?\s*(?:关于|介绍|讲|展示)?(.+)$", tail) if not about else None
        if m:
            about = m.group(1)
        about = re.sub(
            r"^(?:在)?(?:第\S+?(?:个)?(?:场景|镜头)?(?:之后|后面|前面|之前)|开头|最后|结尾)", "", about
        )
        about = re.sub(r"^(?:关于|介绍|讲|展示|有关)", "", about).strip(" ，,的")
        if not about:
            raise _Say("scene_about_what")
    else:
        return None
    about = _unquote(c, about).strip(" .!。！,，\"'")
    idx = c.raw.lower().find(about.lower())
    if idx >= 0:
        about = c.raw[idx : idx + len(about)]
    args: dict[str, Any] = {"about": about}
    pos = _insert_position(c, _refs(c))
    if (
        en
        and pos is None
        and re.search(r"\b(?:intro|opening|first)\s+" + SCENE_WORDS_EN + r"|\ban?\s+intro\b", t)
    ):
        pos = 1
    if pos is not None:
        args["position"] = pos
    if c.quotes and about != c.quotes[0]:
        args["text"] = c.quotes[0]
    return [("add_scene", args)]


_MEDIA_WORDS = ("photo", "photos", "picture", "pic", "image", "video", "footage", "clip", "file", "upload", "logo",
                "screenshot", "照片", "图片", "视频", "文件", "素材", "截图", "相片", "图")  # fmt: skip
_FILE = re.compile(r"[A-Za-z0-9_\-.]+\.(?:jpe?g|png|gif|webp|mp4|mov|avi|webm|mkv)\b")


def _rule_media(c: _Clause) -> list[Call] | None:
    t = c.t
    fname = _FILE.search(c.raw.lower())
    mine = re.search(r"\b(my|our|the uploaded|uploaded|the upload|this)\b", t) or has_any(
        t, ("我的", "我上传", "上传的", "我们的", "刚上传")
    )
    if not (fname or (mine and has_any(t, _MEDIA_WORDS))):
        return None
    refs = _refs(c)
    if not refs:
        if _scene_word(c) or has_any(t, ("use", "put", "用", "放")):
            raise _Say("media_which_scene")
        return None
    args: dict[str, Any] = {"scene": refs[0]}
    if fname:
        args["name"] = fname.group(0)
    elif has_any(t, ("video", "footage", "clip", "视频")):
        args["kind"] = "video"
    elif has_any(
        t, ("photo", "picture", "pic", "image", "logo", "screenshot", "照片", "图片", "相片", "截图", "图")
    ):
        args["kind"] = "image"
    return [("use_media", args)]


def _rule_regenerate(c: _Clause) -> list[Call] | None:
    t = c.t
    visual = has_any(t, ("picture", "image", "visual", "visuals", "illustration", "icon", "graphic", "graphics", "look",
                         "background", "artwork", "art", "pic", "drawing", "画面", "图片", "插图", "图", "视觉", "背景",
                         "图标", "配图", "画"))  # fmt: skip
    regen = has_any(t, ("regenerate", "re-generate", "redo", "refresh", "new", "different", "another", "change", "replace",
                        "swap", "reroll", "re-roll", "try again", "重新生成", "重新", "换", "换一", "另一", "重画", "刷新",
                        "不一样"))  # fmt: skip
    regen = regen or bool(
        re.search(r"\b(?:picture|image|illustration|icon|pic|drawing)\s+(?:of|showing)\b", t)
    )
    refs = _refs(c)
    if not (refs and re.search(r"\bregenerate\b|重新生成", t)) and not (visual and regen):
        return None
    if not refs:
        raise _Say("visual_which_scene")
    args: dict[str, Any] = {"scene": refs[0]}
    m = re.search(r"\b(?:picture|image|illustration|icon|pic|drawing|visual)\s+(?:of|with|showing)\s+(.+?)"
                  rf"(?:\s+(?:for|in|on|to)\s+(?:the\s+)?(?:\w+\s+)?{SCENE_WORDS_EN}.*)?$", t) or re.search(
        r"(?:换成|改成|画)(?:一张|一个)?(.+?)的(?:图片|图|插图|画面|图标)", t)  # fmt: skip
    if m and m.group(1).strip() and not _SCENE_EN.search(m.group(1)):
        args["hint"] = _unquote(c, m.group(1).strip())
    return [("regenerate_visual", args)]


def _rule_swap_move(c: _Clause) -> list[Call] | None:
    t = c.t
    refs = _refs(c)
    if has_any(t, ("swap", "switch", "exchange", "flip", "trade", "interchange", "reverse", "交换", "对调", "互换",
                   "调换", "换一下", "交换位置", "颠倒")):  # fmt: skip
        if len(refs) >= 2:
            return [("swap_scenes", {"a": refs[0], "b": refs[1]})]
        if _scene_word(c):
            raise _Say("swap_which")
        return None
    made = re.search(
        r"\bmake\b.*\b(?:the )?(first|last|opening|final|closing)(?: one| scene)?$", t
    ) or re.search(
        r"\b(?:come|go|be|appear|play)\s+(?:the\s+)?(first|last)\b|\b(?:put|move|place)\b.*\s(first|last)$", t
    )
    if not made and not has_any(t, ("move", "put", "place", "bring", "shift", "reorder", "移到", "移动", "放到",
                                    "挪到", "调到", "放在", "移至", "挪", "排到", "变成")):  # fmt: skip
        return None
    if not refs or (not _scene_word(c) and not re.search(r"第", t)):
        return None
    src = refs[0]
    to: int | None = None
    first = r"(?:the\s+)?(?:start|beginning|front|top|first(?: place| position| one)?|opening)"
    last = r"(?:the\s+)?(?:end|back|bottom|last(?: place| position| one)?|final|closing)"
    zh_first = r"(?:开头|最前面|最前|第一个|第一位|片头)"
    zh_last = r"(?:最后|末尾|结尾|最后面|片尾|最后一个)"
    zh_verb = r"(?:移到|放到|挪到|调到|放在|移至|排到|变成|移动到)"
    m_pos = re.search(r"(?:position|place|spot|slot|number)\s*(\d+)", t)
    if made:
        to = 1 if next(g for g in made.groups() if g) in ("first", "opening") else -1
    elif m_pos:
        to = int(m_pos.group(1))
    elif re.search(rf"\b(?:to|at|as)\s+{first}\b", t) or (
        re.search(zh_verb + zh_first + r"(?!\S*(?:场景|镜头)\S*后)", t) and len(refs) == 1
    ):
        to = 1
    elif re.search(rf"\b(?:to|at|as)\s+{last}\b", t) or (re.search(zh_verb + zh_last, t) and len(refs) == 1):
        to = -1
    elif len(refs) >= 2:
        other = refs[1]
        if re.search(r"\bafter\b|之后|后面|后边", t):
            to = other if other < 0 else (other if src < other else other + 1)
        elif re.search(r"\bbefore\b|之前|前面|前边", t):
            to = other if other < 0 else (other - 1 if src < other else other)
        else:
            to = other  # "move scene 3 to position 1", "把第三个场景移到第二个"
    if to is None:
        if has_any(t, ("move", "移动", "挪")):
            raise _Say("move_where")
        return None
    if to == 0:
        to = 1
    return [("move_scene", {"scene": src, "to": to})]


def _rule_remove_scene(c: _Clause) -> list[Call] | None:
    t = c.t
    refs = _refs(c)
    removing = has_any(t, _REMOVE) or (re.search(r"\b(cut|skip|omit)\b", t) and not durations(t))
    if not removing:
        return None
    if not refs:
        if _scene_word(c):
            raise _Say("remove_which")
        return None
    # counted from the end: the earliest first (so the later ones keep their place); then from the start,
    # the last first
    order = sorted({r for r in refs if r < 0}) + sorted({r for r in refs if r > 0}, reverse=True)
    return [("remove_scene", {"scene": r}) for r in order]


def _rule_resize(c: _Clause) -> list[Call] | None:
    t = c.t
    refs = _refs(c)
    if not refs:
        return None
    d = durations(t)
    longer = has_any(t, ("longer", "extend", "lengthen", "stretch", "more", "add", "increase", "+", "延长", "加长",
                         "增加", "多", "长一点", "长一些", "拉长", "久一点", "再长", "更长"))  # fmt: skip
    shorter = has_any(t, ("shorter", "shorten", "trim", "cut", "reduce", "less", "decrease", "-", "缩短", "减少", "少",
                          "剪短", "短一点", "短一些", "减"))  # fmt: skip
    if not d:
        if longer or shorter:
            if not _scene_word(c) and "第" not in t:
                return None
            # "make the second scene a bit longer"
            return [("resize_scene", {"scene": refs[0], "delta_ms": 1000 if longer else -1000})]
        return None
    if not _scene_word(c) and "第" not in t:
        return None
    ms = d[0][1]
    if re.search(r"\+\s*\d", t):
        longer = True
    if re.search(r"(?<![a-z0-9])-\s*\d", t):
        shorter = True
    if longer and not re.search(r"\bto\b|改成|改为|设为|变成", t):
        return [("resize_scene", {"scene": refs[0], "delta_ms": ms})]
    if shorter and not re.search(r"\bto\b|改成|改为|设为|变成", t):
        return [("resize_scene", {"scene": refs[0], "delta_ms": -ms})]
    return [("resize_scene", {"scene": refs[0], "duration_ms": ms})]


def _rule_total(c: _Clause) -> list[Call] | None:
    t = c.t
    if _refs(c):
        return None
    d = durations(_strip_quotes(t))
    longer = has_any(t, ("longer", "extend", "lengthen", "延长", "加长", "长一点"))
    shorter = has_any(t, ("shorter", "shorten", "trim", "cut", "reduce", "缩短", "短一点", "减少", "剪短"))
    if not d:
        if (longer or shorter) and re.search(
            r"\b(it|video|whole thing|everything|overall)\b|视频|整体|整个", t
        ):
            raise _Say("duration_how_much")
        return None
    ms = d[0][1]
    absolute = re.search(
        r"\b(to|into|under|max|at most|exactly)\b|改成|改为|缩短到|延长到|控制在|做成|变成|一共|总共", t
    )
    if (longer or shorter) and not absolute:
        return [("set_duration", {"delta_ms": ms if longer else -ms})]
    total_hint = re.search(
        r"\b(make it|make the (video|whole thing|clip)|video|total|overall|long|length|duration|"
        r"runtime|shorten|cut|trim|under|just|only)\b|视频|时长|总|整体|整个|长度|改成|缩短|做成|一共|控制",
        t,
    )
    if total_hint or len(_strip_quotes(t).split()) <= 3:
        return [("set_duration", {"total_ms": ms})]
    return None


def _rule_vague(c: _Clause) -> list[Call] | None:
    t = c.t
    if re.search(r"\b(better|improve|nicer|prettier|fix it|make it good|more professional|polish|spice it up|"
                 r"something else|change it|do something|cooler|more interesting|pop)\b", t) or has_any(t, (
            "更好", "优化", "改好", "好看", "改进", "完善", "美化", "提升", "高级一点", "有意思", "随便改")):  # fmt: skip
        raise _Say("vague")
    return None


_RULES: tuple[Callable[[_Clause], list[Call] | None], ...] = (
    _rule_undo,
    _rule_summary,
    _rule_help,
    _rule_export,
    _rule_transition,
    _rule_title,
    _rule_captions,
    _rule_add_scene,
    _rule_revoice,
    _rule_overlay,
    _rule_media,
    _rule_music,
    _rule_narration,
    _rule_regenerate,
    _rule_swap_move,
    _rule_remove_scene,
    _rule_resize,
    _rule_aspect,
    _rule_volume,
    _rule_total,
    _rule_vague,
)


def _parse_clause(c: _Clause) -> tuple[list[Call], str | None]:
    for rule in _RULES:
        try:
            calls = rule(c)
        except _Say as s:
            return [], s.what
        if calls:
            return calls, None
    return [], None


_SPLIT_EN = re.compile(r"\s*(?:,?\s+and then\s+|,?\s+and also\s+|;\s*|,?\s+then\s+|,?\s+also\s+|,?\s+plus\s+|"
                       r",?\s+and\s+|,\s+|\.\s+)")  # fmt: skip
_SPLIT_ZH = re.compile(
    r"\s*(?:[，,；;。]\s*(?:然后|并且|再|同时|还有|并|也)?|然后|并且|同时|另外|还有|以及)\s*"
)


def _clauses(message: str) -> tuple[_Clause, list[_Clause]]:
    marked, quotes = mark_quotes(message)
    whole = _Clause(normalize(marked).strip(" .!。！?？"), message, tuple(quotes))
    splitter = _SPLIT_ZH if is_chinese(marked) else _SPLIT_EN
    parts = [p for p in splitter.split(marked) if p and p.strip(" .!。！?？")]
    clauses: list[_Clause] = []
    for p in parts:
        nums = [int(n) for n in re.findall(r"⟦(\d+)⟧", p)]
        local = tuple(quotes[n] for n in nums)

        def local_mark(m: re.Match[str], ns: list[int] = nums) -> str:
            return f"⟦{ns.index(int(m.group(1)))}⟧"

        def restore(m: re.Match[str], lq: tuple[str, ...] = local) -> str:
            return f'"{lq[int(m.group(1))]}"'

        renum = re.sub(r"⟦(\d+)⟧", local_mark, p)

        raw = re.sub(r"⟦(\d+)⟧", restore, renum)
        clauses.append(_Clause(normalize(renum).strip(" .!。！?？"), raw, local))
    return whole, clauses


def parse(message: str, *, lang: str = "en") -> Parse:
    """Understand one chat message. Never raises; unknown wishes land in ``unparsed``."""
    text = message.strip()
    reply_lang = "zh" if is_chinese(text) else ("en" if re.search(r"[A-Za-z]", text) else lang)
    if not text:
        return Parse(say=("empty",), lang=reply_lang)
    if len(text) > MAX_MESSAGE:
        return Parse(say=("too_long",), lang=reply_lang)
    whole, parts = _clauses(text)
    if len(parts) > MAX_CALLS:
        return Parse(say=("too_many",), lang=reply_lang)
    results = [_parse_clause(p) for p in parts] if len(parts) > 1 else []
    if results and all(calls or say for calls, say in results):
        calls = [c for cs, _ in results for c in cs]
        says = [s for _, s in results if s]
        return Parse(tuple(calls), tuple(says), (), reply_lang)
    w_calls, w_say = _parse_clause(whole)
    part_calls = [c for cs, _ in results for c in cs]
    if (w_calls or w_say) and not (w_calls and w_calls == part_calls):
        return Parse(tuple(w_calls), (w_say,) if w_say else (), (), reply_lang)
    if results and any(calls or say for calls, say in results):
        calls = [c for cs, _ in results for c in cs]
        says = [s for _, s in results if s]
        unparsed = [p.raw for p, (cs, s) in zip(parts, results, strict=True) if not cs and not s]
        return Parse(tuple(calls), tuple(says), tuple(unparsed), reply_lang)
    return Parse((), ("unclear",), (text,), reply_lang)
