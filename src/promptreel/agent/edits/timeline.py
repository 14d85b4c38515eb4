"""Read-only timeline summary, and undo/redo along the session's history."""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field

from promptreel.agent.clause import Call, _Clause, _refs, rule
from promptreel.agent.edits.base import (
    Args,
    EditContext,
    EditRefused,
    Result,
    _narration_for,
    _scene_index,
    _scene_track,
    capability,
)
from promptreel.agent.edits.diff import differences
from promptreel.agent.edits.picture_words import picture_en, picture_zh
from promptreel.agent.overview import overview_zh
from promptreel.agent.phrases import has_any
from promptreel.draft.model import Draft
from promptreel.draft.query import span_label, summary

#: capabilities that only read the draft: they change nothing and cost nothing
READONLY = frozenset({"show_timeline", "describe_scene", "describe_video"})


class NoArgs(Args):
    pass


@capability(
    "show_timeline",
    "Describe what is on the timeline (read only).",
    NoArgs,
)
def show_timeline(draft: Draft, ctx: EditContext) -> Result:
    return draft, {
        "what": "summary",
        "summary": summary(draft),
        "summary_zh": overview_zh(draft),
        "readonly": True,
    }


class SceneArgs(Args):
    scene: int = Field(description="1-based scene number; -1 is the last scene")


@capability(
    "describe_scene",
    "Tell what one scene shows and says: headline, narration, time span, picture (read only).",
    SceneArgs,
)
def describe_scene(draft: Draft, ctx: EditContext, scene: int) -> Result:
    idx = _scene_index(draft, scene)
    seg = _scene_track(draft).segments[idx]
    n = _narration_for(draft, seg)
    spoken = str((n.meta.get("text") if n is not None else None) or seg.meta.get("text") or "")
    icon = motion = ""
    if seg.kind == "scene":
        icon = str(seg.meta.get("icon") or "")
        motion = str(seg.meta.get("motion") or "gradient")
        picture = picture_en(icon, motion)
    else:
        picture = str(seg.meta.get("name") or seg.name or seg.meta.get("media_id") or seg.kind)
    res: dict[str, Any] = {
        "what": "scene_info",
        "scene": idx + 1,
        "count": len(_scene_track(draft).segments),
        "headline": str(seg.meta.get("headline") or ""),
        "narration": spoken,
        "narrated": n is not None,
        "picture": picture,
        "icon": icon,
        "motion": motion,
        "uploaded": seg.kind != "scene",
        "timing": span_label(seg.start, seg.end),
        "readonly": True,
    }
    return draft, res


def line(r: dict[str, Any], zh: bool) -> str:
    """The reply's description of one scene."""
    head, said, pic = r.get("headline") or "", r.get("narration") or "", r.get("picture") or ""
    if zh:
        parts = [f"第 {r['scene']} 个场景（共 {r.get('count')} 个，{r.get('timing')}）："]
        if head:
            parts.append(f"标题“{head}”；")
        if said:
            parts.append(("旁白：“" if r.get("narrated") else "文字：“") + f"{said}”；")
        if r.get("uploaded"):
            parts.append(f"画面：上传的 {pic}。")
        else:
            parts.append(
                f"画面：{picture_zh(str(r.get('icon') or ''), str(r.get('motion') or 'gradient'))}。"
            )
        return "".join(parts) + "草稿没有改动。"
    parts = [f"Scene {r['scene']} of {r.get('count')} ({r.get('timing')}):"]
    if head:
        parts.append(f'headline "{head}";')
    if said:
        parts.append(("narration" if r.get("narrated") else "text") + f': "{said}";')
    parts.append(("picture: your upload " if r.get("uploaded") else "picture: ") + f"{pic}.")
    return " ".join(parts) + " Nothing was changed."


