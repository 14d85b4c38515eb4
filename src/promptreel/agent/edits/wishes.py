"""What new users say that is not a precise edit but has a sensible answer: "thanks", "make it
more upbeat" (the music sets the mood), "less text" (the captions go), "for Instagram" (which
format?), "it's boring" (what should change?), "actually, put it back" (undo)."""

from __future__ import annotations

import re
from typing import Any

from promptreel.agent.clause import _CAPTIONS, _MUSIC, _TITLE, _VOICE, Call, _Clause, _refs, _Say, rule
from promptreel.agent.edits.base import Args, EditContext, EditRefused, Result, capability
from promptreel.agent.edits.captions import set_captions
from promptreel.agent.phrases import has_any
from promptreel.draft.model import Draft

__all__ = ["line"]


class NoArgs(Args):
    pass


@capability(
    "less_text",
    "Show fewer words on screen: the captions go (the narration still says everything); the title and "
    "headlines stay.",
    NoArgs,
)
def less_text(draft: Draft, ctx: EditContext) -> Result:
    caps = draft.first_track("captions")
    if caps is None or not caps.segments or caps.hidden:
        raise EditRefused("less_text_left", "The captions are already off.")
    d, r = set_captions(draft, ctx, enabled=False)
    return d, {"what": "less_text", "timing": r.get("timing"), "count": r.get("count")}


#: the styles "change the music" goes through, each to the next
STYLES = ("lofi", "upbeat", "calm", "cinematic", "happy", "corporate", "warm", "energetic")
_STYLE_ZH = {"lofi": "Lo-fi", "upbeat": "轻快", "calm": "舒缓", "cinematic": "电影感", "happy": "欢快",
             "corporate": "商务", "warm": "温暖", "energetic": "动感"}  # fmt: skip


@capability(
    "other_music",
    'Change the background music to another style when the user names none ("change the music", "换个音乐").',
    NoArgs,
)
def other_music(draft: Draft, ctx: EditContext) -> Result:
    from promptreel.agent.edits.music import set_music

    t = draft.first_track("bgm")
    now = str(t.segments[0].meta.get("style") or "") if t is not None and t.segments else ""
    nxt = STYLES[(STYLES.index(now) + 1) % len(STYLES)] if now in STYLES else STYLES[0]
    d, r = set_music(draft, ctx, style=nxt)
    return d, {"what": "other_music", "before": now or "none", "after": nxt, "timing": r.get("timing")}


def _music_line(r: dict[str, Any], zh: bool) -> str:
    a, b = str(r.get("after")), str(r.get("before"))
    others = [x for x in STYLES if x not in (a, b)]
    if zh:
        was = _STYLE_ZH.get(b, "无")
        rest = "、".join(_STYLE_ZH[x] for x in others)
        return (f"背景音乐换了一种风格：{was} → {_STYLE_ZH.get(a, a)}（{r.get('timing')}）。"
                f"还有这些风格：{rest}——比如说“换成舒缓的音乐”。")  # fmt: skip
    name = {"lofi": "lo-fi"}
    rest = ", ".join(name.get(x, x) for x in others)
    return (f"Background music changed to another style: {name.get(b, b)} → {name.get(a, a)} ({r.get('timing')}). "
            f'Other styles: {rest} — say e.g. "calm music".')  # fmt: skip


def line(r: dict[str, Any], zh: bool) -> str:
    if r.get("what") == "other_music":
        return _music_line(r, zh)
    if zh:
        return (f"画面上的字少了：字幕（{r.get('timing')}，{r.get('count')} 句）已关闭，旁白照常朗读；"
                "片名和场景标题保留。想加回来可以说“打开字幕”。")  # fmt: skip
    return (f"Less text on screen: captions ({r.get('timing')}, {r.get('count')} lines) are off — the narration "
            'still says it all; the title and scene headlines stay. Say "turn on captions" to bring them back.')  # fmt: skip


# ---------------------------------------------------------------- phrasings (EN/ZH)

_THANKS = re.compile(
    r"(?:thanks|thank you|thx|ty|cheers|great|perfect|awesome|nice|cool|love it|looks good|looks great|good job"
    r"|well done|ok|okay|good|amazing)(?: so much| a lot| very much)?(?:,? (?:thanks|thank you))?"
    r"|谢谢|谢谢你|多谢|感谢|太好了|很好|不错|完美|好的|可以了|挺好的?|好棒|真棒|辛苦了"
)


@rule(2)
def _rule_thanks(c: _Clause) -> list[Call] | None:
    if _THANKS.fullmatch(c.t.strip(" .!。！~～")):
        raise _Say("thanks")
    return None


