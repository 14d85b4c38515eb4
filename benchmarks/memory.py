"""Peak memory of ``promptreel make``: a 30-second and a 10-minute video, each in a fresh process.

Usage (from the repository root)::

    .venv/bin/python benchmarks/memory.py                  # 30 s and 10 min, real engines
    .venv/bin/python benchmarks/memory.py --seconds 30 120 # other lengths
    .venv/bin/python benchmarks/memory.py --write-results  # also update benchmarks/RESULTS.md

Each length runs ``promptreel make`` (the real CLI: planner, Piper/espeak speech, MIDI music,
the renderer and its worker processes) in its own subprocess with an empty data directory, so
every run synthesises its speech and music from scratch. The figure is the peak RSS of the
largest process of the run: the kernel's ``ru_maxrss`` of the ``make`` process and every
descendant it waited for (``wait4``). While it runs, the ``VmHWM`` of each process of the tree
is sampled from ``/proc`` to tell which process it was (the CLI process or a render worker).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS.md"
SECTION = "## Memory of `promptreel make`"
GOAL_RATIO = 1.1
GOAL_MB = 1024


def _status(pid: int) -> dict[str, int]:
    """VmHWM and VmRSS (kB) of ``pid``; empty once it has gone."""
    out: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return out
    for key in ("VmHWM", "VmRSS"):
        m = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
        if m:
            out[key] = int(m.group(1))
    return out


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return kids


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


class Sampler(threading.Thread):
    """Polls the VmHWM of every process under ``root`` until told to stop."""

    def __init__(self, root: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.hwm: dict[int, int] = {}
        self.names: dict[int, str] = {}
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            for pid in _tree(self.root):
                st = _status(pid)
                if "VmHWM" in st:
                    self.hwm[pid] = max(self.hwm.get(pid, 0), st["VmHWM"])
                    if pid not in self.names:
                        self.names[pid] = "make" if pid == self.root else "worker"
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def prompt_for(seconds: int) -> str:
    label = f"{seconds}-second" if seconds < 120 else f"{seconds // 60}-minute"
    return f"generate a {label} video from my script about a coffee brand"


def measure(seconds: int, workers: int) -> dict[str, Any]:
    """Run ``promptreel make`` for a ``seconds`` long video in a fresh process and data dir."""
    with tempfile.TemporaryDirectory(prefix="promptreel-mem-") as tmp:
        env = {**os.environ, "PROMPTREEL_DATA_DIR": str(Path(tmp) / "data")}
        out = Path(tmp) / "video.mp4"
        code = "import sys; from promptreel.cli import app; sys.exit(app())"
        cmd = [sys.executable, "-c", code, "make", prompt_for(seconds), "-o", str(out)]
        cmd += ["--workers", str(workers)]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        sampler = Sampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        if proc.returncode != 0 or not out.is_file():
            raise RuntimeError(f"promptreel make failed ({proc.returncode}):\n{stderr[-3000:]}")
        duration = _duration_s(out)
    parent = sampler.hwm.get(proc.pid, 0)
    workers_kb = [kb for pid, kb in sampler.hwm.items() if pid != proc.pid]
    return {
        "seconds": seconds,
        "duration_s": duration,
        "wall_s": round(wall, 1),
        "peak_mb": round(usage.ru_maxrss / 1024),  # largest process of the tree (kernel's figure)
        "make_mb": round(parent / 1024),
        "worker_mb": round(max(workers_kb, default=0) / 1024),
        "processes": len(sampler.hwm),
    }


def _duration_s(path: Path) -> float:
    sys.path.insert(0, str(ROOT / "src"))
    from promptreel.render.avio import inspect_media

    return inspect_media(path, 1 << 30).duration_ms / 1000


def write_results(rows: list[dict[str, Any]], ratio: float) -> None:
    first, last = rows[0], rows[-1]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        SECTION,
        "",
        f"Measured by `.venv/bin/python benchmarks/memory.py --write-results` on {stamp}: "
        "`promptreel make` with the real engines (Piper/espeak speech, MIDI music) in a fresh "
        "process and an empty data directory per length; peak RSS of the largest process "
        "(`ru_maxrss` of the tree), with the CLI process and the largest render worker beside it.",
        "",
        "| video | wall | largest process | `make` process | largest worker | processes |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['duration_s']:.1f} s | {r['wall_s']:.0f} s | {r['peak_mb']} MB | {r['make_mb']} MB "
            f"| {r['worker_mb']} MB | {r['processes']} |"
        )
    met = ratio <= GOAL_RATIO and max(r["peak_mb"] for r in rows) < GOAL_MB
    lines += [
        "",
        "| figure | measured | goal | |",
        "|---|---|---|---|",
        f"| peak RSS, {last['seconds']} s video ÷ {first['seconds']} s video | {ratio:.2f} "
        f"({last['peak_mb']} MB vs {first['peak_mb']} MB) | ≤ {GOAL_RATIO}, < {GOAL_MB} MB "
        f"| {'met' if met else 'missed'} |",
        "",
    ]
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    block = "\n".join(lines)
    start = text.find(SECTION)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + block
    else:
        end = text.find("\n## ", start + len(SECTION))
        keep = text[end + 1 :] if end >= 0 else ""
        notes = _notes(text[start:end] if end >= 0 else text[start:])
        text = text[:start] + block + notes + ("\n" + keep if keep else "")
    RESULTS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def _notes(section: str) -> str:
    """Hand-written notes kept below the tables of the section (from ``**Notes.**`` on)."""
    i = section.find("**Notes")
    return "\n" + section[i:].rstrip("\n") + "\n" if i >= 0 else ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, nargs="+", default=[30, 600], help="video lengths")
    ap.add_argument("--workers", type=int, default=0, help="render processes (0 = one per core)")
    ap.add_argument("--write-results", action="store_true", help="update benchmarks/RESULTS.md")
    args = ap.parse_args()
    rows = []
    for seconds in args.seconds:
        row = measure(seconds, args.workers)
        print(json.dumps(row), flush=True)
        rows.append(row)
    ratio = rows[-1]["peak_mb"] / max(1, rows[0]["peak_mb"])
    print(f"largest process: {rows[-1]['peak_mb']} MB ÷ {rows[0]['peak_mb']} MB = {ratio:.2f}")
    if args.write_results:
        write_results(rows, ratio)
    return 0


if __name__ == "__main__":
    sys.exit(main())
