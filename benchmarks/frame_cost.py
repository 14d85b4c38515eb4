"""Render cost against the encoder's own cost, repeated and side by side in one run.

Usage (from the repository root)::

    .venv/bin/python benchmarks/frame_cost.py                  # 30 s draft, 1 and 2 workers, 3 rounds
    .venv/bin/python benchmarks/frame_cost.py --rounds 5 --workers 1
    .venv/bin/python benchmarks/frame_cost.py --memory 30,600  # peak RSS of 30 s and 10 min renders
    .venv/bin/python benchmarks/frame_cost.py --before /tmp/old/src  # also an older checkout, interleaved

Each round renders the planner's 30-second coffee video (fake speech and music) in a fresh
process per worker count, then encodes the decoded yuv420p frames of the 1-worker render with
libx264 at the renderer's exact settings (decoding not timed: :func:`render.raw_encode_yuv`).
Prints each round and the medians of render ÷ raw encode, in wall and CPU time. CPU time is
given three ways: the whole render process (interpreter start and imports included), the
``render_draft`` call alone (the baseline's encode excludes its start-up too), and the frame
path alone: that call less the soundtrack (mixed, mastered and AAC-encoded by itself in the
same process, measured separately). Two more figures explain the rest: the encoder alone on
the render's *own* yuv420p frames (drawn and converted untimed, :func:`render.raw_encode_drawn`:
decoded frames are smoother and cost libx264 less, so the strict baseline sits below what any
render of these frames must pay), and the render's CPU by thread (:class:`ThreadCpu`: drawing
and conversion, libx264 and the thread feeding it, the soundtrack). ``--memory`` renders drafts of the given lengths (seconds)
and prints each one's peak RSS (the render process and its workers) and their ratio to the
first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from render import raw_encode_drawn, raw_encode_yuv  # noqa: E402
from run import cpu_now, engines, make_draft, render_in_child  # noqa: E402

_TICK = os.sysconf("SC_CLK_TCK")


class ThreadCpu:
    """CPU seconds of every thread of this process and of its child processes (forked render
    workers), read from ``/proc`` every ``period`` seconds while active, so threads that end
    before the render does (libx264's, one set per chunk) are still counted (up to one period
    of their life may be missed: :meth:`roles` reports the rest as unattributed).
    """

    def __init__(self, period: float = 0.05) -> None:
        self.period = period
        self.seen: dict[tuple[int, int], float] = {}
        self.start: dict[tuple[int, int], float] = {}
        self.names: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cpu-sampler", daemon=True)

    def __enter__(self) -> ThreadCpu:
        self._sample()
        self.start = dict(self.seen)  # what threads alive now had spent before
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            self._sample()

    def _sample(self) -> None:
        for t in threading.enumerate():
            if t.native_id is not None:
                self.names[t.native_id] = t.name
        todo, done = [os.getpid()], set()
        while todo:
            pid = todo.pop()
            done.add(pid)
            for tid in _listdir(f"/proc/{pid}/task"):
                base = f"/proc/{pid}/task/{tid}"
                try:
                    with open(f"{base}/stat") as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    self.seen[(pid, int(tid))] = (int(fields[11]) + int(fields[12])) / _TICK
                    with open(f"{base}/children") as f:
                        todo += [int(c) for c in f.read().split() if int(c) not in done]
                except (OSError, IndexError, ValueError):
                    continue

    def roles(self, total: float) -> dict[str, float]:
        """CPU seconds by role: ``drawing`` (the thread that draws and converts: this process's
        main thread, or each worker's), ``encoder`` (libx264's threads and the thread feeding
        them), ``soundtrack``, ``other`` (e.g. the chunk joiner of a parallel render) and
        ``unattributed`` (``total`` less the rest: threads' last moments between samples)."""
        me = os.getpid()
        out = dict.fromkeys(("drawing", "encoder", "soundtrack", "other"), 0.0)
        for (pid, tid), seen in self.seen.items():
            cpu = seen - self.start.get((pid, tid), 0.0)
            name = self.names.get(tid, "") if pid == me else ""
            if name == "cpu-sampler":
                continue
            if pid == me and name == "promptreel-audio":
                out["soundtrack"] += cpu
            elif tid == pid and (pid != me or not self._forked()):
                out["drawing"] += cpu
            elif pid == me and name.startswith(("MainThread", "QueueManager", "Thread-")):
                out["other"] += cpu
            else:
                out["encoder"] += cpu
        out["unattributed"] = total - sum(out.values()) - self._own()
        return out

    def _forked(self) -> bool:
        return any(pid != os.getpid() for pid, _ in self.seen)

    def _own(self) -> float:
        return sum(cpu for (pid, tid), cpu in self.seen.items() if self.names.get(tid) == "cpu-sampler")


def _listdir(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []


def child(spec_path: str) -> int:
    """Render one draft as the product does (fake engines); print its CPU seconds as JSON:
    the whole process, the ``render_draft`` call, and the soundtrack alone."""
    from dataclasses import replace

    from promptreel.draft import codec
    from promptreel.render import audio, render_draft
    from promptreel.render.avio import EncodedAudio
    from promptreel.render.caption_words import with_word_times
    from promptreel.service.studio import render_options
    from promptreel.settings import Settings

    spec = json.loads(Path(spec_path).read_text())
    draft = codec.loads(Path(spec["draft"]).read_text())
    assets = engines(False).assets()
    # a fresh render: no chunk or soundtrack made by an earlier round is reused
    options = replace(render_options(Settings(), workers=spec["workers"]), chunk_cache="", sound_cache="")
    c0, t0 = cpu_now(), time.perf_counter()
    with ThreadCpu() as threads:
        render_draft(draft, assets, Path(spec["out"]), options=options)
    wall, c1 = time.perf_counter() - t0, cpu_now()
    roles = threads.roles(c1 - c0)
    # the soundtrack by itself, as the render makes it (mixed, mastered, AAC-encoded)
    mix: Any = getattr(audio, "soundtrack", None) or audio.mix_audio
    timed = with_word_times(draft, assets)
    rate, bitrate = options.audio_rate, options.audio_bitrate
    sound = EncodedAudio.in_background(lambda: mix(timed, assets, rate, options), rate, bitrate)
    sound._done.wait()
    c2 = cpu_now()
    print(json.dumps({"wall": wall, "cpu": c1, "cpu_render": c1 - c0, "cpu_sound": c2 - c1, "roles": roles}))
    return 0


def render_cpu(draft: Any, out: Path, workers: int) -> dict[str, Any]:
    """:func:`child` in a fresh process (with this process's ``PYTHONPATH``)."""
    from promptreel.draft import codec

    draft_path = out.with_suffix(".draft.json")
    draft_path.write_text(codec.dumps(draft))
    spec = out.with_suffix(".spec.json")
    spec.write_text(json.dumps({"draft": str(draft_path), "out": str(out), "workers": workers}))
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(spec)],
        capture_output=True,
        text=True,
        check=False,
        cwd=HERE.parent,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"render failed:\n{proc.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--memory", default="", help="comma-separated draft lengths in seconds")
    ap.add_argument(
        "--before", default="", help="src folder of another checkout, rendered in the same rounds"
    )
    ap.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args.child)

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
        assets = engines(False).assets()
        fps = draft.canvas.fps
        workers = [int(x) for x in args.workers.split(",")]
        sides = ["before", "now"] if args.before else ["now"]
        ratios: dict[tuple[str, int], dict[str, list[float]]] = {}
        for k in range(args.rounds):
            line = [f"round {k + 1}:"]
            for side in sides:
                env = os.environ.get("PYTHONPATH")
                if side == "before":
                    os.environ["PYTHONPATH"] = args.before
                try:
                    runs = {w: render_cpu(draft, tmp / f"{side}{w}.mp4", w) for w in workers}
                finally:
                    if env is None:
                        os.environ.pop("PYTHONPATH", None)
                    else:
                        os.environ["PYTHONPATH"] = env
                raw_s, raw_cpu = raw_encode_yuv(
                    tmp / f"{side}{workers[0]}.mp4", tmp / "raw.mp4", RenderOptions(), fps
                )
                line.append(f"[{side}] raw encode {raw_s:.2f} s (CPU {raw_cpu:.1f} s)")
                if side == sides[-1]:
                    own_s, own_cpu = raw_encode_drawn(draft, assets, RenderOptions())
                    line.append(
                        f"[encoder alone on the render's own frames {own_s:.2f} s (CPU {own_cpu:.1f} s) = "
                        f"{own_cpu / raw_cpu:.2f} × the raw encode]"
                    )
                for w, r in runs.items():
                    got = ratios.setdefault((side, w), {})
                    figures = {
                        "wall": r["wall"] / raw_s,
                        "cpu": r["cpu"] / raw_cpu,
                        "call": r["cpu_render"] / raw_cpu,
                        "frames": (r["cpu_render"] - r["cpu_sound"]) / raw_cpu,
                    }
                    if side == sides[-1]:
                        figures["own"] = r["cpu_render"] / own_cpu
                    for name, value in figures.items():
                        got.setdefault(name, []).append(value)
                    line.append(
                        f"{w} worker(s) {r['wall']:.2f} s = {figures['wall']:.2f} × "
                        f"(CPU: process {figures['cpu']:.2f} ×, render call {figures['call']:.2f} ×, "
                        f"frames {figures['frames']:.2f} ×; soundtrack {r['cpu_sound']:.1f} s"
                        + (
                            f"; render call ÷ own-frames encode {figures['own']:.2f} ×)"
                            if "own" in figures
                            else ")"
                        )
                    )
                    roles = r.get("roles", {})
                    if roles:
                        line.append(
                            "[threads, CPU s: "
                            + ", ".join(f"{k} {v:.1f}" for k, v in roles.items())
                            + f"; encoder ÷ raw encode {roles['encoder'] / raw_cpu:.2f}]"
                        )
            print(" ".join(line), flush=True)
        print(f"load average after the run: {os.getloadavg()[0]:.1f}")
        for (side, w), got in ratios.items():
            med = {name: statistics.median(values) for name, values in got.items()}
            print(
                f"median render ÷ raw encode, {side}, {w} worker(s): wall {med['wall']:.2f}; CPU time: "
                f"process {med['cpu']:.2f}, render call {med['call']:.2f}, frames {med['frames']:.2f}"
                + (f"; render call ÷ own-frames encode {med['own']:.2f}" if "own" in med else "")
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
