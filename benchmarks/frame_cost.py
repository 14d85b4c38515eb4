"""Render cost against the encoder's own cost, repeated and side by side in one run.

Usage (from the repository root)::

    .venv/bin/python benchmarks/frame_cost.py                  # 30 s draft, 1 and 2 workers, 3 rounds
    .venv/bin/python benchmarks/frame_cost.py --rounds 5 --workers 1
    .venv/bin/python benchmarks/frame_cost.py --memory 30,600  # peak RSS of 30 s and 10 min renders
    .venv/bin/python benchmarks/frame_cost.py --before /tmp/old/src  # also an older checkout, interleaved

Each round renders the planner's 30-second coffee video (fake speech and music) in a fresh
process per worker count, then encodes the decoded yuv420p frames of the 1-worker render with
libx264 at the renderer's exact settings (decoding not timed: :func:`render.raw_encode_yuv`).
Prints each round and the medians of render ÷ raw encode, in wall and CPU time. ``--memory``
renders drafts of the given lengths (seconds) and prints each one's peak RSS (the render
process and its workers) and their ratio to the first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from render import raw_encode_yuv  # noqa: E402
from run import make_draft, render_in_child  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--memory", default="", help="comma-separated draft lengths in seconds")
    ap.add_argument(
        "--before", default="", help="src folder of another checkout, rendered in the same rounds"
    )
    args = ap.parse_args(argv)

    from promptreel.render import RenderOptions

    with tempfile.TemporaryDirectory(prefix="promptreel-cost-") as tmp_s:
        tmp = Path(tmp_s)
        if args.memory:
            lengths = [int(x) for x in args.memory.split(",")]
            peaks = []
            for seconds in lengths:
                r = render_in_child(
                    make_draft(seconds, False), tmp / f"m{seconds}.mp4", workers=1, real=False
                )
                peaks.append(r["rss_mb"])
                print(
                    f"{seconds:>5} s: peak RSS {r['rss_mb']:.0f} MB ({r['rss_mb'] / peaks[0]:.2f} × the first), "
                    f"render {r['wall']:.1f} s",
                    flush=True,
                )
            return 0
        draft = make_draft(args.seconds, False)
        fps = draft.canvas.fps
        workers = [int(x) for x in args.workers.split(",")]
        sides = ["before", "now"] if args.before else ["now"]
        ratios: dict[tuple[str, int], list[float]] = {}
        cpu_ratios: dict[tuple[str, int], list[float]] = {}
        for k in range(args.rounds):
            line = [f"round {k + 1}:"]
            for side in sides:
                env = os.environ.get("PYTHONPATH")
                if side == "before":
                    os.environ["PYTHONPATH"] = args.before
                try:
                    runs = {
                        w: render_in_child(draft, tmp / f"{side}{w}.mp4", workers=w, real=False)
                        for w in workers
                    }
                finally:
                    if env is None:
                        os.environ.pop("PYTHONPATH", None)
                    else:
                        os.environ["PYTHONPATH"] = env
                raw_s, raw_cpu = raw_encode_yuv(
                    tmp / f"{side}{workers[0]}.mp4", tmp / "raw.mp4", RenderOptions(), fps
                )
                line.append(f"[{side}] raw encode {raw_s:.2f} s (CPU {raw_cpu:.1f} s)")
                for w, r in runs.items():
                    ratios.setdefault((side, w), []).append(r["wall"] / raw_s)
                    cpu_ratios.setdefault((side, w), []).append(r["cpu"] / raw_cpu)
                    line.append(
                        f"{w} worker(s) {r['wall']:.2f} s = {ratios[side, w][-1]:.2f} × "
                        f"(CPU {cpu_ratios[side, w][-1]:.2f} ×)"
                    )
            print(" ".join(line), flush=True)
        for (side, w), values in ratios.items():
            print(
                f"median render ÷ raw encode, {side}, {w} worker(s): {statistics.median(values):.2f} "
                f"(CPU time {statistics.median(cpu_ratios[side, w]):.2f})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
