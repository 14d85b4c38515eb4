"""The compact draft codec: golden files, round trips, and validation with exact fault paths."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from promptreel.draft import Canvas, Draft, Limits, Meta, Segment, Track, TrackType, codec, summary
from promptreel.errors import InvalidDraft

GOLDEN = Path(__file__).parent / "golden"


def sample_draft() -> Draft:
    return Draft(
        "draft_1",
        Canvas(1920, 1080, 30),
        (
            Track(
                "trk_scenes",
                TrackType.VIDEO,
                "scenes",
                "Video",
                (
                    Segment(
                        "seg_1", 0, 4000, "scene", "city timelapse", Meta({"text": "Cities never sleep."})
                    ),
                    Segment(
                        "seg_2", 4000, 6000, "scene", "", Meta({"text": "Nor do we.", "palette": ["#112233"]})
                    ),
                ),
            ),
            Track(
                "trk_bgm",
                TrackType.AUDIO,
                "bgm",
                "BGM",
                (Segment("seg_3", 0, 10000, "music", "Lo-fi", Meta({"style": "lofi"})),),
                Meta({"volume": 0.35}),
            ),
            Track(
                "trk_title",
                TrackType.TEXT,
                "title",
                "Title",
                (Segment("seg_4", 0, 3000, "title", "", Meta({"text": "Urban Dreams"})),),
            ),
        ),
        Meta({"title": "Urban Dreams", "lang": "en"}),
    )


def test_golden_encode_matches_file() -> None:
    expected = json.loads((GOLDEN / "draft_v1.json").read_text())
    assert codec.encode(sample_draft()) == expected


def test_golden_decode_round_trips() -> None:
    text = (GOLDEN / "draft_v1.json").read_text()
    draft = codec.loads(text)
    assert draft == sample_draft()
    assert codec.loads(codec.dumps(draft)) == draft


def test_summary_line_matches_protocol_example() -> None:
    assert summary(sample_draft()) == (
        'Timeline (3 tracks): 1. Video: 2 scenes (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: "Urban Dreams" (0-3s)'
    )


def test_minimal_client_draft_gets_defaults() -> None:
    draft = codec.decode({"t": [{"tt": 0, "sg": [{"d": 1000}, {"d": 500}]}, {"tt": 7, "sg": [{"d": 800}]}]})
    assert draft.canvas == Canvas(1920, 1080, 30)
    video, text = draft.tracks
    assert [(s.start, s.duration, s.kind) for s in video.segments] == [
        (0, 1000, "scene"),
        (1000, 500, "scene"),
    ]
    assert video.role == "scenes" and text.role == "overlays"
    assert draft.duration == 1500 and draft.ready


def test_empty_draft_is_not_ready() -> None:
    assert not codec.decode({"t": [{"tt": 1, "sg": []}]}).ready


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ([], "$"),
        ({"v": 99}, "v"),
        ({"w": 1921}, "w"),
        ({"w": 99999}, "w"),
        ({"fps": 0}, "fps"),
        ({"t": {}}, "t"),
        ({"t": [{"tt": 3, "sg": []}]}, "t[0].tt"),
        ({"t": [{"sg": []}]}, "t[0].tt"),
        ({"t": [{"tt": 0, "sg": [{"s": 0, "d": 10}, {"s": 0, "d": -5}]}]}, "t[0].sg[1].d"),
        ({"t": [{"tt": 0, "sg": [{"s": 0, "d": "10"}]}]}, "t[0].sg[0].d"),
        ({"t": [{"tt": 0, "sg": [{"s": 0, "d": 10}, {"s": 5, "d": 10}]}]}, "t[0].sg[1].s"),
        ({"t": [{"tt": 0, "sg": [{"d": 10, "k": "voice"}]}]}, "t[0].sg[0].k"),
        ({"t": [{"tt": 0, "sg": [{"d": 10, "k": "nope"}]}]}, "t[0].sg[0].k"),
        ({"t": [{"tt": 0, "sg": [{"d": 10, "m": []}]}]}, "t[0].sg[0].m"),
        ({"t": [{"tt": 0, "sg": [{"d": 10, "m": {"text": "x" * 20000}}]}]}, "t[0].sg[0].m.text"),
        ({"t": [{"tt": 0, "sg": [{"d": 10**9}]}]}, "t[0].sg[0].d"),
        ({"t": [{"id": "a", "tt": 0, "sg": [{"id": "a", "d": 10}]}]}, "t[0].sg[0].id"),
    ],
)
def test_validation_names_the_exact_path(data: object, path: str) -> None:
    with pytest.raises(InvalidDraft) as err:
        codec.decode(data)
    assert err.value.path == path
    assert err.value.message.startswith(path)


def test_deep_nesting_and_segment_limits() -> None:
    deep: dict[str, object] = {}
    cur = deep
    for _ in range(20):
        cur["x"] = {}
        cur = cur["x"]  # type: ignore[assignment]
    with pytest.raises(InvalidDraft, match="nested deeper"):
        codec.decode({"t": [{"tt": 0, "sg": [{"d": 10, "m": deep}]}]})
    many = {"t": [{"tt": 0, "sg": [{"d": 10} for _ in range(50)]}]}
    with pytest.raises(InvalidDraft, match="more than 10 segments"):
        codec.decode(many, Limits(max_segments=10))


def test_invalid_json_text() -> None:
    with pytest.raises(InvalidDraft) as err:
        codec.loads("{not json")
    assert err.value.path == "$"


segment_lists = st.lists(st.tuples(st.integers(0, 5000), st.integers(1, 5000)), max_size=12)


@settings(max_examples=80, deadline=None)
@given(segment_lists)
def test_decode_accepts_exactly_the_non_overlapping_tracks(spans: list[tuple[int, int]]) -> None:
    data = {"t": [{"tt": 1, "sg": [{"s": s, "d": d, "k": "music"} for s, d in spans]}]}
    ordered = sorted(spans)
    overlapping = any(b[0] < a[0] + a[1] for a, b in itertools.pairwise(ordered))
    if overlapping:
        with pytest.raises(InvalidDraft):
            codec.decode(data)
    else:
        draft = codec.decode(data)
        assert codec.decode(codec.encode(draft)) == draft
        assert draft.duration == max((s + d for s, d in spans), default=0)
