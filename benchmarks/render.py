"""Render speed of the coffee prompt, measured side by side in one run.

Usage (from the repository root)::

    .venv/bin/python benchmarks/render.py                 # the coffee prompt, real engines
    .venv/bin/python benchmarks/render.py --fake-engines  # tones instead of speech/music
    .venv/bin/python benchmarks/render.py --workers 2     # also time a 2-process chunked render
    .venv/bin/python benchmarks/render.py --synthetic     # a built-in 30 s 1080p draft
    .venv/bin/python benchmarks/render.py --synthetic --seconds 600   # memory stays flat?

It generates the draft for "generate a 30-second video from my script about a coffee brand"
(``promptreel.service.studio.generate_draft``), warms the asset cache (speech, music), then
renders it with the default export settings and prints:

* **render ÷ duration** — render wall time over the video's duration (target ≤ 0.5);
* **render ÷ raw encode** — render wall time over a plain PyAV libx264 encode of the same
  number of frames at the same settings (preset, crf, High profile, yuv420p, from RGBA numpy
  frames; target ≤ 1.3). The raw encode feeds the *decoded frames of our own output*, so its
  content (and x264's cost) is the same; the decoding is timed in a separate pass and
  subtracted.
* peak RSS of the process, and with ``--workers N`` the N-worker ÷ 1-worker wall time.

If the draft generator or the compositor is not available (or fails), it falls back to a
representative synthetic draft (scenes, narration, music, title, captions) and the engine's
:class:`~promptreel.render.FlatPainter`, and says so.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import threading
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from promptreel.clip import AudioClip
from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType
from promptreel.render import FlatPainter, RenderOptions, render_draft
from promptreel.render.avio import configure_encoder, video_stream_options
from promptreel.render.options import scaled_size
from promptreel.render.painter import PainterFactory, default_painter
from promptreel.timecode import ms_to_frame, ms_to_samples

PROMPT = "generate a 30-second video from my script about a coffee brand"


# -- the draft -----------------------------------------------------------------------------


class ToneAssets:
    """Fallback assets: a modulated tone for narration, a chord for music."""

    def voice(self, segment: Segment) -> AudioClip:
        n = ms_to_samples(segment.duration, 22050)
        t = np.arange(n) / 22050
        x = 0.5 * np.sin(2 * np.pi * 180 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t))
        return AudioClip(x.astype(np.float32)[:, None], 22050)

    def music(self, segment: Segment) -> AudioClip:
        n = ms_to_samples(segment.duration, 48000)
        t = np.arange(n) / 48000
        x = sum(np.sin(2 * np.pi * f * t) for f in (220, 277.2, 329.6)) * 0.1
        return AudioClip(np.stack([x, x], axis=1).astype(np.float32), 48000)

    def illustration(self, name: str) -> str | None:
        return None

    def media_path(self, media_id: str) -> Path | None:
        return None


def synthetic_draft(seconds: int = 30) -> Draft:
    """A 1080p30 draft shaped like a generated one: 6 scenes, narration, music, title, captions."""
    scene_ms = seconds * 1000 // 6
    palettes = [
        ["#3E2723", "#8D6E63", "#FFCC80"],
        ["#1B5E20", "#A5D6A7", "#FFF59D"],
        ["#0D47A1", "#90CAF9", "#FFAB91"],
    ]
    motions = ["gradient", "shapes", "particles", "rays", "grid", "waves"]
    scenes, voices, captions = [], [], []
    for i in range(6):
        start = i * scene_ms
        meta = {
            "text": f"Sentence {i + 1} about great coffee.",
            "headline": f"Beat {i + 1}",
            "palette": palettes[i % 3],
            "motion": motions[i],
            "transition": "crossfade",
            "transition_ms": 400,
        }
        scenes.append(Segment(f"sc_{i}", start, scene_ms, "scene", meta=Meta(meta)))
        voices.append(
            Segment(f"vo_{i}", start + 300, scene_ms - 800, "voice", meta=Meta({"text": meta["text"]}))
        )
        captions.append(
            Segment(f"cp_{i}", start + 300, scene_ms - 800, "caption", meta=Meta({"text": meta["text"]}))
        )
    total = 6 * scene_ms
    return Draft(
        "d_bench",
        Canvas(1920, 1080, 30),
        (
            Track("t_scenes", TrackType.VIDEO, "scenes", segments=tuple(scenes)),
            Track("t_voice", TrackType.AUDIO, "narration", segments=tuple(voices)),
            Track("t_bgm", TrackType.AUDIO, "bgm", segments=(Segment("mu_0", 0, total, "music"),)),
            Track(
                "t_title",
                TrackType.TEXT,
                "title",
                segments=(Segment("ti_0", 0, 3000, "title", meta=Meta({"text": "Bean There"})),),
            ),
            Track("t_captions", TrackType.TEXT, "captions", segments=tuple(captions)),
        ),
        Meta({"title": "Bean There", "prompt": PROMPT}),
    )


def coffee_draft(fake: bool) -> tuple[Draft, Any, str]:
    from promptreel.service.studio import Engines, default_engines, generate_draft
    from promptreel.settings import Settings

    settings = Settings()
    engines = Engines.fake() if fake else default_engines(settings)
    draft = generate_draft(PROMPT, settings=settings, engines=engines, seed=1)
    return draft, engines.assets(), "coffee prompt" + (" (fake engines)" if fake else "")


def warm_assets(draft: Draft, assets: Any) -> None:
    for _track, seg in draft.segments():
        if seg.kind == "voice":
            assets.voice(seg)
        elif seg.kind == "music":
            assets.music(seg)


def pick_painter(draft: Draft, assets: Any, synthetic: bool) -> tuple[PainterFactory, str]:
    factory = FlatPainter if synthetic else default_painter()
    if factory is FlatPainter:
        return FlatPainter, "FlatPainter"
    try:  # a compositor that cannot draw the first frame is not benchmarked
        import skia

        buf = np.zeros((90, 160, 4), np.uint8)
        painter = factory(draft, assets, 160, 90)
        painter.draw(skia.Surface(buf).getCanvas(), 0)
        painter.close()
    except Exception as exc:
        print(f"  compositor unavailable ({exc.__class__.__name__}: {exc}); using FlatPainter")
        return FlatPainter, "FlatPainter"
    return factory, f"{factory.__module__}.{factory.__name__}"


# -- the raw PyAV baseline -----------------------------------------------------------------


def decode_only(path: Path) -> tuple[float, int]:
    t0 = time.perf_counter()
    n = 0
    with av.open(str(path)) as c:
        c.streams.video[0].thread_type = "AUTO"
        for frame in c.decode(video=0):
            frame.to_ndarray(format="rgba")
            n += 1
    return time.perf_counter() - t0, n


def decode_and_raw_encode(path: Path, out: Path, options: RenderOptions, fps: int) -> float:
    """Plain PyAV: numpy RGBA frame → VideoFrame.from_ndarray → libx264 (same settings) → MP4."""
    t0 = time.perf_counter()
    with av.open(str(path)) as src, av.open(str(out), "w") as dst:
        src.streams.video[0].thread_type = "AUTO"
        stream = dst.add_stream("libx264", rate=fps, options=video_stream_options(options, fps))
        w, h = src.streams.video[0].width, src.streams.video[0].height
        stream.width, stream.height, stream.pix_fmt, stream.profile = w, h, "yuv420p", "High"
        stream.codec_context.time_base = Fraction(1, fps)
        for i, frame in enumerate(src.decode(video=0)):
            rgba = frame.to_ndarray(format="rgba")
            vf = av.VideoFrame.from_ndarray(rgba, format="rgba")
            vf.pts = i
            for packet in stream.encode(vf):
                dst.mux(packet)
        for packet in stream.encode(None):
            dst.mux(packet)
    return time.perf_counter() - t0


def raw_encode_yuv(
    path: Path, out: Path, options: RenderOptions, fps: int, batch: int = 60
) -> tuple[float, float]:
    """The stricter baseline: libx264 alone on the decoded yuv420p frames of ``path``, at the
    renderer's exact settings (:func:`~promptreel.render.avio.configure_encoder`).

    Frames are decoded ``batch`` at a time, untimed; only the encoder's calls (and the final
    flush) are timed. Returns (wall seconds, CPU seconds of this process while encoding)."""
    wall = cpu = 0.0
    with av.open(str(path)) as src, av.open(str(out), "w", format="mp4") as dst:
        vs = src.streams.video[0]
        vs.thread_type = "AUTO"
        stream = dst.add_stream("libx264", rate=fps)
        configure_encoder(stream.codec_context, vs.width, vs.height, fps, options)
        frames = src.decode(video=0)
        index = 0
        done = False
        while not done:
            pending: list[av.VideoFrame] = []
            for frame in frames:
                pending.append(frame)
                if len(pending) == batch:
                    break
            else:
                done = True
            t0, c0 = time.perf_counter(), time.process_time()
            for frame in pending:
                frame.pts = index
                frame.time_base = Fraction(1, fps)
                index += 1
                for packet in stream.encode(frame):
                    dst.mux(packet)
            if done:
                for packet in stream.encode(None):
                    dst.mux(packet)
            wall += time.perf_counter() - t0
            cpu += time.process_time() - c0
    return wall, cpu


def raw_encode_drawn(draft: Any, assets: Any, options: RenderOptions, batch: int = 60) -> tuple[float, float]:
    """The encoder's own share of a render: libx264 alone on the renderer's yuv420p frames
    before encoding (drawn by the compositor and converted as the render does, neither timed),
    at the renderer's exact settings, restarted where the render restarts it.

    The strict baseline (:func:`raw_encode_yuv`) encodes *decoded* frames: already smoothed by
    one pass of the encoder, they cost libx264 less than the frames a render really encodes.
    Returns (wall seconds, CPU seconds of this process while encoding)."""
    from promptreel.render.avio import YuvConverter
    from promptreel.render.caption_words import with_word_times
    from promptreel.render.frames import FRAME_FORMAT, encode_frames

    draft = with_word_times(draft, assets)
    fps = draft.canvas.fps
    width, height = scaled_size(draft.canvas.width, draft.canvas.height, options.scale)
    total = max(1, ms_to_frame(draft.duration, fps))
    segment = options.chunk_s * fps
    converter = YuvConverter(width, height, FRAME_FORMAT)
    timing = [0.0, 0.0]

    class Collect:
        """A writer that keeps each frame's yuv420p picture and encodes them ``batch`` at a time."""

        def __init__(self) -> None:
            self.frames = 0
            self.pending: list[av.VideoFrame] = []
            self.last: av.VideoFrame | None = None
            self.stream: Any = None

        def _ctx(self) -> Any:
            ctx = av.CodecContext.create("libx264", "w")
            configure_encoder(ctx, width, height, fps, options)
            return ctx

        def repeat(self) -> None:
            assert self.last is not None
            self._add(self.last)

        def submit_pixels(self, buf: Any, rects: Any = None) -> None:
            frame = converter.blank()
            if frame is None:
                frame = converter.convert(buf)  # swscale: a fresh picture each time
            else:
                converter.convert_into(buf, frame)
            self.last = frame
            self._add(frame)

        def _add(self, frame: av.VideoFrame) -> None:
            self.pending.append(frame)
            self.frames += 1
            if len(self.pending) == batch or self.frames == total:
                self.encode()

        def encode(self) -> None:
            t0, c0 = time.perf_counter(), time.process_time()
            start = self.frames - len(self.pending)
            for k, frame in enumerate(self.pending):
                index = start + k
                if self.stream is None or index % segment == 0:
                    if self.stream is not None:
                        self.stream.encode(None)
                    self.stream = self._ctx()
                frame.pts = index % segment
                frame.time_base = Fraction(1, fps)
                self.stream.encode(frame)
            if self.frames == total:
                self.stream.encode(None)
            self.pending = []
            timing[0] += time.perf_counter() - t0
            timing[1] += time.process_time() - c0

    sink = Collect()
    encode_frames(draft, assets, width, height, range(total), default_painter(), sink)  # type: ignore[arg-type]
    return timing[0], timing[1]


