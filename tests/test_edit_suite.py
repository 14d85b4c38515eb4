"""The chat-edit suite: at least 150 edits, EN and ZH, each capability said several ways; 97 % or
more of them change the draft as the user expects, through the router and the rule editor."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from promptreel.language import has_cjk

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks" / "edits.py"


def _load() -> ModuleType:
    name = "promptreel_edits_bench"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_the_suite_is_large_bilingual_and_covers_every_kind_of_turn() -> None:
    bench = _load()
    cases = bench.load()["edit"]
    assert len(cases) >= 150
    zh = [c for c in cases if has_cjk(c["say"])]
    assert 0.4 <= len(zh) / len(cases) <= 0.6
    expects = " ".join(c["expect"] for c in cases)
    for name in ("canvas", "title", "bgm_volume", "music ==", "speed", "dur(", "order", "scenes ==",
                 "captions_hidden", "caption_", "overlay", "transition(", "media(", "music_media", "length",
                 "'undo'", "'redo'", "'export'", "'credits'"):  # fmt: skip
        assert name in expects, name
    assert all(set(c) <= {"say", "expect", "setup"} for c in cases)


def test_the_suite_is_applied_right_at_least_97_percent_of_the_time() -> None:
    bench = _load()
    results = bench.run()
    misses = [f"{r.say!r}: {r.expect} ({r.why})" for r in results if not r.ok]
    share = 1 - len(misses) / len(results)
    assert share >= bench.BAR, f"{share:.3f}\n" + "\n".join(misses)


def test_a_wrong_expectation_is_a_miss_not_a_crash(tmp_path: Path) -> None:
    bench = _load()
    suite = tmp_path / "s.toml"
    suite.write_text(
        'prompt = "A 10-second video about tea."\n'
        'edit = [{ say = "make it vertical", expect = "canvas == \'1080x1920\'" },\n'
        '        { say = "make it vertical", expect = "no_such_name" }]\n',
        encoding="utf-8",
    )
    ok, bad = bench.run(suite)
    assert ok.ok and not bad.ok and "NameError" in bad.why
    text = bench.section([ok, bad], 0.1)
    assert text.startswith(bench.SECTION) and "no_such_name" in text
