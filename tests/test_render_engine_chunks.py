"""Chunked parallel rendering: same file as the single-process render, nothing left on failure."""

from __future__ import annotations

import itertools
from pathlib import Path

import av
import numpy as np
import pytest
import skia

from promptreel.errors import RenderFailed
from promptreel.render import FlatPainter, RenderOptions, render_draft
from promptreel.render.chunks import plan_chunks
from promptreel.timecode import ms_to_frame
from test_render_engine_fakes import IndexPainter, ToneAssets, make_draft

SINGLE = RenderOptions(chunk_s=2, gop_s=1)
PARALLEL = RenderOptions(chunk_s=2, gop_s=1, workers=2)


def decoded(path: Path) -> tuple[list[np.ndarray], np.ndarray]:
    with av.open(str(path)) as c:
        frames = [f.to_ndarray(format="rgb24").astype(np.float64) for f in c.decode(video=0)]
    with av.open(str(path)) as c:
        audio = np.concatenate([f.to_ndarray() for f in c.decode(audio=0)], axis=1)
    return frames, audio


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a - b) ** 2))
    return 100.0 if mse == 0 else 10 * np.log10(255**2 / mse)


@pytest.mark.parametrize("frames", [1, 59, 60, 61, 179, 180, 900])
def test_chunks_cover_the_range_in_order_whatever_the_workers(frames: int) -> None:
    chunks = plan_chunks(frames, 30, SINGLE)
    assert chunks[0].start == 0 and chunks[-1].stop == frames
    assert all(a.stop == b.start for a, b in itertools.pairwise(chunks))
    assert all(c.start % 60 == 0 and 0 < c.frames <= 60 for c in chunks)
    assert plan_chunks(frames, 30, PARALLEL) == chunks


def test_parallel_render_equals_the_single_process_render(tmp_path: Path) -> None:
    draft = make_draft(duration=5000, voice=(1000, 2000))
    one, two = tmp_path / "one.mp4", tmp_path / "two.mp4"
    seen: list[tuple[float, str]] = []
    r1 = render_draft(draft, ToneAssets(), one, options=SINGLE, painter=FlatPainter)
    r2 = render_draft(
        draft,
        ToneAssets(),
        two,
        options=PARALLEL,
        painter=FlatPainter,
        progress=lambda f, s: seen.append((f, s)),
    )
    assert (r1.frames, r1.width, r1.height) == (r2.frames, r2.width, r2.height) == (150, 320, 180)
    f1, a1 = decoded(one)
    f2, a2 = decoded(two)
    assert len(f1) == len(f2) == ms_to_frame(5000, 30)
    assert min(psnr(x, y) for x, y in zip(f1, f2, strict=True)) >= 50.0
    assert a1.shape == a2.shape and np.abs(a1 - a2).max() < 1e-4
    with av.open(str(two)) as c:
        v, a = c.streams.video[0], c.streams.audio[0]
        assert v.codec_context.profile == "High" and v.codec_context.pix_fmt == "yuv420p"
        assert abs(float(v.duration * v.time_base) - 5.0) <= 1 / 30
        assert (a.rate, a.codec_context.channels) == (48000, 2)
        keyframes = [p.pts * p.time_base for p in c.demux(v) if p.is_keyframe]
    assert [float(k) for k in keyframes[:3]] == [0.0, 1.0, 2.0]
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.mp4", "two.mp4"]


def test_frames_come_out_in_order_across_chunk_boundaries(tmp_path: Path) -> None:
    from test_render_engine_fakes import level

    out = tmp_path / "order.mp4"
    render_draft(
        make_draft(duration=5000, voice=None, music=False),
        ToneAssets(),
        out,
        options=PARALLEL,
        painter=IndexPainter,
    )
    with av.open(str(out)) as c:
        greys = [float(f.to_ndarray(format="gray").mean()) for f in c.decode(video=0)]
    assert len(greys) == 150
    assert all(abs(g - level(i)) < 3 for i, g in enumerate(greys))


def test_a_failing_chunk_fails_the_render_and_leaves_nothing(tmp_path: Path) -> None:
    class Broken(IndexPainter):
        def draw(self, canvas: skia.Canvas, frame: int) -> None:
            if frame == 100:
                raise ValueError("boom in a worker")
            super().draw(canvas, frame)

    out = tmp_path / "broken.mp4"
    with pytest.raises(RenderFailed):
        render_draft(make_draft(duration=5000), ToneAssets(), out, options=PARALLEL, painter=Broken)
    assert list(tmp_path.iterdir()) == []
