"""The chat-edit suite: how often a chat edit, said the way people say it, changes the video right.

Each edit in ``benchmarks/edits_suite.toml`` is sent, on a draft generated from one fixed prompt
(with the offline generators), through the same path the server takes: the turn router decides
what the message is (edit, undo, redo, export, credits, question…), and edits, undos and redos
go through the rule editor. The resulting draft is then held to the edit's expectation, written
as the user would expect it ("the canvas is 1080×1920", "scene 2 is two seconds longer", "the
video is no longer than before").

    .venv/bin/python benchmarks/edits.py                   # the share applied right and every miss
    .venv/bin/python benchmarks/edits.py --write-results   # the "Chat edits" section of RESULTS.md

Expectations are Python expressions over a view of the draft after the turn (``was`` is the
view before it). Names: ``kind`` (the routed kind), ``changed``, ``reply``, ``canvas`` ("WxH"),
``length`` (ms), ``title`` / ``titles`` / ``title_color`` / ``title_size`` / ``title_start``,
``music`` (segments) / ``music_style`` / ``bgm_volume`` / ``music_media``, ``narration`` /
``narration_volume`` / ``speed`` / ``voice``, ``scenes`` / ``order`` / ``dur(n)`` /
``text(n)`` / ``headline(n)`` / ``headline_scale(n)`` / ``headline_scales`` / ``transition(n)`` /
``media(n)``, ``grey`` / ``palettes``, ``captions`` /
``captions_hidden`` / ``caption_color`` / ``caption_size`` / ``caption_position``,
``overlays`` / ``overlay_texts``; helpers ``near(a, b)``, ``has(text, word)``, ``all`` and ``any``.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from promptreel.agent.director import post_production, raw_cut  # noqa: E402
from promptreel.agent.editor import EditContext, RuleEditor  # noqa: E402
from promptreel.agent.edits.base import _default_size  # noqa: E402
from promptreel.agent.history import History  # noqa: E402
from promptreel.agent.planner import plan  # noqa: E402
from promptreel.agent.router import route  # noqa: E402
from promptreel.draft.model import Draft, Segment  # noqa: E402
from promptreel.generators.fakes import FakeIllustrations, FakeSpeech  # noqa: E402
from promptreel.language import has_cjk  # noqa: E402

SUITE = HERE / "edits_suite.toml"
RESULTS = HERE / "RESULTS.md"
SECTION = "## Chat edits"
BAR = 0.97


@dataclass(frozen=True)
class _Voice:
    id: str
    lang: str
    gender: str


class _VoicedSpeech(FakeSpeech):
    """The offline speech generator, listing voices as the real one does."""

    VOICES = (
        _Voice("en_US-joe-medium", "en", "male"),
        _Voice("en_US-amy-medium", "en", "female"),
        _Voice("cmn", "zh", "male"),
        _Voice("cmn+f3", "zh", "female"),
    )

    def list_voices(self) -> list[_Voice]:
        return list(self.VOICES)


@dataclass(frozen=True)
class _Upload:
    media_id: str
    kind: str
    name: str
    duration_ms: int = 0
    width: int = 1200
    height: int = 800
    src: str = ""


UPLOADS = (
    _Upload("med_1", "image", "beans.jpg"),
    _Upload("med_2", "video", "pour.mp4", 4000),
    _Upload("med_3", "audio", "song.mp3", 30000),
)


def near(a: float | None, b: float, tol: float = 0.02) -> bool:
    return a is not None and abs(a - b) <= tol


def has(text: str, word: str) -> bool:
    return word.lower() in (text or "").lower()


class View:
    """What a user sees of a draft, by the names the suite's expectations use."""

    def __init__(self, draft: Draft, original: Draft) -> None:
        self.d = draft
        self._ids = [s.id for s in _scenes(original)]

    # --- whole video
    @property
    def canvas(self) -> str:
        return f"{self.d.canvas.width}x{self.d.canvas.height}"

    @property
    def length(self) -> int:
        return self.d.duration

    # --- title
    def _titles(self) -> list[Segment]:
        return [s for t in self.d.tracks_by_role("title") for s in t.segments]

    @property
    def titles(self) -> int:
        return len(self._titles())

    @property
    def title(self) -> str | None:
        ts = self._titles()
        return str(ts[0].meta.get("text", "")) if ts else None

    @property
    def title_texts(self) -> list[str]:
        return [str(s.meta.get("text", "")) for s in self._titles()]

    def _title_style(self, key: str) -> Any:
        ts = self._titles()
        return ts[0].meta.get("style", {}).get(key) if ts else None

    @property
    def title_color(self) -> str | None:
        c = self._title_style("color")
        return str(c).upper() if c else None

    @property
    def title_size(self) -> float | None:
        """px, the renderer's default where the style names none."""
        return self._title_style("size") or _default_size(self.d, 0.12, 0.13)

    @property
    def title_start(self) -> int | None:
        ts = self._titles()
        return ts[0].start if ts else None

    @property
    def title_font(self) -> str | None:
        return self._title_style("font")

    # --- music
    def _music(self) -> list[tuple[Any, Segment]]:
        return [(t, s) for t in self.d.tracks_by_role("bgm") for s in t.segments]

    @property
    def music(self) -> int:
        return sum(1 for t, _ in self._music() if not t.hidden and t.volume > 0)

    @property
    def music_style(self) -> str | None:
        ms = self._music()
        return str(ms[0][1].meta.get("style", "")) if ms else None

    @property
    def music_media(self) -> str | None:
        ms = self._music()
        return ms[0][1].meta.get("media_id") if ms else None

    @property
    def bgm_volume(self) -> float | None:
        ms = self._music()
        if not ms:
            return None
        t = ms[0][0]
        return 0.0 if t.hidden else t.volume

    # --- narration
    def _voices(self) -> list[Segment]:
        return [s for t in self.d.tracks_by_role("narration") for s in t.segments]

    @property
    def narration(self) -> bool:
        ts = self.d.tracks_by_role("narration")
        return bool(ts) and any(not t.hidden and t.volume > 0 for t in ts) and bool(self._voices())

    @property
    def narration_volume(self) -> float | None:
        ts = self.d.tracks_by_role("narration")
        return ts[0].volume if ts else None

    @property
    def narration_text(self) -> str:
        return " ".join(str(s.meta.get("text", "")) for s in self._voices())

    @property
    def speed(self) -> float | None:
        vs = self._voices()
        return float(vs[0].meta.get("speed", 1.0)) if vs else None

    @property
    def voice(self) -> str | None:
        vs = self._voices()
        return str(vs[0].meta.get("voice", "")) if vs else None

    # --- scenes
    def _scenes(self) -> list[Segment]:
        return _scenes(self.d)

    @property
    def scenes(self) -> int:
        return len(self._scenes())

    @property
    def order(self) -> list[int]:
        """Each scene as its number in the generated draft (0: a scene that was not there)."""
        return [self._ids.index(s.id) + 1 if s.id in self._ids else 0 for s in self._scenes()]

    def _scene(self, n: int) -> Segment | None:
        ss = self._scenes()
        i = n - 1 if n > 0 else len(ss) + n
        return ss[i] if 0 <= i < len(ss) else None

    def dur(self, n: int) -> int | None:
        s = self._scene(n)
        return s.duration if s else None

    def text(self, n: int) -> str | None:
        s = self._scene(n)
        return str(s.meta.get("text", "")) if s else None

    def headline(self, n: int) -> str | None:
        s = self._scene(n)
        return str(s.meta.get("headline", "")) if s else None

    def headline_scale(self, n: int) -> float | None:
        """Scene ``n``'s headline size as a factor of its layout's own (1: as laid out)."""
        s = self._scene(n)
        return float(s.meta.get("headline_scale") or 1.0) if s else None

    @property
    def headline_scales(self) -> list[float]:
        return [float(s.meta.get("headline_scale") or 1.0) for s in self._scenes()]

    @property
    def grey(self) -> bool:
        """Every generated scene is black and white (grey palette, drawn through the grey filter)."""
        ss = [s for s in self._scenes() if s.kind == "scene"]
        return bool(ss) and all(
            s.meta.get("grey")
            and all(str(c)[1:3] == str(c)[3:5] == str(c)[5:7] for c in s.meta.get("palette") or ())
            for s in ss
        )

    @property
    def palettes(self) -> list[list[str]]:
        return [[str(c) for c in s.meta.get("palette") or ()] for s in self._scenes()]

    def transition(self, n: int) -> str | None:
        s = self._scene(n)
        return str(s.meta.get("transition", "")) if s else None

    def media(self, n: int) -> str | None:
        """The upload shown over scene ``n`` (on the scene itself or on a media track at its time)."""
        s = self._scene(n)
        if s is None:
            return None
        if s.meta.get("media_id"):
            return str(s.meta.get("media_id"))
        for t in self.d.tracks_by_role("media"):
            for m in t.segments:
                if m.start < s.end and m.end > s.start and m.meta.get("media_id"):
                    return str(m.meta.get("media_id"))
        return None

    @property
    def uploads(self) -> int:
        return sum(1 for _, s in self.d.segments() if s.meta.get("media_id"))

    # --- captions
    def _captions(self) -> Any:
        return self.d.first_track("captions")

    @property
    def captions(self) -> int:
        return sum(len(t.segments) for t in self.d.tracks_by_role("captions"))

    @property
    def captions_hidden(self) -> bool:
        t = self._captions()
        return t is None or t.hidden or not t.segments

    def _caption_style(self, key: str) -> Any:
        t = self._captions()
        return t.meta.get("style", {}).get(key) if t else None

    @property
    def caption_color(self) -> str | None:
        c = self._caption_style("color")
        return str(c).upper() if c else None

    @property
    def caption_size(self) -> float | None:
        """px, the renderer's default where the style names none."""
        return self._caption_style("size") or _default_size(self.d, 0.048, 0.056)

    @property
    def caption_position(self) -> str | None:
        return self._caption_style("position")

    # --- overlays
    @property
    def overlay_texts(self) -> list[str]:
        return [str(s.meta.get("text", "")) for _, s in self.d.segments() if s.kind == "overlay"]

    @property
    def overlays(self) -> int:
        return len(self.overlay_texts)


