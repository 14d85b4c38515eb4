"""Sound benchmark: the public prompt suite rendered for real, then measured from the MP4.

For every prompt of ``/work/shared/prompts/generate.txt`` (or ``--prompts``) in 16:9, 9:16 and
1:1, with the real engines (Piper / espeak-ng, MIDI music), it renders a preview-scale MP4
(the soundtrack is the full one) and prints:

* integrated loudness (pyloudnorm, on the decoded AAC) and 4× oversampled true peak;
* caption onset error: for every caption word, the first frame that shows it lit against the
  word's spoken onset in the aligned narration (median / 95th percentile, ms); "before" is
  how far each caption's appearance was from its first spoken word with the planner's
  proportional timing;
* the longest gap between spoken words.

``--write`` puts the figures in their section of ``benchmarks/RESULTS.md`` (its notes kept).

    .venv/bin/python benchmarks/audio.py [--aspects 16:9,9:16,1:1] [--limit N] [--write]
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyloudnorm
from scipy.signal import resample_poly

from promptreel.draft import Draft, TrackType
from promptreel.render import RenderOptions
from promptreel.render.avio import load_audio
from promptreel.render.caption_words import with_word_times
from promptreel.render.engine import render_draft
from promptreel.service.studio import default_engines, generate_draft
from promptreel.settings import Settings

PROMPTS = Path("/work/shared/prompts/generate.txt")
ASPECT_WORDS = {"16:9": "landscape 16:9", "9:16": "vertical 9:16", "1:1": "square 1:1"}
ZH_ASPECT_WORDS = {"16:9": "横屏16:9", "9:16": "竖屏9:16", "1:1": "方形1:1"}


def loudness(path: Path) -> tuple[float, float]:
    clip = load_audio(path)
    x = clip.samples.astype(np.float64)
    lufs = float(pyloudnorm.Meter(clip.rate).integrated_loudness(x))
    peak = float(np.abs(resample_poly(x, 4, 1, axis=0)).max())
    return lufs, 20 * math.log10(peak) if peak > 0 else float("-inf")


def caption_errors(before: Draft, after: Draft, assets: object) -> tuple[list[float], list[float], int]:
    """(per-word error of lit captions, per-caption error before, longest gap between spoken words)."""
    fps = after.canvas.fps
    spoken: list[tuple[str, int, int]] = []
    for t in after.tracks:
        if t.type != TrackType.AUDIO:
            continue
        for s in t.segments:
            if s.kind == "voice" and s.meta.get("text"):
                _clip, words = assets.speak_timed(  # type: ignore[attr-defined]
                    str(s.meta["text"]),
                    lang=str(s.meta.get("lang", "") or ""),
                    voice=str(s.meta.get("voice", "") or ""),
                    speed=float(s.meta.get("speed", 0) or 0),
                )
                spoken += [(w, s.start + a, s.start + b) for w, a, b in words if s.start + a < s.end]
    spoken.sort(key=lambda w: w[1])
    onsets = [a for _w, a, _b in spoken]
    gap = max((b[1] - a[2] for a, b in itertools.pairwise(spoken)), default=0)

    def nearest(ms: float) -> float:
        i = int(np.searchsorted(onsets, ms))
        cands = [onsets[j] for j in (i - 1, i) if 0 <= j < len(onsets)]
        return min((abs(ms - c) for c in cands), default=float("nan"))

    after_err: list[float] = []
    for t in after.tracks:
        for cap in t.segments if t.role == "captions" else ():
            for w, s, _e in cap.meta.get("words") or ():
                shown = (
                    math.ceil((cap.start + int(s)) * fps / 1000) * 1000 / fps
                )  # first frame showing it lit
                same = [a for sw, a, _b in spoken if sw == w]  # the same word as spoken, nearest
                after_err.append(min((abs(shown - a) for a in same), default=nearest(shown)))
    before_err = [
        nearest(math.ceil(s.start * fps / 1000) * 1000 / fps)
        for t in before.tracks
        if t.role == "captions"
        for s in t.segments
    ]
    return after_err, before_err, gap


def pct(xs: list[float], q: float) -> str:
    return f"{np.percentile(xs, q):.0f}" if xs else "–"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--prompts", type=Path, default=PROMPTS)
    ap.add_argument("--aspects", default="16:9,9:16,1:1")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--scale", type=float, default=0.25)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    prompts = [
        p.strip() for p in args.prompts.read_text("utf-8").splitlines() if p.strip() and not p.startswith("#")
    ]
    prompts = prompts[: args.limit] if args.limit else prompts
    settings = Settings()
    engines = default_engines(settings)
    assets = engines.assets()
    rows: list[str] = []
    all_after: list[float] = []
    all_before: list[float] = []
    louds: list[float] = []
    peaks: list[float] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for n, prompt in enumerate(prompts):
            zh = any("\u4e00" <= c <= "\u9fff" for c in prompt)
            for aspect in args.aspects.split(","):
                words = (ZH_ASPECT_WORDS if zh else ASPECT_WORDS)[aspect]
                draft = generate_draft(
                    f"{prompt}，{words}" if zh else f"{prompt}, {words}",
                    settings=settings,
                    engines=engines,
                    seed=1,
                )
                out = Path(tmp) / f"{n}_{aspect.replace(':', 'x')}.mp4"
                t0 = time.perf_counter()
                render_draft(draft, assets, out, options=RenderOptions(scale=args.scale))
                wall = time.perf_counter() - t0
                lufs, tp = loudness(out)
                after_err, before_err, gap = caption_errors(draft, with_word_times(draft, assets), assets)
                all_after += after_err
                all_before += before_err
                louds.append(lufs)
                peaks.append(tp)
                c = draft.canvas
                row = (
                    f"| {prompt[:48]} | {c.width}×{c.height} | {draft.duration / 1000:.1f} s | {lufs:.2f} | {tp:.2f} | "
                    f"{pct(after_err, 50)} / {pct(after_err, 95)} | {pct(before_err, 50)} / {pct(before_err, 95)} | "
                    f"{gap} ms | {wall:.1f} s |"
                )
                rows.append(row)
                print(row, flush=True)
    total = (
        f"| **all {len(rows)} videos** | | | {min(louds):.2f} … {max(louds):.2f} | max {max(peaks):.2f} | "
        f"{pct(all_after, 50)} / {pct(all_after, 95)} | {pct(all_before, 50)} / {pct(all_before, 95)} | | "
        f"{time.perf_counter() - started:.0f} s |"
    )
    print(total)
    if args.write:
        head = (
            "| prompt | size | length | LUFS | dBTP | caption word onset error ms (median / p95) "
            "| caption onset error before ms (median / p95) | longest speech gap | render |\n"
            "|---|---|---|---|---|---|---|---|---|"
        )
        section = (
            f"\n## Sound: loudness, true peak and caption timing\n\n"
            f"Measured by `.venv/bin/python benchmarks/audio.py --write` on "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC: the public prompt suite in "
            f"{args.aspects.replace(',', ', ')}, real engines, previews at scale {args.scale} "
            "(the soundtrack is the full one), measured on the decoded AAC of each MP4. Targets: "
            "−14 ± 0.5 LUFS integrated, true peak ≤ −1 dBTP (4× oversampled), each caption word lit "
            "within one frame (33 ms) of its spoken onset.\n\n"
            + head
            + "\n"
            + "\n".join(rows)
            + "\n"
            + total
            + "\n"
        )
        _write_section(Path(__file__).parent / "RESULTS.md", section)
    return 0


def _write_section(path: Path, section: str) -> None:
    """Replace the section's measurement (up to its notes or the next section) or append it."""
    text = path.read_text("utf-8")
    header = section.lstrip("\n").split("\n", 1)[0]
    start = text.find(header)
    if start < 0:
        path.write_text(text + section, "utf-8")
        return
    ends = [i for i in (text.find("\nNotes:", start), text.find("\n## ", start + 1)) if i >= 0]
    end = min(ends) if ends else len(text)
    path.write_text(text[:start] + section.lstrip("\n").rstrip("\n") + "\n" + text[end:], "utf-8")


if __name__ == "__main__":
    sys.exit(main())
