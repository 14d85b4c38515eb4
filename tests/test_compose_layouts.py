"""Scene layouts of the grammar, drawn by the real compositor at 16:9, 9:16 and 1:1: text inside
its box and inside the platform-safe area, menu values right-aligned, steps appearing over time,
long English and Chinese strings wrapped and shrunk (never cut), and a short MP4 of every layout.

``python tests/test_compose_layouts.py docs/layouts`` writes the contact sheets.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import skia

from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType
from promptreel.render.captions import caption_box
from promptreel.render.compose import Compositor
from promptreel.render.layouts import LAYOUTS, compose, layout_name
from promptreel.render.layouts.elements import Counter, Icon, Ring, Shape, Text
from promptreel.render.palette import Palette
from promptreel.render.safezone import Box, safe_box
from promptreel.render.scene import SceneRenderer
from test_compose_support import IconAssets, frame

ASPECTS = ((1920, 1080), (1080, 1920), (1080, 1080))
PAL = ["#101828", "#1E3A5F", "#F59E0B", "#38BDF8"]

LAYOUT_SCENES: dict[str, dict[str, Any]] = {
    "headline": {"headline": "Fresh coffee, every morning", "icon": "fluent-emoji-flat:hot-beverage"},
    "list": {
        "layout": "list",
        "headline": "Today's menu",
        "items": [
            {"text": "Flat white", "value": "¥28"},
            {"text": "Oat milk latte", "value": "¥32"},
            {"text": "Cold brew", "value": "¥30"},
            {"text": "Matcha latte", "value": "¥34"},
            {"text": "Almond croissant", "value": "¥22"},
        ],
        "palette": ["#1C1917", "#44403C", "#F59E0B", "#FDE68A"],
    },
    "steps": {
        "layout": "steps",
        "headline": "How to apply",
        "items": [
            {"text": "Open the careers page"},
            {"text": "Pick the role that fits you"},
            {"text": "Upload your CV and portfolio"},
            {"text": "Book a call with the team"},
        ],
        "palette": ["#0B132B", "#1C2541", "#5BC0BE", "#F4D35E"],
    },
    "stat": {
        "layout": "stat",
        "headline": "Revenue this quarter",
        "value": "12%",
        "label": "growth over last year",
        "palette": ["#052E16", "#14532D", "#4ADE80", "#FDE047"],
    },
    "chart": {
        "layout": "chart",
        "headline": "Monthly visitors",
        "chart": {
            "type": "line",
            "values": [1.2, 1.8, 2.4, 2.1, 3.6, 5.1],
            "labels": ["Jan", "Feb", "Mar", "Apr", "May", "Jun"],
            "unit": "M",
        },
        "palette": ["#172554", "#1E3A8A", "#F472B6", "#FDE68A"],
    },
    "quote": {
        "layout": "quote",
        "quote": "We build robots that make factory work safer for everyone.",
        "by": "Maria, founder",
        "palette": ["#2E1065", "#4C1D95", "#F0ABFC", "#FDE68A"],
    },
    "place": {
        "layout": "place",
        "headline": "Open day",
        "items": [
            {"text": "Saturday, 14 June"},
            {"text": "10:00 – 16:00"},
            {"text": "Hall B, 88 Harbour Road"},
        ],
        "palette": ["#0F172A", "#334155", "#F97316", "#22D3EE"],
    },
    "countdown": {
        "layout": "countdown",
        "headline": "Launch in",
        "value": "3 days",
        "label": "Doors open Friday at noon",
        "palette": ["#18181B", "#3F3F46", "#EF4444", "#FACC15"],
    },
    "greeting": {
        "layout": "greeting",
        "headline": "中秋快乐",
        "label": "花好月圆 · 阖家团圆",
        "icons": [
            "fluent-emoji-flat:full-moon",
            "fluent-emoji-flat:red-paper-lantern",
            "fluent-emoji-flat:moon-cake",
            "fluent-emoji-flat:red-paper-lantern",
        ],
        "palette": ["#1E1B4B", "#312E81", "#FBBF24", "#F87171"],
    },
    "compare": {
        "layout": "compare",
        "headline": "Old way vs new way",
        "items": [
            {"text": "Manual checks", "value": "Two hours per line, every shift"},
            {"text": "Robot inspection", "value": "Five minutes, around the clock"},
        ],
        "palette": ["#111827", "#1F2937", "#10B981", "#F59E0B"],
    },
    "cta": {
        "layout": "cta",
        "headline": "Join our robotics team",
        "items": [{"text": "Apply at robots.example/jobs"}],
        "palette": ["#7C2D12", "#9A3412", "#FDBA74", "#FEF3C7"],
    },
}

LONG_EN = (
    "An unusually long headline that keeps going with several more words than any sensible "
    "designer would ever allow on a single slide"
)
LONG_ZH = "这是一个非常非常长的中文标题，用来检验换行是否按字符进行，并且标点符号不会出现在行首，同时字号会自动缩小以适应版面。"


def _long(spec: dict[str, Any], long: str) -> dict[str, Any]:
    """The same scene with every string replaced by a long one."""
    out: dict[str, Any] = {**spec, "headline": long}
    for key in ("value", "label", "quote", "by"):
        if key in out:
            out[key] = long[:40] if key == "value" else long
    if "items" in out:
        out["items"] = [
            {**it, "text": long[: 30 + 7 * i], **({"value": it["value"] * 2} if "value" in it else {})}
            for i, it in enumerate(out["items"])
        ]
    return out


def _draft(
    scenes: list[dict[str, Any]], w: int, h: int, scene_ms: int = 3000, captions: bool = False
) -> Draft:
    segs = tuple(
        Segment(f"s{i}", i * scene_ms, scene_ms, "scene", meta=Meta({"palette": PAL, **spec}))
        for i, spec in enumerate(scenes)
    )
    tracks = [Track("v", TrackType.VIDEO, "scenes", "", segs)]
    if captions:
        caps = tuple(
            Segment(
                f"c{i}", i * scene_ms, scene_ms, "caption", meta=Meta({"text": "A caption that reads along"})
            )
            for i in range(len(scenes))
        )
        tracks.append(Track("c", TrackType.TEXT, "captions", "", caps))
    return Draft("d", Canvas(w, h, 30), tuple(tracks), Meta({"seed": 3}))


def _boxes(el: object) -> list[Box]:
    if isinstance(el, Text):
        return [el.box, el.ink]
    if isinstance(el, Shape | Icon | Counter | Ring):
        return [el.box]
    return [el.box]  # type: ignore[attr-defined]


# --- pure layout ----------------------------------------------------------------------------


def test_unknown_or_missing_layout_is_the_headline_layout() -> None:
    assert layout_name({}) == "headline"
    assert layout_name({"layout": "carousel"}) == "headline"
    assert layout_name({"layout": 3}) == "headline"
    assert layout_name({"layout": "steps"}) == "steps"
    assert set(LAYOUTS) == set(LAYOUT_SCENES)


@pytest.mark.parametrize(("w", "h"), ASPECTS)
@pytest.mark.parametrize("variant", ["plain", "long-en", "long-zh"])
@pytest.mark.parametrize("captions", [False, True])
def test_every_box_lies_inside_the_safe_area(w: int, h: int, variant: str, captions: bool) -> None:
    safe = safe_box(w, h)
    for name, spec in LAYOUT_SCENES.items():
        if name == "headline":
            continue
        meta = spec if variant == "plain" else _long(spec, LONG_EN if variant == "long-en" else LONG_ZH)
        comp = compose(meta, w, h, Palette.of(PAL), duration_ms=4000, captions=captions)
        assert comp.elements, name
        for el in comp.elements:
            for box in _boxes(el):
                assert safe.contains(box), (name, variant, el.role, box, safe)
                if captions:
                    assert box.bottom <= comp.content.bottom + 0.5, (name, el.role)
            if isinstance(el, Text):  # wrapped and shrunk, never overflowing its own box
                assert el.block.width <= el.box.w + 0.5 and el.block.height <= el.box.h + 0.5, (name, el.role)
                assert el.block.size >= 4.0, (name, el.role, el.block.size)
                # nothing dropped: every token of the text is placed
                assert len(el.block.placed) == len(el.tokens)


def test_safe_box_bands() -> None:
    v = safe_box(1080, 1920)
    assert v.y == pytest.approx(0.14 * 1920) and v.bottom == pytest.approx(0.8 * 1920)
    assert v.right == pytest.approx(0.88 * 1080)
    for w, h in ((1920, 1080), (1080, 1080)):
        b = safe_box(w, h)
        assert (b.x, b.y, b.w, b.h) == pytest.approx((0.05 * w, 0.05 * h, 0.9 * w, 0.9 * h))


@pytest.mark.parametrize(("w", "h"), ASPECTS)
def test_captions_and_headline_layout_stay_safe(w: int, h: int) -> None:
    safe = safe_box(w, h)
    for pos in ("bottom", "top", "center"):
        assert safe.contains(Box(*caption_box(w, h, pos)))
    seg = Segment("s", 0, 3000, "scene", meta=Meta({**LAYOUT_SCENES["headline"], "palette": PAL}))
    for captions in (False, True):
        r = SceneRenderer(seg, IconAssets(), w, h, captions=captions)
        assert safe.contains(Box(*r.layout.headline))


@pytest.mark.parametrize(("w", "h"), ASPECTS)
@pytest.mark.parametrize("long", [LONG_EN, LONG_ZH])
def test_titles_overlays_and_captions_keep_their_text_safe(w: int, h: int, long: str) -> None:
    from promptreel.render.captions import CaptionRenderer
    from promptreel.render.titles import POSITIONS, OverlayRenderer, TitleRenderer
    from test_compose_support import surface

    w, h = w // 2, h // 2
    safe = safe_box(w, h)
    renderers: list[Any] = [
        TitleRenderer(
            Segment("t", 0, 3000, "title", meta=Meta({"text": long, "subtitle": long, "position": p})),
            w,
            h,
            0.5,
        )
        for p in ("top", "center", "bottom")
    ]
    renderers += [
        OverlayRenderer(
            Segment("o", 0, 3000, "overlay", meta=Meta({"text": long, "position": p})), {}, w, h, 0.5
        )
        for p in POSITIONS
    ]
    renderers += [
        CaptionRenderer(
            Segment("c", 0, 3000, "caption", meta=Meta({"text": long})), {"position": p}, w, h, 0.5
        )
        for p in ("bottom", "top", "center")
    ]
    for r in renderers:
        arr, surf = surface(w, h)
        surf.getCanvas().clear(skia.ColorBLACK)
        r.draw(surf.getCanvas(), 1500)
        ink = arr[:, :, :3].max(axis=2) > 110  # the text (backdrops and shades are dark)
        assert ink.mean() > 0.002, type(r).__name__
        ys, xs = np.nonzero(ink)
        assert safe.contains(Box(xs.min(), ys.min(), xs.max() - xs.min(), ys.max() - ys.min()), 2.0), (
            type(r).__name__,
            (xs.min(), ys.min(), xs.max(), ys.max()),
            safe,
        )


def test_vertical_captions_sit_above_the_platform_band() -> None:
    x, y, bw, bh = caption_box(1080, 1920)
    assert y + bh <= 0.8 * 1920 and x + bw <= 0.88 * 1080 and y >= 0.14 * 1920


# --- pixels -------------------------------------------------------------------------------


def _scene_frame(spec: dict[str, Any], w: int, h: int, t_ms: int, *, ink_only: bool = False) -> np.ndarray:
    """One scene drawn through the compositor; ``ink_only`` draws it over a flat background
    (motion ``none`` is unknown, so we subtract a text-free render instead)."""
    draft = _draft([spec], w, h, 4000)
    comp = Compositor(draft, IconAssets(), w, h)
    try:
        return frame(comp, w, h, round(t_ms * 30 / 1000))
    finally:
        comp.close()


def _ink(spec: dict[str, Any], w: int, h: int, t_ms: int) -> np.ndarray:
    """Where the layout drew something: the frame minus the same scene with no content."""
    full = _scene_frame(spec, w, h, t_ms).astype(np.int16)
    bare_spec = {k: v for k, v in spec.items() if k in ("palette", "motion", "layout")}
    bare_spec["layout"] = "list"  # a grammar layout with no items draws only the background
    bare = _scene_frame(bare_spec, w, h, t_ms).astype(np.int16)
    return np.abs(full - bare).max(axis=2) > 40


@pytest.mark.parametrize(("w", "h"), ASPECTS)
@pytest.mark.parametrize("name", [n for n in LAYOUT_SCENES if n != "headline"])
def test_layout_ink_inside_safe_area(name: str, w: int, h: int) -> None:
    w, h = w // 2, h // 2  # half size keeps the test quick; layout is relative
    spec = {**LAYOUT_SCENES[name], "motion": "gradient"}
    ink = _ink(spec, w, h, 3800)
    assert ink.mean() > 0.01, "nothing drawn"
    safe = safe_box(w, h)
    outside = ink.copy()
    outside[int(safe.y) + 2 : int(safe.bottom) - 2, int(safe.x) + 2 : int(safe.right) - 2] = False
    # icons bob a little and cards cast soft shadows: allow a hair, never text in the bands
    assert outside.mean() < 0.002, f"{name}: drawn outside the safe area"
    # every text element has ink inside its own box
    comp = compose(spec, w, h, Palette.of(spec.get("palette", PAL)), duration_ms=4000, captions=False)
    for el in comp.elements:
        if isinstance(el, Text | Counter):
            b = el.ink if isinstance(el, Text) else el.box
            region = ink[int(b.y) : int(b.bottom) + 1, int(b.x) : int(b.right) + 1]
            assert region.mean() > 0.02, f"{name}: no ink for {el.role}"
    if h > w:
        assert not ink[: int(0.13 * h)].any(), "ink in the top band"
        assert not ink[int(0.81 * h) :].any(), "ink in the bottom band"
        assert not ink[:, int(0.89 * w) :].any(), "ink in the right band"


@pytest.mark.parametrize(("w", "h"), ASPECTS)
def test_menu_values_are_right_aligned(w: int, h: int) -> None:
    spec = LAYOUT_SCENES["list"]
    comp = compose(spec, w, h, Palette.of(spec["palette"]), duration_ms=4000, captions=False)
    values = [e for e in comp.elements if isinstance(e, Text) and e.role == "value"]
    names = [e for e in comp.elements if isinstance(e, Text) and e.role == "item"]
    assert len(values) == len(names) == 5
    rights = [v.ink.right for v in values]
    assert max(rights) - min(rights) < 1.0
    assert all(n.ink.right < v.ink.x for n, v in zip(names, values, strict=True))
    assert len({round(t.block.size, 2) for t in names + values}) == 1, "rows share one type size"
    assert len(comp.of("leader")) == 5
    # and in pixels: the value column's ink ends at the same x on every row
    ink = _ink({**spec, "motion": "gradient"}, w, h, 3500)
    ends = []
    for v in values:
        band = ink[int(v.ink.y) : int(v.ink.bottom), int(v.box.x) : int(v.box.right) + 4]
        cols = np.nonzero(band.any(axis=0))[0]
        assert len(cols), "value not drawn"
        ends.append(int(v.box.x) + cols.max())
    assert max(ends) - min(ends) <= 3


def test_steps_appear_one_after_another() -> None:
    w, h = 960, 540
    spec = {**LAYOUT_SCENES["steps"], "motion": "gradient"}
    comp = compose(spec, w, h, Palette.of(spec["palette"]), duration_ms=4000, captions=False)
    steps = [e for e in comp.elements if isinstance(e, Text) and e.role == "item"]
    starts = [s.at for s in steps]
    assert starts == sorted(starts) and starts[-1] - starts[0] > 1500

    def lit(t: int) -> list[bool]:
        ink = _ink(spec, w, h, t)
        return [
            bool(ink[int(s.ink.y) : int(s.ink.bottom), int(s.ink.x) : int(s.ink.right)].mean() > 0.05)
            for s in steps
        ]

    early, late = lit(int(starts[1]) + 400), lit(3900)
    assert early[0] and not early[-1]
    assert all(late)


def test_stat_counts_up() -> None:
    comp = compose(LAYOUT_SCENES["stat"], 960, 540, Palette.of(PAL), duration_ms=4000, captions=False)
    (value,) = comp.of("value")
    assert isinstance(value, Counter)
    spec = {**LAYOUT_SCENES["stat"], "motion": "gradient"}
    a, b = _scene_frame(spec, 960, 540, 900), _scene_frame(spec, 960, 540, 3000)
    box = value.box
    crop = (slice(int(box.y), int(box.bottom)), slice(int(box.x), int(box.right)))
    assert np.abs(a[crop].astype(np.int16) - b[crop].astype(np.int16)).mean() > 2


@pytest.mark.parametrize(("w", "h"), ASPECTS)
def test_long_strings_fill_but_never_leave_their_boxes(w: int, h: int) -> None:
    w, h = w // 2, h // 2
    for long in (LONG_EN, LONG_ZH):
        for name in ("list", "quote", "cta"):
            spec = {**_long(LAYOUT_SCENES[name], long), "motion": "gradient"}
            ink = _ink(spec, w, h, 3800)
            safe = safe_box(w, h)
            outside = ink.copy()
            outside[int(safe.y) + 2 : int(safe.bottom) - 2, int(safe.x) + 2 : int(safe.right) - 2] = False
            assert outside.mean() < 0.002, (name, long[:10])


def test_chinese_lines_never_start_with_punctuation() -> None:
    spec = _long(LAYOUT_SCENES["quote"], LONG_ZH)
    for w, h in ASPECTS:
        comp = compose(spec, w, h, Palette.of(PAL), duration_ms=4000, captions=True)
        for el in comp.elements:
            if isinstance(el, Text):
                firsts = [el.tokens[p.index].text for p in el.block.placed if p.x == 0]
                assert not any(f[0] in "，。！？、；：" for f in firsts)


# --- the draft codec accepts and bounds the layout keys ------------------------------------


def _wire(meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "v": 1,
        "w": 1080,
        "h": 1920,
        "t": [{"tt": 0, "sg": [{"s": 0, "d": 3000, "k": "scene", "m": meta}]}],
    }


def test_codec_round_trips_every_layout() -> None:
    from promptreel.draft import codec

    draft = _draft(list(LAYOUT_SCENES.values()), 1080, 1920)
    assert codec.loads(codec.dumps(draft)) == draft
    assert set(codec.SCENE_LAYOUTS) == set(LAYOUTS)


@pytest.mark.parametrize(
    ("meta", "path", "words"),
    [
        (
            {"layout": "list", "items": [{"text": f"x{i}"} for i in range(13)]},
            "t[0].sg[0].m.items",
            "at most 12",
        ),
        ({"layout": "list", "items": "tea, coffee"}, "t[0].sg[0].m.items", "list"),
        ({"layout": "list", "items": ["tea"]}, "t[0].sg[0].m.items[0]", "object"),
        ({"layout": "list", "items": [{"text": 3}]}, "t[0].sg[0].m.items[0].text", "string"),
        ({"layout": "list", "items": [{"text": "a" * 501}]}, "t[0].sg[0].m.items[0].text", "longer than 500"),
        ({"layout": "stat", "value": "9" * 501}, "t[0].sg[0].m.value", "longer than 500"),
        ({"layout": "quote", "quote": "q" * 2001}, "t[0].sg[0].m.quote", "longer than 2000"),
        ({"layout": "quote", "by": ["Maria"]}, "t[0].sg[0].m.by", "string"),
        ({"layout": "greeting", "icons": ["a:b"] * 13}, "t[0].sg[0].m.icons", "at most 12"),
        ({"layout": "greeting", "icons": [7]}, "t[0].sg[0].m.icons[0]", "illustration id"),
        ({"layout": ["list"]}, "t[0].sg[0].m.layout", "layout name"),
    ],
)
def test_codec_refuses_bad_layout_keys_with_the_path(meta: dict[str, Any], path: str, words: str) -> None:
    from promptreel.draft import codec
    from promptreel.errors import InvalidDraft

    with pytest.raises(InvalidDraft) as err:
        codec.decode(_wire(meta))
    assert err.value.path == path and words in str(err.value), (err.value.path, str(err.value))


def test_codec_accepts_numbers_as_values_and_unknown_layout_names() -> None:
    from promptreel.draft import codec

    d = codec.decode(_wire({"layout": "carousel", "value": 12, "items": [{"text": "a", "value": 3.5}]}))
    assert d.tracks[0].segments[0].meta["layout"] == "carousel"


# --- the whole film -------------------------------------------------------------------------


def test_every_layout_renders_to_mp4(tmp_path: Path) -> None:
    import av

    from promptreel.render import render_draft

    draft = _draft(list(LAYOUT_SCENES.values()), 320, 568, 400, captions=True)
    out = tmp_path / "layouts.mp4"
    render_draft(draft, IconAssets(), out)
    with av.open(str(out)) as f:
        stream = f.streams.video[0]
        assert (stream.width, stream.height) == (320, 568)
        frames = sum(1 for _ in f.decode(stream))
    assert frames == round(draft.duration * 30 / 1000)


def contact_sheet(w: int, h: int, t_ms: int = 2900) -> skia.Image:
    """One frame per layout at ``w``×``h``, in a grid of thumbnails."""
    names = list(LAYOUT_SCENES)
    draft = _draft(list(LAYOUT_SCENES.values()), w, h, 3000, captions=True)
    comp = Compositor(draft, IconAssets(), w, h)
    cols = 4 if w >= h else 6
    tw = {"landscape": 400, "vertical": 220}.get("landscape" if w > h else "vertical" if h > w else "", 300)
    th = round(tw * h / w)
    rows = -(-len(names) // cols)
    sheet = skia.Surface(cols * tw + (cols + 1) * 8, rows * th + (rows + 1) * 8)
    c = sheet.getCanvas()
    c.clear(0xFF202020)
    for i in range(len(names)):
        f = frame(comp, w, h, round((i * 3000 + t_ms) * 30 / 1000))
        rgba = np.dstack([f, np.full(f.shape[:2], 255, np.uint8)])
        img = skia.Image.fromarray(rgba, colorType=skia.kRGBA_8888_ColorType)
        r, col = divmod(i, cols)
        dst = skia.Rect.MakeXYWH(8 + col * (tw + 8), 8 + r * (th + 8), tw, th)
        c.drawImageRect(img, dst, skia.SamplingOptions(skia.CubicResampler.Mitchell()))
    comp.close()
    px = sheet.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType)
    px[:, :, :3] &= 0xFC  # 6 bits a channel: the committed sheets stay small
    return skia.Image.fromarray(np.ascontiguousarray(px), colorType=skia.kRGBA_8888_ColorType)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/layouts")
    target.mkdir(parents=True, exist_ok=True)
    for (w, h), name in zip(ASPECTS, ("landscape", "vertical", "square"), strict=True):
        contact_sheet(w, h).save(str(target / f"{name}.png"), skia.kPNG)