def _scenes(d: Draft) -> list[Segment]:
    t = d.first_track("scenes") or d.first_track("media")
    return list(t.segments) if t else []


_NAMES = [n for n in dir(View) if not n.startswith("_")]


def base_draft(prompt: str, speech: FakeSpeech) -> Draft:
    board = plan(prompt)
    return post_production(raw_cut(board, speech=speech, illustrations=FakeIllustrations()), board)


@dataclass(frozen=True)
class Outcome:
    say: str
    expect: str
    ok: bool
    why: str = ""


def run_case(case: dict[str, Any], draft: Draft, speech: FakeSpeech) -> Outcome:
    """One edit on a fresh copy of the draft, through the router and the rule editor."""
    editor = RuleEditor()
    history = History()
    d = draft
    for msg in case.get("setup", []):
        ctx = EditContext(speech, FakeIllustrations(), UPLOADS, history)
        out = editor.edit(d, msg, lang="en", context=ctx)
        d, history = out.draft, out.history if out.history is not None else history
    say, expect = case["say"], case["expect"]
    kind = route(say, True)
    reply, changed, after = "", False, d
    if kind in ("edit", "undo", "redo"):
        ctx = EditContext(speech, FakeIllustrations(), UPLOADS, history)
        out = editor.edit(d, say, lang="en", context=ctx)
        reply, changed, after = out.reply, out.changed, out.draft
    ns: dict[str, Any] = {n: getattr(View(after, draft), n) for n in _NAMES}
    before = View(d, draft)
    ns.update(
        kind=kind, changed=changed, reply=reply, near=near, has=has, was=before, len=len, all=all, any=any
    )
    try:
        ok = bool(eval(expect, {"__builtins__": {}}, ns))
    except Exception as e:  # a broken expectation is a miss with its reason
        return Outcome(say, expect, False, f"{type(e).__name__}: {e}")
    if ok:
        return Outcome(say, expect, True)
    seen = f"kind={kind} changed={changed}; reply: {reply.splitlines()[0] if reply else ''!r}"
    return Outcome(say, expect, False, seen)


