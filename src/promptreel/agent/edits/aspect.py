"""The canvas shape: vertical, square or landscape."""

from __future__ import annotations

from typing import Literal

from promptreel.agent.edits.base import ASPECTS, Args, EditContext, EditRefused, Result, capability
from promptreel.draft import ops
from promptreel.draft.model import Draft


class AspectArgs(Args):
    aspect: Literal["9:16", "1:1", "16:9"]


@capability(
    "set_aspect",
    "Change the aspect ratio / orientation (9:16 vertical, 1:1 square, 16:9 landscape).",
    AspectArgs,
)
def set_aspect(draft: Draft, ctx: EditContext, aspect: str) -> Result:
    if aspect not in ASPECTS:
        raise EditRefused("bad_aspect", f"Aspect {aspect!r} is not one of 9:16, 1:1, 16:9.", aspect=aspect)
    w, h = ASPECTS[aspect]
    c = draft.canvas
    before = f"{c.aspect} ({c.width}×{c.height})"
    new = ops.set_canvas(draft, w, h, c.fps)
    return new, {"what": "aspect", "before": before, "after": f"{aspect} ({w}×{h})", "aspect": aspect}