_UNDO_EN = re.compile(
    r"^(?:actually|hmm+|no|nah|wait|oops|whoops|ugh|sorry)?,?\s*(?:please\s+)?(?:put it back|change it back|set it back|"
    r"undo(?: that| it)?|take (?:back )?(?:the|that|my) last (?:change|edit)|take back (?:the|that|my) (?:last )?(?:change|edit)|"
    r"make it (?:like|how|as) (?:it was )?before|(?:go|get|bring it) back to (?:how it was|the way it was|before)|"
    r"(?:i )?liked it better before|the old (?:one|version) was better|as it was|revert(?: it| that)?)(?: please)?$"
)
_UNDO_ZH_MORE = re.compile(
    r"^(?:请|麻烦|帮我)?(?:把)?(?:刚才|刚刚|上一步|最后一步|上次)的?(?:改动|修改|操作|那个)?(?:撤销|撤回|取消|退回)(?:掉|了)?(?:一下|吧)*$"
)
_UNDO_ZH = re.compile(
    r"^(?:算了|还是)?[，,]?(?:还是)?(?:原来的(?:好|吧|更好)|恢复原样|变回原来的样子|改回原来的样子|刚才的更好|之前的更好)$"
)


_COUNT = {"two": 2, "2": 2, "three": 3, "3": 3, "four": 4, "4": 4, "five": 5, "5": 5, "两": 2, "二": 2, "三": 3,
          "四": 4, "五": 5, "twice": 2, "thrice": 3}  # fmt: skip
_UNDO_N = re.compile(
    r"^(?:please\s+)?(?P<verb>undo|redo)\s+(?:the\s+)?(?:last\s+)?(?P<n>two|2|three|3|four|4|five|5)\s+"
    r"(?:changes|edits|steps|things|times)(?:\s+please)?$"
    r"|^(?:please\s+)?(?P<verb2>undo|redo)(?:\s+(?:that|it))?\s+(?P<n2>twice|thrice|two times|three times)$"
    r"|^(?:请|麻烦|帮我)?(?P<verb3>撤销|撤回|回退|退回|重做|恢复)(?:最近的|最后的?|前)?(?P<n3>两|二|三|四|五|2|3|4|5)(?:步|次|个修改|个改动)"
    r"(?:修改|改动|操作)?(?:吧)?$"
)


@rule(0)
def _rule_undo_words(c: _Clause) -> list[Call] | None:
    """ "actually, put it back", "I liked it better before", "还是原来的好"; "undo the last two
    changes", "撤销两步" (that many steps back)."""
    t = c.t.strip(" .!。！")
    if _UNDO_EN.match(t) or _UNDO_ZH.match(t) or _UNDO_ZH_MORE.match(t):
        return [("undo", {})]
    words = re.findall(r"[a-z]+", t)
    if len(words) >= 2 and set(words) <= {"undo", "redo"} and len(set(words)) == 1:
        return [(words[0], {}) for _ in words]  # "undo undo": a step for each
    m = _UNDO_N.match(t)
    if m:
        verb = m.group("verb") or m.group("verb2") or m.group("verb3")
        n = _COUNT.get((m.group("n") or m.group("n2") or m.group("n3") or "").split()[0], 1)
        name = "redo" if verb in ("redo", "重做", "恢复") else "undo"
        return [(name, {}) for _ in range(n)]
    return None


_MOOD_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("energetic", re.compile(r"\b(?:more )?(?:energetic|exciting|dynamic|intense|hype|punchy)\b|动感|激情|燃")),
    ("upbeat", re.compile(r"\b(?:more )?(?:upbeat|lively|cheerful|fun|happier|happy|livelier|peppy|bouncy)\b"
                          r"|轻快|欢快|活泼|开心|愉快")),
    ("calm", re.compile(r"\b(?:calmer|calm|more relaxing|relaxing|relaxed|chill|chiller|mellow|peaceful|gentler|"
                        r"quieter mood|soothing)\b|舒缓|安静一?点|平静|放松|轻松|温柔一?点")),
    ("cinematic", re.compile(r"\b(?:more )?(?:cinematic|epic|dramatic)\b|电影感|大气|史诗")),
    ("warm", re.compile(r"\b(?:cozy|cosy|cozier|cosier|homey|heartwarming|intimate)\b|温馨|暖心|有温度")),
)  # fmt: skip
_IT = re.compile(r"^(?:please\s+)?(?:can you\s+)?(?:make|let|have|keep)\s+(?:it|the video|this|the whole thing)\b"
                 r"|^(?:i (?:want|would like|'d like)|i wanna) (?:it|the video|this) to (?:feel|be|sound|look)\b"
                 r"|^(?:more|a bit more|a little more|much more|less)\b|^(?:再|更|整体|视频|整个视频|氛围|感觉|风格|让视频|让它)"
                 r"|一点$|一些$|些$")  # fmt: skip


@rule(11)
def _rule_mood(c: _Clause) -> list[Call] | None:
    """ "make it more upbeat", "make it calmer", "more energetic", "欢快一点", "整体舒缓一些": the
    music sets the mood (it is added in that style when there is none)."""
    t = c.t
    if c.quotes or _refs(c) or has_any(t, _VOICE) or has_any(t, _TITLE) or has_any(t, _CAPTIONS):
        return None
    if has_any(t, _MUSIC) or re.search(
        r"\b(?:colou?rs?|palette|background|font|text)\b|颜色|配色|背景|文字", t
    ):
        return None  # "calmer music" is the music's own rule; colours are the palette's
    if not _IT.search(t):
        return None
    for style, pattern in _MOOD_STYLES:
        if pattern.search(t):
            return [("set_music", {"style": style})]
    return None