# -- measuring ------------------------------------------------------------------------------


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakRss:
    """Samples this process's resident memory every 20 ms while active."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.02)

    def __enter__(self) -> PeakRss:
        self.base = rss_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def cpu_s() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


# -- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fake-engines", action="store_true", help="tones instead of speech and music")
    ap.add_argument("--synthetic", action="store_true", help="built-in draft and FlatPainter")
    ap.add_argument("--seconds", type=int, default=30, help="length of the synthetic draft (e.g. 120, 600)")
    ap.add_argument("--workers", type=int, default=1, help="also time a chunked render with N workers")
    ap.add_argument("--keep", type=Path, default=None, help="copy the rendered MP4 here")
    args = ap.parse_args(argv)

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}, "
        f"PyAV {av.__version__} (FFmpeg libx264)"
    )
    t0 = time.perf_counter()
    source = "synthetic draft"
    draft: Draft
    assets: Any
    if args.synthetic:
        draft, assets = synthetic_draft(args.seconds), ToneAssets()
    else:
        try:
            draft, assets, source = coffee_draft(args.fake_engines)
        except Exception as exc:
            print(f"  draft generator unavailable ({exc.__class__.__name__}: {exc}); using a synthetic draft")
            draft, assets = synthetic_draft(), ToneAssets()
    gen_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    warm_assets(draft, assets)
    warm_s = time.perf_counter() - t0
    painter, painter_name = pick_painter(draft, assets, args.synthetic or source == "synthetic draft")
    options = RenderOptions()
    fps = draft.canvas.fps
    duration_s = draft.duration / 1000
    print(
        f"draft: {source}, {draft.canvas.width}x{draft.canvas.height}@{fps}, {duration_s:.2f} s; "
        f"painter: {painter_name}; generate {gen_s:.1f} s, assets warm-up {warm_s:.1f} s"
    )

    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="promptreel-bench-") as tmp:
        out = Path(tmp) / "coffee.mp4"
        c0 = cpu_s()
        with PeakRss() as mem:
            result = render_draft(draft, assets, out, options=options, painter=painter)
        render_cpu = cpu_s() - c0
        render_s = result.wall_s
        if args.keep:
            args.keep.write_bytes(out.read_bytes())
        c0 = cpu_s()
        dec_s, n = decode_only(out)
        c1 = cpu_s()
        both_s = decode_and_raw_encode(out, Path(tmp) / "raw.mp4", options, fps)
        raw_cpu = max(1e-6, (cpu_s() - c1) - (c1 - c0))
        raw_s = max(1e-6, both_s - dec_s)
        rows += [
            ("frames", f"{result.frames} ({n} decoded)"),
            ("render wall", f"{render_s:.2f} s ({result.frames / render_s:.1f} fps), CPU {render_cpu:.1f} s"),
            (
                "raw PyAV libx264 encode, same frames & settings",
                f"{raw_s:.2f} s ({n / raw_s:.1f} fps), CPU {raw_cpu:.1f} s",
            ),
            ("render ÷ video duration (target ≤ 0.5)", f"{render_s / duration_s:.2f}"),
            ("render ÷ raw encode (target ≤ 1.3)", f"{render_s / raw_s:.2f}"),
            ("  same, in CPU time (less sensitive to other load)", f"{render_cpu / raw_cpu:.2f}"),
            (
                "render peak RSS (growth during the render)",
                f"{mem.peak:.0f} MB (+{mem.peak - mem.base:.0f} MB)",
            ),
        ]
        if args.workers > 1:
            par = render_draft(
                draft,
                assets,
                Path(tmp) / "par.mp4",
                options=RenderOptions(workers=args.workers),
                painter=painter,
            )
            rows.append(
                (
                    f"{args.workers} workers ÷ 1 worker wall",
                    f"{par.wall_s / render_s:.2f} ({par.wall_s:.2f} s)",
                )
            )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append(("peak RSS of the whole run (incl. generation)", f"{peak_mb:.0f} MB"))
    print(f"  load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU")
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"  {k:<{width}}  {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
