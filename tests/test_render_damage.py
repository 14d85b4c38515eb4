"""Partial redraws: a frame drawn only inside its damage rectangles, over the previous frame,
looks like the same frame drawn whole — for every layout, every background motion, captions,
title cards and overlays — and a render made that way decodes to the same pictures as one
drawn whole every frame."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import skia

from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType
from promptreel.render import RenderOptions, render_draft
from promptreel.render.background import MOTIONS
from promptreel.render.compose import Compositor
from promptreel.render.damage import area, normalize
from test_compose_layouts import LAYOUT_SCENES, PAL
from test_compose_support import IconAssets

W, H = 480, 270


def _draft(specs: list[dict[str, Any]], *, scene_ms: int = 2400, extras: bool = True) -> Draft:
    segs = tuple(
        Segment(
            f"s{i}",
            i * scene_ms,
            scene_ms,
            "scene",
            meta=Meta({"palette": PAL, "transition": "crossfade" if i else "cut", **spec}),
        )
        for i, spec in enumerate(specs)
    )
    tracks = [Track("v", TrackType.VIDEO, "scenes", "", segs)]
    if extras:
        end = scene_ms * len(specs)
        caps = tuple(
            Segment(
                f"c{i}",
                i * scene_ms + 200,
                scene_ms - 400,
                "caption",
                meta=Meta(
                    {
                        "text": "Fresh coffee every single morning",
                        "words": [
                            ["Fresh", 0, 300],
                            ["coffee", 300, 600],
                            ["every", 600, 900],
                            ["single", 900, 1200],
                            ["morning", 1200, 1500],
                        ],
                    }
                ),
            )
            for i in range(len(specs))
        )
        tracks.append(Track("c", TrackType.TEXT, "captions", "", caps))
        title = Segment("ti", 0, 1500, "title", meta=Meta({"text": "Morning Ritual", "subtitle": "A story"}))
        tracks.append(Track("t", TrackType.TEXT, "title", "", (title,)))
        note = Segment("o", 1000, min(end - 1000, 2500), "overlay", meta=Meta({"text": "Open daily"}))
        tracks.append(Track("o", TrackType.TEXT, "overlay", "", (note,)))
    return Draft("d", Canvas(W, H, 30), tuple(tracks), Meta({"seed": 3}))


def _pixels(surface: skia.Surface) -> np.ndarray:
    return np.asarray(surface.makeImageSnapshot().toarray(), dtype=np.int16)


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(((a[..., :3].astype(np.float64) - b[..., :3]) ** 2).mean())
    return 99.0 if mse == 0 else float(10 * np.log10(255**2 / mse))


def _compare(draft: Draft, every: int = 3) -> tuple[float, float, int]:
    """Draw every frame both ways; (lowest PSNR of the sampled frames in dB, share of frames
    drawn in part, frames held). Anti-aliased edges crossing a clip may round a level or two
    differently, so the pictures are close, not always identical."""
    assets = IconAssets()
    damaged, whole = Compositor(draft, assets, W, H), Compositor(draft, assets, W, H)
    a, b = skia.Surface(W, H), skia.Surface(W, H)
    frames = round(draft.duration * 30 / 1000)
    worst, partial, held = 99.0, 0, 0
    for i in range(frames):
        rects = damaged.damage(i) if i else None
        if rects == []:
            held += 1
        else:
            canvas = a.getCanvas()
            canvas.save()
            if rects is not None:
                partial += 1
                region = skia.Region()
                for x0, y0, x1, y1 in rects:
                    region.op(skia.IRect.MakeLTRB(x0, y0, x1, y1), skia.Region.kUnion_Op)
                canvas.clipRegion(region)
            damaged.draw(canvas, i)
            canvas.restore()
        canvas = b.getCanvas()
        canvas.save()
        whole.draw(canvas, i)
        canvas.restore()
        if i % every == 0 or i == frames - 1:
            worst = min(worst, _psnr(_pixels(a), _pixels(b)))
    return worst, partial / frames, held


@pytest.mark.parametrize("name", sorted(LAYOUT_SCENES))
def test_every_layout_redrawn_in_part_matches_the_whole_frame(name: str) -> None:
    spec = {**LAYOUT_SCENES[name], "motion": "gradient"}
    worst, partial, _ = _compare(_draft([spec, {**spec, "motion": "waves"}]))
    assert worst >= 50, f"{name}: {worst:.1f} dB"
    if name != "chart":  # charts draw their own motion, counters count: whole frames meanwhile
        assert partial > 0.1, f"{name}: only {partial:.0%} of the frames were drawn in part"


@pytest.mark.parametrize("motion", MOTIONS)
def test_every_background_motion_redrawn_in_part_matches_the_whole_frame(motion: str) -> None:
    spec = {**LAYOUT_SCENES["headline"], "motion": motion}
    worst, _, _ = _compare(_draft([spec, {**spec, "headline": "Come and see"}]), every=2)
    assert worst >= 50, f"{motion}: {worst:.1f} dB"


def test_rising_sparkles_damage_only_where_each_one_was_and_is() -> None:
    """Sparkles and bokeh move all over the frame but cover little of it: each frame redraws
    their boxes (where each was and is), not the whole frame, and looks like the whole frame."""
    spec = {**LAYOUT_SCENES["headline"], "motion": "particles"}
    draft = _draft([spec], extras=False)
    comp = Compositor(draft, IconAssets(), W, H)
    shares = []
    for i in range(50, 70):  # after the headline landed: only the sparkles move
        rects = comp.damage(i)
        assert rects is not None
        shares.append(area(rects) / (W * H))
    assert 0 < max(shares) < 0.35
    worst, partial, _ = _compare(draft, every=2)
    assert worst >= 50 and partial > 0.8


def test_the_picture_waiting_beside_the_title_card_is_redrawn_in_part() -> None:
    """While the title card covers the first scene its picture waits above the card and then
    moves home: only where the picture was and is (and the card) are redrawn, and the frames
    look like frames drawn whole."""
    spec = {**LAYOUT_SCENES["headline"], "motion": "gradient"}
    draft = _draft([spec])
    comp = Compositor(draft, IconAssets(), W, H)
    scene = comp._renderer(comp.plan.at(0)[0])
    assert scene.aside is not None  # the card would cover the picture in its place
    for t in range(0, int(scene.delay) + 600, 33):
        rects = scene.damage(float(t), float(t + 33))
        assert rects is not None, t
    worst, _, _ = _compare(draft, every=2)
    assert worst >= 50


def test_only_what_moves_is_damaged_and_a_still_frame_is_held() -> None:
    spec = {**LAYOUT_SCENES["headline"], "motion": "gradient"}
    comp = Compositor(_draft([spec], extras=False), IconAssets(), W, H)
    shares = []
    for i in range(61, 72):  # the headline has landed; orbs drift, the icon bobs
        rects = comp.damage(i)
        assert rects is not None
        shares.append(area(rects) / (W * H))
    assert 0 < sum(shares) / len(shares) < 0.8
    note = Segment("o", 0, 3000, "overlay", meta=Meta({"text": "Open daily"}))
    still = Draft("d", Canvas(W, H, 30), (Track("o", TrackType.TEXT, "overlay", "", (note,)),), Meta())
    comp = Compositor(still, IconAssets(), W, H)
    assert comp.damage(5) is None  # entering
    assert comp.damage(40) == []  # in place: the engine encodes the previous picture again


def test_landing_headline_damages_only_the_words_that_move() -> None:
    """While the headline's words land one after another, a frame redraws the words still
    moving (where they were and where they are), not the headline's whole box; a landed word
    is not redrawn."""
    spec = {**LAYOUT_SCENES["headline"], "motion": "gradient"}
    comp = Compositor(_draft([spec], extras=False), IconAssets(), 1920, 1080)
    scene = comp._renderer(comp.plan.at(0)[0])
    landing = []
    for t in range(0, 3000, 33):
        words = scene._headline_damage(float(t), float(t + 33))
        if words:
            landing.append((t, words))
    assert landing, "the headline never moved"
    hx, hy, hw, hh = scene.layout.headline
    whole = area(normalize([(hx, hy, hx + hw, hy + hh)], 1920, 1080))
    shares = [area(normalize(words, 1920, 1080)) / whole for _t, words in landing]
    assert sum(shares) / len(shares) < 0.5
    assert min(shares) < 0.05  # the words in place, the underline growing
    # the first word lands before the last: later on it is not in the damage any more
    first = next(w for w in scene._words(3000.0) if w[4].index == 0)
    fx0, fy0 = first[1], first[2]
    late = [ws for t, ws in landing if t > 350 + scene.delay + 520]
    assert late and all(
        not (x0 <= fx0 + 2 and y0 <= fy0 + 2 and x1 > fx0 + 4 and y1 > fy0 + 4)
        for ws in late
        for x0, y0, x1, y1 in ws
    )


def test_damage_rectangles_are_grown_to_even_corners_clamped_and_merged() -> None:
    rects = normalize([(3.2, 5.0, 10.1, 11.0), (9.0, 9.0, 20.0, 12.0), (100, 100, 500, 300)], W, H)
    assert sorted(rects) == [(0, 2, 22, 14), (98, 98, W, H)]
    assert normalize([(10, 10, 10, 40)], W, H) == [(8, 8, 12, 42)]
    assert normalize([(-50, -50, -10, -10)], W, H) == []
    # a chain of boxes, each touching the next only: merged into one in any order
    chain = [(i * 10.0, 0.0, i * 10.0 + 12, 8.0) for i in range(30)]
    for order in (chain, chain[::-1], chain[::2] + chain[1::2]):
        assert normalize(order, W, H) == [(0, 0, 302 + 2, 10)]


class _Whole:
    """The compositor with its damage hidden: every frame drawn whole (the reference)."""

    def __init__(self, draft: Draft, assets: Any, width: int, height: int) -> None:
        self._c = Compositor(draft, assets, width, height)

    def draw(self, canvas: skia.Canvas, frame: int) -> None:
        self._c.draw(canvas, frame)

    def close(self) -> None:
        self._c.close()


def _decoded(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24").astype(np.float64) for f in c.decode(video=0)]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_render_drawn_in_part_decodes_like_one_drawn_whole(tmp_path: Path, workers: int) -> None:
    specs = [
        {**LAYOUT_SCENES["headline"], "motion": "gradient"},
        {**LAYOUT_SCENES["list"], "motion": "waves"},
        {**LAYOUT_SCENES["countdown"], "motion": "shapes"},
    ]
    draft = _draft(specs, scene_ms=1600)
    options = RenderOptions(workers=workers, chunk_s=1, gop_s=1)
    fast, slow = tmp_path / "fast.mp4", tmp_path / "slow.mp4"
    render_draft(draft, IconAssets(), fast, options=options)
    render_draft(draft, IconAssets(), slow, options=options, painter=_Whole)
    a, b = _decoded(fast), _decoded(slow)
    assert len(a) == len(b) == round(draft.duration * 30 / 1000)
    for i in range(0, len(a), 5):
        assert _psnr(a[i], b[i]) >= 45, f"frame {i}: {_psnr(a[i], b[i]):.1f} dB"


def test_without_libyuv_every_frame_is_converted_whole_and_looks_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from promptreel.render.avio import yuv

    draft = _draft([{**LAYOUT_SCENES["headline"], "motion": "gradient"}], scene_ms=1000, extras=False)
    fast, plain = tmp_path / "fast.mp4", tmp_path / "plain.mp4"
    render_draft(draft, IconAssets(), fast)
    monkeypatch.setattr(yuv, "_LIBYUV", None)  # swscale, the same matrix
    render_draft(draft, IconAssets(), plain)
    a, b = _decoded(fast), _decoded(plain)
    assert len(a) == len(b) == 30
    for i in range(0, 30, 3):
        assert _psnr(a[i], b[i]) >= 40, f"frame {i}: {_psnr(a[i], b[i]):.1f} dB"
