"""Layouts made of rows: ``list`` (bullets, or a menu board when items carry values), ``steps``
(numbered badges appearing one after another) and ``place`` (date / time / place card)."""

from __future__ import annotations

import re

from promptreel.render.layouts.base import Ctx, grid, headline_band, same_size
from promptreel.render.layouts.elements import Element, Icon, Item, SceneSpec, Shape, Text, fitted, resized
from promptreel.render.safezone import Box
from promptreel.render.text import measure

__all__ = ["list_layout", "steps_layout", "place_layout"]


def _columns(ctx: Ctx, n: int, *, menu: bool = False) -> int:
    """Two columns where one would make the rows small: a wide frame has the width for four
    or more rows side by side (and too little height to stack them large). A menu board
    stays one column (prices read down one edge) up to six rows."""
    one = {"landscape": 6 if menu else 3, "portrait": 8, "square": 6}[ctx.orient]
    return 1 if n <= one else 2


def _row_cap(ctx: Ctx, n: int) -> float:
    """The tallest a row may be: few rows grow to fill the space (a phone shows two short steps
    as large as a headline's second line), many share it."""
    return ctx.m * (0.2 if n <= 2 else 0.17 if n <= 4 else 0.14)


def _row_h(ctx: Ctx, region: Box, n: int, cols: int, row_cap: float, pad_y: float, gap: float) -> float:
    rows = -(-n // cols)
    return min(row_cap, (region.h - 2 * pad_y - gap * (rows - 1)) / rows)


def _text_size(
    ctx: Ctx, row_h: float, k: float, cap: float, natural: float, room: float
) -> tuple[float, float]:
    """Item text as large as its row allows (``k`` of its height, at most ``cap`` of the short
    side) and the row height it needs. When the widest item (``natural`` px at size 1) would not
    fit ``room`` on one line, the larger of one shrunk line and two lines at most, never below a
    size a phone still reads."""
    size = min(row_h * k, ctx.m * cap)
    if natural <= 0 or natural * size <= room:
        return size, max(size / k, ctx.m * 0.06)
    one = room / natural
    two = min(row_h / 2.6, ctx.m * cap, 1.8 * room / natural)
    if two > one * 1.15:
        return max(two, ctx.m * 0.034), max(two, ctx.m * 0.034) * 2.6
    one = max(one, ctx.m * 0.034)
    return one, max(one / k, ctx.m * 0.06)


def _aside(ctx: Ctx, spec: SceneSpec, region: Box, cols: int) -> tuple[float, Box]:
    """On a wide frame the scene's picture stands beside one column of rows: (its side, the
    region left for the rows). No room or no picture: (0, the whole region)."""
    if not (ctx.wide and spec.icon and cols == 1) or region.w < ctx.m * 1.25:
        return 0.0, region
    side = min(region.h * 0.62, region.w * 0.24, ctx.m * 0.42)
    gap = ctx.m * 0.06
    return side, Box(region.x + side + gap, region.y, region.w - side - gap, region.h)


def _with_picture(ctx: Ctx, spec: SceneSpec, region: Box, side: float, group: Box) -> tuple[Icon, float]:
    """The scene's picture left of ``group`` (the rows' own box), the pair centred across
    ``region``: (the picture, how far right the rows move)."""
    gap = ctx.m * 0.06
    left = region.cx - (side + gap + group.w) / 2
    icon = Icon(Box(left, group.cy - side / 2, side, side), spec.icon, 120.0, "icon", True)
    return icon, left + side + gap - group.x


def _natural(ctx: Ctx, items: tuple[Item, ...], size: float, lead: float, menu: bool) -> float:
    """The width one column of rows wants at ``size``: lead (icon, bullet, badge) + text
    (+ a short leader and the value for menus)."""
    style = ctx.body(size, weight=700)
    widest = 0.0
    for it in items:
        w = lead + measure(it.text, style)[0]
        if menu and it.value:
            w += size * 3.5 + measure(it.value, ctx.body(size, weight=800))[0]
        widest = max(widest, w)
    return widest


def _board(
    ctx: Ctx, region: Box, items: tuple[Item, ...], cols: int, row_cap: float, *, lead: float, menu: bool
) -> tuple[Shape, list[Box], float]:
    """A card holding the rows, as wide as they need (within limits), centred in ``region``;
    returns the card, the row boxes and the rows' text size."""
    n = len(items)
    pad_x, pad_y = ctx.m * 0.05, ctx.m * 0.035
    gap = ctx.m * 0.012
    row_h = _row_h(ctx, region, n, cols, row_cap, pad_y, gap)
    limit = min(region.w, ctx.m * (1.25 if cols == 1 else 1.6))
    room = (limit - 2 * pad_x - gap * 2.5 * (cols - 1)) / cols - lead * row_h
    unit = _natural(ctx, items, 100.0, 0.0, menu) / 100.0
    size, hug = _text_size(ctx, row_h, 0.55, 0.08, unit, room)
    row_h = min(row_h, hug)  # rows hug their text
    want = _natural(ctx, items, size, lead * row_h, menu) * cols + gap * 2.5 * (cols - 1) + 2 * pad_x
    # as wide as the rows need: a short list is a compact card, not two words in a corner
    width = min(limit, max(want, ctx.m * 0.45))
    rows = -(-n // cols)
    height = rows * row_h + gap * (rows - 1) + 2 * pad_y
    card = Box(region.cx - width / 2, region.y + (region.h - height) / 2, width, height)
    boxes = grid(card.inset(pad_x, pad_y), n, cols, row_h, gap)
    return Shape("card", card, ctx.card, 250.0, "card"), boxes, size


def _top_slot(ctx: Ctx, spec: SceneSpec, region: Box, n: int) -> tuple[float, Box]:
    """On a tall or square frame, the room kept above a few rows for the scene's picture (a
    short list is not a small card in an empty frame): (its side, the region left for the rows)."""
    if ctx.wide or not spec.icon or n > 3:
        return 0.0, region
    side = min(ctx.m * 0.3, region.h * 0.3)
    gap = ctx.m * 0.04
    return side, Box(region.x, region.y + side + gap, region.w, max(0.0, region.h - side - gap))


def _above(ctx: Ctx, spec: SceneSpec, region: Box, used_h: float, side: float) -> tuple[list[Element], float]:
    """The scene's picture above rows ``used_h`` tall, the pair centred in ``region``, where a
    slot was kept (``side``) or the rows leave room: ([the picture], the rows' top), else ([], 0)."""
    free = region.h - used_h
    gap = ctx.m * 0.04
    if ctx.wide or not spec.icon:
        return [], 0.0
    if not side:
        if free < ctx.m * 0.26:
            return [], 0.0
        side = min(free * 0.62, ctx.m * 0.34)
    side = min(side, free - gap)
    top = region.y + (region.h - side - gap - used_h) / 2
    icon = Icon(Box(region.cx - side / 2, top, side, side), spec.icon, 120.0, "icon", True)
    return [icon], top + side + gap


def _placed_board(
    ctx: Ctx,
    spec: SceneSpec,
    region: Box,
    items: tuple[Item, ...],
    row_cap: float,
    *,
    lead: float,
    menu: bool,
) -> tuple[list[Element], list[Box], float]:
    """The card of rows, with the scene's picture beside it where the frame is wide."""
    cols = _columns(ctx, len(items), menu=menu)
    side, rest = _aside(ctx, spec, region, cols)
    if not side:
        keep, rest = _top_slot(ctx, spec, region, len(items))
    card, boxes, size = _board(ctx, rest, items, cols, row_cap, lead=lead, menu=menu)
    if not side:
        pic, top = _above(ctx, spec, region, card.box.h, keep)
        if not pic:
            return [card], boxes, size
        below = Box(region.x, top, region.w, card.box.h)
        card, boxes, size = _board(ctx, below, items, cols, row_cap, lead=lead, menu=menu)
        return [*pic, card], boxes, size
    icon, dx = _with_picture(ctx, spec, region, side, card.box)
    card, boxes, size = _board(
        ctx, Box(rest.x + dx, rest.y, rest.w, rest.h), items, cols, row_cap, lead=lead, menu=menu
    )
    return [icon, card], boxes, size


def _row_at(i: int) -> float:
    return 450.0 + i * 130.0


def list_layout(ctx: Ctx, spec: SceneSpec) -> list[Element]:
    out, region = headline_band(ctx, spec, ctx.content, 0.2 if ctx.orient != "portrait" else 0.17)
    items = spec.items or (Item(spec.label),) if (spec.items or spec.label) else ()
    if not items:
        return out
    menu = any(it.value for it in items)
    lead = 1.0 if any(it.icon for it in items) else 0.0 if menu else 0.55
    board, boxes, size = _placed_board(
        ctx, spec, region, items, _row_cap(ctx, len(items)), lead=lead, menu=menu
    )
    out += board
    names: list[Text] = []
    values: list[Text] = []
    marks: list[Element] = []
    for i, (it, row) in enumerate(zip(items, boxes, strict=True)):
        at = _row_at(i)
        x = row.x
        if it.icon:
            s = row.h * 0.8
            marks.append(Icon(Box(x, row.cy - s / 2, s, s), it.icon, at, "item-icon"))
            x += s + ctx.m * 0.02
        elif not menu:
            d = size * 0.36
            marks.append(
                Shape("disc", Box(x + d * 0.2, row.cy - d / 2, d, d), ctx.strong(ctx.card), at, "bullet")
            )
            x += d * 0.2 + d + size * 0.6
        value_w = 0.0
        if menu and it.value:
            style = ctx.body(size, ctx.strong(ctx.card), 800)
            value_w = min(measure(it.value, style)[0], row.w * 0.42)
            values.append(
                fitted(
                    it.value,
                    style,
                    Box(row.right - value_w, row.y, value_w, row.h),
                    max_lines=1,
                    min_size=ctx.m * 0.02,
                    align="right",
                    at=at + 80,
                    role="value",
                    balance=False,
                )
            )
        name_w = row.right - x - (value_w + size * 1.6 if value_w else 0.0)
        names.append(
            fitted(
                it.text,
                ctx.body(size),
                Box(x, row.y, name_w, row.h),
                max_lines=2,
                min_size=ctx.m * 0.022,
                align="left",
                at=at,
                role="item",
                balance=True,  # two even lines, never one word alone
            )
        )
    size = same_size(names + values)
    names = [resized(t, size) for t in names]
    values = [resized(t, size) for t in values]
    out += marks
    out += names
    # values sit on the baseline of their name's last line, joined by a dotted leader
    vi = 0
    for it, name in zip(items, names, strict=True):
        if not (menu and it.value):
            continue
        v = values[vi]
        vi += 1
        last = name.block.lines - 1
        base = name.baseline(last) if name.tokens else name.box.cy
        lh = v.block.line_height
        top = base - (lh + v.style.size * 0.72) / 2
        v = Text(Box(v.box.x, top, v.box.w, lh), v.tokens, v.block, v.style, "right", "top", v.at, "value")
        out.append(v)
        x0 = (name.line_right(last) if name.tokens else name.box.x) + size * 0.4
        x1 = v.ink.x - size * 0.4
        dot = max(2.0, size * 0.12)
        if x1 - x0 > size * 0.6:
            out.append(Shape("leader", Box(x0, base - dot * 1.6, x1 - x0, dot), ctx.card_ink, v.at, "leader"))
    return out


def steps_layout(ctx: Ctx, spec: SceneSpec) -> list[Element]:
    out, region = headline_band(ctx, spec, ctx.content, 0.2 if ctx.orient != "portrait" else 0.17)
    items = spec.items
    if not items:
        return out
    n = len(items)
    cols = _columns(ctx, n)
    side, rest = _aside(ctx, spec, region, cols)
    keep, rest = (0.0, rest) if side else _top_slot(ctx, spec, region, n)
    gap = ctx.m * 0.018
    row_h = _row_h(ctx, rest, n, cols, _row_cap(ctx, n), 0.0, gap)
    limit = min(rest.w, ctx.m * (1.3 if cols == 1 else 1.65))
    room = (limit - ctx.m * 0.05 * cols) / cols - min(row_h * 0.82, ctx.m * 0.13) * 1.35
    unit = _natural(ctx, items, 100.0, 0.0, False) / 100.0
    size, hug = _text_size(ctx, row_h, 0.44, 0.08, unit, room)
    row_h = min(row_h, hug)  # rows hug their text
    want = _natural(ctx, items, size, min(row_h * 0.82, ctx.m * 0.13) * 1.35, False) * cols
    width = min(limit, max(want + ctx.m * 0.05 * cols, ctx.m * 0.45))
    area = Box(rest.cx - width / 2, rest.y, width, rest.h)
    if side:
        rows = -(-n // cols)
        total = rows * row_h + gap * (rows - 1)
        icon, dx = _with_picture(ctx, spec, region, side, Box(area.x, area.cy - total / 2, width, total))
        out.append(icon)
        area = Box(area.x + dx, area.y, area.w, area.h)
    else:
        rows = -(-n // cols)
        total = rows * row_h + gap * (rows - 1)
        pic, top = _above(ctx, spec, region, total, keep)
        out += pic
        area = Box(area.x, top, area.w, total) if pic else area
    boxes = grid(area, n, cols, row_h, gap)
    # one after another across the scene (after the headline), the last one with time to read
    span = max(250.0, min(2500.0, (ctx.duration - 1800.0) / n))
    texts: list[Text] = []
    for i, (it, row) in enumerate(zip(items, boxes, strict=True)):
        at = 600.0 + i * span
        d = min(row.h * 0.82, ctx.m * 0.13)
        badge = Box(row.x, row.cy - d / 2, d, d)
        fill = ctx.strong(ctx.pal.bg_mid)
        out.append(Shape("disc", badge, fill, at, "badge"))
        out.append(
            fitted(
                str(i + 1),
                ctx.body(d * 0.5, ctx.on(fill), 800),
                badge.inset(d * 0.12),
                max_lines=1,
                min_size=4.0,
                at=at,
                role="number",
                balance=False,
            )
        )
        x = badge.right + d * 0.35
        texts.append(
            fitted(
                it.text or it.value,
                ctx.display(size, weight=700),
                Box(x, row.y, row.right - x, row.h),
                max_lines=2,
                min_size=ctx.m * 0.022,
                align="left",
                at=at + 60,
                role="item",
                balance=True,  # two even lines, never one word alone
            )
        )
    size = same_size(texts)
    out += [resized(t, size) for t in texts]
    return out


_TIME = re.compile(r"\d{1,2}\s*[:：.]\s*\d{2}|\d\s*(am|pm|a\.m\.|p\.m\.)\b|[点時时]|o'clock", re.I)
_DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\b"
    r"|\d{1,4}\s*[/-]\s*\d{1,2}|[月日号號]|星期|周[一二三四五六日天]|\b(19|20)\d\d\b|today|tomorrow",
    re.I,
)


def glyph_for(text: str, index: int) -> str:
    """The drawn icon for a place-card row: a clock for times, a calendar for dates, else a pin."""
    if _TIME.search(text):
        return "clock"
    if _DATE.search(text):
        return "calendar"
    del index  # neither a time nor a date: a place
    return "pin"


def place_layout(ctx: Ctx, spec: SceneSpec) -> list[Element]:
    out, region = headline_band(ctx, spec, ctx.content, 0.22 if ctx.orient != "portrait" else 0.18)
    items = spec.items or tuple(Item(x) for x in (spec.value, spec.label) if x)
    if not items:
        return out
    board, boxes, _ = _placed_board(
        ctx, spec, region, items, _row_cap(ctx, len(items)) * 1.1, lead=1.1, menu=False
    )
    out += board
    texts: list[Text] = []
    subs: list[Text] = []
    for i, (it, row) in enumerate(zip(items, boxes, strict=True)):
        at = _row_at(i)
        s = min(row.h * 0.78, ctx.m * 0.1)
        icon_box = Box(row.x, row.cy - s / 2, s, s)
        if it.icon:
            out.append(Icon(icon_box, it.icon, at, "item-icon"))
        else:
            out.append(
                Shape(
                    "glyph:" + glyph_for(f"{it.text} {it.value}", i),
                    icon_box,
                    ctx.strong(ctx.card),
                    at,
                    "item-icon",
                )
            )
        x = icon_box.right + s * 0.35
        box = Box(x, row.y, row.right - x, row.h)
        size = min(row.h * 0.42, ctx.m * 0.07)
        if it.value:
            top, bottom = (
                Box(box.x, box.y, box.w, box.h * 0.55),
                Box(box.x, box.y + box.h * 0.55, box.w, box.h * 0.45),
            )
            texts.append(
                fitted(
                    it.text,
                    ctx.body(size, weight=800),
                    top,
                    max_lines=1,
                    min_size=ctx.m * 0.02,
                    align="left",
                    valign="bottom",
                    at=at,
                    role="item",
                    balance=False,
                )
            )
            subs.append(
                fitted(
                    it.value,
                    ctx.body(size * 0.72, weight=500),
                    bottom,
                    max_lines=2,
                    min_size=ctx.m * 0.018,
                    align="left",
                    valign="top",
                    at=at + 80,
                    role="detail",
                    balance=False,
                )
            )
        else:
            texts.append(
                fitted(
                    it.text,
                    ctx.body(size, weight=700),
                    box,
                    max_lines=2,
                    min_size=ctx.m * 0.02,
                    align="left",
                    at=at,
                    role="item",
                    balance=True,  # two even lines, never one word alone
                )
            )
    size = same_size(texts)
    out += [resized(t, size) for t in texts]
    if subs:
        sub = same_size(subs)
        out += [resized(t, sub) for t in subs]
    return out