_LESS_TEXT = re.compile(
    r"\b(?:less|fewer|too much|too many|not so much|reduce the|cut the|cut down (?:on )?the)\s+(?:text|words|writing)"
    r"\b|\btoo (?:wordy|busy|cluttered)\b|文字太多|字太多|字幕太多|文字少一点|字少一点|少点字|少一点字|太多字"
)


@rule(5)
def _rule_less_text(c: _Clause) -> list[Call] | None:
    """ "less text", "too much text", "文字太多了": the captions go; the narration stays."""
    if _LESS_TEXT.search(c.t) and not c.quotes:
        return [("less_text", {})]
    return None


@rule(16)
def _rule_platform(c: _Clause) -> list[Call] | None:
    """ "make it for Instagram": Reels and Stories are vertical, a feed post square — ask which."""
    t = c.t
    if re.search(r"\b(?:instagram|insta|ig)\b", t) and not re.search(
        r"\b(?:story|stories|reels?|post|feed|square|vertical|portrait)\b", t
    ):
        raise _Say("instagram_which")
    return None


@capability(
    "other_voice",
    'Use another narration voice when the user names none ("use a different voice", "换个声音").',
    NoArgs,
)
def other_voice(draft: Draft, ctx: EditContext) -> Result:
    from promptreel.agent.edits.base import _lang
    from promptreel.agent.edits.voice import set_voice, voices

    nt = draft.first_track("narration")
    if nt is None or not nt.segments:
        raise EditRefused("no_narration", "This video has no narration to re-voice.")
    lang = _lang(draft)
    current = str(nt.segments[0].meta.get("voice") or draft.meta.get("voice") or "")
    pool = [v for v in voices(ctx, draft) if v.lang in ("", lang) or v.lang.startswith(lang)]
    if not current and pool:
        current = pool[0].id
    others = [v for v in pool if v.id != current]
    if not others:
        raise EditRefused("voice_what", "Which voice should I use?", available=[v.id for v in pool])
    now = next((v for v in pool if v.id == current), None)
    # another kind of voice first (a woman's after a man's), then any other
    pick = next((v for v in others if now is not None and v.gender and v.gender != now.gender), others[0])
    return set_voice(draft, ctx, voice=pick.id)


@rule(11)
def _rule_other_voice(c: _Clause) -> list[Call] | None:
    """ "use a different voice", "change the voice", "换个声音", "不喜欢这个配音"."""
    t = c.t
    if (
        c.quotes
        or not has_any(t, _VOICE)
        or re.search(
            r"\b(?:male|female|man|woman|men|women|girl|boy|guy|lady|faster|slower|louder|quieter|speed)\b"
            r"|男|女|快|慢|大声|小声|音量|语速",
            t,
        )
    ):
        return None
    if re.search(
        r"\b(?:different|another|other|new|change|switch|swap)\b.*\b(?:voice|narrator|voiceover)\b"
        r"|\b(?:don'?t|do not) (?:like|love)\b|\b(?:dislike|hate)\b"
        r"|(?:换|换个|换一个|换一种|另一个|别的|其他)(?:的)?(?:声音|配音|旁白|嗓音|人声)|不喜欢|不好听|难听",
        t,
    ):
        return [("other_voice", {})]
    return None


_COST = re.compile(
    r"\bhow much (?:does|will|would|is) (?:it|this|that|an? \w+|the \w+)(?: \w+)? cost\b|\bwhat does (?:it|this) cost\b"
    r"|\bhow much (?:is it|to (?:export|edit|render))\b|\bprice\b|\bpricing\b|多少钱|收费|要钱吗|花钱|费用|价格"
)


@rule(3)
def _rule_cost(c: _Clause) -> list[Call] | None:
    """ "how much does it cost?", "要钱吗": the credits answer."""
    if _COST.search(c.t) and not c.quotes:
        raise _Say("credits")
    return None


_PICTURE = re.compile(
    r"\b(?:pictures?|images?|icons?|illustrations?|graphics?|emojis?|visuals?|drawings?)\b|图片|图标|插图|插画|图案|配图"
)


@rule(5)
def _rule_picture_size(c: _Clause) -> list[Call] | None:
    """ "make the pictures bigger", "图标大一点": each scene's layout sets its picture's size — say
    so, and what can be done instead."""
    from promptreel.agent.edits.sizes import size_wish

    if _PICTURE.search(c.t) and size_wish(c.t) is not None and not c.quotes:
        raise _Say("picture_size")
    return None


_BORING = re.compile(
    r"\b(?:boring|dull|bland|meh|lifeless|flat|too plain|not (?:good|great|exciting|engaging)|looks cheap|ugly)\b"
    r"|单调|无聊|平淡|没意思|太素|不够吸引人|不好看|难看|一般般|没感觉"
)


@rule(20)
def _rule_boring(c: _Clause) -> list[Call] | None:
    """ "it's boring", "画面有点单调": a wish without a change in it — ask what should change."""
    if _BORING.search(c.t):
        raise _Say("vague")
    return None
