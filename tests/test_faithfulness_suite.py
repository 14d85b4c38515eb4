"""The faithfulness suite: a video says and shows what was asked, and never reads the ask aloud.

The suite (benchmarks/faithfulness_suite.toml) is checked for shape, the draft reader that judges
it is checked on hand-built drafts, and then every prompt is planned and held to the bar.
"""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from promptreel.draft.meta import Meta
from promptreel.draft.model import Canvas, Draft, Segment, Track, TrackType

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks" / "faithfulness.py"
SUITE = ROOT / "benchmarks" / "faithfulness_suite.toml"


def _load() -> ModuleType:
    name = "promptreel_faithfulness_bench"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


fb = _load()


# ── the suite's shape ─────────────────────────────────────────────────────────────────────────


def test_suite_is_well_formed() -> None:
    raw = tomllib.loads(SUITE.read_text(encoding="utf-8"))
    assert fb.validate_suite(raw) == []
    cases = fb.load_suite(SUITE)
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids))
    assert len(cases) >= 60
    chinese = sum(c.lang == "zh" for c in cases)
    assert chinese / len(cases) >= 0.4
    for t in raw["case"]:
        for key in ("id", "kind", "prompt", "include", "never", "length_ms", "aspect"):
            assert key in t, (t.get("id"), key)


def test_suite_covers_every_kind_of_ask() -> None:
    cases = fb.load_suite(SUITE)
    kinds = {c.kind for c in cases}
    assert {
        "promo",
        "recruiting",
        "greeting",
        "lesson",
        "explainer",
        "menu",
        "event",
        "list",
        "quote",
        "chart",
    } <= kinds
    layouts = {x for c in cases for x in c.layouts}
    assert layouts == set(fb.LAYOUTS) - {"headline"}
    assert any(c.narration is False for c in cases)
    assert any(c.music is False for c in cases)
    assert any(c.chart for c in cases)
    assert {c.aspect for c in cases} == {"16:9", "9:16", "1:1"}
    assert len({c.length_ms for c in cases}) >= 5


def test_validation_names_each_problem() -> None:
    raw = {
        "case": [
            {
                "id": "a",
                "kind": "promo",
                "prompt": "x",
                "include": ["x"],
                "never": [],
                "length_ms": 30000,
                "aspect": "16:9",
            },
            {
                "id": "a",
                "kind": "promo",
                "prompt": "y",
                "include": ["y"],
                "never": [],
                "length_ms": 30000,
                "aspect": "4:3",
            },
            {
                "id": "B c",
                "prompt": "z",
                "include": [],
                "never": [""],
                "layouts": ["banner"],
                "chart": "yes",
                "colour": 1,
            },
        ]
    }
    problems = "\n".join(fb.validate_suite(raw))
    for expected in (
        "case 1 (a): duplicate id",
        "case 1 (a): aspect",
        "case 2 (B c): missing kind",
        "case 2 (B c): missing length_ms",
        "case 2 (B c): unknown field colour",
        "case 2 (B c): id must be",
        "case 2 (B c): never must be",
        "case 2 (B c): layouts must be",
        "case 2 (B c): chart must be",
        "case 2 (B c): expects no content",
    ):
        assert expected in problems
    assert fb.validate_suite({}) == ["no [[case]] tables"]


# ── the draft reader ──────────────────────────────────────────────────────────────────────────


def _seg(sid: str, start: int, dur: int, kind: str, **meta: object) -> Segment:
    return Segment(sid, start, dur, kind, "", Meta(meta))


