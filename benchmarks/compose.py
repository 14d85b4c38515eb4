"""Per-frame drawing time of the compositor at 1080p (no encoding).

Run: ``.venv/bin/python benchmarks/compose.py [width height seconds]``. Draws a four-scene
draft with a title and captions (every motion style once, a chart, the transitions) and
prints the average and worst frame time (wall clock, and CPU time of this process, which
is the better figure on a busy shared machine) for the surface the engine uses (skia's own
native-order raster, viewed as a numpy array) and for an RGBA surface over a numpy array (drawn
on a native work surface and copied across with one swizzle).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import skia

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from promptreel.render.compose import Compositor
from test_compose_support import SCENES, IconAssets, scene_draft


def run(width: int, height: int, seconds: int, surface_kind: str) -> None:
    specs = [{**s} for s in SCENES]
    for spec, motion in zip(specs, ("gradient", "shapes", "waves", "particles"), strict=True):
        spec["motion"] = motion
    draft = scene_draft(width, height, seconds * 1000 // len(specs), scenes=specs, title=True)
    arr = np.zeros((height, width, 4), np.uint8)
    surface = skia.Surface(width, height) if surface_kind == "engine" else skia.Surface(arr)
    canvas = surface.getCanvas()
    comp = Compositor(draft, IconAssets(), width, height)
    frames = seconds * draft.canvas.fps
    times, cpus = [], []
    start, cpu_start = time.perf_counter(), time.process_time()
    for i in range(frames):
        t0, c0 = time.perf_counter(), time.process_time()
        comp.draw(canvas, i)
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    comp.close()
    steady = sorted(times)[: int(len(times) * 0.95)]
    print(
        f"{surface_kind:>7} {width}x{height} {frames} frames: mean {1000 * total / frames:.1f} ms/frame, "
        f"median {1000 * statistics.median(times):.1f} ms, p95-trimmed mean {1000 * statistics.mean(steady):.1f} ms, "
        f"worst {1000 * max(times):.0f} ms; CPU time {1000 * cpu / frames:.1f} ms/frame "
        f"(median frame {1000 * statistics.median(cpus):.1f} ms, first-use setup included in the mean)"
    )


if __name__ == "__main__":
    w, h, s = (int(x) for x in sys.argv[1:4]) if len(sys.argv) >= 4 else (1920, 1080, 8)
    for kind in ("engine", "rgba"):
        run(w, h, s, kind)
