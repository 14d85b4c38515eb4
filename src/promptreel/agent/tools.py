"""The editing tools as one table: the capabilities of :mod:`promptreel.agent.edits`.

Each capability is a pure function ``draft → (draft, result)`` with a pydantic arguments model;
the rule-based editor and the LLM editor call the same ones through :func:`apply_tool`, which
validates every call. A tool never mutates its input and raises :class:`EditRefused` (with a
reason key and parameters the reply can phrase in either language) when a request cannot be
done; the caller then keeps the draft untouched.

Results are small JSON objects: ``what`` (the kind of change), ``name``, ``scene``, ``timing``
(``"4-9s"``), ``before`` / ``after`` and sometimes ``note`` with extra keys.
"""

from __future__ import annotations

from promptreel.agent.edits import (
    ASPECTS,
    INVALID_CALL,
    TOOLS,
    Args,
    EditContext,
    EditRefused,
    Result,
    Tool,
    apply_tool,
    capability,
    tool_schemas,
    validate,
)
from promptreel.agent.edits.voice import Voice, voices

__all__ = [
    "ASPECTS",
    "INVALID_CALL",
    "TOOLS",
    "Args",
    "EditContext",
    "EditRefused",
    "Result",
    "Tool",
    "apply_tool",
    "capability",
    "tool_schemas",
    "validate",
    "voices",
    "Voice",
]
