"""Layouts built around one big block: ``stat``, ``chart``, ``quote``, ``countdown``,
``greeting``, ``compare`` and ``cta``."""

from __future__ import annotations

from promptreel.render import text as tx
from promptreel.render.layouts.base import Ctx, headline_band, same_size, stack, top_icon
from promptreel.render.layouts.elements import (
    ChartBox,
    Counter,
    Element,
    Icon,
    Ring,
    SceneSpec,
    Shape,
    Text,
    fitted,
    resized,
    split_number,
)
from promptreel.render.palette import with_alpha
from promptreel.render.safezone import Box

__all__ = [
    "stat_layout",
    "chart_layout",
    "quote_layout",
    "countdown_layout",
    "greeting_layout",
    "compare_layout",
    "cta_layout",
]


def _caption(
    ctx: Ctx,
    text: str,
    style: tx.TextStyle,
    box: Box,
    min_frac: float,
    at: float,
    role: str = "label",
    *,
    max_lines: int = 2,
    valign: str = "top",
) -> Text:
    """A secondary text (label, attribution, kicker, detail): at most ``max_lines`` lines hanging
    from the top of ``box``, shrinking to ``min_frac`` of the canvas's short side at the least."""
    return fitted(
        text, style, box, max_lines=max_lines, min_size=ctx.m * min_frac, valign=valign, at=at, role=role
    )


def _icon_in(slot: Box, name: str, at: float) -> Icon:
    """An icon with a halo, the largest square centred in ``slot``."""
    k = min(slot.w, slot.h)
    return Icon(Box(slot.cx - k / 2, slot.cy - k / 2, k, k), name, at, "icon", True)


def _big_value(ctx: Ctx, value: str, box: Box, at: float, *, count: bool) -> Element:
    """A big number: counting up when it is one short numeric line, else fitted static text."""
    style = ctx.display(min(box.h * 0.8, ctx.m * 0.3), ctx.strong(ctx.pal.bg_mid), 900)
    # one line while it stays big, else two
    t = fitted(value, style, box, max_lines=1, min_size=min(box.h * 0.3, ctx.m * 0.1), at=at, role="value")
    if count and t.block.lines == 1 and split_number(value) is not None:
        return Counter(box, value, t.style, at, 1300.0, "value")
    return t


def stat_layout(ctx: Ctx, spec: SceneSpec) -> list[Element]:
    if ctx.wide and spec.icon:  # a wide frame: the picture beside the number, as large as it
        head, region = headline_band(ctx, spec, ctx.content, 0.26)
        side = min(region.h * 0.72, region.w * 0.26)
        slot = Box(region.x + region.w * 0.06, region.y, side, region.h)
        icon: list[Element] = [_icon_in(slot, spec.icon, 80.0)]
        region = Box(slot.right + ctx.m * 0.04, region.y, region.right - slot.right - ctx.m * 0.04, region.h)
    else:
        icon, region = top_icon(ctx, spec, ctx.content)
        head, region = headline_band(ctx, spec, region, 0.26 if ctx.orient != "portrait" else 0.22)
    out = icon + head
    value = spec.value or (spec.items[0].value if spec.items else "")
    label = spec.label or (spec.items[0].text if spec.items else "")
    if not value:
        return out
    vbox, rest = region.split_top(region.h * (0.62 if label else 1.0), gap=ctx.m * 0.01)
    out.append(_big_value(ctx, value, vbox, 450.0, count=True))
    if label:
        lbox = Box(rest.x + rest.w * 0.05, rest.y, rest.w * 0.9, min(rest.h, ctx.m * 0.2))
        out.append(_caption(ctx, label, ctx.display(ctx.m * 0.055, weight=600), lbox, 0.025, 900.0))
    return out


