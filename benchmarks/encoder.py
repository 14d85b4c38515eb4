"""libx264 settings compared on promptreel's own frames, side by side in one run.

Usage (from the repository root)::

    .venv/bin/python benchmarks/encoder.py              # 10 s of the coffee video at 1080p30
    .venv/bin/python benchmarks/encoder.py --seconds 4  # quicker

Draws the first seconds of the coffee-prompt video with the real compositor (fake speech and
music: only the pictures matter here), converts them to yuv420p once, then encodes the same
frames with each setting exactly as the renderer does (CRF 20, High profile, the same GOP) and
prints, for each: encode CPU time and wall time relative to ``veryfast``, the bit rate, and the
PSNR of the decoded luma against the source frames. promptreel's default is the last row.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render import coffee_draft

from promptreel.render import RenderOptions
from promptreel.render.avio import YuvConverter, configure_encoder
from promptreel.render.frames import draw_frames
from promptreel.render.painter import default_painter
from promptreel.render.raster import FRAME_FORMAT

DEFAULT = RenderOptions()
CANDIDATES = [
    ("veryfast", replace(DEFAULT, preset="veryfast", x264_params="")),
    ("superfast", replace(DEFAULT, preset="superfast", x264_params="")),
    ("ultrafast", replace(DEFAULT, preset="ultrafast", x264_params="")),
    (f"ultrafast + {DEFAULT.x264_params} (default)", DEFAULT),
]


def source_frames(seconds: int) -> tuple[list[av.VideoFrame], int]:
    draft, assets, _ = coffee_draft(fake=True)
    fps = draft.canvas.fps
    frames = []
    drawn = draw_frames(draft, assets, 1920, 1080, range(seconds * fps), default_painter())
    convert = YuvConverter(1920, 1080, FRAME_FORMAT, simd=False)  # a fresh frame per call
    for buf in drawn:
        frames.append(convert.convert(buf))
    return frames, fps


def encode(frames: list[av.VideoFrame], fps: int, options: RenderOptions, out: Path) -> tuple[float, float]:
    """Encode ``frames`` to ``out``; returns (wall seconds, CPU seconds of this process)."""
    t0, c0 = time.perf_counter(), time.process_time()
    with av.open(str(out), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        configure_encoder(stream.codec_context, 1920, 1080, fps, options)
        for i, frame in enumerate(frames):
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return time.perf_counter() - t0, time.process_time() - c0


def luma(frame: av.VideoFrame) -> npt.NDArray[np.float64]:
    plane = frame.planes[0]
    rows = np.frombuffer(bytes(plane), np.uint8).reshape(frame.height, plane.line_size)
    return rows[:, : frame.width].astype(np.float64)


def psnr(out: Path, frames: list[av.VideoFrame], every: int = 10) -> float:
    values = []
    with av.open(str(out)) as container:
        for i, decoded in enumerate(container.decode(video=0)):
            if i % every:
                continue
            mse = float(((luma(decoded) - luma(frames[i])) ** 2).mean())
            values.append(10 * np.log10(255**2 / max(mse, 1e-9)))
    return float(np.mean(values))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=int, default=10, help="seconds of video to encode")
    args = ap.parse_args(argv)
    frames, fps = source_frames(args.seconds)
    print(f"{len(frames)} frames of the coffee video, 1920x1080@{fps}; {os.cpu_count()} CPU")
    rows = []
    with tempfile.TemporaryDirectory(prefix="promptreel-encoder-") as tmp:
        for name, options in CANDIDATES:
            out = Path(tmp) / "out.mp4"
            wall, cpu = encode(frames, fps, options, out)
            mbps = out.stat().st_size * 8 / 1e6 / args.seconds
            rows.append((name, wall, cpu, mbps, psnr(out, frames)))
    base_wall, base_cpu = rows[0][1], rows[0][2]
    w = max(len(r[0]) for r in rows)
    print(f"{'setting':<{w}} {'wall ÷ veryfast':>15} {'CPU ÷ veryfast':>15} {'Mbit/s':>7} {'PSNR-Y dB':>10}")
    for name, wall, cpu, mbps, db in rows:
        print(f"{name:<{w}} {wall / base_wall:>15.2f} {cpu / base_cpu:>15.2f} {mbps:>7.2f} {db:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
