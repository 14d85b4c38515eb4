"""Edit → first playable preview frame in the studio, measured in real Chromium.

Usage (from the repository root)::

    .venv/bin/python benchmarks/preview.py              # this checkout, 3 rounds of 3 edits
    .venv/bin/python benchmarks/preview.py --before /tmp/old --rounds 2   # and an older one
    .venv/bin/python benchmarks/preview.py --no-write   # print only

A real ``promptreel serve --local`` (the product's own engines: Piper speech, the synthesiser,
the real renderer) is started in a fresh data dir; Chromium (Debian's build, headless, through
Playwright) opens the studio at 1440×900, sends a generation prompt and waits for its preview.
Then each edit is typed into the chat and sent, one after the other (a title, the caption
colour, the music volume); the figure is the time from pressing Enter to the video element's
``loadeddata`` event for the new preview (its first frame decoded and playable), read from the
page's own clock. The page's requests are timed too, so each figure is split into the chat turn
(``/run_sse`` to its end), the wait for the render, and the load of the file.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "tests")]

from results import write_section  # noqa: E402

from studiokit import ARGS, CHROMIUM, DESKTOP  # noqa: E402

PROMPT = "a 30-second video about our coffee brand, Morning Ritual: fresh roasts, friendly baristas"
# each round says something new (an edit that changes nothing renders nothing)
EDITS = (
    (
        "title",
        (
            "change the title to Fresh Roast Daily",
            "change the title to Bean There",
            "change the title to Slow Pour",
        ),
    ),
    ("caption colour", ("make the captions yellow", "make the captions white", "make the captions orange")),
    ("music volume", ("turn the music down", "turn the music up", "turn the music down")),
)
GOAL_MS = 1500

# Runs in the page before its own scripts: the page's requests and the player's loads, timed.
PROBE = """
(() => {
  window.__net = [];
  const orig = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input.url;
    const rec = { url, method: (init && init.method) || "GET", start: performance.now(), end: null };
    window.__net.push(rec);
    try {
      const res = await orig(input, init);
      rec.status = res.status;
      if (url.includes("run_sse") && res.body) {
        // the turn ends when its stream does
        const [a, b] = res.body.tee();
        const r = b.getReader();
        (async () => { for (;;) { const x = await r.read(); if (x.done) break; } rec.end = performance.now(); })();
        return new Response(a, { status: res.status, statusText: res.statusText, headers: res.headers });
      }
      rec.end = performance.now();
      return res;
    } catch (e) { rec.end = performance.now(); throw e; }
  };
  window.__loads = [];
  document.addEventListener("loadeddata", (e) => {
    if (e.target && e.target.id === "video") window.__loads.push({ t: performance.now(), src: e.target.currentSrc });
  }, true);
})();
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, src: Path, data: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, PYTHONPATH=str(src), PROMPTREEL_DATA_DIR=str(data))
        self.log = open(data / "server.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "promptreel.cli",
                "serve",
                "--local",
                "--port",
                str(self.port),
                "--data-dir",
                str(data),
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/api/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError((data / "server.log").read_text())
            time.sleep(0.2)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def _send(page: Any, text: str) -> float:
    """Type ``text`` and press Enter; returns the page-clock time of the key press."""
    page.locator("#composer-input").fill(text)
    t0 = float(page.evaluate("performance.now()"))
    page.locator("#composer-input").press("Enter")
    return t0


# the previous preview has settled: its finished file is in the player and has loaded
SETTLED = """() => {
  const v = document.querySelector('#video'), loads = window.__loads, btn = document.querySelector('#send-btn');
  return btn && !btn.disabled && v.currentSrc.includes('/download?') && loads.length > 0
    && loads[loads.length - 1].src === v.currentSrc;
}"""


def _wait_new_preview(page: Any, after: float, seen: set[str], timeout_s: float = 120.0) -> dict[str, Any]:
    """The first load after ``after`` of a video the player has not shown before (the new
    preview's live stream, or its finished file)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for rec in page.evaluate("window.__loads"):
            if rec["t"] > after and rec["src"] and rec["src"] not in seen:
                return dict(rec)
        time.sleep(0.02)
    raise TimeoutError("no new preview")


def _seen(page: Any) -> set[str]:
    return {str(rec["src"]) for rec in page.evaluate("window.__loads")}


def _split(page: Any, t0: float, loaded: float) -> dict[str, float]:
    """The figure in parts: the chat turn (Enter to the end of its stream), the render (its start to
    the poll that handed the player a link: the live stream, or the finished file) and the load
    (that poll to the first frame)."""
    net = [r for r in page.evaluate("window.__net") if r["start"] >= t0 - 1]
    turn = next((r for r in net if "run_sse" in r["url"]), None)
    start = next((r for r in net if r["method"] == "POST" and "/render" in r["url"]), None)
    turn_ms = (turn["end"] - t0) if turn and turn["end"] else float("nan")
    if not start or not start["end"]:
        return {"turn": turn_ms, "render": float("nan"), "load": float("nan"), "polls": 0.0}
    polls = [
        r
        for r in net
        if r["start"] >= start["start"]
        and r["method"] == "GET"
        and "/render/proxy/lambda/" in r["url"]
        and r["end"]
        and r["end"] <= loaded
    ]
    handed = polls[-1]["end"] if polls else start["end"]
    return {
        "turn": turn_ms,
        "render": handed - start["start"],
        "load": loaded - handed,
        "polls": float(len(polls)),
    }


def measure(src: Path, rounds: int, keep_log: Path | None = None) -> dict[str, list[dict[str, float]]]:
    from playwright.sync_api import sync_playwright

    out: dict[str, list[dict[str, float]]] = {name: [] for name, _ in EDITS}
    with tempfile.TemporaryDirectory(prefix="preview-bench-") as tmp, sync_playwright() as pw:
        server = Server(src, Path(tmp))
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            ctx = browser.new_context(viewport=DESKTOP)
            ctx.add_init_script(PROBE)
            page = ctx.new_page()
            page.set_default_timeout(180_000)
            page.goto(server.url + "/")
            page.wait_for_selector("body[data-ready='1']")
            t = _send(page, PROMPT)
            first = _wait_new_preview(page, t, set(), 300)
            print(f"  generated; first preview {first['t'] - t:.0f} ms after sending", flush=True)
            for r in range(rounds):
                for name, text in EDITS:
                    page.wait_for_function(SETTLED)
                    time.sleep(0.5)
                    seen = _seen(page)
                    t0 = _send(page, text[r % len(text)])
                    got = _wait_new_preview(page, t0, seen)
                    rec = {"total": got["t"] - t0, **_split(page, t0, got["t"])}
                    out[name].append(rec)
                    print(
                        f"  round {r + 1} {name:15s} {rec['total']:7.0f} ms  (turn {rec['turn']:.0f}, "
                        f"render {rec['render']:.0f} in {rec['polls']:.0f} polls, load {rec['load']:.0f})",
                        flush=True,
                    )
        finally:
            browser.close()
            server.stop()
            if keep_log is not None:
                keep_log.write_bytes((Path(tmp) / "server.log").read_bytes())
    return out


def summary(res: dict[str, list[dict[str, float]]]) -> dict[str, dict[str, float]]:
    return {
        name: {k: statistics.median(r[k] for r in rows) for k in ("total", "turn", "render", "load")}
        | {"max": max(r["total"] for r in rows)}
        for name, rows in res.items()
        if rows
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument(
        "--before", type=Path, help="an older checkout (its src/ is used) measured in the same run"
    )
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--log", type=Path, help="keep the server's log here")
    args = ap.parse_args()
    runs: list[tuple[str, Path]] = []
    if args.before:
        runs.append(("before", args.before / "src"))
    runs.append(("now", ROOT / "src"))
    load0 = os.getloadavg()[0]
    results = {}
    for label, src in runs:
        print(f"{label}: {src}", flush=True)
        results[label] = summary(measure(src, args.rounds, args.log))
    load1 = os.getloadavg()[0]
    lines = [
        "| edit → first playable preview frame (median / max of rounds) | "
        + " | ".join(label for label, _ in runs)
        + " | goal |",
        "|---|" + "---|" * len(runs) + "---|",
    ]
    for name, _ in EDITS:
        cells = []
        for label, _ in runs:
            s = results[label][name]
            cells.append(
                f"{s['total']:.0f} / {s['max']:.0f} ms (turn {s['turn']:.0f}, render {s['render']:.0f}, load {s['load']:.0f})"
            )
        lines.append(f"| {name} | " + " | ".join(cells) + f" | ≤ {GOAL_MS} ms |")
    table = "\n".join(lines)
    print(table)
    print(f"load average {load0:.1f} → {load1:.1f}")
    if not args.no_write:
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        body = (
            "## Edit to preview in the studio\n\n"
            f"Measured by `.venv/bin/python benchmarks/preview.py` on {when}, {args.rounds} rounds, "
            f"Chromium at {DESKTOP['width']}×{DESKTOP['height']}, a real `promptreel serve --local` with "
            f"the product's engines, the 30 s video of the prompt “{PROMPT}”; load average "
            f"{load0:.1f} → {load1:.1f}. Time from pressing Enter to the player's `loadeddata` for the "
            "new preview; in brackets the chat turn, the render (its start to the poll that handed the player "
            "a link: the live stream, or the finished file) and from there to the first frame.\n\n"
            + table
            + "\n"
        )
        write_section(body)


if __name__ == "__main__":
    main()