@capability(
    "undo",
    "Undo the last change.",
    NoArgs,
)
def undo(draft: Draft, ctx: EditContext) -> Result:
    if not ctx.history.can_undo:
        raise EditRefused("nothing_to_undo", "There is nothing to undo yet.")
    prev, _ = ctx.history.undo(draft)
    return prev, {
        "what": "undo",
        "before": summary(draft),
        "after": summary(prev),
        "changes": differences(draft, prev, False),
        "changes_zh": differences(draft, prev, True),
        "after_zh": overview_zh(prev),
    }


@capability(
    "redo",
    "Redo the last undone change.",
    NoArgs,
)
def redo(draft: Draft, ctx: EditContext) -> Result:
    if not ctx.history.can_redo:
        raise EditRefused("nothing_to_redo", "There is nothing to redo.")
    nxt, _ = ctx.history.redo(draft)
    return nxt, {
        "what": "redo",
        "before": summary(draft),
        "after": summary(nxt),
        "changes": differences(draft, nxt, False),
        "changes_zh": differences(draft, nxt, True),
        "after_zh": overview_zh(nxt),
    }


# ---------------------------------------------------------------- phrasings (EN/ZH)


@rule(0)
def _rule_undo(c: _Clause) -> list[Call] | None:
    t = c.t.strip(" .!。！?？")
    if re.fullmatch(r"(please )?(undo|undo (that|it|this|the last (change|edit|step))|revert( that| it| the last change)?"
                    r"|go back|take (that|it) back|roll ?back|never ?mind,? undo( that)?|cancel (that|the last change)"
                    r"|back to (the )?previous (version|one)|go back (one|a) step|step back|ctrl[- ]?z)( please)?", t) or t in (
        "撤销", "撤回", "回退", "撤销上一步", "撤销刚才的修改", "撤销修改", "返回上一步", "取消上一步", "退回上一步",
        "撤销一下", "撤回一下", "回到上一个版本", "还原", "撤销操作") or re.fullmatch(
            r"(还是|请|麻烦)?(撤销|撤回|回退|退回|改回去|改回来|变回去|换回去|回到|返回)(到)?(刚才|上一步|上次|之前)?(的)?"
            r"(修改|改动|操作|那一步|那个|版本)?(吧|一下|了)?", t):  # fmt: skip
        return [("undo", {})]
    if re.fullmatch(r"(please )?(redo|redo (that|it|the last (change|edit|step))|do it again|reapply( that)?"
                    r"|bring (it|that) back|ctrl[- ]?y)( please)?", t) or t in (
        "重做", "恢复", "重做上一步", "恢复刚才的修改", "恢复撤销", "恢复上一步", "重新应用", "撤销撤销", "重做一下") or re.fullmatch(
            r"(请|麻烦)?(重做|再做|重新做|恢复|还原)(一次|一遍|一下)?(刚才|刚刚)?(撤销|撤回)?(的)?(修改|改动|操作|那一步)?(吧|一下)?", t):  # fmt: skip
        return [("redo", {})]
    return None


@rule(1)
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


_ASK_EN = re.compile(
    r"^(?:what(?:'s| is| does| do| happens)?|which|describe|tell me (?:about|what)|show me what|remind me what"
    r"|can you (?:describe|tell me)|how does)\b"
)
_ASK_ZH = re.compile(
    r"(什么|啥|哪些|怎么样|介绍一下|描述一下|说说|讲讲|看看).{0,6}$|内容是|讲的是|说的是|是怎样的"
)


@rule(1)
def _rule_scene_info(c: _Clause) -> list[Call] | None:
    """ "what's in scene 4?", "what does scene 2 say?", "describe the last scene", "第3个场景是什么内容？"."""
    t = c.t.strip(" .!。！?？")
    refs = _refs(c)
    if len(refs) != 1 or c.quotes:
        return None
    if c.zh:
        if not _ASK_ZH.search(t) or re.search(r"改|换|删|去掉|加|变|调|移|放|设", t):
            return None
    elif not _ASK_EN.search(t) or re.search(r"\b(?:to|into|instead|if|were|was|would|could)\b", t):
        return None
    return [("describe_scene", {"scene": refs[0]})]
