"""Contact sheets: render suite prompts and lay one frame per scene side by side, with the narration.

    .venv/bin/python benchmarks/storyboards.py [--out docs/storyboards] [--only ID ...]

Each video is planned and rendered exactly as ``promptreel make`` does (real voices, music and
illustrations), then a frame is taken from each scene once its entrance has settled (three
quarters into the scene). Writes ``<id>.png`` per video and ``README.md`` with each scene's layout,
headline and narration, so what a video says can be read beside what it shows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tomllib
from pathlib import Path

import numpy as np
import skia

from promptreel.draft import Draft
from promptreel.render.avio import VideoSource
from promptreel.service import studio
from promptreel.settings import Settings

ROOT = Path(__file__).resolve().parent
#: a spread of kinds, languages and aspects from the public faithfulness suite
DEFAULT_IDS = (
    "recruit-berlin-robotics",
    "lesson-waste-sorting-zh",
    "greet-midautumn-clients-zh",
    "menu-taco-truck",
    "list-lisbon-travel",
    "chart-revenue-zh",
    "event-python-meetup",
    "greet-birthday-anna",
    "promo-milk-tea-zh",
    "explain-checkout-steps",
)
THUMB_W = 480


def _cases(ids: list[str]) -> list[dict[str, str]]:
    suite = tomllib.loads((ROOT / "faithfulness_suite.toml").read_text(encoding="utf-8"))
    by_id = {c["id"]: c for c in suite["case"]}
    return [by_id[i] for i in ids]


def _frames(mp4: Path, draft: Draft) -> list[np.ndarray]:
    scenes = draft.first_track("scenes")
    times = [s.start + s.duration * 3 // 4 for s in scenes.segments] if scenes else [0]
    h = round(THUMB_W * draft.canvas.height / draft.canvas.width)
    with VideoSource(mp4, size=(THUMB_W, h)) as src:
        return [src.frame_at(ms) for ms in times]


def _sheet(frames: list[np.ndarray], path: Path) -> None:
    h, w = frames[0].shape[:2]
    cols = min(4 if w > h else 6, len(frames))
    rows = -(-len(frames) // cols)
    gap = 8
    surface = skia.Surface(cols * w + (cols + 1) * gap, rows * h + (rows + 1) * gap)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorSetRGB(24, 24, 28))
    font = skia.Font(skia.Typeface("DejaVu Sans"), 22)
    for k, frame in enumerate(frames):
        x, y = gap + (k % cols) * (w + gap), gap + (k // cols) * (h + gap)
        img = skia.Image.fromarray(np.ascontiguousarray(frame), colorType=skia.kRGBA_8888_ColorType)
        canvas.drawImage(img, x, y)
        canvas.drawRect(skia.Rect.MakeXYWH(x, y, 34, 30), skia.Paint(Color=skia.ColorSetARGB(200, 0, 0, 0)))
        canvas.drawString(str(k + 1), x + 9, y + 23, font, skia.Paint(Color=skia.ColorWHITE))
    surface.makeImageSnapshot().save(str(path), skia.kPNG)


def _notes(case: dict[str, str], draft: Draft) -> str:
    lines = [f"## {case['id']}", "", f"> {case['prompt']}", "", f"![{case['id']}]({case['id']}.png)", ""]
    lines += ["| # | layout | on screen | narration |", "|---|---|---|---|"]
    scenes = draft.first_track("scenes")
    for k, seg in enumerate(scenes.segments if scenes else (), start=1):
        m = seg.meta
        shown = [str(m.get("headline") or "")]
        shown += [f"{i.get('text', '')} {i.get('value', '')}".strip() for i in m.get("items") or ()]
        shown += [str(m.get(key) or "") for key in ("value", "label", "quote")]
        text = " · ".join(s for s in shown if s).replace("|", "\\|")
        lines.append(f"| {k} | {m.get('layout', 'headline')} | {text} | {m.get('text') or '—'!s} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT.parent / "docs" / "storyboards")
    ap.add_argument("--only", action="append", default=[])
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    settings = Settings()
    parts = ["# Storyboards", "", "One frame per scene of videos made from the public faithfulness suite "
             "(`benchmarks/faithfulness_suite.toml`), with what each scene shows and says. Made by "
             "`benchmarks/storyboards.py`.", ""]  # fmt: skip
    for case in _cases(args.only or list(DEFAULT_IDS)):
        draft = studio.generate_draft(case["prompt"], settings=settings)
        with tempfile.TemporaryDirectory() as tmp:
            mp4 = Path(tmp) / "video.mp4"
            studio.export_files(draft, mp4, settings=settings, workers=0)
            _sheet(_frames(mp4, draft), args.out / f"{case['id']}.png")
        parts.append(_notes(case, draft))
        print(f"{case['id']}: {len(draft.first_track('scenes').segments)} scenes", file=sys.stderr)  # type: ignore[union-attr]
    if not args.only:
        (args.out / "README.md").write_text("\n".join(parts), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
