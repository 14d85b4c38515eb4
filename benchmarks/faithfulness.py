"""Faithfulness: does a video made from a prompt say and show what was asked, and nothing else?

Usage (from the repository root)::

    .venv/bin/python benchmarks/faithfulness.py                   # the whole suite
    .venv/bin/python benchmarks/faithfulness.py --only menu-luna-cafe
    .venv/bin/python benchmarks/faithfulness.py --json            # machine-readable results
    .venv/bin/python benchmarks/faithfulness.py --write-results   # the "Faithfulness" section of RESULTS.md

Every case of ``benchmarks/faithfulness_suite.toml`` is planned with the real planner and cut
with the fast fake speech and illustrations; the draft is then read the way a viewer meets it:

* **narration**: the text of ``voice`` segments;
* **on screen**: scene text (``headline``, ``items`` with their ``text``/``value``, ``value``,
  ``label``, ``quote``, ``by``, ``subtitle``, ``date``, ``time``, ``place``, ``address``), chart
  labels and values (with their unit), the title card (``text``, ``subtitle``), overlays and
  captions — on tracks that are not hidden;
* **illustrations**: a scene's ``icon`` and its layout's ``icons``;
* **layout** of a scene: ``meta["layout"]``, ``"headline"`` when unset; **music**: a ``music``
  segment on a track whose volume is above 0; **aspect** from the canvas; **length** from the
  draft's duration (±5 %).

Each expectation is one check; the figure is the share of checks that hold, over all cases.
A ``never`` string found anywhere is also counted apart as an *instruction echo*.

This reader is deliberately independent of the planner's own code, so it can judge it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SUITE = HERE / "faithfulness_suite.toml"
RESULTS = HERE / "RESULTS.md"
SECTION = "## Faithfulness"

LAYOUTS = (
    "headline",
    "list",
    "steps",
    "stat",
    "chart",
    "quote",
    "place",
    "countdown",
    "greeting",
    "compare",
    "cta",
)
ASPECTS = ("16:9", "9:16", "1:1")
DEFAULT_LENGTH_MS = 30000
DEFAULT_ASPECT = "16:9"
LENGTH_TOLERANCE = 0.05
REQUIRED = ("id", "kind", "prompt", "include", "never", "length_ms", "aspect")
LISTS = ("include", "include_screen", "include_voice", "never", "layouts", "icons", "never_icons")
FLAGS = ("chart", "narration", "music")
KNOWN = frozenset((*REQUIRED, *LISTS, *FLAGS))

#: scene meta keys whose text is drawn on screen (``items`` and ``chart`` are read apart)
SCENE_TEXT_KEYS = (
    "headline",
    "value",
    "label",
    "quote",
    "by",
    "subtitle",
    "date",
    "time",
    "place",
    "address",
)
ITEM_TEXT_KEYS = ("text", "value", "label")

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

__all__ = [
    "Case",
    "Check",
    "CaseResult",
    "DraftView",
    "load_suite",
    "validate_suite",
    "read_draft",
    "contains",
    "check_case",
    "make_draft",
    "run_case",
    "run_suite",
    "summary",
    "is_chinese",
]


# ── the suite ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    prompt: str
    include: tuple[str, ...] = ()
    include_screen: tuple[str, ...] = ()
    include_voice: tuple[str, ...] = ()
    never: tuple[str, ...] = ()
    layouts: tuple[str, ...] = ()
    icons: tuple[str, ...] = ()
    never_icons: tuple[str, ...] = ()
    chart: bool | None = None
    narration: bool | None = None
    music: bool | None = None
    length_ms: int = DEFAULT_LENGTH_MS
    aspect: str = DEFAULT_ASPECT

    @property
    def lang(self) -> str:
        return "zh" if is_chinese(self.prompt) else "en"

    @classmethod
    def from_table(cls, t: Mapping[str, Any]) -> Case:
        kw: dict[str, Any] = {k: t[k] for k in ("id", "kind", "prompt", "length_ms", "aspect") if k in t}
        kw.update({k: tuple(t[k]) for k in LISTS if k in t})
        kw.update({k: bool(t[k]) for k in FLAGS if k in t})
        return cls(**kw)


def is_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


def validate_suite(raw: Mapping[str, Any]) -> list[str]:
    """Problems with a parsed suite file (empty when it is well-formed)."""
    problems: list[str] = []
    cases = raw.get("case")
    if not isinstance(cases, list) or not cases:
        return ["no [[case]] tables"]
    seen: set[str] = set()
    for n, t in enumerate(cases):
        where = f"case {n} ({t.get('id', '?')})"
        problems += [f"{where}: missing {k}" for k in REQUIRED if k not in t]
        problems += [f"{where}: unknown field {k}" for k in t if k not in KNOWN]
        cid = t.get("id")
        if not isinstance(cid, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", cid or ""):
            problems.append(f"{where}: id must be lowercase words joined by '-'")
        elif cid in seen:
            problems.append(f"{where}: duplicate id")
        else:
            seen.add(cid)
        for k in ("kind", "prompt"):
            if k in t and (not isinstance(t[k], str) or not t[k].strip()):
                problems.append(f"{where}: {k} must be a non-empty string")
        for k in LISTS:
            v = t.get(k, [])
            if not isinstance(v, list) or not all(isinstance(s, str) and s.strip() for s in v):
                problems.append(f"{where}: {k} must be a list of non-empty strings")
        for k in FLAGS:
            if k in t and not isinstance(t[k], bool):
                problems.append(f"{where}: {k} must be true or false")
        if any(x not in LAYOUTS for x in t.get("layouts", [])):
            problems.append(f"{where}: layouts must be among {', '.join(LAYOUTS)}")
        if "aspect" in t and t["aspect"] not in ASPECTS:
            problems.append(f"{where}: aspect must be one of {', '.join(ASPECTS)}")
        ms = t.get("length_ms")
        if "length_ms" in t and (
            not isinstance(ms, int) or isinstance(ms, bool) or not 3000 <= ms <= 600_000
        ):
            problems.append(f"{where}: length_ms must be whole milliseconds between 3000 and 600000")
        if not (t.get("include") or t.get("include_screen") or t.get("include_voice")):
            problems.append(f"{where}: expects no content at all")
    return problems


def load_suite(path: Path = SUITE) -> list[Case]:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    problems = validate_suite(raw)
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return [Case.from_table(t) for t in raw["case"]]


# ── reading a draft ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class DraftView:
    """What a viewer meets in a draft: words heard, words seen, scene layouts, sound, shape."""

    voice: tuple[str, ...]  # text of every voice segment with text
    spoken: tuple[str, ...]  # the part of ``voice`` on tracks that are heard (volume > 0)
    screen: tuple[str, ...]
    layouts: tuple[str, ...]
    icons: tuple[str, ...]
    charts: int
    music: bool
    duration_ms: int
    aspect: str


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, Mapping) else str(value).strip()


def _number(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


def _chart_texts(chart: Mapping[str, Any]) -> Iterator[str]:
    unit = _text(chart.get("unit"))
    for label in chart.get("labels") or ():
        yield _text(label)
    for v in chart.get("values") or ():
        num = _number(v)
        yield num
        if unit:
            yield f"{unit}{num}" if unit in "$€£¥￥" else f"{num}{unit}"


def _item_texts(items: Any) -> Iterator[str]:
    if isinstance(items, str):
        yield items
        return
    for item in items or ():
        if isinstance(item, Mapping):
            yield from (_text(item.get(k)) for k in ITEM_TEXT_KEYS)
        else:
            yield _text(item)


def _aspect(width: int, height: int) -> str:
    from math import gcd

    g = gcd(width, height) or 1
    return f"{width // g}:{height // g}"


def read_draft(draft: Any) -> DraftView:
    """Read a :class:`promptreel.draft.model.Draft` (only its public fields are used)."""
    voice: list[str] = []
    spoken: list[str] = []
    screen: list[str] = []
    layouts: list[str] = []
    icons: list[str] = []
    charts = 0
    music = False
    for track in draft.tracks:
        meta = track.meta or {}
        volume = 0.0 if meta.get("muted") else float(meta.get("volume", 1.0))
        hidden = bool(meta.get("hidden", False))
        for seg in track.segments:
            m = seg.meta or {}
            if seg.kind == "voice":
                if _text(m.get("text")):
                    voice.append(_text(m.get("text")))
                    if volume > 0:
                        spoken.append(_text(m.get("text")))
            elif seg.kind == "music":
                music = music or volume > 0
            elif seg.kind == "scene":
                layouts.append(_text(m.get("layout")) or "headline")
                drawn = [m.get("icon"), *(m.get("icons") or ())]
                icons += [_text(i).rpartition(":")[2] for i in drawn if _text(i)]
                if isinstance(m.get("chart"), Mapping):
                    charts += 1
                if hidden:
                    continue
                screen += [_text(m.get(k)) for k in SCENE_TEXT_KEYS]
                screen += _item_texts(m.get("items"))
                if isinstance(m.get("chart"), Mapping):
                    screen += _chart_texts(m["chart"])
            elif seg.kind == "title" and not hidden:
                screen += [_text(m.get("text")), _text(m.get("subtitle"))]
            elif seg.kind in ("overlay", "caption") and not hidden:
                screen.append(_text(m.get("text")))
    canvas = draft.canvas
    return DraftView(
        voice=tuple(voice),
        spoken=tuple(spoken),
        screen=tuple(s for s in screen if s),
        layouts=tuple(layouts),
        icons=tuple(icons),
        charts=charts,
        music=music,
        duration_ms=int(draft.duration),
        aspect=_aspect(int(canvas.width), int(canvas.height)),
    )


# ── matching ──────────────────────────────────────────────────────────────────────────────────

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "「": '"', "」": '"', "–": "-", "—": "-"})


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return re.sub(r"\s+", " ", text).strip()


_WORD = r"[^\W_\u3400-\u9fff\uf900-\ufaff]"  # a latin (or other alphabet) letter or a digit


def _is_word(ch: str) -> bool:
    return bool(re.fullmatch(_WORD, ch))


def _pattern(needle: str) -> re.Pattern[str]:
    n = _norm(needle)
    chars: list[str] = []
    for i, ch in enumerate(n):
        if ch == " ":
            continue
        if chars:
            prev = n[i - 1]
            loose = prev == " " or bool(_CJK.match(prev) or _CJK.match(ch))
            loose = loose or (prev.isalnum() and ch.isalnum() and prev.isdigit() != ch.isdigit())
            if loose:
                chars.append(r"\s*")
        chars.append(re.escape(ch))
    left = f"(?<!{_WORD})" if n and _is_word(n[0]) else ""
    right = ""
    if n and _is_word(n[-1]):
        suffix = r"(?:st|nd|rd|th|s)?" if n[-1].isdigit() else r"(?:e?s)?"
        right = f"{suffix}(?!{_WORD})"
    return re.compile(left + "".join(chars) + right)


def contains(haystack: Iterable[str], needle: str) -> bool:
    """Whether ``needle`` occurs in any of the texts: case-, width- and space-insensitive.

    A needle that starts (ends) with a letter or digit must start (end) a word there, an English
    plural ``s``/``es`` (after a number: ``st``/``nd``/``rd``/``th``) allowed, so "tea" is not
    found in "team" nor "5万" in "15万", but "robot" is in "robots" and "30" in "30th". Spaces are
    optional next to Chinese characters and between a number and a word: "7pm" is in "7 pm".
    """
    pat = _pattern(needle)
    return any(pat.search(_norm(h)) for h in haystack)


# ── checking ──────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Check:
    field: str  # which expectation: include, include_screen, never, layouts, chart, length_ms…
    expected: str
    ok: bool
    found: str = ""

    def kind(self) -> str:
        """The failure without its particulars, for counting alike failures together."""
        return {
            "include": "asked-for text missing",
            "include_screen": "asked-for text not on screen",
            "include_voice": "asked-for text not spoken",
            "never": "instruction or wrong-subject text echoed",
            "layouts": f"no {self.expected} scene",
            "icons": f"no {self.expected} illustration",
            "never_icons": f"{self.expected} illustration",
            "length_ms": "wrong length",
            "aspect": "wrong aspect",
            "chart": "no chart" if self.expected == "true" else "an unasked chart",
            "narration": "narration kept when asked off" if self.expected == "false" else "no narration",
            "music": "music kept when asked off" if self.expected == "false" else "no music",
        }.get(self.field, f"{self.field} not {self.expected}")

    def describe(self) -> str:
        what = {
            "include": f"missing {self.expected!r}",
            "include_screen": f"not on screen {self.expected!r}",
            "include_voice": f"not spoken {self.expected!r}",
            "never": f"echoed {self.expected!r}",
            "layouts": f"no {self.expected} scene",
            "icons": f"no {self.expected} illustration",
            "never_icons": f"{self.expected} illustration",
        }.get(self.field, f"{self.field} {self.expected}")
        return (
            what
            + (f" (got {self.found})" if self.found and self.field not in ("never",) else "")
            + (f" in {self.found!r}" if self.found and self.field == "never" else "")
        )


@dataclass
class CaseResult:
    case: Case
    checks: list[Check] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""

    @property
    def passed(self) -> int:
        return sum(c.ok for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def echoes(self) -> int:
        return sum(1 for c in self.checks if c.field == "never" and not c.ok)


def _snippet(texts: Sequence[str], needle: str) -> str:
    pat = _pattern(needle)
    for t in texts:
        m = pat.search(_norm(t))
        if m:
            a, b = max(0, m.start() - 20), min(len(_norm(t)), m.end() + 20)
            return _norm(t)[a:b]
    return ""


def expected_checks(case: Case) -> int:
    """How many checks a case makes (a case that fails to plan fails all of them)."""
    lists = sum(len(getattr(case, k)) for k in LISTS)
    flags = sum(getattr(case, k) is not None for k in FLAGS)
    return lists + flags + 2


def check_case(case: Case, view: DraftView) -> list[Check]:
    everything = (*view.voice, *view.screen)
    out: list[Check] = []
    out += [Check("include", s, contains(everything, s)) for s in case.include]
    out += [Check("include_screen", s, contains(view.screen, s)) for s in case.include_screen]
    out += [Check("include_voice", s, contains(view.spoken, s)) for s in case.include_voice]
    out += [Check("never", s, not contains(everything, s), _snippet(everything, s)) for s in case.never]
    have = Counter(view.layouts)
    out += [Check("layouts", s, have[s] > 0, ",".join(sorted(have))) for s in case.layouts]
    out += [Check("icons", s, s in view.icons, ",".join(view.icons)) for s in case.icons]
    out += [Check("never_icons", s, s not in view.icons) for s in case.never_icons]
    if case.chart is not None:
        out.append(
            Check("chart", str(case.chart).lower(), (view.charts > 0) == case.chart, f"{view.charts} charts")
        )
    if case.narration is not None:
        ok = bool(view.voice) == case.narration
        out.append(Check("narration", str(case.narration).lower(), ok, f"{len(view.voice)} voice lines"))
    if case.music is not None:
        out.append(Check("music", str(case.music).lower(), view.music == case.music, str(view.music).lower()))
    ok = abs(view.duration_ms - case.length_ms) <= LENGTH_TOLERANCE * case.length_ms
    out.append(Check("length_ms", str(case.length_ms), ok, str(view.duration_ms)))
    out.append(Check("aspect", case.aspect, view.aspect == case.aspect, view.aspect))
    return out


# ── running ───────────────────────────────────────────────────────────────────────────────────


def make_draft(prompt: str) -> Any:
    """The draft the planner makes from ``prompt``, cut with the fake speech and illustrations."""
    from promptreel.agent.director import post_production, raw_cut
    from promptreel.agent.planner import plan
    from promptreel.generators.fakes import FakeIllustrations, FakeSpeech

    board = plan(prompt)
    return post_production(raw_cut(board, speech=FakeSpeech(), illustrations=FakeIllustrations()), board)


def run_case(case: Case) -> CaseResult:
    t0 = time.perf_counter()
    try:
        view = read_draft(make_draft(case.prompt))
    except Exception as e:  # a prompt the planner cannot handle fails every check it makes
        err = f"{type(e).__name__}: {e}"
        checks = [Check("planned", "a draft", False, err)] * expected_checks(case)
        return CaseResult(case, checks, time.perf_counter() - t0, err)
    return CaseResult(case, check_case(case, view), time.perf_counter() - t0)


def run_suite(cases: Sequence[Case]) -> list[CaseResult]:
    return [run_case(c) for c in cases]


def summary(results: Sequence[CaseResult]) -> dict[str, Any]:
    total = sum(len(r.checks) for r in results)
    passed = sum(r.passed for r in results)
    by_field: Counter[str] = Counter()
    for r in results:
        by_field.update(c.field for c in r.failed)
    by_lang: dict[str, list[int]] = {}
    for r in results:
        acc = by_lang.setdefault(r.case.lang, [0, 0])
        acc[0] += r.passed
        acc[1] += len(r.checks)
    return {
        "cases": len(results),
        "checks": total,
        "passed": passed,
        "share": passed / total if total else 1.0,
        "echoes": sum(r.echoes for r in results),
        "cases_all_ok": sum(not r.failed for r in results),
        "errors": sum(bool(r.error) for r in results),
        "failed_by_field": dict(by_field.most_common()),
        "share_by_lang": {k: v[0] / v[1] if v[1] else 1.0 for k, v in sorted(by_lang.items())},
    }


# ── output ────────────────────────────────────────────────────────────────────────────────────


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def table(results: Sequence[CaseResult]) -> list[str]:
    lines = ["| case | lang | kind | checks | echoes | first failures |", "|---|---|---|---|---|---|"]
    for r in results:
        fails = (
            f"no draft: {r.error}"
            if r.error
            else "; ".join(c.describe() for c in r.failed[:3]) + (" …" if len(r.failed) > 3 else "")
        )
        lines.append(
            f"| {r.case.id} | {r.case.lang} | {r.case.kind} | {r.passed}/{len(r.checks)} | {r.echoes} "
            f"| {_short(fails, 110).replace('|', '/')} |"
        )
    return lines


def report(results: Sequence[CaseResult]) -> str:
    s = summary(results)
    lines = table(results)
    lines += [
        "",
        f"share of checks that hold: {s['share']:.3f} ({s['passed']}/{s['checks']}); "
        + ", ".join(f"{k} {v:.3f}" for k, v in s["share_by_lang"].items()),
        f"cases with every check holding: {s['cases_all_ok']}/{s['cases']}",
        f"instruction echoes (a `never` string found): {s['echoes']}",
        "failed checks by kind: "
        + (", ".join(f"{k} {v}" for k, v in s["failed_by_field"].items()) or "none"),
        "",
        "failed checks:",
    ]
    for r in results:
        if r.error:
            lines.append(f"  {r.case.id}: no draft, all {len(r.checks)} checks fail ({r.error})")
        else:
            lines += [f"  {r.case.id}: {c.describe()}" for c in r.failed]
    return "\n".join(lines)


def planner_version() -> str:
    """Which planner was measured: the commit, and whether it was an installed copy or edited."""
    import subprocess

    import promptreel

    root = HERE.parent
    src = Path(promptreel.__file__).resolve()
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "src/promptreel/agent"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "the planner of this checkout"
    if not src.is_relative_to(root):
        return f"the planner copy in {src.parent}"
    return f"the planner at {head}" + (" with uncommitted changes" if dirty else "")


def results_section(results: Sequence[CaseResult], suite: Path, planner: str = "") -> str:
    s = summary(results)
    langs = Counter(r.case.lang for r in results)
    kinds = Counter(r.case.kind for r in results)
    common = Counter(c.kind() for r in results for c in r.failed).most_common(8)
    try:
        suite_name = suite.resolve().relative_to(HERE.parent)
    except ValueError:
        suite_name = suite
    out = [
        SECTION,
        "",
        f"Measured by `.venv/bin/python benchmarks/faithfulness.py --write-results` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: every prompt of `{suite_name}` "
        f"({s['cases']} cases: {langs.get('en', 0)} English, {langs.get('zh', 0)} Chinese; "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        + f") planned by {planner or planner_version()} and cut with the fake speech and "
        "illustrations, then each expectation checked on the draft.",
        "",
        "| figure | measured | goal | |",
        "|---|---|---|---|",
        f"| share of checks that hold | {s['share']:.3f} ({s['passed']}/{s['checks']}) | ≥ 0.95 "
        f"| {'met' if s['share'] >= 0.95 else 'missed'} |",
    ]
    out += [f"| share, {k} prompts | {v:.3f} |  |  |" for k, v in s["share_by_lang"].items()]
    out += [
        f"| cases with every check holding | {s['cases_all_ok']}/{s['cases']} |  |  |",
        f"| instruction echoes | {s['echoes']} | 0 | {'met' if s['echoes'] == 0 else 'missed'} |",
        "",
        "Failed checks by kind: "
        + (", ".join(f"{k} {v}" for k, v in s["failed_by_field"].items()) or "none")
        + ".",
    ]
    if common:
        out += ["", "Most frequent failures:", ""]
        out += [f"- {d} ({n}×)" for d, n in common]
    return "\n".join(out) + "\n"


def write_section(path: Path, section: str) -> None:
    """Replace the "Faithfulness" section of ``path`` (up to the next ``## `` heading), or append it."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.rstrip() == SECTION), None)
    if start is None:
        body = text.rstrip("\n") + "\n\n" + section
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        rest = "".join(lines[end:])
        body = "".join(lines[:start]) + section + ("\n" + rest if rest else "")
    path.write_text(body, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--suite", type=Path, default=SUITE, help="the suite file (TOML)")
    ap.add_argument(
        "--only", action="append", default=[], metavar="ID", help="run only this case (repeatable)"
    )
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument(
        "--write-results", action="store_true", help=f"write the {SECTION!r} section of RESULTS.md"
    )
    ap.add_argument(
        "--label", default="", help="how RESULTS.md names the planner measured (default: its commit)"
    )
    ap.add_argument("--results", type=Path, default=RESULTS, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    cases = load_suite(args.suite)
    if args.only:
        unknown = set(args.only) - {c.id for c in cases}
        if unknown:
            ap.error(f"no such case: {', '.join(sorted(unknown))}")
        cases = [c for c in cases if c.id in args.only]
    results = run_suite(cases)
    if args.json:
        doc = {
            "summary": summary(results),
            "cases": [
                {
                    "id": r.case.id,
                    "lang": r.case.lang,
                    "kind": r.case.kind,
                    "passed": r.passed,
                    "checks": len(r.checks),
                    "echoes": r.echoes,
                    "error": r.error,
                    "failed": [asdict(c) | {"describe": c.describe()} for c in r.failed],
                }
                for r in results
            ],
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(report(results))
    if args.write_results:
        write_section(args.results, results_section(results, args.suite, args.label))
        print(f"\nwrote the {SECTION[3:]} section of {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