def _draft(
    *, music_volume: float = 0.35, captions_hidden: bool = False, narration_muted: bool = False
) -> Draft:
    scenes = (
        _seg(
            "s1",
            0,
            4000,
            "scene",
            headline="Luna Café",
            text="not drawn: the spoken line",
            icon="fluent-emoji-flat:hot-beverage",
        ),
        _seg(
            "s2",
            4000,
            4000,
            "scene",
            layout="list",
            headline="Menu",
            items=[{"text": "Flat white", "value": "$4.50"}, "Espresso $3.00"],
        ),
        _seg(
            "s3",
            8000,
            4000,
            "scene",
            layout="chart",
            headline="Growth",
            chart={
                "type": "bar",
                "values": [120, 180.0, 2.5],
                "labels": ["2021", "2022", "2023"],
                "unit": "%",
            },
        ),
        _seg("s4", 12000, 4000, "scene", layout="quote", quote="Small bank. Big heart.", by="Fairview"),
        _seg("s5", 16000, 4000, "scene", layout="stat", value="1 million", label="downloads"),
    )
    return Draft(
        "d1",
        Canvas(1080, 1920, 30),
        (
            Track("t_sc", TrackType.VIDEO, "scenes", "Scenes", scenes),
            Track(
                "t_vo",
                TrackType.AUDIO,
                "narration",
                "Narration",
                (
                    _seg("v1", 300, 2000, "voice", text="Welcome to Luna Café in Lisbon."),
                    _seg("v2", 4300, 100, "voice", text="  "),
                ),
                Meta({"muted": narration_muted}),
            ),
            Track(
                "t_bgm",
                TrackType.AUDIO,
                "bgm",
                "Music",
                (_seg("m1", 0, 20000, "music", style="calm"),),
                Meta({"volume": music_volume}),
            ),
            Track(
                "t_ti",
                TrackType.TEXT,
                "title",
                "Title",
                (_seg("ti", 0, 3000, "title", text="Luna", subtitle="Since 1998"),),
            ),
            Track(
                "t_cap",
                TrackType.TEXT,
                "captions",
                "Captions",
                (_seg("c1", 300, 2000, "caption", text="Welcome to Luna Café"),),
                Meta({"hidden": captions_hidden}),
            ),
            Track(
                "t_ov",
                TrackType.TEXT,
                "overlays",
                "Overlays",
                (_seg("o1", 5000, 2000, "overlay", text="Open 7am–10pm"),),
            ),
        ),
    )


def test_reader_collects_what_is_heard_and_seen() -> None:
    v = fb.read_draft(_draft())
    assert v.voice == ("Welcome to Luna Café in Lisbon.",)
    assert v.spoken == v.voice
    for s in ("Luna Café", "Menu", "Flat white", "$4.50", "Espresso $3.00", "2021", "2023", "120%", "180%", "2.5%",
              "Small bank. Big heart.", "Fairview", "1 million", "downloads", "Luna", "Since 1998",
              "Welcome to Luna Café", "Open 7am–10pm"):  # fmt: skip
        assert s in v.screen, s
    assert "not drawn: the spoken line" not in v.screen
    assert v.layouts == ("headline", "list", "chart", "quote", "stat")
    assert v.icons == ("hot-beverage",)
    assert v.charts == 1
    assert v.music is True
    assert v.duration_ms == 20000
    assert v.aspect == "9:16"


def test_reader_silence_and_hidden_text() -> None:
    v = fb.read_draft(_draft(music_volume=0.0, captions_hidden=True, narration_muted=True))
    assert v.music is False
    assert "Welcome to Luna Café" not in v.screen
    assert v.voice == ("Welcome to Luna Café in Lisbon.",)  # still there, so narration=false fails
    assert v.spoken == ()
    square = fb.read_draft(Draft("d2", Canvas(1080, 1080, 30)))
    assert (square.aspect, square.duration_ms, square.music, square.voice) == ("1:1", 0, False, ())
    assert fb.read_draft(Draft("d3", Canvas(1280, 720, 25))).aspect == "16:9"