def load(path: Path = SUITE) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def run(path: Path = SUITE, only: Callable[[dict[str, Any]], bool] | None = None) -> list[Outcome]:
    suite = load(path)
    speech = _VoicedSpeech()
    draft = base_draft(suite["prompt"], speech)
    return [run_case(c, draft, speech) for c in suite["edit"] if only is None or only(c)]


def section(results: list[Outcome], seconds: float) -> str:
    n = len(results)
    ok = sum(r.ok for r in results)
    zh = [r for r in results if has_cjk(r.say)]
    en = [r for r in results if not has_cjk(r.say)]
    lines = [
        SECTION,
        "",
        "Chat edits said the way people say them (`benchmarks/edits_suite.toml`, English and Chinese,",
        "split verbs, politeness, typos, relative amounts), each sent through the turn router and the",
        "rule editor on a draft generated from one fixed prompt, and held to the change the user expects.",
        "`.venv/bin/python benchmarks/edits.py` prints the share and every miss; CI holds it at",
        f"{BAR:.0%} or more (`tests/test_edit_suite.py`).",
        "",
        "| edits | applied right | English | Chinese | seconds |",
        "| --- | --- | --- | --- | --- |",
        f"| {n} | {ok / n:.3f} ({ok}) | {sum(r.ok for r in en)}/{len(en)} | {sum(r.ok for r in zh)}/{len(zh)} "
        f"| {seconds:.1f} |",
        "",
    ]
    misses = [r for r in results if not r.ok]
    if misses:
        lines += ["Missed:", ""] + [f"- `{r.say}` — expected `{r.expect}`" for r in misses] + [""]
    return "\n".join(lines)


def write_section(path: Path, text: str) -> None:
    """Replace the "Chat edits" section of ``path`` (up to the next ``## `` heading), or append it."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    new = text.rstrip("\n").splitlines()
    if SECTION in lines:
        start = lines.index(SECTION)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        lines[start:end] = [*new, ""]
    else:
        lines += ["", *new] if lines and lines[-1] else new
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--suite", type=Path, default=SUITE, help="the suite file (TOML)")
    ap.add_argument(
        "--write-results", action="store_true", help=f"write the {SECTION!r} section of RESULTS.md"
    )
    ap.add_argument("--results", type=Path, default=RESULTS, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    results = run(args.suite)
    seconds = time.perf_counter() - t0
    ok = sum(r.ok for r in results)
    for r in results:
        if not r.ok:
            print(f"MISS {r.say!r}\n     expected: {r.expect}\n     {r.why}")
    print(f"{ok}/{len(results)} applied right: {ok / len(results):.3f} ({seconds:.1f} s)")
    if args.write_results:
        write_section(args.results, section(results, seconds))
        print(f"wrote {SECTION!r} to {args.results}")
    return 0 if ok / len(results) >= BAR else 1


if __name__ == "__main__":
    raise SystemExit(main())
