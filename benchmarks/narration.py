"""Narration coverage: how much of each video the voice carries.

Usage (from the repository root)::

    .venv/bin/python benchmarks/narration.py                  # real voices (Piper / espeak-ng)
    .venv/bin/python benchmarks/narration.py --fake           # the fast fake speech
    .venv/bin/python benchmarks/narration.py --show           # and every line that is said
    .venv/bin/python benchmarks/narration.py --write-results  # the "Narration coverage" section

Every prompt of ``benchmarks/narration_suite.toml`` is planned and cut as ``promptreel make``
does (the raw cut and post-production, without rendering frames), and its draft is read:

* **speech end**: where the last ``voice`` segment ends ÷ the video's duration (how long the
  voice carries the video before only music is left);
* **speech share**: the summed length of the ``voice`` segments ÷ the duration;
* **length**: the draft's duration ÷ the length the prompt asked for.

Prompts are ``thin`` (a subject and little else) or ``rich`` (facts, lists, times, places).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from results import RESULTS, write_section  # noqa: E402

SUITE = HERE / "narration_suite.toml"
SECTION = "## Narration coverage"


@dataclass(frozen=True)
class Row:
    id: str
    kind: str
    prompt: str
    asked_ms: int
    duration_ms: int
    end_ms: int
    speech_ms: int
    lines: tuple[str, ...]

    @property
    def end(self) -> float:
        return self.end_ms / self.duration_ms if self.duration_ms else 0.0

    @property
    def share(self) -> float:
        return self.speech_ms / self.duration_ms if self.duration_ms else 0.0


def load_suite(path: Path = SUITE) -> list[dict[str, str]]:
    cases = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
    return [{"id": c["id"], "kind": c["kind"], "prompt": c["prompt"]} for c in cases]


def measure(case: dict[str, str], *, fake: bool) -> Row:
    from promptreel.agent.director import post_production, raw_cut
    from promptreel.agent.planner import plan

    board = plan(case["prompt"])
    if fake:
        from promptreel.generators.fakes import FakeIllustrations, FakeSpeech

        speech: Any = FakeSpeech()
        illustrations: Any = FakeIllustrations()
    else:
        from promptreel.service.studio import default_engines
        from promptreel.settings import Settings

        engines = default_engines(Settings())
        speech, illustrations = engines.assets().speech, engines.illustrations
    draft = post_production(raw_cut(board, speech=speech, illustrations=illustrations), board)
    track = draft.first_track("narration")
    voices = sorted(track.segments, key=lambda s: s.start) if track else []
    return Row(
        case["id"],
        case["kind"],
        case["prompt"],
        board.target_ms,
        draft.duration,
        max((v.end for v in voices), default=0),
        sum(v.duration for v in voices),
        tuple(str(v.meta.get("text", "")) for v in voices),
    )


def summary(rows: Sequence[Row]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for kind in ("all", "thin", "rich"):
        some = [r for r in rows if kind in ("all", r.kind)]
        if not some:
            continue
        out[kind] = {
            "videos": len(some),
            "end_mean": statistics.mean(r.end for r in some),
            "end_min": min(r.end for r in some),
            "share_mean": statistics.mean(r.share for r in some),
            "share_min": min(r.share for r in some),
            "end_80": sum(r.end >= 0.8 for r in some),
            "share_50": sum(r.share >= 0.5 for r in some),
            "length_off": max(abs(r.duration_ms - r.asked_ms) / r.asked_ms for r in some),
        }
    return out


def table(rows: Sequence[Row]) -> list[str]:
    out = [
        "| case | kind | asked | made | speech end | speech share | lines |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {r.id} | {r.kind} | {r.asked_ms / 1000:g} s | {r.duration_ms / 1000:.1f} s "
            f"| {r.end:.2f} | {r.share:.2f} | {len(r.lines)} |"
        )
    return out


def summary_lines(s: dict[str, dict[str, float]]) -> list[str]:
    out = [
        "| prompts | videos | speech end, mean (min) | speech share, mean (min) | end ≥ 0.8 | share ≥ 0.5 "
        "| length off by at most |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, v in s.items():
        n = int(v["videos"])
        out.append(
            f"| {kind} | {n} | {v['end_mean']:.2f} ({v['end_min']:.2f}) | {v['share_mean']:.2f} "
            f"({v['share_min']:.2f}) | {int(v['end_80'])}/{n} | {int(v['share_50'])}/{n} "
            f"| {v['length_off']:.1%} |"
        )
    return out


def section(rows: Sequence[Row], fake: bool, note: str) -> str:
    voices = "the fake speech" if fake else "the real offline voices (Piper / espeak-ng)"
    out = [
        SECTION,
        "",
        f"Measured by `.venv/bin/python benchmarks/narration.py{' --fake' if fake else ''} --write-results` "
        f"on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: every prompt of "
        f"`benchmarks/narration_suite.toml` planned and cut with {voices}; *speech end* is where the "
        "last voice segment ends ÷ the video's duration, *speech share* the voice segments' summed "
        "length ÷ the duration.",
        "",
        *summary_lines(summary(rows)),
        "",
        *table(rows),
    ]
    if note:
        out += ["", note]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--suite", type=Path, default=SUITE, help="the suite file (TOML)")
    ap.add_argument("--fake", action="store_true", help="cut with the fake speech (fast, approximate)")
    ap.add_argument("--show", action="store_true", help="print every line the narration says")
    ap.add_argument("--only", action="append", default=[], metavar="ID", help="only this case (repeatable)")
    ap.add_argument(
        "--write-results", action="store_true", help=f"write the {SECTION!r} section of RESULTS.md"
    )
    ap.add_argument("--note", default="", help="a paragraph to keep under the figures in RESULTS.md")
    ap.add_argument("--results", type=Path, default=RESULTS, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    cases = [c for c in load_suite(args.suite) if not args.only or c["id"] in args.only]
    rows = []
    for c in cases:
        r = measure(c, fake=args.fake)
        rows.append(r)
        print(f"{r.end:5.2f} {r.share:5.2f} {r.duration_ms / 1000:5.1f}s  {r.id}", flush=True)
        if args.show:
            print("\n".join(f"        {line}" for line in r.lines))
    print()
    print("\n".join(summary_lines(summary(rows))))
    if args.write_results:
        write_section(section(rows, args.fake, args.note), args.results)
        print(f"\nwrote the {SECTION[3:]} section of {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
