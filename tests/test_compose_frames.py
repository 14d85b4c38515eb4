"""Frames drawn by the compositor: not blank, scenes differ, motion, captions, CJK, transitions."""

from __future__ import annotations

import math
import zlib

import numpy as np
import pytest
import skia

from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType
from promptreel.render import fonts
from promptreel.render import text as tx
from promptreel.render.captions import CaptionRenderer, caption_box
from promptreel.render.compose import Compositor
from promptreel.render.easing import ease_in_out
from promptreel.render.scene import SceneRenderer
from test_compose_support import SCENES, IconAssets, frame, scene_draft, surface

W, H = 480, 270


def _diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


def _bounds(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    x, y, w, h = box
    return math.floor(x), math.floor(y), math.ceil(x + w), math.ceil(y + h)


def _region(arr: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    x0, y0, x1, y1 = _bounds(box)
    return arr[y0:y1, x0:x1]


def test_frames_are_not_blank_and_scenes_differ() -> None:
    draft = scene_draft(W, H, 2000, captions=False)
    comp = Compositor(draft, IconAssets(), W, H)
    frames = [frame(comp, W, H, 30 + 60 * i) for i in range(len(SCENES))]
    for f in frames:
        assert f.std() > 12, "frame looks blank"
        assert len(np.unique(f.reshape(-1, 3)[::7], axis=0)) > 50
    for i in range(len(frames)):
        for j in range(i + 1, len(frames)):
            assert _diff(frames[i], frames[j]) > 10, f"scenes {i} and {j} look alike"
    comp.close()


@pytest.mark.parametrize("motion", ["gradient", "shapes", "particles", "rays", "grid", "waves"])
def test_every_motion_moves(motion: str) -> None:
    spec = {**SCENES[0], "motion": motion, "headline": "", "icon": ""}
    draft = scene_draft(W, H, 6000, scenes=[spec], captions=False)
    comp = Compositor(draft, IconAssets(), W, H)
    a, b = frame(comp, W, H, 60), frame(comp, W, H, 120)  # 2 s and 4 s, well after the entry
    assert a.std() > 5
    assert _diff(a, b) > 0.15, f"{motion} background does not move"


def test_headline_words_animate_in_then_hold() -> None:
    draft = scene_draft(W, H, 4000, scenes=[{**SCENES[0], "motion": "grid"}], captions=False)
    comp = Compositor(draft, IconAssets(), W, H)
    hx, hy, hw, hh = SceneRenderer(
        draft.tracks[0].segments[0], IconAssets(), W, H, captions=False
    ).layout.headline
    box = (hx, hy, hw, hh)
    early, mid, late = (_region(frame(comp, W, H, f), box) for f in (0, 12, 60))
    assert _diff(early, late) > 8  # the words were not there at the start
    assert _diff(mid, late) > 1  # and were still moving at 0.4 s


def test_draws_at_full_hd_and_vertical() -> None:
    for w, h in ((1920, 1080), (1080, 1920)):
        draft = scene_draft(w, h, 2000, scenes=SCENES[:2], title=True)
        comp = Compositor(draft, IconAssets(), w, h)
        f0 = frame(comp, w, h, 10)
        f1 = frame(comp, w, h, 80)
        assert f0.shape == (h, w, 3)
        assert f0.std() > 12 and f1.std() > 12
        assert _diff(f0, f1) > 5
        comp.close()


def test_preview_size_scales_the_same_picture() -> None:
    draft = scene_draft(960, 540, 2000, scenes=SCENES[:1], captions=True)
    full = frame(Compositor(draft, IconAssets(), 960, 540), 960, 540, 50)
    small = frame(Compositor(draft, IconAssets(), 480, 270), 480, 270, 50)
    down = full.reshape(270, 2, 480, 2, 3).mean(axis=(1, 3))
    assert _diff(down.astype(np.uint8), small) < 12


def _caption_drafts(text: str) -> tuple[Draft, Draft]:
    """Same scene; the caption is on during the first second in one draft, the second in the other."""
    scene = Track(
        "v",
        TrackType.VIDEO,
        "scenes",
        "",
        (Segment("s", 0, 2000, "scene", meta=Meta({**SCENES[0], "motion": "grid"})),),
    )

    def with_caption(start: int) -> Draft:
        cap = Track(
            "c",
            TrackType.TEXT,
            "captions",
            "",
            (Segment("c1", start, 1000, "caption", meta=Meta({"text": text})),),
        )
        return Draft("d", Canvas(W, H, 30), (scene, cap), Meta({"seed": 1}))

    return with_caption(0), with_caption(1000)


@pytest.mark.parametrize(
    "text", ["Every great day starts with coffee.", "每一个美好的早晨，都从一杯咖啡开始。"]
)
def test_caption_pixels_only_in_the_caption_region_while_active(text: str) -> None:
    first, second = _caption_drafts(text)
    a, b = Compositor(first, IconAssets(), W, H), Compositor(second, IconAssets(), W, H)
    on, off = frame(a, W, H, 15), frame(b, W, H, 15)  # caption active in `first` only
    box = caption_box(W, H)
    inside = np.abs(_region(on, box).astype(np.int16) - _region(off, box).astype(np.int16)).max(axis=2)
    assert (inside > 40).mean() > 0.03, "no caption ink in the caption region"
    outside = np.abs(on.astype(np.int16) - off.astype(np.int16)).max(axis=2)
    x0, y0, x1, y1 = _bounds(box)
    outside[y0:y1, x0:x1] = 0
    ys, xs = np.nonzero(outside > 8)
    assert (outside > 8).mean() < 0.002, (
        f"caption drawn outside its region {ys.min()}-{ys.max()} {xs.min()}-{xs.max()}"
    )
    # and later the roles swap: nothing in `first` once its caption has ended
    on2, off2 = frame(b, W, H, 45), frame(a, W, H, 45)
    assert _diff(_region(on2, box), _region(off2, box)) > 3


def test_caption_wraps_to_two_lines_inside_safe_margins() -> None:
    text = "This is a rather long caption that certainly needs more than one line to be read comfortably on screen."
    seg = Segment("c", 0, 4000, "caption", meta=Meta({"text": text}))
    cap = CaptionRenderer(seg, {}, W, H, 1.0)
    assert all(p.block.lines <= 2 for p in cap.pages)
    arr, surf = surface(W, H)
    surf.getCanvas().clear(skia.ColorBLACK)
    cap.draw(surf.getCanvas(), 100)
    ink = arr[:, :, :3].max(axis=2) > 20
    ys, xs = np.nonzero(ink)
    assert xs.min() >= W * 0.05 and xs.max() <= W * 0.95
    assert ys.min() >= H * 0.05 and ys.max() <= H * 0.95


def test_word_highlight_follows_word_timings() -> None:
    words = [["Fresh", 0, 400], ["coffee", 400, 900], ["daily", 900, 1500]]
    seg = Segment("c", 0, 1500, "caption", meta=Meta({"text": "Fresh coffee daily", "words": words}))
    cap = CaptionRenderer(seg, {"highlight": "#FF0000", "bg": "none"}, W, H, 1.0)

    def red_columns(t: float) -> float:
        arr, surf = surface(W, H)
        surf.getCanvas().clear(skia.ColorBLACK)
        cap.draw(surf.getCanvas(), t)
        px = arr[:, :, :3].astype(np.int16)
        red = (px[:, :, 0] > 150) & (px[:, :, 1] < 90) & (px[:, :, 2] < 90)
        cols = np.nonzero(red.any(axis=0))[0]
        return float(cols.mean()) if len(cols) else -1.0

    first, second, third = red_columns(200), red_columns(600), red_columns(1200)
    assert 0 < first < second < third


def _ink(img: np.ndarray) -> np.ndarray:
    return img[:, :, :3].max(axis=2) > 100


def _crop(mask: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(mask)
    return mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    a, b = a[:h, :w], b[:h, :w]
    return float((a & b).sum() / max(1, (a | b).sum()))


def test_chinese_text_uses_real_glyphs_not_notdef_boxes() -> None:
    sample = "中文字幕"
    style = tx.TextStyle(size=64, color=0xFFFFFFFF, weight=600)
    chosen = next(f for f in fonts.families("text") if fonts.covers(fonts.typeface(f, 600), sample))
    tf = fonts.typeface(chosen, 600)
    assert all(g != 0 for g in tf.unicharsToGlyphs([ord(c) for c in sample]))
    latin = fonts.typeface(fonts.families("text")[0], 600)
    assert not fonts.covers(latin, sample), "the Latin face unexpectedly has CJK (test needs a face without)"

    def draw(fn: object) -> np.ndarray:
        arr, surf = surface(400, 120)
        c = surf.getCanvas()
        c.clear(skia.ColorBLACK)
        fn(c)  # type: ignore[operator]
        return arr.copy()

    shaped = draw(lambda c: tx.paragraph(sample, style).paint(c, 10, 10))
    reference = draw(
        lambda c: c.drawString(
            sample, 10, 85, skia.Font(tf, 64), skia.Paint(AntiAlias=True, Color=0xFFFFFFFF)
        )
    )
    tofu = draw(
        lambda c: c.drawString(
            sample, 10, 85, skia.Font(latin, 64), skia.Paint(AntiAlias=True, Color=0xFFFFFFFF)
        )
    )
    a, ref = _crop(_ink(shaped)), _crop(_ink(reference))
    assert abs(a.shape[1] - ref.shape[1]) <= 3 and abs(a.shape[0] - ref.shape[0]) <= 3
    assert _iou(a, ref) > 0.8
    if _ink(tofu).any():
        assert _iou(a, _crop(_ink(tofu))) < 0.5


def test_chinese_caption_frame_has_cjk_ink() -> None:
    draft = scene_draft(W, H, 2000, scenes=SCENES[:1], lang="zh")
    seg = draft.tracks[1].segments[0].replace(meta=Meta({"text": "清晨的第一杯咖啡"}))
    draft = draft.replace(tracks=[draft.tracks[0], draft.tracks[1].replace(segments=[seg])])
    comp = Compositor(draft, IconAssets(), W, H)
    cap = CaptionRenderer(seg, {}, W, H, 1.0)
    assert all(
        fonts.covers(fonts.typeface("Noto Sans CJK SC"), t.text)
        for t in cap.tokens
        if fonts.installed("Noto Sans CJK SC")
    )
    f = frame(comp, W, H, 40)
    inside = _region(f, caption_box(W, H))
    assert (inside.max(axis=2) > 200).mean() > 0.01


def _alone(seg: Segment, t_ms: float) -> np.ndarray:
    """One scene drawn by itself, seeded as the compositor seeds it (draft seed 0)."""
    r = SceneRenderer(seg, IconAssets(), W, H, seed=zlib.crc32(seg.id.encode()), captions=False)
    arr, surf = surface(W, H)
    c = surf.getCanvas()
    c.clear(skia.ColorBLACK)
    r.draw(c, t_ms)
    return arr[:, :, :3].copy()


def _two_scene_draft(kind: str) -> Draft:
    a = {**SCENES[0], "motion": "grid"}
    b = {**SCENES[3], "motion": "waves", "transition": kind, "transition_ms": 600}
    segs = (Segment("s0", 0, 2000, "scene", meta=Meta(a)), Segment("s1", 2000, 2000, "scene", meta=Meta(b)))
    return Draft("d", Canvas(W, H, 30), (Track("v", TrackType.VIDEO, "scenes", "", segs),))


def test_crossfade_blends_the_two_scenes() -> None:
    draft = _two_scene_draft("crossfade")
    segs = draft.tracks[0].segments
    comp = Compositor(draft, IconAssets(), W, H)
    mid = frame(comp, W, H, 60)  # window is frames 51..68, the cut at 60
    out = _alone(segs[0], 2000.0)
    inc = _alone(segs[1], 0.0)
    assert _diff(out, inc) > 10
    a = ease_in_out((60 - 51 + 0.5) / 18)
    expected = out.astype(np.float64) * (1 - a) + inc.astype(np.float64) * a
    assert float(np.abs(mid - expected).mean()) < 3.0
    assert _diff(mid, out) > 3 and _diff(mid, inc) > 3


def test_wipe_and_slide_show_both_scenes_side_by_side() -> None:
    for kind in ("wipe", "slide"):
        draft = _two_scene_draft(kind)
        segs = draft.tracks[0].segments
        comp = Compositor(draft, IconAssets(), W, H)
        mid = frame(comp, W, H, 60)
        out = _alone(segs[0], 2000.0)
        inc = _alone(segs[1], 0.0)
        left, right = mid[:, : W // 3], mid[:, -W // 3 :]
        if kind == "wipe":  # incoming revealed from the left, outgoing still on the right
            assert _diff(left, inc[:, : W // 3]) < _diff(left, out[:, : W // 3])
            assert _diff(right, out[:, -W // 3 :]) < _diff(right, inc[:, -W // 3 :])
        else:  # the incoming scene pushes in from the right
            assert _diff(right, inc[:, : W // 3]) < _diff(right, out[:, -W // 3 :]) + 40
            assert _diff(mid, out) > 5 and _diff(mid, inc) > 5


def test_zoom_transition_draws_mid_state() -> None:
    draft = _two_scene_draft("zoom")
    comp = Compositor(draft, IconAssets(), W, H)
    before, mid, after = frame(comp, W, H, 50), frame(comp, W, H, 60), frame(comp, W, H, 70)
    assert _diff(before, mid) > 3 and _diff(mid, after) > 3


@pytest.mark.parametrize(
    "chart",
    [
        {"type": "bar", "values": [3, 7, 12], "labels": ["A", "B", "C"], "unit": "%"},
        {"type": "counter", "values": [1200], "labels": ["happy customers"]},
        {"type": "pie", "values": [50, 30, 20], "labels": ["x", "y", "z"]},
    ],
)
def test_charts_grow_in(chart: dict[str, object]) -> None:
    spec = {**SCENES[2], "chart": chart, "motion": "grid"}
    seg = Segment("x", 0, 4000, "scene", meta=Meta(spec))
    r = SceneRenderer(seg, IconAssets(), W, H, captions=False)
    assert r.chart is not None
    vx, vy, vw, vh = r.layout.visual

    def at(t: float) -> np.ndarray:
        arr, surf = surface(W, H)
        r.draw(surf.getCanvas(), t)
        return _region(arr[:, :, :3], (vx, vy, vw, vh)).copy()

    growing, grown, held = at(900), at(2600), at(3400)
    assert _diff(growing, grown) > 1.0
    assert _diff(grown, held) < _diff(growing, grown)


def test_title_card_animates_in_and_out() -> None:
    draft = scene_draft(W, H, 3000, scenes=SCENES[:2], title=True, captions=False)
    plain = scene_draft(W, H, 3000, scenes=SCENES[:2], title=False, captions=False)
    with_title, without = Compositor(draft, IconAssets(), W, H), Compositor(plain, IconAssets(), W, H)
    shown = _diff(frame(with_title, W, H, 45), frame(without, W, H, 45))
    gone = _diff(frame(with_title, W, H, 100), frame(without, W, H, 100))
    assert shown > 5 and gone < 0.5


def test_overlays_in_every_position() -> None:
    for pos in ("top", "center", "bottom", "lower-third"):
        ov = Track(
            "o",
            TrackType.TEXT,
            "overlays",
            "",
            (Segment("o1", 0, 2000, "overlay", meta=Meta({"text": "Limited offer", "position": pos})),),
        )
        base = scene_draft(W, H, 2000, scenes=SCENES[:1], captions=False)
        draft = base.replace(tracks=[*base.tracks, ov])
        a = frame(Compositor(draft, IconAssets(), W, H), W, H, 30)
        b = frame(Compositor(base, IconAssets(), W, H), W, H, 30)
        changed = np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2) > 30
        ys = np.nonzero(changed.any(axis=1))[0]
        assert len(ys), pos
        centre = ys.mean() / H
        expected = {"top": (0, 0.35), "center": (0.3, 0.7), "bottom": (0.65, 1), "lower-third": (0.45, 0.8)}[
            pos
        ]
        assert expected[0] <= centre <= expected[1], (pos, centre)


def test_missing_icon_and_broken_svg_still_draw_a_visual() -> None:
    class Broken(IconAssets):
        def illustration(self, name: str) -> str | None:
            return "<svg this is not svg"

    for assets, icon in ((IconAssets(), ""), (Broken(), "x:y"), (IconAssets(), "emoji:☕")):
        seg = Segment("x", 0, 2000, "scene", meta=Meta({**SCENES[0], "icon": icon, "headline": ""}))
        r = SceneRenderer(seg, assets, W, H, captions=False)
        assert r.illustration is not None
        arr, surf = surface(W, H)
        r.draw(surf.getCanvas(), 1500)
        vx, vy, vw, vh = r.layout.visual
        assert _region(arr[:, :, :3], (vx, vy, vw, vh)).std() > 10


def test_empty_and_odd_drafts_draw_without_errors() -> None:
    empty = Draft("d", Canvas(W, H, 30))
    f = frame(Compositor(empty, IconAssets(), W, H), W, H, 0)
    assert f.shape == (H, W, 3)
    odd = Segment(
        "x", 0, 1000, "scene", meta=Meta({"palette": ["nope", 3], "motion": "??", "chart": {"values": ["a"]}})
    )
    d = Draft("d", Canvas(W, H, 30), (Track("v", TrackType.VIDEO, "scenes", "", (odd,)),))
    assert frame(Compositor(d, IconAssets(), W, H), W, H, 10).std() > 3


def test_same_picture_on_every_kind_of_canvas() -> None:
    """RGBA (the engine's buffer), native BGRA premultiplied, and a non-raster canvas."""
    draft = scene_draft(W, H, 2000, scenes=SCENES[:1], title=True)
    comp = Compositor(draft, IconAssets(), W, H)
    rgba = frame(comp, W, H, 20)
    arr = np.zeros((H, W, 4), np.uint8)
    bgra = skia.Surface(arr, colorType=skia.kBGRA_8888_ColorType, alphaType=skia.kPremul_AlphaType)
    comp.draw(bgra.getCanvas(), 20)
    assert np.abs(arr[:, :, 2::-1].astype(np.int16) - rgba.astype(np.int16)).max() <= 1
    recorder = skia.PictureRecorder()
    comp.draw(recorder.beginRecording(skia.Rect(0, 0, W, H)), 20)
    picture = recorder.finishRecordingAsPicture()
    out, surf = surface(W, H)
    surf.getCanvas().drawPicture(picture)
    assert np.abs(out[:, :, :3].astype(np.int16) - rgba.astype(np.int16)).mean() < 1.0
    assert (out[:, :, 3] == 255).all() and (rgba.std() > 10)


def test_captions_follow_track_style_and_the_draft_switch() -> None:
    first, later = _caption_drafts("Top of the frame")
    style = Meta({"style": {"position": "top", "color": "#FFD54A", "size": 40}})
    cap_track = first.tracks[1].replace(meta=style)
    styled = first.replace(tracks=[first.tracks[0], cap_track])
    without = later.replace(
        tracks=[later.tracks[0], later.tracks[1].replace(meta=style)]
    )  # caption not yet on
    base = frame(Compositor(without, IconAssets(), W, H), W, H, 15)
    top = frame(Compositor(styled, IconAssets(), W, H), W, H, 15)
    changed = np.abs(top.astype(np.int16) - base.astype(np.int16)).max(axis=2) > 40
    ys = np.nonzero(changed.any(axis=1))[0]
    assert len(ys) and ys.max() < H * 0.35, "top captions not at the top"
    yellow = (top[:, :, 0] > 200) & (top[:, :, 1] > 170) & (top[:, :, 2] < 120) & changed
    assert yellow.sum() > 20, "caption colour from the track style not used"
    # switched off or hidden: the frame is the scene alone (laid out without a caption band)
    alone = frame(Compositor(styled.replace(tracks=[styled.tracks[0]]), IconAssets(), W, H), W, H, 15)
    off = styled.replace(meta=styled.meta.set(captions=False))
    assert _diff(frame(Compositor(off, IconAssets(), W, H), W, H, 15), alone) < 0.01
    hidden = styled.replace(
        tracks=[styled.tracks[0], cap_track.replace(meta=cap_track.meta.set(hidden=True))]
    )
    assert _diff(frame(Compositor(hidden, IconAssets(), W, H), W, H, 15), alone) < 0.01


@pytest.mark.parametrize("size", [(32, 18), (18, 32), (641, 361)])
def test_tiny_and_odd_preview_sizes(size: tuple[int, int]) -> None:
    w, h = size
    draft = scene_draft(1920, 1080, 1000, title=True)  # a full-HD draft previewed small
    comp = Compositor(draft, IconAssets(), w, h)
    frames = [frame(comp, w, h, f) for f in (0, 15, 29, 45, 75, 100)]
    assert all(f.shape == (h, w, 3) for f in frames)
    assert max(f.std() for f in frames) > 3
