"""A closing scene for "add an ending", "add an outro", "加个结尾", "加个片尾": an end card that
shows (and says) the video's title, or the words the user gives."""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field

from promptreel.agent.clause import Call, _Clause, rule
from promptreel.agent.edits.add_scene import add_scene
from promptreel.agent.edits.base import Args, EditContext, EditRefused, Result, capability
from promptreel.draft.model import Draft
from promptreel.language import has_cjk

__all__ = ["line"]


class EndingArgs(Args):
    text: str | None = Field(
        default=None, description="what the closing scene says; default: the video's title"
    )


def _title(draft: Draft) -> str:
    t = draft.first_track("title")
    if t is not None and t.segments and str(t.segments[0].meta.get("text") or "").strip():
        return str(t.segments[0].meta.get("text")).strip()
    return str(draft.meta.get("title") or "").strip()


@capability(
    "add_ending",
    "Add a closing scene (end card, outro) at the end: it shows and says the video's title, or `text`.",
    EndingArgs,
)
def add_ending(draft: Draft, ctx: EditContext, text: str | None = None) -> Result:
    words = (text or "").strip() or _title(draft)
    if not words:
        raise EditRefused("ending_what", "What should the closing scene say?")
    line_ = words if re.search(r"[.!?。！？]$", words) else words + ("。" if has_cjk(words) else ".")
    d, res = add_scene(draft, ctx, about=words, text=line_)
    res.update(what="ending", from_title=not (text or "").strip())
    return d, res


def line(r: dict[str, Any], zh: bool) -> str:
    scene, name, timing = r.get("scene"), r.get("name"), r.get("timing")
    if zh:
        out = f"在结尾加了收尾场景（第 {scene} 个，{timing}）：画面显示“{name}”，旁白说“{r.get('text')}”"
        if r.get("from_title"):
            out += "想换成别的话，可以说：加个片尾，写“期待你的光临”。"
        return out
    out = f'Added a closing scene (scene {scene}, {timing}) showing "{name}"; the narration says "{r.get("text")}"'
    if r.get("from_title"):
        out += ' To end on other words, say: add an ending that says "See you soon".'
    return out


# ---------------------------------------------------------------- phrasings (EN/ZH)

_ENDING_EN = re.compile(
    r"^(?:please\s+)?(?:can you\s+|could you\s+)?(?:add|put|give it|make|insert|append|i want|i need|we need|needs?)"
    r"\s+(?:an?\s+|some\s+|the\s+)?(?:proper\s+|nice\s+|short\s+|simple\s+)?"
    r"(?:ending|outro|end card|end screen|end slide|closing(?: scene| card| slide| shot)?|finale|conclusion|sign[- ]off)"
    r"(?:\s+(?:to|at|for)\s+(?:it|the video|the end))?(?:\s+please)?$"
)
_ENDING_ZH = re.compile(
    r"^(?:请|麻烦)?(?:帮我)?(?:在最后|在结尾)?(?:加|添加|加上|增加|补|补上|来)(?:一)?(?:个|段|张)?"
    r"(?:结尾|片尾|结束画面|结尾页|结束页|收尾|落版|尾版)(?:画面|场景|页)?(?:吧|一下)?$"
)
_SAYS = re.compile(r"(?:that says|saying|with|reading)\s*⟦0⟧$|(?:写着?|说|内容是)\s*[:：]?\s*⟦0⟧$")


@rule(6)
def _rule_ending(c: _Clause) -> list[Call] | None:
    """ "add an ending", "add an outro", "add a closing card", "加个结尾", "加个片尾";
    "add an ending that says 'See you soon'"."""
    t = c.t.strip(" .!。！")
    if len(c.quotes) == 1:
        m = _SAYS.search(t)
        head = t[: m.start()].strip(" ，,") if m else ""
        if m and (_ENDING_EN.match(head) or _ENDING_ZH.match(head)):
            return [("add_ending", {"text": c.quotes[0]})]
        return None
    if c.quotes:
        return None
    if _ENDING_EN.match(t) or _ENDING_ZH.match(t):
        return [("add_ending", {})]
    return None