def chart_layout(ctx: Ctx, spec: SceneSpec) -> list[Element]:
    head, region = headline_band(ctx, spec, ctx.content, 0.2 if ctx.orient != "portrait" else 0.17)
    if not spec.chart:
        return head
    w = min(region.w, region.h * (1.9 if ctx.wide else 1.3), ctx.m * 1.5)
    box = Box(region.cx - w / 2, region.y, w, region.h)
    return [*head, ChartBox(box, spec.chart, 500.0, "chart")]


def quote_layout(ctx: Ctx, spec: SceneSpec) -> list[Element]:
    region = ctx.content
    out: list[Element] = []
    if spec.headline:  # a small kicker above the quote
        kick, region = region.split_top(region.h * 0.12, gap=ctx.m * 0.02)
        style = ctx.display(ctx.m * 0.045 * spec.headline_scale, ctx.strong(ctx.pal.bg_mid), 700)
        out.append(_caption(ctx, spec.headline, style, kick, 0.02, 100.0, "headline", valign="bottom"))
    quote = spec.quote or spec.label or spec.headline
    if not quote:
        return out
    width = min(region.w, ctx.m * 1.45)
    area = Box(region.cx - width / 2, region.y, width, region.h)
    mark = min(ctx.m * 0.14, area.h * 0.18)
    gap = ctx.m * 0.025
    by_h = min(area.h * 0.14, ctx.m * 0.11) if spec.by else 0.0
    body_h = area.h - mark - by_h - gap * (2 if spec.by else 1)
    style = ctx.display(ctx.m * 0.085, weight=700)
    q = fitted(quote, style, Box(area.x, 0, area.w, body_h), max_lines=6, min_size=ctx.m * 0.03)
    # the mark, the quote and the attribution as one group, centred
    heights = [mark, q.block.height] + ([by_h] if spec.by else [])
    slots = stack(area, heights, gap)
    accent = ctx.strong(ctx.pal.bg_mid)
    m_box = slots[0]
    out.append(
        Shape("quote", Box(m_box.cx - m_box.h / 2, m_box.y, m_box.h, m_box.h), accent, 200.0, "quote-mark")
    )
    out.append(fitted(quote, q.style, slots[1], max_lines=6, min_size=4.0, at=350.0, role="quote"))
    if spec.by:
        by = spec.by if spec.by.startswith(("—", "-", "–")) else f"— {spec.by}"
        out.append(
            _caption(
                ctx, by, ctx.display(ctx.m * 0.055, accent, 700, shadow=False), slots[2], 0.02, 900.0, "by"
            )
        )
    return out


def countdown_layout(ctx: Ctx, spec: SceneSpec) -> list[Element]:
    head, region = headline_band(ctx, spec, ctx.content, 0.2 if ctx.orient != "portrait" else 0.18)
    out: list[Element] = list(head)
    value = spec.value or (spec.items[0].text if spec.items else "")
    label_h = min(region.h * 0.18, ctx.m * 0.12) if spec.label else 0.0
    gap = ctx.m * 0.025
    d = min(region.w * 0.8, region.h - label_h - gap, ctx.m * 0.62)
    slots = stack(region, [d, label_h] if label_h else [d], gap)
    ring = Box(region.cx - slots[0].h / 2, slots[0].y, slots[0].h, slots[0].h)
    d = ring.w
    out.append(
        Ring(ring, ctx.strong(ctx.pal.bg_mid), with_alpha(ctx.pal.text, 0.16), 300.0, ctx.duration, "ring")
    )
    if value:
        inner = ring.inset(d * 0.16)
        out.append(_big_value(ctx, value, inner, 450.0, count=False))
    if spec.label:
        lbox = Box(region.x, ring.bottom + ctx.m * 0.02, region.w, label_h)
        out.append(_caption(ctx, spec.label, ctx.display(ctx.m * 0.055, weight=600), lbox, 0.022, 800.0))
    return out


