"""The edit capabilities, one module per noun; importing the package fills the registries."""

from promptreel.agent.edits import (  # noqa: F401  (imported to register)
    about,
    add_scene,
    aspect,
    captions,
    colours,
    ending,
    length,
    music,
    narration,
    overlays,
    replace,
    scenes,
    text_size,
    timeline,
    title,
    transitions,
    visuals,
    voice,
    wishes,
)
from promptreel.agent.edits.apply import apply_tool
from promptreel.agent.edits.base import (
    ASPECTS,
    INVALID_CALL,
    TOOLS,
    Args,
    EditContext,
    EditRefused,
    Result,
    Tool,
    capability,
    tool_schemas,
    validate,
)

__all__ = [
    "ASPECTS",
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
    "INVALID_CALL",
]
