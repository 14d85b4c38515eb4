"""Uploaded media in frames: cover without stretching, contain with a blurred fill, Ken Burns,
video clips with trim_in, and a calm placeholder when the file is missing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import skia

from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType
from promptreel.render.compose import Compositor
from promptreel.render.picture import contain_rect, cover_rect
from test_compose_support import IconAssets, frame

W, H = 480, 270


def _disc_png(path: Path, w: int, h: int) -> Path:
    """A white disc (diameter = 0.8 × the short side) on blue, centred."""
    s = skia.Surface(w, h)
    c = s.getCanvas()
    c.clear(skia.ColorSetRGB(20, 40, 200))
    c.drawCircle(w / 2, h / 2, min(w, h) * 0.4, skia.Paint(AntiAlias=True, Color=skia.ColorWHITE))
    s.makeImageSnapshot().save(str(path))
    return path


def _media_draft(meta: dict[str, object], duration: int = 3000) -> Draft:
    seg = Segment("m1", 0, duration, "media", meta=Meta(meta))
    return Draft("d", Canvas(W, H, 30), (Track("v", TrackType.VIDEO, "media", "", (seg,)),))


def _disc_extent(arr: np.ndarray) -> tuple[int, int]:
    white = (arr[:, :, 0] > 200) & (arr[:, :, 1] > 200) & (arr[:, :, 2] > 200)
    ys, xs = np.nonzero(white)
    return int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)


def test_cover_and_contain_rects_keep_aspect() -> None:
    for sw, sh in ((4000, 3000), (1080, 1920), (500, 500), (3000, 1000)):
        r = cover_rect(sw, sh, 1920, 1080)
        assert r.width() / r.height() == pytest.approx(sw / sh, rel=1e-6)
        assert r.width() >= 1920 - 1e-6 and r.height() >= 1080 - 1e-6
        assert min(r.width() - 1920, r.height() - 1080) == pytest.approx(0, abs=1e-6)
        c = contain_rect(sw, sh, 1920, 1080)
        assert c.width() / c.height() == pytest.approx(sw / sh, rel=1e-6)
        assert c.width() <= 1920 + 1e-6 and c.height() <= 1080 + 1e-6


@pytest.mark.parametrize("size", [(400, 300), (300, 600)])
def test_cover_image_fills_the_frame_without_stretching(tmp_path: Path, size: tuple[int, int]) -> None:
    png = _disc_png(tmp_path / "disc.png", *size)
    draft = _media_draft({"media_id": "img", "media_kind": "image", "fit": "cover", "kenburns": False})
    comp = Compositor(draft, IconAssets({"img": png}), W, H)
    arr = frame(comp, W, H, 30)
    assert arr.std() > 20
    dx, dy = _disc_extent(arr)
    if dy < H - 2:  # the disc fits vertically: it must still be round
        assert abs(dx - dy) <= 3, (dx, dy)
    else:  # cropped by the frame top/bottom: it is wider than tall is impossible if not stretched
        assert dx >= dy - 3
    # no letterbox: every border pixel comes from the picture (blue or white), not black
    border = np.concatenate([arr[0], arr[-1], arr[:, 0], arr[:, -1]])
    assert border.max(axis=1).min() > 100


def test_contain_shows_whole_image_over_blurred_fill(tmp_path: Path) -> None:
    png = _disc_png(tmp_path / "tall.png", 300, 600)
    draft = _media_draft({"media_id": "img", "fit": "contain", "kenburns": False})
    arr = frame(Compositor(draft, IconAssets({"img": png}), W, H), W, H, 30)
    dx, dy = _disc_extent(arr)
    assert abs(dx - dy) <= 3
    # the sides are the blurred, darkened copy: bluish, darker than the picture's own blue
    side = arr[:, :20].reshape(-1, 3).mean(axis=0)
    assert side[2] > side[0] and side[2] < 200


def test_ken_burns_moves_a_still(tmp_path: Path) -> None:
    png = _disc_png(tmp_path / "disc.png", 800, 450)
    draft = _media_draft({"media_id": "img", "fit": "cover", "kenburns": True}, 4000)
    comp = Compositor(draft, IconAssets({"img": png}), W, H)
    a, b = frame(comp, W, H, 5), frame(comp, W, H, 110)
    assert np.abs(a.astype(np.int16) - b.astype(np.int16)).mean() > 0.5
    da, db = _disc_extent(a), _disc_extent(b)
    for dx, dy in (da, db):
        assert abs(dx - dy) <= 3  # zooming never stretches


def test_missing_media_draws_a_placeholder() -> None:
    draft = _media_draft({"media_id": "gone", "fit": "cover"})
    arr = frame(Compositor(draft, IconAssets(), W, H), W, H, 10)
    assert arr.std() > 2 and arr.max() > 40


def _colour_clip(path: Path, ms: int = 2000, fps: int = 25) -> Path:
    av = pytest.importorskip("av")
    colours = [(220, 30, 30), (30, 200, 40), (40, 60, 220), (230, 220, 30)]
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        n = ms * fps // 1000
        for i in range(n):
            rgb = np.zeros((240, 320, 3), np.uint8)
            rgb[:] = colours[(i * 1000 // fps) // 500]  # a new colour every 500 ms
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def test_video_clip_respects_trim_in_and_covers(tmp_path: Path) -> None:
    try:
        from promptreel.render.avio import VideoSource  # noqa: F401
    except ImportError:
        pytest.skip("render.avio.VideoSource is not available")
    clip = _colour_clip(tmp_path / "clip.mp4")
    assets = IconAssets({"vid": clip})
    plain = Compositor(_media_draft({"media_id": "vid", "media_kind": "video"}, 1500), assets, W, H)
    trimmed = Compositor(
        _media_draft({"media_id": "vid", "media_kind": "video", "trim_in": 1000}, 1000), assets, W, H
    )
    first = frame(plain, W, H, 3).reshape(-1, 3).mean(axis=0)  # 100 ms: red
    later = frame(plain, W, H, 20).reshape(-1, 3).mean(axis=0)  # ~667 ms: green
    cut = frame(trimmed, W, H, 3).reshape(-1, 3).mean(axis=0)  # 1000 + 100 ms: blue
    assert first[0] > 150 and first[1] < 90
    assert later[1] > 150 and later[0] < 90
    assert cut[2] > 150 and cut[0] < 90
    arr = frame(plain, W, H, 3)
    assert arr.reshape(-1, 3).max(axis=1).min() > 60  # covered edge to edge, no black bars
    plain.close()
    trimmed.close()


def test_video_frames_are_decoded_at_the_size_shown(tmp_path: Path) -> None:
    try:
        from promptreel.render.avio import VideoSource  # noqa: F401
    except ImportError:
        pytest.skip("render.avio.VideoSource is not available")
    clip = _colour_clip(tmp_path / "clip.mp4")  # 320x240 (4:3) into 480x270 (16:9): cover 480x360
    comp = Compositor(
        _media_draft({"media_id": "vid", "media_kind": "video"}, 1500), IconAssets({"vid": clip}), W, H
    )
    seen: list[tuple[int, int] | None] = []
    renderer = comp._make(comp.plan.layers[0])
    video = renderer.video  # type: ignore[attr-defined]
    original = video.frame_at

    def spy(ms: int, size: tuple[int, int] | None = None) -> np.ndarray:
        seen.append(size)
        return original(ms, size)

    video.frame_at = spy
    arr, surf = surface_rgba()
    renderer.draw(surf.getCanvas(), 100)
    assert seen == [(480, 360)]
    assert arr[:, :, :3].reshape(-1, 3).mean(axis=0)[0] > 150  # red, edge to edge
    renderer.close()


def surface_rgba() -> tuple[np.ndarray, skia.Surface]:
    arr = np.zeros((H, W, 4), np.uint8)
    return arr, skia.Surface(arr)


def test_unchanged_frames_are_exactly_the_previous_picture(tmp_path: Path) -> None:
    png = _disc_png(tmp_path / "disc.png", 400, 300)
    still = Segment("m1", 0, 2000, "media", meta=Meta({"media_id": "img", "fit": "cover", "kenburns": False}))
    moving = Segment("m2", 2000, 1000, "media", meta=Meta({"media_id": "img", "fit": "cover"}))
    caps = (
        Segment("c1", 0, 1000, "caption", meta=Meta({"text": "A still photo"})),
        Segment("c2", 1000, 1000, "caption", meta=Meta({"text": "Words", "words": [["Words", 0, 300]]})),
    )
    draft = Draft(
        "d",
        Canvas(W, H, 30),
        (
            Track("v", TrackType.VIDEO, "media", "", (still, moving)),
            Track("c", TrackType.TEXT, "captions", "", caps),
        ),
    )
    comp = Compositor(draft, IconAssets({"img": png}), W, H)
    flags = [comp.unchanged(f) for f in range(1, 100)]
    assert flags[2] is False  # the caption is still fading in
    assert all(flags[10:28])  # a still picture under a steady caption
    assert flags[29] is False  # next caption (frame 30)
    assert not any(flags[59:89])  # frames 60-89: Ken Burns moves every frame
    assert comp.unchanged(200)  # nothing visible after the end
    prev = frame(comp, W, H, 10)
    for f in range(11, 29):
        cur = frame(comp, W, H, f)
        assert comp.unchanged(f) and np.array_equal(cur, prev)
        prev = cur
