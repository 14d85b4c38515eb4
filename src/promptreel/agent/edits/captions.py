"""Captions: on/off, colour, size, position."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field

from promptreel.agent.clause import (
    _CAPTIONS,
    _FONTS,
    _OFF,
    _ON,
    _REMOVE,
    Call,
    _Clause,
    _position,
    _Say,
    rule,
)
from promptreel.agent.edits.base import (
    Args,
    EditContext,
    EditRefused,
    Result,
    _caption_segments,
    _default_size,
    capability,
)
from promptreel.agent.edits.sizes import size_wish
from promptreel.agent.phrases import color, has_any
from promptreel.draft import ops
from promptreel.draft.meta import thaw
from promptreel.draft.model import Draft, TrackType
from promptreel.draft.query import span_label


class CaptionArgs(Args):
    enabled: bool | None = None
    color: str | None = None
    size_scale: float | None = Field(default=None, gt=0)
    position: Literal["bottom", "top", "center"] | None = None
    font: str | None = None


@capability(
    "set_captions",
    "Captions on/off, colour (#RRGGBB), size (scale factor), position, font family.",
    CaptionArgs,
)
def set_captions(
    draft: Draft,
    ctx: EditContext,
    enabled: bool | None = None,
    color: str | None = None,
    size_scale: float | None = None,
    position: str | None = None,
    font: str | None = None,
) -> Result:
    if all(v is None for v in (enabled, color, size_scale, position, font)):
        raise EditRefused(
            "captions_what", "Should captions be on or off, or change colour, size or position?"
        )
    if position is not None and position not in ("bottom", "top", "center"):
        raise EditRefused("bad_position", f"Captions can sit at the top, center or bottom, not {position!r}.")
    t = draft.first_track("captions")
    d = draft
    res: dict[str, Any] = {"what": "captions"}
    if t is None or not t.segments:
        if enabled is False:
            raise EditRefused("captions_same", "There are no captions to turn off.", enabled=False)
        d = _build_captions(d)
        t = d.first_track("captions")
        assert t is not None
        res.update(field="enabled", before="off", after="on", added=True)
        enabled = None
    meta: dict[str, Any] = {}
    if enabled is not None:
        was = not t.hidden
        if was == enabled and color is None and size_scale is None and position is None and font is None:
            raise EditRefused(
                "captions_same", "Captions are already " + ("on." if enabled else "off."), enabled=enabled
            )
        meta["hidden"] = None if enabled else True
        res.update(field="enabled", before="on" if was else "off", after="on" if enabled else "off")
        d = ops.set_meta(d, captions=bool(enabled))
    style = dict(thaw(t.meta.get("style", {})) or {})
    before_style = dict(style)
    if color is not None:
        style["color"] = color
        res.update(field="color", before=before_style.get("color", "#FFFFFF"), after=color)
    if size_scale is not None:
        old = int(style.get("size") or _default_size(draft, 0.048, 0.056))
        style["size"] = max(16, min(160, round(old * float(size_scale))))
        res.update(field="size", before=old, after=style["size"])
    if font is not None:
        style["font"] = font
        res.update(field="font", before=before_style.get("font") or "default", after=font)
    if position is not None:
        style["position"] = position
        res.update(field="position", before=before_style.get("position", "bottom"), after=position)
    if style != before_style:
        meta["style"] = style
        if not t.hidden or enabled:
            meta["hidden"] = None
    if meta:
        d = ops.update_track(d, t.id, meta=meta)
    final = d.track(t.id)
    assert final is not None
    res["timing"] = span_label(final.start, final.end)
    res["count"] = len(final.segments)
    return d, res


def _build_captions(draft: Draft) -> Draft:
    nt = draft.first_track("narration")
    if nt is None or not nt.segments:
        raise EditRefused("no_narration", "There is no narration to caption.")
    d, tid = ops.upsert_track(draft, "captions", TrackType.TEXT, "Captions")
    if draft.first_track("captions") is None:
        d = ops.update_track(d, tid, meta={"style": {"color": "#FFFFFF", "position": "bottom"}})
    d = ops.replace_segments(d, tid, _caption_segments(d, nt.segments))
    return ops.set_meta(d, captions=True)


# ---------------------------------------------------------------- phrasings (EN/ZH)


_BACK = re.compile(
    r"\b(?:back|again|once more|re-?enable|reinstate|restore|return)\b|回来|回去|重新|再加|恢复|还原"
)


def _back(t: str) -> bool:
    """ "put the captions back", "show the captions again", "把字幕加回来": on again."""
    return bool(_BACK.search(t))


@rule(6)
def _rule_captions(c: _Clause) -> list[Call] | None:
    t = c.t
    if not has_any(t, _CAPTIONS):
        return None
    args: dict[str, Any] = {}
    col = color(t)
    if col:
        args["color"] = col[1]
    scale = size_wish(t)  # "captions too small" wants them bigger
    if scale is not None:
        args["size_scale"] = scale
    pos = _position(t)
    if pos:
        args["position"] = pos
    for k, v in _FONTS.items():
        if has_any(t, (k,)) and ("font" in t or "字体" in t or k in ("serif", "衬线")):
            args["font"] = v
            if col and col[0] in k:
                args.pop("color", None)  # 黑体 is a typeface, not black
            break
    if has_any(t, _OFF) or has_any(t, _REMOVE):
        args = {"enabled": False}
    elif has_any(t, (*_ON, "on")) or _back(t) or not args:
        if not args and not (has_any(t, (*_ON, "on")) or _back(t)):
            raise _Say("captions_what")
        args["enabled"] = True
    return [("set_captions", args)]
