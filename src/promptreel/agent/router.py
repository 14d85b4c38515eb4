"""One place that decides what a chat message is: generate, edit, undo, redo, question, export
or credits. The server, the chat CLI, MCP and the studio all send messages through it (via
``service/turns.py``), so an undo said any way — "undo", "回退", "返回上一步", "恢复撤销" —
reaches the session's real version history and costs nothing.

Deterministic and cheap: it reads the message with the same rule grammar the editor uses.
"""

from __future__ import annotations

import re
from typing import Literal

from promptreel.agent.edits.export import PROJECT_FORMATS, export_format
from promptreel.agent.edits.timeline import READONLY
from promptreel.agent.grammar import parse

__all__ = ["Kind", "route", "KINDS", "FREE"]

Kind = Literal["generate", "edit", "undo", "redo", "question", "export", "credits"]
KINDS: tuple[Kind, ...] = ("generate", "edit", "undo", "redo", "question", "export", "credits")
FREE: frozenset[str] = frozenset({"undo", "redo", "question", "export", "credits"})

_GEN_EN = re.compile(
    r"\b(make|generate|create|produce|build|render)\s+(me\s+|us\s+)?(a|an|another|new|one|my)\b[^.?!]{0,80}?"
    r"\b(video|clip|reel|film|movie|ad|commercial|promo|short)s?\b",
    re.I,
)
_GEN_ZH = re.compile(
    r"(生成|制作|做|创建|来)(一个|一段|一支|一条|个|段|条|支)[^。？！]{0,30}(视频|短片|影片)"
)
_QUESTIONS = {"help", "empty", "thanks"}
# "give me a CapCut draft", "open it in DaVinci Resolve": a project for an editor, asked without "export"
_HANDOVER = re.compile(
    r"\b(give|send|hand|make|want|need|get|open|import|save|deliver)\b|\b(draft|project|timeline|file)\b|"
    r"工程|草稿|项目|时间线|打开|给我|发我|要",
    re.I,
)


def route(message: str, has_draft: bool) -> Kind:
    """What ``message`` asks for, given whether the session already has a draft."""
    if not has_draft:
        return "generate"
    p = parse(message)
    names = [name for name, _ in p.calls]
    # one step back or forward is the session's own history; "undo the last two changes" runs
    # through the editor, which takes every step and says what came back
    if names == ["undo"] and not p.unparsed:
        return "undo"
    if names == ["redo"] and not p.unparsed:
        return "redo"
    if _GEN_EN.search(message) or _GEN_ZH.search(message):
        return "generate"
    if names:
        return "question" if set(names) <= READONLY and not p.unparsed else "edit"
    if not names and export_format(message) in PROJECT_FORMATS and _HANDOVER.search(message):
        return "export"
    if p.say and not p.unparsed:
        if "export" in p.say:
            return "export"
        if "credits" in p.say:
            return "credits"
        if set(p.say) <= _QUESTIONS:
            return "question"
    return "edit"
