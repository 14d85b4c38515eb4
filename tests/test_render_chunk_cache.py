"""Rendered chunks reused by content hash: an edit redraws only the chunks it touches."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from promptreel.draft import Draft, Meta, Segment, Track, TrackType
from promptreel.render import RenderOptions, render_draft
from promptreel.render.chunk_cache import ChunkCache, chunk_keys
from promptreel.render.chunks import plan_chunks
from promptreel.render.distributed import render_distributed
from promptreel.render.painter import default_painter
from test_render_engine_chunks import decoded, psnr
from test_render_engine_fakes import ToneAssets, make_draft

pytestmark = pytest.mark.slow


def titled(text: str = "Bean There", duration: int = 4000) -> Draft:
    draft = make_draft(duration=duration, voice=(500, 2500))
    title = Track(
        "t_title",
        TrackType.TEXT,
        "title",
        segments=(Segment("ti", 0, 900, "title", meta=Meta({"text": text})),),
    )
    return draft.replace(tracks=(*draft.tracks, title), meta=Meta({"title": text}))


def retitle(draft: Draft, text: str) -> Draft:
    tracks = tuple(
        t.replace(segments=tuple(s.replace(meta=s.meta.set(text=text)) for s in t.segments))
        if t.role == "title"
        else t
        for t in draft.tracks
    )
    return draft.replace(tracks=tracks, meta=draft.meta.set(title=text))


def _keys(draft: Draft, options: RenderOptions) -> list[str]:
    chunks = plan_chunks(120, 30, options)
    return chunk_keys(draft, ToneAssets(), chunks, 320, 180, options, default_painter())


def test_a_title_edit_changes_only_the_keys_of_chunks_it_is_on_screen_in() -> None:
    options = RenderOptions(chunk_s=1, gop_s=1)
    before, after = _keys(titled(), options), _keys(retitle(titled(), "Brew Haven"), options)
    assert len(before) == 4 and len(set(before)) == 4
    # the title shows in chunk 0 only (text is not widened by the transition margin)
    assert before[0] != after[0] and before[1:] == after[1:]
    # timing, canvas, encoder settings and the painter all change every key
    moved = titled().replace(tracks=tuple(t for t in titled().tracks if t.role != "title"))
    assert set(_keys(moved, options)).isdisjoint(before)
    assert set(_keys(titled(), RenderOptions(chunk_s=1, gop_s=1, crf=30))).isdisjoint(before)
    # the soundtrack is not part of a chunk: music or narration changes keep every key
    no_music = titled().replace(tracks=tuple(t for t in titled().tracks if t.role != "bgm"))
    assert _keys(no_music, options) == before


def test_re_render_after_a_title_edit_reuses_chunks_and_equals_a_fresh_render(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    options = RenderOptions(chunk_s=1, gop_s=1, chunk_cache=str(cache))
    painter = default_painter()
    first = titled()
    render_draft(first, ToneAssets(), tmp_path / "first.mp4", options=options, painter=painter)
    assert len(list(cache.glob("*/*.mp4"))) == 4
    edited = retitle(first, "Brew Haven")
    out = tmp_path / "edited.mp4"
    reused = render_distributed(edited, ToneAssets(), out, 320, 180, 120, options, painter, lambda f, s: None)
    assert reused == 3
    assert len(list(cache.glob("*/*.mp4"))) == 8 - reused
    fresh = tmp_path / "fresh.mp4"
    render_draft(edited, ToneAssets(), fresh, options=RenderOptions(chunk_s=1, gop_s=1), painter=painter)
    f1, a1 = decoded(out)
    f2, a2 = decoded(fresh)
    assert len(f1) == len(f2) == 120
    assert min(psnr(x, y) for x, y in zip(f1, f2, strict=True)) >= 50.0
    assert a1.shape == a2.shape and np.abs(a1 - a2).max() < 1e-4
    # the title really changed: the first frames differ from the first render's
    f0, _ = decoded(tmp_path / "first.mp4")
    assert psnr(f0[10], f1[10]) < 40.0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_cache_is_trimmed_by_least_recent_use(tmp_path: Path) -> None:
    cache = ChunkCache(tmp_path / "c", max_bytes=2500)
    src = tmp_path / "x.mp4"
    src.write_bytes(b"\0" * 1000)
    for key in ("aa1", "bb2", "cc3"):
        cache.put(key, src)
    assert cache.get("aa1") is not None  # used again: now the most recent
    assert cache.trim() == 1000
    assert cache.get("bb2") is None and cache.get("aa1") is not None and cache.get("cc3") is not None
    assert cache.get("missing") is None
