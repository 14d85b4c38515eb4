"""Burned-in captions: inside the safe area (:func:`promptreel.render.safezone.safe_box` —
above the platform bands on vertical canvases), at most two lines, on a semi-transparent
rounded backdrop, with optional word-by-word highlight from ``meta.words``.

Track style (``track.meta.style``): ``color`` (text), ``size`` (px at the draft's canvas),
``position`` (``bottom`` | ``top`` | ``center``), ``bg`` (backdrop ``#RRGGBB[AA]``, or
``"none"``), ``highlight`` (``true`` or a color: the word being spoken is lit, karaoke-style).

A caption longer than two lines at the smallest allowed size is shown in pages of two lines,
paced by the word timings when present, else by character count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import skia

from promptreel.draft import Segment
from promptreel.render import text as tx
from promptreel.render.damage import Area, box
from promptreel.render.easing import ease_out_cubic, progress
from promptreel.render.palette import parse_color
from promptreel.render.safezone import Box, is_vertical, safe_box

__all__ = ["CaptionRenderer", "caption_box", "SAFE_MARGIN"]

#: title-safe margin as a fraction of each dimension on landscape and square canvases
SAFE_MARGIN = 0.05
_HIGHLIGHT = 0xFFFFD54A


@dataclass(frozen=True, slots=True)
class _Page:
    first: int  # token range [first, end)
    end: int
    start_ms: float
    block: tx.Block


def caption_box(width: int, height: int, position: str = "bottom") -> Box:
    """The region captions may occupy: (x, y, w, h) inside :func:`safe_box`. Bottom captions
    sit at the foot of the safe area — on vertical canvases just above the platform band."""
    safe = safe_box(width, height)
    vertical = is_vertical(width, height)
    band = height * (0.16 if vertical else 0.2)
    if position == "top":
        return Box(safe.x, safe.y, safe.w, band)
    if position == "center":
        return Box(safe.x, safe.cy - band / 2, safe.w, band)
    lift = height * (0.01 if vertical else 0.03)
    return Box(safe.x, safe.bottom - lift - band, safe.w, band)


def _words(meta: Mapping[str, Any]) -> list[tuple[str, float, float]]:
    out: list[tuple[str, float, float]] = []
    raw = meta.get("words")
    if not isinstance(raw, list | tuple):
        return out
    for item in raw:
        if isinstance(item, list | tuple) and len(item) >= 3:
            try:
                word, s, e = str(item[0]), float(item[1]), float(item[2])
            except (TypeError, ValueError):
                continue
            if word.strip():
                out.append((word.strip(), s, e))
    return out


def _spoken_tokens(words: list[str]) -> tuple[tx.Token, ...]:
    """Timed words as tokens: a space only between two words of spaced script, so "满" "50元"
    reads "满50元" while "iPhone" "15" keeps its space."""
    out: list[tx.Token] = []
    for i, w in enumerate(words):
        prev = words[i - 1] if i else ""
        latin = any(c.isalnum() for c in w) and not tx.is_cjk(w[0])
        out.append(tx.Token(w, gap=latin and not (prev and tx.is_cjk(prev[-1]))))
    return tuple(out)


class CaptionRenderer:
    """One ``caption`` segment; ``style`` is the captions track's style mapping."""

    def __init__(
        self, segment: Segment, style: Mapping[str, Any], width: int, height: int, scale: float
    ) -> None:
        self.seg = segment
        self.w, self.h = width, height
        m = min(width, height)
        self.position = str(style.get("position") or "bottom")
        if self.position not in ("bottom", "top", "center"):
            self.position = "bottom"
        default_size = m * (0.048 if width >= height else 0.056)
        try:
            size = float(style.get("size") or 0) * scale
        except (TypeError, ValueError):
            size = 0.0
        size = size if size > 0 else default_size
        size = max(m * 0.02, min(size, m * 0.12))
        color = parse_color(style.get("color"), 0xFFFFFFFF)
        bg_raw = style.get("bg")
        self.bg = (
            0
            if bg_raw in ("none", "transparent", False)
            else parse_color(bg_raw, 0x8C000000)
            if bg_raw
            else 0x8C000000
        )
        if isinstance(bg_raw, str) and len(bg_raw.strip().lstrip("#")) == 6:
            self.bg = (self.bg & 0xFFFFFF) | 0x8C000000  # opaque colour given: keep it see-through
        shadow = 0 if self.bg else 0xCC000000
        self.style = tx.TextStyle(
            size=size,
            color=color,
            weight=600,
            kind="text",
            font=str(style.get("font") or ""),
            shadow=shadow,
            shadow_blur=size * 0.08 if shadow else 0.0,
            shadow_dy=size * 0.04 if shadow else 0.0,
            line_height=1.3,
        )
        # karaoke: ``highlight`` true (default colour) or a colour lights the word being spoken
        hl = style.get("highlight")
        self.karaoke = bool(hl) and not (
            isinstance(hl, str) and hl.strip().lower() in ("none", "off", "false")
        )
        self.highlight = parse_color(hl if isinstance(hl, str) else None, _HIGHLIGHT)
        self.words = _words(segment.meta)
        if self.words:
            self.tokens = _spoken_tokens([w for w, _s, _e in self.words])
        else:
            self.tokens = tx.tokenize(str(segment.meta.get("text") or ""))
        _bx, _by, bw, _bh = caption_box(width, height, self.position)
        self.pad_x, self.pad_y = size * 0.6, size * 0.28
        self.max_w = bw - 2 * self.pad_x
        self.pages = self._paginate()

    def _paginate(self) -> list[_Page]:
        if not self.tokens:
            return []
        whole = tx.fit(self.tokens, self.style, self.max_w, 1e9, max_lines=2, min_size=self.style.size * 0.78)
        if whole.lines <= 2:
            self.style = self.style.sized(whole.size)
            return [_Page(0, len(self.tokens), 0.0, whole)]
        self.style = self.style.sized(whole.size)
        pages: list[_Page] = []
        first = 0
        n = len(self.tokens)
        while first < n:
            end = first + 1
            while end < n and tx.layout(self.tokens[first : end + 1], self.style, self.max_w).lines <= 2:
                end += 1
            block = tx.layout(self.tokens[first:end], self.style, self.max_w)
            pages.append(_Page(first, end, 0.0, block))
            first = end
        # pacing: word timings if present, else by share of characters
        if self.words:
            return [_Page(p.first, p.end, self.words[p.first][1], p.block) for p in pages]
        total = sum(len(t.text) for t in self.tokens) or 1
        out: list[_Page] = []
        done = 0
        for p in pages:
            out.append(_Page(p.first, p.end, self.seg.duration * done / total, p.block))
            done += sum(len(t.text) for t in self.tokens[p.first : p.end])
        return out

    def _page_at(self, t: float) -> _Page:
        page = self.pages[0]
        for p in self.pages:
            if p.start_ms <= t:
                page = p
        return page

    def _current_word(self, t: float) -> int:
        current = -1
        for i, (_w, s, _e) in enumerate(self.words):
            if s <= t:
                current = i
        return current

    def _state(self, t: float) -> tuple[int, int, bool]:
        if not self.pages:
            return (-1, -1, True)
        page = self._page_at(t)
        return (
            page.first,
            self._current_word(t) if self.words and self.karaoke else -1,
            t - page.start_ms >= 140,
        )

    def static(self, t0: float, t1: float) -> bool:
        """Same picture at both times: same page, same highlighted word, entry finished."""
        a, b = self._state(t0), self._state(t1)
        return a == b and a[2]

    def _box(self, page: _Page, t_ms: float) -> tuple[float, float, float, float, float]:
        """x, y, w, h of the page's backing box at ``t_ms``, and how far it has entered."""
        block = page.block
        bx, by, bw, bh = caption_box(self.w, self.h, self.position)
        box_w = block.width + 2 * self.pad_x
        box_h = block.height + 2 * self.pad_y
        x = bx + (bw - box_w) / 2
        if self.position == "bottom":
            y = by + bh - box_h
        elif self.position == "top":
            y = by
        else:
            y = by + (bh - box_h) / 2
        enter = ease_out_cubic(progress(t_ms - page.start_ms, 0, 140))
        y += (1 - enter) * self.style.size * 0.25
        return x, y, box_w, box_h, enter

    def damage(self, t0: float, t1: float) -> list[Area]:
        """The caption's box at both times (with its text's shadow), or nothing when static."""
        if self.static(t0, t1):
            return []
        margin = self.style.size * 0.5 + self.style.shadow_blur * 3 + 2
        out: list[Area] = []
        for t in (t0, t1):
            x, y, w, h, _ = self._box(self._page_at(t), t)
            out.append(box(x, y, w, h, margin))
        return out

    def draw(self, canvas: skia.Canvas, t_ms: float) -> None:
        if not self.pages:
            return
        page = self._page_at(t_ms)
        block = page.block
        x, y, box_w, box_h, enter = self._box(page, t_ms)
        if self.bg:
            paint = skia.Paint(AntiAlias=True, Color=self.bg)
            paint.setAlphaf(paint.getAlphaf() * enter)
            r = self.style.size * 0.45
            canvas.drawRoundRect(skia.Rect.MakeXYWH(x, y, box_w, box_h), r, r, paint)
        tokens = self.tokens[page.first : page.end]
        styles: dict[int, tx.TextStyle] = {}
        if self.words and self.karaoke:
            cur = self._current_word(t_ms) - page.first
            if 0 <= cur < len(tokens):
                styles[cur] = self.style.colored(self.highlight)
        tx.draw_block(
            canvas,
            tokens,
            block,
            self.style,
            x + self.pad_x,
            y + self.pad_y,
            block.width,
            align="center",
            alpha=enter,
            styles=styles,
        )
