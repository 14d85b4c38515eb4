"""The canvas shape: vertical, square or landscape."""

from __future__ import annotations

import re
from typing import Literal

from promptreel.agent.clause import Call, _Clause, rule
from promptreel.agent.edits.base import ASPECTS, Args, EditContext, EditRefused, Result, capability
from promptreel.agent.phrases import has_any
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


# ---------------------------------------------------------------- phrasings (EN/ZH)


@rule(17)
def _rule_aspect(c: _Clause) -> list[Call] | None:
    t = c.t
    if re.search(r"(?<!\d)9\s*[:x/]\s*16(?!\d)|9比16|九比十六", t) or has_any(t, (
            "vertical", "verticle", "vertial", "portrait", "potrait", "tiktok", "tik tok", "reels", "reel", "shorts", "youtube shorts", "instagram story",
            "stories", "story format", "phone screen", "upright", "竖屏", "竖版", "竖向", "竖的", "竖着", "竖过来",
            "抖音", "快手", "视频号", "手机屏", "竖幅")):  # fmt: skip
        return [("set_aspect", {"aspect": "9:16"})]
    if re.search(r"(?<!\d)1\s*[:x/]\s*1(?!\d)|1比1|一比一", t) or has_any(
        t, ("square", "instagram post", "instagram feed", "feed post", "方形", "正方形", "方的", "方块")
    ):
        return [("set_aspect", {"aspect": "1:1"})]
    if re.search(r"(?<!\d)16\s*[:x/]\s*9(?!\d)|16比9|十六比九", t) or has_any(t, (
            "landscape", "horizontal", "widescreen", "wide screen", "youtube", "desktop", "tv format", "横屏", "横版",
            "横向", "宽屏", "横的", "横过来", "横幅")):  # fmt: skip
        return [("set_aspect", {"aspect": "16:9"})]
    return None
