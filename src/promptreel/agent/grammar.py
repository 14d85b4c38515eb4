"""Chat message → tool calls, by rules (English and Chinese). No network, deterministic.

A message is split into clauses ("use a female voice and speak a bit slower" → two), each
clause is matched by the first rule that understands it, and the result is a :class:`Parse`:
tool calls (``name``, ``args``) plus anything that is not an edit (export, credits, a vague
wish, words no rule understood). Quoted text is protected from splitting and lower-casing.
The rules live with their capabilities (:mod:`promptreel.agent.edits`); the ones here answer
what is not an edit (help, export, credits, vague wishes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import promptreel.agent.edits  # noqa: F401  (fills the rule registry)
from promptreel.agent.clause import RULES, VOCABULARY, Call, _Clause, _Say, rule
from promptreel.agent.phrases import fix_typos, has_any, mark_quotes, normalize
from promptreel.language import has_cjk

__all__ = ["Parse", "parse", "Call", "MAX_MESSAGE", "MAX_CALLS"]


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


@rule(2)
def _rule_help(c: _Clause) -> list[Call] | None:
    t = c.t.strip(" .!。！?？")
    if re.fullmatch(r"(help|help me|what can (you|i) do|what can you change|how does this work|commands|options)"
                    r"( here)?", t) or t in ("帮助", "你能做什么", "能做什么", "怎么用", "可以做什么", "有什么功能"):  # fmt: skip
        raise _Say("help")
    return None


@rule(3)
def _rule_export(c: _Clause) -> list[Call] | None:
    if re.search(
        r"\b(export|download|render (it|the video|out)|save (it )?as (an )?mp4|give me the (file|mp4))\b", c.t
    ) or has_any(c.t, ("导出", "下载", "渲染", "输出视频", "生成mp4", "导成")):
        raise _Say("export")
    if has_any(c.t, ("credits", "credit", "balance", "积分", "余额", "点数", "额度")):
        raise _Say("credits")
    return None


@rule(20)
def _rule_vague(c: _Clause) -> list[Call] | None:
    t = c.t
    if re.search(r"\b(better|improve|nicer|prettier|fix it|make it good|more professional|polish|spice it up|"
                 r"something else|change it|do something|cooler|more interesting|pop)\b", t) or has_any(t, (
            "更好", "优化", "改好", "好看", "改进", "完善", "美化", "提升", "高级一点", "有意思", "随便改")):  # fmt: skip
        raise _Say("vague")
    return None


def _rules() -> list[Callable[[_Clause], list[Call] | None]]:
    return [fn for _, fn in RULES]


def _parse_clause(c: _Clause) -> tuple[list[Call], str | None]:
    for rule_fn in _rules():
        try:
            calls = rule_fn(c)
        except _Say as s:
            return [], s.what
        if calls:
            return calls, None
    return [], None


_SPLIT_EN = re.compile(r"\s*(?:,?\s+and then\s+|,?\s+and also\s+|;\s*|,?\s+then\s+|,?\s+also\s+|,?\s+plus\s+|"
                       r"(?<!\bblack),?\s+and\s+(?!white\b)|,\s+|\.\s+)")  # fmt: skip


_SPLIT_ZH = re.compile(
    r"\s*(?:[，,；;。]\s*(?:然后|并且|再|同时|还有|并|也)?|然后|并且|同时|另外|还有|以及)\s*"
)


# a clause that only clears the throat ("oops, undo that", "好的，改成竖屏") asks for nothing
_FILLER = re.compile(r"(oops|whoops|oh|oh no|actually|hmm+|um+|ok(ay)?|sorry|wait|ugh|well|hey|hi|thanks|thank you|please|pls"
                     r"|哎呀|哎|啊|嗯|好的|好吧|那个|谢谢|麻烦了|不好意思)")  # fmt: skip


def _clauses(message: str) -> tuple[_Clause, list[_Clause]]:
    marked, quotes = mark_quotes(message)
    marked = fix_typos(marked, VOCABULARY)  # quotes are marked out first: what they say stays as said
    whole = _Clause(normalize(marked).strip(" .!。！?？"), message, tuple(quotes))
    splitter = _SPLIT_ZH if has_cjk(marked) else _SPLIT_EN
    parts = [
        p
        for p in splitter.split(marked)
        if p and p.strip(" .!。！?？") and not _FILLER.fullmatch(p.strip(" .!。！?？").lower())
    ]
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
    if len(clauses) == 1:
        whole = clauses[0]  # the only clause left once fillers are dropped
    return whole, clauses


def parse(message: str, *, lang: str = "en") -> Parse:
    """Understand one chat message. Never raises; unknown wishes land in ``unparsed``."""
    text = message.strip()
    reply_lang = "zh" if has_cjk(text) else ("en" if re.search(r"[A-Za-z]", text) else lang)
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
