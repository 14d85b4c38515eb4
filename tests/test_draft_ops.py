"""Pure edits on drafts: ripple edits keep tracks aligned, inputs never change, ids are stable."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType, ops
from promptreel.draft.interop import to_srt, to_vtt
from promptreel.errors import InvalidDraft, NotFound
from promptreel.timecode import frames_to_ms, ms_to_frame, seconds_label


def cut(durations: list[int]) -> Draft:
    pairs = ops.sequence(durations)
    scenes = tuple(Segment(f"sc_{i}", s, d, "scene", f"scene {i}") for i, (s, d) in enumerate(pairs))
    voices = tuple(
        Segment(f"vo_{i}", s, d, "voice", meta=Meta({"text": f"Line {i}."})) for i, (s, d) in enumerate(pairs)
    )
    total = sum(durations)
    return Draft(
        "d",
        Canvas(),
        (
            Track("trk_scenes", TrackType.VIDEO, "scenes", "Video", scenes),
            Track("trk_vo", TrackType.AUDIO, "narration", "Voice", voices),
            Track(
                "trk_bgm",
                TrackType.AUDIO,
                "bgm",
                "BGM",
                (Segment("m", 0, total, "music"),),
                Meta({"volume": 0.35}),
            ),
            Track(
                "trk_title",
                TrackType.TEXT,
                "title",
                "Title",
                (Segment("t", 0, min(3000, total), "title", meta={"text": "Hi"}),),
            ),
        ),
    )


def starts(draft: Draft, track: str) -> list[tuple[int, int]]:
    t = draft.track(track)
    assert t is not None
    return [(s.start, s.duration) for s in t.segments]


def test_ripple_resize_shifts_following_and_stretches_spanning() -> None:
    d = cut([4000, 5000, 6000])
    e = ops.ripple_resize(d, "sc_1", 7000)
    assert starts(e, "trk_scenes") == [(0, 4000), (4000, 7000), (11000, 6000)]
    assert starts(e, "trk_vo") == [(0, 4000), (4000, 7000), (11000, 6000)]
    assert starts(e, "trk_bgm") == [(0, 17000)]
    assert starts(e, "trk_title") == [(0, 3000)]
    assert starts(d, "trk_scenes") == [(0, 4000), (4000, 5000), (9000, 6000)]  # input untouched


def test_ripple_remove_closes_the_gap_on_every_track() -> None:
    d = cut([4000, 5000, 6000])
    e = ops.ripple_remove(d, "sc_2")
    assert starts(e, "trk_scenes") == [(0, 4000), (4000, 5000)]
    assert starts(e, "trk_vo") == [(0, 4000), (4000, 5000)]
    assert starts(e, "trk_bgm") == [(0, 9000)]
    assert e.duration == 9000


def test_move_segment_order_moves_aligned_narration() -> None:
    d = cut([1000, 2000, 3000])
    e = ops.move_segment_order(d, "sc_2", 0)
    assert [s.id for s in e.tracks[0].segments] == ["sc_2", "sc_0", "sc_1"]
    assert [s.id for s in e.tracks[1].segments] == ["vo_2", "vo_0", "vo_1"]
    assert starts(e, "trk_scenes") == [(0, 3000), (3000, 1000), (4000, 2000)]


def test_add_segment_refuses_overlap_and_duplicate_ids() -> None:
    d = cut([1000, 1000])
    with pytest.raises(InvalidDraft):
        ops.add_segment(d, "trk_scenes", Segment("new", 500, 1000, "scene"))
    with pytest.raises(InvalidDraft):
        ops.add_segment(d, "trk_scenes", Segment("sc_0", 5000, 1000, "scene"))
    with pytest.raises(InvalidDraft):
        ops.add_segment(d, "trk_scenes", Segment("x", 5000, 1000, "voice"))
    with pytest.raises(NotFound):
        ops.remove_segment(d, "nope")


def test_new_ids_are_deterministic_and_unused() -> None:
    d = cut([1000])
    assert ops.new_ids(d, "sc", 2) == ["sc_1", "sc_2"]
    assert ops.new_id(d, "trk") == "trk_1"


def test_update_segment_merges_meta_and_removes_none() -> None:
    d = cut([1000])
    e = ops.update_segment(d, "vo_0", meta={"speed": 0.9, "text": None})
    found = e.find_segment("vo_0")
    assert found is not None
    assert dict(found[1].meta) == {"speed": 0.9}


def test_upsert_track_creates_once() -> None:
    d = cut([1000])
    e, tid = ops.upsert_track(d, "overlays", TrackType.TEXT, "Text")
    e2, tid2 = ops.upsert_track(e, "overlays", TrackType.TEXT, "Text")
    assert tid == tid2 and e2 == e and len(e.tracks) == 5


def test_subtitles_from_narration() -> None:
    d = cut([1500, 2250])
    assert to_srt(d).splitlines()[:3] == ["1", "00:00:00,000 --> 00:00:01,500", "Line 0."]
    assert "00:00:01.500 --> 00:00:03.750" in to_vtt(d)
    assert to_vtt(d).startswith("WEBVTT")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(100, 10_000), min_size=2, max_size=8), st.data())
def test_ripple_resize_keeps_tracks_gapless(durations: list[int], data: st.DataObject) -> None:
    d = cut(durations)
    i = data.draw(st.integers(0, len(durations) - 1))
    new = data.draw(st.integers(1, 20_000))
    e = ops.ripple_resize(d, f"sc_{i}", new)
    segs = e.tracks[0].segments
    assert all(a.end == b.start for a, b in itertools.pairwise(segs))
    assert e.duration == sum(durations) - durations[i] + new
    assert e.tracks[2].segments[0].end == e.duration


@given(st.integers(0, 10**7), st.sampled_from([24, 25, 30, 60]))
def test_frame_rounding_round_trips(ms: int, fps: int) -> None:
    f = ms_to_frame(ms, fps)
    assert abs(frames_to_ms(f, fps) - ms) <= 1000 / fps / 2 + 1


def test_seconds_label() -> None:
    assert seconds_label(10000) == "10s"
    assert seconds_label(2500) == "2.5s"
    assert seconds_label(0) == "0s"
