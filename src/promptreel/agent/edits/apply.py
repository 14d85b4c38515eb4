"""Running one capability: validate its arguments, apply it, then re-check the draft's invariants
(:mod:`promptreel.agent.edits.invariants`), the one path every caller (rules, LLM, tools) takes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from promptreel.agent.edits.base import TOOLS, EditContext, EditRefused, Result, validate
from promptreel.agent.edits.invariants import recheck
from promptreel.draft.model import Draft
from promptreel.errors import PromptreelError

__all__ = ["apply_tool"]


def apply_tool(draft: Draft, ctx: EditContext, name: str, args: Mapping[str, Any]) -> Result:
    """Run one capability by name with validated arguments; raises :class:`EditRefused` on bad calls."""
    clean, ignored = validate(name, args)
    tool = TOOLS[name]

    try:
        new, result = tool.fn(draft, ctx, **clean)
        new, result = recheck(name, draft, new, ctx, result)
        if ignored:
            result = {**result, "ignored_args": ignored}
        return new, result
    except EditRefused:
        raise
    except PromptreelError as e:
        raise EditRefused("invalid", e.message, tool=name) from e
    except (TypeError, ValueError) as e:
        raise EditRefused("bad_args", f"{name}: {e}", tool=name) from e
