"""The render engine end to end: decode the MP4 it writes and check what a viewer would get."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pyloudnorm
import pytest
import skia

from promptreel.draft import Canvas, Draft
from promptreel.errors import InvalidDraft, RenderFailed
from promptreel.render import FlatPainter, RenderOptions, render_draft
from promptreel.render.audio import true_peak_db
from promptreel.timecode import ms_to_frame
from test_render_engine_fakes import IndexPainter, ToneAssets, level, make_draft


def decode_audio(path: Path) -> tuple[np.ndarray, int]:
    with av.open(str(path)) as c:
        stream = c.streams.audio[0]
        parts = [f.to_ndarray() for f in c.decode(stream)]  # fltp: (channels, n)
        return np.concatenate(parts, axis=1).T.astype(np.float64), stream.rate


def decode_grey(path: Path) -> list[float]:
    with av.open(str(path)) as c:
        return [float(f.to_ndarray(format="gray").mean()) for f in c.decode(video=0)]


@pytest.fixture(scope="module")
def small_render(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[float, str]]]:
    out = tmp_path_factory.mktemp("render") / "small.mp4"
    seen: list[tuple[float, str]] = []
    render_draft(
        make_draft(), ToneAssets(), out, painter=FlatPainter, progress=lambda f, s: seen.append((f, s))
    )
    return out, seen


def test_video_stream_is_h264_high_yuv420p_at_canvas_size(small_render: tuple[Path, list]) -> None:
    out, _ = small_render
    with av.open(str(out)) as c:
        v = c.streams.video[0]
        assert v.codec_context.name == "h264"
        assert v.codec_context.profile == "High"
        assert v.codec_context.pix_fmt == "yuv420p"
        assert (v.codec_context.width, v.codec_context.height) == (320, 180)
        assert v.average_rate == 30
        frames = sum(1 for _ in c.decode(v))
    assert frames == ms_to_frame(3000, 30)


def test_duration_matches_draft_within_one_frame(small_render: tuple[Path, list]) -> None:
    out, _ = small_render
    with av.open(str(out)) as c:
        v = c.streams.video[0]
        video_ms = float(v.duration * v.time_base) * 1000
        a = c.streams.audio[0]
        audio_ms = float(a.duration * a.time_base) * 1000
    assert abs(video_ms - 3000) <= 1000 / 30
    assert abs(audio_ms - 3000) <= 1000 / 30


def test_audio_is_aac_48k_stereo_at_target_loudness_and_peak(small_render: tuple[Path, list]) -> None:
    out, _ = small_render
    with av.open(str(out)) as c:
        a = c.streams.audio[0]
        assert a.codec_context.name == "aac"
        assert a.rate == 48000
        assert a.codec_context.channels == 2
    samples, rate = decode_audio(out)
    loudness = pyloudnorm.Meter(rate).integrated_loudness(samples)
    assert -15.0 <= loudness <= -13.0
    assert true_peak_db(samples.astype(np.float32)) <= -1.0


def test_faststart_puts_the_index_before_the_media(small_render: tuple[Path, list]) -> None:
    out, _ = small_render
    head = out.read_bytes()[:4096]
    assert head.find(b"moov") != -1 and (head.find(b"mdat") == -1 or head.find(b"moov") < head.find(b"mdat"))


def test_progress_is_monotonic_through_the_stages_and_ends_at_one(small_render: tuple[Path, list]) -> None:
    _, seen = small_render
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    stages = [s for _, s in seen]
    assert stages[0] == "audio" and "frames" in stages and stages[-1] == "mux"


def test_scenes_differ_and_are_not_blank(small_render: tuple[Path, list]) -> None:
    out, _ = small_render
    with av.open(str(out)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    first, second = frames[10], frames[80]
    assert first.std() > 5 and second.std() > 5
    assert np.abs(first.astype(int) - second.astype(int)).mean() > 20


def test_every_frame_is_encoded_once_in_order(tmp_path: Path) -> None:
    out = tmp_path / "order.mp4"
    result = render_draft(
        make_draft(duration=2000, voice=None, music=False), ToneAssets(), out, painter=IndexPainter
    )
    greys = decode_grey(out)
    assert len(greys) == result.frames == 60
    for i, g in enumerate(greys):
        assert abs(g - level(i)) < 3, f"frame {i}: {g} != {level(i)}"


def test_colours_survive_the_yuv_conversion(tmp_path: Path) -> None:
    class Solid:
        def __init__(self, *args: object) -> None: ...

        def draw(self, canvas: skia.Canvas, frame: int) -> None:
            canvas.clear(skia.ColorSetRGB(200, 40, 90))

        def close(self) -> None: ...

    out = tmp_path / "solid.mp4"
    render_draft(make_draft(duration=500, voice=None, music=False), ToneAssets(), out, painter=Solid)
    with av.open(str(out)) as c:
        v = c.streams.video[0]
        frame = next(c.decode(v))
        # the BT.601 matrix the frames are converted with is tagged; primaries and transfer BT.709
        assert v.codec_context.colorspace == 6
        assert v.codec_context.color_primaries == v.codec_context.color_trc == 1
        assert frame.colorspace == 6
        rgb = frame.reformat(format="rgb24", src_colorspace="ITU601").to_ndarray()
        plain = frame.to_ndarray(format="rgb24")  # decoders that read the tag see the same
    assert np.abs(rgb.reshape(-1, 3).mean(axis=0) - [200, 40, 90]).max() < 4
    assert np.abs(plain.reshape(-1, 3).mean(axis=0) - [200, 40, 90]).max() < 4


def test_the_simd_and_swscale_conversions_agree() -> None:
    from promptreel.render.avio import YuvConverter

    h, w = 180, 320
    rgba = np.zeros((h, w, 4), np.uint8)
    rgba[..., 0] = np.linspace(0, 255, w, dtype=np.float64)[None, :].astype(np.uint8)
    rgba[..., 1] = np.linspace(255, 0, h, dtype=np.float64)[:, None].astype(np.uint8)
    rgba[..., 2] = 90
    rgba[..., 3] = 255
    for fmt in ("rgba", "bgra"):
        frames = [YuvConverter(w, h, fmt, simd=simd).convert(rgba) for simd in (True, False)]
        planes = [
            [np.frombuffer(p, np.uint8).reshape(-1, p.line_size)[:, : p.width] for p in f.planes]
            for f in frames
        ]
        for a, b in zip(*planes, strict=True):
            assert np.abs(a.astype(int) - b.astype(int)).max() <= 3


def test_unchanged_frames_are_encoded_again(tmp_path: Path) -> None:
    class Steps:
        """Level changes every tenth frame; the other frames say they are unchanged."""

        def __init__(self, *args: object) -> None:
            self.drawn = 0

        def draw(self, canvas: skia.Canvas, frame: int) -> None:
            self.drawn += 1
            g = level(frame // 10 * 10)
            canvas.clear(skia.ColorSetRGB(g, g, g))

        def unchanged(self, frame: int) -> bool:
            return frame % 10 != 0

        def close(self) -> None:
            assert self.drawn == 6

    out = tmp_path / "steps.mp4"
    result = render_draft(
        make_draft(duration=2000, voice=None, music=False), ToneAssets(), out, painter=Steps
    )
    greys = decode_grey(out)
    assert len(greys) == result.frames == 60
    for i, g in enumerate(greys):
        assert abs(g - level(i // 10 * 10)) < 3, f"frame {i}"


def test_preview_scale_renders_a_smaller_even_size(tmp_path: Path) -> None:
    out = tmp_path / "preview.mp4"
    result = render_draft(
        make_draft(width=1280, height=720, duration=1000, voice=(200, 600)),
        ToneAssets(),
        out,
        options=RenderOptions(scale=0.25, preset="ultrafast"),
        painter=FlatPainter,
    )
    assert (result.width, result.height) == (320, 180)
    with av.open(str(out)) as c:
        assert (c.streams.video[0].width, c.streams.video[0].height) == (320, 180)


def test_full_hd_render(tmp_path: Path) -> None:
    out = tmp_path / "hd.mp4"
    result = render_draft(
        make_draft(width=1920, height=1080, duration=1000, voice=(200, 600)),
        ToneAssets(),
        out,
        painter=FlatPainter,
    )
    assert (result.width, result.height, result.frames) == (1920, 1080, 30)
    with av.open(str(out)) as c:
        v = c.streams.video[0]
        assert (v.width, v.height) == (1920, 1080)
        assert v.codec_context.profile == "High"
        assert sum(1 for _ in c.decode(v)) == 30
    assert result.size_bytes == out.stat().st_size > 0


def test_silent_draft_gets_a_silent_track(tmp_path: Path) -> None:
    out = tmp_path / "silent.mp4"
    render_draft(make_draft(duration=1000, voice=None, music=False), ToneAssets(), out, painter=IndexPainter)
    samples, _ = decode_audio(out)
    assert np.isfinite(samples).all()
    assert np.abs(samples).max() < 1e-3


def test_a_failing_painter_leaves_no_file(tmp_path: Path) -> None:
    class Broken(IndexPainter):
        def draw(self, canvas: skia.Canvas, frame: int) -> None:
            if frame == 20:
                raise ValueError("boom")
            super().draw(canvas, frame)

    out = tmp_path / "broken.mp4"
    with pytest.raises(RenderFailed):
        render_draft(make_draft(duration=2000), ToneAssets(), out, painter=Broken)
    assert list(tmp_path.iterdir()) == []


def test_a_failure_keeps_an_earlier_file_untouched(tmp_path: Path) -> None:
    out = tmp_path / "keep.mp4"
    out.write_bytes(b"previous export")

    class Broken(IndexPainter):
        def draw(self, canvas: skia.Canvas, frame: int) -> None:
            raise RuntimeError("boom")

    with pytest.raises(RenderFailed):
        render_draft(make_draft(duration=1000, voice=None), ToneAssets(), out, painter=Broken)
    assert out.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.mp4"]


def test_empty_draft_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(InvalidDraft):
        render_draft(Draft("d_empty", Canvas(320, 180, 30)), ToneAssets(), tmp_path / "x.mp4")
    assert list(tmp_path.iterdir()) == []


def test_odd_fps_and_duration_round_by_the_timecode_rule(tmp_path: Path) -> None:
    out = tmp_path / "odd.mp4"
    result = render_draft(
        make_draft(duration=1017, voice=None, music=False, fps=25), ToneAssets(), out, painter=IndexPainter
    )
    assert result.frames == ms_to_frame(1017, 25) == 25
    with av.open(str(out)) as c:
        v = c.streams.video[0]
        assert v.average_rate == Fraction(25)
        assert sum(1 for _ in c.decode(v)) == 25


def test_the_painter_is_closed_after_success_and_failure(tmp_path: Path) -> None:
    closed: list[str] = []

    class Tracked(IndexPainter):
        fail = False

        def draw(self, canvas: skia.Canvas, frame: int) -> None:
            if self.fail and frame == 5:
                raise ValueError("boom")
            super().draw(canvas, frame)

        def close(self) -> None:
            closed.append("failing" if self.fail else "ok")

    class Failing(Tracked):
        fail = True

    draft = make_draft(duration=500, voice=None, music=False)
    render_draft(draft, ToneAssets(), tmp_path / "ok.mp4", painter=Tracked)
    with pytest.raises(RenderFailed):
        render_draft(draft, ToneAssets(), tmp_path / "bad.mp4", painter=Failing)
    assert closed == ["ok", "failing"]


def test_invalid_options_are_refused() -> None:
    for bad in ({"scale": 0}, {"crf": 60}, {"workers": 0}, {"chunk_s": 0}):
        with pytest.raises(ValueError):
            RenderOptions(**bad)  # type: ignore[arg-type]


def test_encoder_restarts_keep_every_frame_in_order(tmp_path: Path) -> None:
    out = tmp_path / "restart.mp4"
    options = RenderOptions(chunk_s=1, gop_s=1, preset="ultrafast")
    render_draft(
        make_draft(duration=2500, voice=None), ToneAssets(), out, options=options, painter=IndexPainter
    )
    greys = decode_grey(out)
    assert len(greys) == 75
    assert all(abs(g - level(i)) < 3 for i, g in enumerate(greys))
    with av.open(str(out)) as c:
        v = c.streams.video[0]
        keys = [float(p.pts * p.time_base) for p in c.demux(v) if p.is_keyframe and p.pts is not None]
        assert abs(float(v.duration * v.time_base) - 2.5) <= 1 / 30
    assert keys == [0.0, 1.0, 2.0]


def test_frames_a_painter_marks_unchanged_are_not_redrawn(tmp_path: Path) -> None:
    drawn: list[int] = []

    class Holding(IndexPainter):
        def draw(self, canvas: skia.Canvas, frame: int) -> None:
            drawn.append(frame)
            super().draw(canvas, frame)

        def unchanged(self, frame: int) -> bool:
            return frame % 2 == 1

    out = tmp_path / "held.mp4"
    render_draft(make_draft(duration=1000, voice=None, music=False), ToneAssets(), out, painter=Holding)
    assert drawn == list(range(0, 30, 2))
    greys = decode_grey(out)
    assert len(greys) == 30
    assert all(abs(g - level(i - i % 2)) < 3 for i, g in enumerate(greys))
