"""The render plan: frame ranges from integer ms, paint order, hidden/audio tracks, transitions."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType
from promptreel.render.plan import Layer, Transition, build_plan
from promptreel.timecode import ms_to_frame


def _back_to_back(durations: list[int], fps: int, meta: dict[str, object] | None = None) -> Draft:
    segs = []
    t = 0
    for i, d in enumerate(durations):
        segs.append(Segment(f"s{i}", t, d, "scene", meta=Meta(meta or {})))
        t += d
    return Draft("d", Canvas(320, 180, fps), (Track("v", TrackType.VIDEO, "scenes", "", tuple(segs)),))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 4000), min_size=1, max_size=12), st.sampled_from([24, 25, 30, 50, 60]))
def test_adjacent_segments_meet_on_the_same_frame(durations: list[int], fps: int) -> None:
    plan = build_plan(_back_to_back(durations, fps))
    layers = plan.layers
    for a, b in itertools.pairwise(layers):
        assert a.end == b.first
    assert plan.frames == ms_to_frame(sum(durations), fps)
    # every frame shows exactly one segment, the one whose frame range contains it
    for f in range(plan.frames):
        items = plan.at(f)
        assert len(items) == 1
        item = items[0]
        assert isinstance(item, Layer) and item.first <= f < item.end
    assert plan.at(plan.frames) == ()


def test_rounding_rule_for_both_edges() -> None:
    plan = build_plan(_back_to_back([1017, 983, 16], 30))
    firsts = [(layer.first, layer.end) for layer in plan.layers]
    assert firsts == [(0, 31), (31, 60), (60, 60 + (ms_to_frame(2016, 30) - 60))] or firsts[:2] == [
        (0, 31),
        (31, 60),
    ]
    assert all(layer.first == ms_to_frame(layer.segment.start, 30) for layer in plan.layers)
    assert all(layer.end == ms_to_frame(layer.segment.end, 30) for layer in plan.layers)


def test_paint_order_hidden_and_audio_tracks() -> None:
    draft = Draft(
        "d",
        Canvas(320, 180, 30),
        (
            Track("v", TrackType.VIDEO, "scenes", "", (Segment("a", 0, 2000, "scene"),)),
            Track("m", TrackType.AUDIO, "bgm", "", (Segment("music", 0, 2000, "music"),)),
            Track(
                "h", TrackType.VIDEO, "media", "", (Segment("hid", 0, 2000, "media"),), Meta({"hidden": True})
            ),
            Track(
                "c",
                TrackType.TEXT,
                "captions",
                "",
                (Segment("cap", 500, 1000, "caption", meta=Meta({"text": "hi"})),),
            ),
        ),
    )
    plan = build_plan(draft)
    assert [layer.segment.id for layer in plan.layers] == ["a", "cap"]
    assert [i.segment.id for i in plan.at(0) if isinstance(i, Layer)] == ["a"]
    assert [i.segment.id for i in plan.at(20) if isinstance(i, Layer)] == ["a", "cap"]  # captions above
    assert [i.segment.id for i in plan.at(45) if isinstance(i, Layer)] == ["a"]


def test_transition_window_is_centred_on_the_cut() -> None:
    draft = _back_to_back([2000, 2000], 30)
    second = draft.tracks[0].segments[1].replace(meta=Meta({"transition": "crossfade", "transition_ms": 600}))
    draft = draft.replace(tracks=[draft.tracks[0].replace(segments=[draft.tracks[0].segments[0], second])])
    plan = build_plan(draft)
    (tr,) = plan.transitions
    assert (tr.first, tr.end) == (51, 69)
    assert tr.outgoing is not None and tr.outgoing.segment.id == "s0" and tr.incoming.segment.id == "s1"
    assert isinstance(plan.at(50)[0], Layer) and plan.at(50)[0].segment.id == "s0"
    for f in range(51, 69):
        (item,) = plan.at(f)
        assert isinstance(item, Transition)
    assert isinstance(plan.at(69)[0], Layer) and plan.at(69)[0].segment.id == "s1"
    assert tr.progress(51) < 0.05 and abs(tr.progress(60) - 0.5) < 0.06 and tr.progress(68) > 0.95
    # both sides of the transition are reported as visible layers
    assert [layer.segment.id for layer in plan.layers_at(60)] == ["s0", "s1"]


def test_cut_and_unknown_transitions_make_no_window() -> None:
    draft = _back_to_back([1000, 1000, 1000], 30, {"transition": "cut", "transition_ms": 500})
    assert build_plan(draft).transitions == ()
    draft = _back_to_back([1000, 1000], 30, {"transition": "spiral", "transition_ms": 500})
    assert build_plan(draft).transitions == ()


def test_transition_without_a_neighbour_enters_over_the_tracks_below() -> None:
    draft = Draft(
        "d",
        Canvas(320, 180, 30),
        (
            Track("v", TrackType.VIDEO, "scenes", "", (Segment("a", 0, 3000, "scene"),)),
            Track(
                "m",
                TrackType.VIDEO,
                "media",
                "",
                (
                    Segment(
                        "img", 1000, 1000, "media", meta=Meta({"transition": "slide", "transition_ms": 400})
                    ),
                ),
            ),
        ),
    )
    plan = build_plan(draft)
    (tr,) = plan.transitions
    assert tr.outgoing is None and (tr.first, tr.end) == (30, 42)
    kinds = [type(i).__name__ for i in plan.at(35)]
    assert kinds == ["Layer", "Transition"]


def test_transition_is_clamped_to_short_segments() -> None:
    draft = _back_to_back([300, 300], 30, {"transition": "wipe", "transition_ms": 5000})
    (tr,) = build_plan(draft).transitions
    assert tr.end - tr.first <= 9
