"""Read-only timeline summary, and undo/redo along the session's history."""

from __future__ import annotations

from promptreel.agent.edits.base import Args, EditContext, EditRefused, Result, capability
from promptreel.draft.model import Draft
from promptreel.draft.query import summary


class NoArgs(Args):
    pass


@capability(
    "show_timeline",
    "Describe what is on the timeline (read only).",
    NoArgs,
)
def show_timeline(draft: Draft, ctx: EditContext) -> Result:
    return draft, {"what": "summary", "summary": summary(draft), "readonly": True}


@capability(
    "undo",
    "Undo the last change.",
    NoArgs,
)
def undo(draft: Draft, ctx: EditContext) -> Result:
    if not ctx.history.can_undo:
        raise EditRefused("nothing_to_undo", "There is nothing to undo yet.")
    prev, _ = ctx.history.undo(draft)
    return prev, {"what": "undo", "before": summary(draft), "after": summary(prev)}


@capability(
    "redo",
    "Redo the last undone change.",
    NoArgs,
)
def redo(draft: Draft, ctx: EditContext) -> Result:
    if not ctx.history.can_redo:
        raise EditRefused("nothing_to_redo", "There is nothing to redo.")
    nxt, _ = ctx.history.redo(draft)
    return nxt, {"what": "redo", "before": summary(draft), "after": summary(nxt)}
