"""Finished soundtracks reused by content key: an edit that leaves the sound alone re-renders
without mixing, mastering or encoding the audio again, and the result is the same file's sound."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from promptreel.draft import Draft, Meta, Segment, Track, TrackType
from promptreel.generators.assets import LocalAssets
from promptreel.generators.cache import DiskCache
from promptreel.generators.fakes import FakeIllustrations, FakeMusic, FakeSpeech
from promptreel.render import RenderOptions, render_draft
from promptreel.render.avio import EncodedAudio
from promptreel.render.sound_cache import sound_key
from test_render_engine_chunks import decoded
from test_render_engine_fakes import ToneAssets, make_draft

pytestmark = pytest.mark.slow


def assets(tmp: Path) -> LocalAssets:
    return LocalAssets(
        speech=FakeSpeech(),
        music=FakeMusic(),
        illustrations=FakeIllustrations(),
        cache=DiskCache(tmp / "assets"),
    )


def spoken(text: str = "Fresh coffee every morning") -> Draft:
    draft = make_draft(duration=4000, voice=(500, 2500))
    tracks = tuple(
        t.replace(segments=tuple(s.replace(meta=s.meta.set(text=text)) for s in t.segments))
        if t.role == "narration"
        else t
        for t in draft.tracks
    )
    return draft.replace(tracks=tracks)


def with_title(draft: Draft, text: str) -> Draft:
    title = Track(
        "t_title",
        TrackType.TEXT,
        "title",
        segments=(Segment("ti", 0, 900, "title", meta=Meta({"text": text})),),
    )
    return draft.replace(tracks=(*draft.tracks, title), meta=draft.meta.set(title=text))


def music_volume(draft: Draft, volume: float) -> Draft:
    tracks = tuple(t.replace(meta=t.meta.set(volume=volume)) if t.role == "bgm" else t for t in draft.tracks)
    return draft.replace(tracks=tracks)


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*/*.aac"))


def test_the_key_follows_the_sound_and_nothing_else(tmp_path: Path) -> None:
    a, opts = assets(tmp_path), RenderOptions()
    base = sound_key(spoken(), a, opts)
    assert base is not None and len(base) == 64
    # pictures and words on screen: same sound
    assert sound_key(with_title(spoken(), "Bean There"), a, opts) == base
    assert sound_key(with_title(spoken(), "Brew Haven"), a, opts) == base
    # the mix, the narration, the length and the audio settings: another sound
    assert sound_key(music_volume(spoken(), 0.1), a, opts) != base
    assert sound_key(spoken("Fresh tea every morning"), a, opts) != base
    longer = spoken().replace(tracks=tuple(t for t in spoken().tracks if t.role != "bgm"))
    assert sound_key(longer, a, opts) != base
    assert sound_key(spoken(), a, RenderOptions(audio_rate=24000)) != base
    assert sound_key(spoken(), a, RenderOptions(true_peak_oversample=1)) != base
    # assets that cannot name what they would make are never cached
    assert sound_key(spoken(), ToneAssets(), opts) is None
    uncached = LocalAssets(speech=FakeSpeech(), music=FakeMusic(), illustrations=FakeIllustrations())
    assert sound_key(spoken(), uncached, opts) is None


def test_an_edit_that_leaves_the_sound_alone_reuses_it_and_sounds_the_same(tmp_path: Path) -> None:
    cache = tmp_path / "sounds"
    a = assets(tmp_path)
    opts = RenderOptions(sound_cache=str(cache))
    render_draft(spoken(), a, tmp_path / "first.mp4", options=opts)
    assert len(entries(cache)) == 1
    edited = with_title(spoken(), "Brew Haven")
    render_draft(edited, a, tmp_path / "edited.mp4", options=opts)
    assert len(entries(cache)) == 1  # read back, not made again
    render_draft(edited, a, tmp_path / "fresh.mp4", options=RenderOptions())
    _, reused = decoded(tmp_path / "edited.mp4")
    _, fresh = decoded(tmp_path / "fresh.mp4")
    assert reused.shape == fresh.shape and np.abs(reused).max() > 0.01
    assert np.array_equal(reused, fresh)
    # a change to the mix is a new entry, and it sounds different
    render_draft(music_volume(spoken(), 0.05), a, tmp_path / "quiet.mp4", options=opts)
    assert len(entries(cache)) == 2
    _, quiet = decoded(tmp_path / "quiet.mp4")
    assert not np.array_equal(quiet[:, : fresh.shape[1]], fresh)


def test_a_damaged_entry_is_a_miss_and_is_made_again(tmp_path: Path) -> None:
    cache = tmp_path / "sounds"
    a = assets(tmp_path)
    opts = RenderOptions(sound_cache=str(cache))
    render_draft(spoken(), a, tmp_path / "first.mp4", options=opts)
    (entry,) = entries(cache)
    good = entry.read_bytes()
    entry.write_bytes(good[: len(good) // 2])
    render_draft(spoken(), a, tmp_path / "again.mp4", options=opts)
    assert entry.read_bytes() == good
    _, first = decoded(tmp_path / "first.mp4")
    _, again = decoded(tmp_path / "again.mp4")
    assert np.array_equal(first, again)


@pytest.mark.parametrize("data", [b"", b"PRAAC1", b"not a soundtrack at all", b"PRAAC1" + bytes(200)])
def test_bytes_that_are_not_an_encoded_soundtrack_are_refused(data: bytes) -> None:
    with pytest.raises(ValueError):
        EncodedAudio.from_bytes(data)