def greeting_layout(ctx: Ctx, spec: SceneSpec) -> list[Element]:
    region = ctx.content
    icons = spec.icons or ((spec.icon,) if spec.icon else ())
    icons = icons[:6]
    out: list[Element] = []
    s = ctx.m * (0.2 if ctx.wide else 0.22)
    if ctx.wide and icons:
        # icons in the side columns, the greeting in the middle
        side = min(s * 1.1, region.w * 0.2)
        left, right = icons[::2], icons[1::2]
        for col, names in ((region.x, left), (region.right - side, right)):
            slots = Box(col, region.y, side, region.h).rows(max(1, len(names)), gap=ctx.m * 0.03)
            for slot, name in zip(slots, names, strict=False):
                out.append(_icon_in(slot, name, 150.0 + 120 * len(out)))
        middle = Box(region.x + side + ctx.m * 0.04, region.y, region.w - 2 * side - ctx.m * 0.08, region.h)
    elif icons:
        above, below = icons[: (len(icons) + 1) // 2], icons[(len(icons) + 1) // 2 :]
        row_h = min(s, region.h * (0.24 if below else 0.3))
        top_row, middle = region.split_top(row_h, gap=ctx.m * 0.03)
        bottom_row = Box(
            middle.x, middle.bottom - (row_h if below else 0.0), middle.w, row_h if below else 0.0
        )
        if below:
            middle = Box(middle.x, middle.y, middle.w, middle.h - row_h - ctx.m * 0.03)
        for row, names in ((top_row, above), (bottom_row, below)):
            for slot, name in zip(row.cols(max(1, len(names)), gap=ctx.m * 0.04), names, strict=False):
                out.append(_icon_in(slot, name, 150.0 + 120 * len(out)))
    else:
        middle = region
    sub_h = min(middle.h * 0.22, ctx.m * 0.12) if spec.label else 0.0
    head_box = Box(middle.x, middle.y, middle.w, middle.h - sub_h)
    headline = spec.headline or spec.label
    if headline:
        out.append(
            fitted(
                headline,
                ctx.display(ctx.m * 0.15 * spec.headline_scale, weight=900),
                head_box,
                max_lines=3,
                min_size=ctx.m * 0.04,
                valign="bottom" if sub_h else "center",
                at=400.0,
                role="headline",
            )
        )
    if spec.label and spec.headline:
        sub = Box(middle.x, head_box.bottom + ctx.m * 0.015, middle.w, sub_h - ctx.m * 0.015)
        out.append(_caption(ctx, spec.label, ctx.display(ctx.m * 0.065, weight=600), sub, 0.022, 1000.0))
    return out


def compare_layout(ctx: Ctx, spec: SceneSpec) -> list[Element]:
    head, region = headline_band(ctx, spec, ctx.content, 0.2 if ctx.orient != "portrait" else 0.16)
    out: list[Element] = list(head)
    pair = spec.items[:2]
    if not pair:
        return out
    vs = ctx.m * 0.11
    gap = vs * (1.3 if ctx.wide else 0.85)
    if not ctx.wide:
        cards = region.rows(2, gap=gap)
    else:
        h = min(region.h, ctx.m * 0.5)
        cards = Box(region.x, region.y + (region.h - h) / 2, region.w, h).cols(2, gap=gap)
    colors = [ctx.card, ctx.card]
    heads: list[Text] = []
    details: list[Text] = []
    for i, (it, card) in enumerate(zip(pair, cards, strict=False)):
        at = 400.0 + i * 350.0
        out.append(Shape("card", card, colors[i], at, "card"))
        inner = card.inset(ctx.m * 0.04, ctx.m * (0.035 if ctx.wide else 0.022))
        if it.icon:
            k = min(inner.h * 0.28, ctx.m * 0.12)
            out.append(Icon(Box(inner.cx - k / 2, inner.y, k, k), it.icon, at + 60, "item-icon"))
            inner = Box(inner.x, inner.y + k + ctx.m * 0.015, inner.w, inner.h - k - ctx.m * 0.015)
        hb, vb = inner.split_top(
            inner.h * ((0.45 if ctx.wide else 0.52) if it.value else 1.0), gap=ctx.m * 0.015
        )
        heads.append(
            fitted(
                it.text,
                ctx.body(ctx.m * 0.075, ctx.strong(ctx.card), 800),
                hb,
                max_lines=2,
                min_size=ctx.m * 0.022,
                valign="bottom" if it.value else "center",
                at=at + 80,
                role="item",
            )
        )
        if it.value:
            style = ctx.body(ctx.m * 0.052, weight=500)
            details.append(_caption(ctx, it.value, style, vb, 0.018, at + 160, "detail", max_lines=4))
    # both sides in the same type sizes
    out += [resized(t, same_size(heads)) for t in heads]
    out += [resized(t, same_size(details)) for t in details]
    if len(pair) == 2:
        a, b = cards
        cx, cy = ((a.right + b.x) / 2, a.cy) if ctx.wide else (a.cx, (a.bottom + b.y) / 2)
        disc = Box(cx - vs / 2, cy - vs / 2, vs, vs)
        fill = ctx.strong(ctx.pal.bg_mid)
        out.append(Shape("disc", disc, fill, 650.0, "vs"))
        out.append(
            fitted(
                "vs",
                ctx.body(vs * 0.42, ctx.on(fill), 800),
                disc.inset(vs * 0.15),
                max_lines=1,
                min_size=4.0,
                at=650.0,
                role="vs-text",
                balance=False,
            )
        )
    return out


def cta_layout(ctx: Ctx, spec: SceneSpec) -> list[Element]:
    region = ctx.content
    action = spec.items[0].text if spec.items else spec.value
    gap = ctx.m * 0.04
    icon_h = min(ctx.m * 0.17, region.h * 0.19) if spec.icon else 0.0  # a picture, not a bullet
    sub_h = min(region.h * 0.14, ctx.m * 0.09) if spec.label else 0.0
    pill_h = min(region.h * 0.2, ctx.m * 0.15) if action else 0.0
    head_max = region.h - icon_h - sub_h - pill_h - gap * 3
    head = None
    if spec.headline:
        head = fitted(
            spec.headline,
            ctx.display(ctx.m * 0.11 * spec.headline_scale, weight=900),
            Box(region.x, 0, region.w, head_max),
            max_lines=3,
            min_size=ctx.m * 0.035,
            at=150.0,
            role="headline",
        )
    parts = [
        (k, hh)
        for k, hh in (
            ("icon", icon_h),
            ("head", head.block.height if head else 0.0),
            ("label", sub_h),
            ("pill", pill_h),
        )
        if hh > 0
    ]
    slots = dict(zip((k for k, _ in parts), stack(region, [hh for _, hh in parts], gap), strict=True))
    out: list[Element] = []
    if "icon" in slots:
        b = slots["icon"]
        out.append(Icon(Box(b.cx - b.h / 2, b.y, b.h, b.h), spec.icon, 80.0, "icon"))
    if head is not None and "head" in slots:
        out.append(
            fitted(
                spec.headline, head.style, slots["head"], max_lines=3, min_size=4.0, at=150.0, role="headline"
            )
        )
    if "label" in slots:
        style = ctx.display(ctx.m * 0.05, weight=500)
        out.append(_caption(ctx, spec.label, style, slots["label"], 0.02, 600.0, valign="center"))
    if "pill" in slots:
        fill = ctx.pal.accent
        pill_h = slots["pill"].h
        pad = pill_h * 0.55
        style = ctx.body(pill_h * 0.36, ctx.on(fill), 800)
        want = tx.measure(action, style)[0] + 2 * pad
        pw = min(region.w, max(want, ctx.m * 0.3))
        pill = Box(region.cx - pw / 2, slots["pill"].y, pw, pill_h)
        out.append(Shape("pill", pill, fill, 800.0, "button"))
        out.append(
            fitted(
                action,
                style,
                pill.inset(pad, pill_h * 0.14),
                max_lines=1,
                min_size=pill_h * 0.22,
                at=850.0,
                role="button-text",
            )
        )
    return out