@pytest.mark.parametrize(
    ("texts", "needle", "found"),
    [
        (["Say hello to our Robots"], "robot", True),
        (["our team"], "tea", False),
        (["opens at 7 pm"], "7pm", True),
        (["粉丝突破15万"], "5万", False),
        (["粉丝突破5万"], "5万", True),
        (["杭州西湖区文三路 88 号"], "文三路88号", True),
        (["Happy 30th, Anna"], "30", True),
        (["St. Brigid’s Hospital"], "St. Brigid's Hospital", True),
        (["ＡＢＣ ｃａｆé"], "abc café", True),
        (["Price: $4.505"], "$4.50", False),
        (["2022年营收1.2亿"], "2022", True),
        (["第二行"], "二", True),
        (["in 40 seconds with a Simple chart"], "40 Seconds With a simple", True),
        (["Vertically integrated"], "vertical", False),
    ],
)
def test_contains(texts: list[str], needle: str, found: bool) -> None:
    assert fb.contains(texts, needle) is found


def test_checks_on_a_hand_built_draft() -> None:
    case = fb.Case(
        id="t",
        kind="menu",
        prompt="price board for Luna Café in Lisbon: flat white $4.50, vertical, no music",
        include=["Lisbon", "Luna Café", "Paris"],
        include_screen=["$4.50", "Lisbon"],
        include_voice=["Lisbon", "Menu"],
        never=["vertical", "price board", "Welcome"],
        layouts=["list", "place"],
        icons=["hot-beverage"],
        never_icons=["birthday-cake"],
        chart=True,
        narration=False,
        music=False,
        length_ms=21000,
        aspect="9:16",
    )
    checks = fb.check_case(case, fb.read_draft(_draft()))
    failed = {(c.field, c.expected) for c in checks if not c.ok}
    assert failed == {
        ("include", "Paris"),
        ("include_screen", "Lisbon"),
        ("include_voice", "Menu"),
        ("never", "Welcome"),
        ("layouts", "place"),
        ("narration", "false"),
        ("music", "false"),
    }
    assert len(checks) == fb.expected_checks(case) == 19
    result = fb.CaseResult(case, checks)
    assert result.echoes == 1
    assert fb.summary([result])["share"] == pytest.approx(12 / 19)
    echo = next(c for c in checks if c.field == "never" and not c.ok)
    assert "welcome to luna" in echo.describe()


def test_a_prompt_that_fails_to_plan_fails_every_check(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(prompt: str) -> Draft:
        raise RuntimeError("no plan")

    monkeypatch.setattr(fb, "make_draft", boom)
    case = fb.Case(id="x", kind="promo", prompt="x", include=("a", "b"), never=("c",), music=False)
    r = fb.run_case(case)
    assert r.error == "RuntimeError: no plan"
    assert (r.passed, len(r.checks)) == (0, 6)


def test_results_section_is_replaced_in_place(tmp_path: Path) -> None:
    path = tmp_path / "RESULTS.md"
    path.write_text("# Benchmark results\n\n| a | b |\n\n## Notes\n\n- kept\n")
    fb.write_section(path, "## Faithfulness\n\nfirst\n")
    assert path.read_text().endswith("- kept\n\n## Faithfulness\n\nfirst\n")
    fb.write_section(path, "## Faithfulness\n\nsecond\n")
    text = path.read_text()
    assert "first" not in text and text.count("## Faithfulness") == 1 and "second" in text
    path.write_text("# R\n\n## Faithfulness\n\nold\n\n## Notes\n\n- kept\n")
    fb.write_section(path, "## Faithfulness\n\nnew\n")
    assert path.read_text() == "# R\n\n## Faithfulness\n\nnew\n\n## Notes\n\n- kept\n"


# ── the bar ───────────────────────────────────────────────────────────────────────────────────


def test_planner_is_faithful_to_the_suite() -> None:
    results = fb.run_suite(fb.load_suite(SUITE))
    s = fb.summary(results)
    failures = "\n".join(f"{r.case.id}: {c.describe()}" for r in results for c in r.failed)
    assert s["echoes"] == 0, f"{s['echoes']} instruction echoes\n{failures}"
    assert s["share"] >= 0.95, f"share {s['share']:.3f}\n{failures}"
