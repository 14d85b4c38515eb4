"""Draft diff: what, name, timing, before → after — as a person reads it."""

from __future__ import annotations

import pytest

from promptreel.client.diff import describe_changes, diff_drafts, file_stem, suggest_next_steps
from promptreel.client.testing import generated_draft
from promptreel.draft import Meta, Segment, Track, TrackType, ops


def lines(before, after) -> list[str]:  # type: ignore[no-untyped-def]
    return describe_changes(diff_drafts(before, after))


def test_identical_drafts_have_no_changes() -> None:
    d = generated_draft()
    assert diff_drafts(d, d) == []


def test_track_added_and_removed() -> None:
    d1 = generated_draft(stage=1)
    d2 = generated_draft(stage=2)
    assert lines(d1, d2) == ["Added BGM: Lo-fi (0-10s, 35%)", 'Added Title: "Morning Coffee" (0-3s)']
    assert lines(d2, d1) == ["Removed BGM: Lo-fi (0-10s, 35%)", 'Removed Title: "Morning Coffee" (0-3s)']


def test_volume_before_after() -> None:
    d = generated_draft()
    quieter = ops.update_track(d, "trk_bgm", meta={"volume": 0.2})
    assert lines(d, quieter) == ["BGM volume: 35% → 20%"]
    muted = ops.update_track(d, "trk_bgm", meta={"muted": True})
    assert lines(d, muted) == ["BGM volume: 35% → muted"]


def test_segment_timing_and_text_changes_name_the_segment() -> None:
    d = generated_draft()
    longer = ops.resize_segment(d, "seg_2", 7000)
    assert lines(d, longer) == ['Changed Video scene "Cup" timing: 5-10s → 5-12s']
    seg = d.find_segment("seg_1")
    assert seg is not None
    retitled = ops.update_segment(d, "seg_1", meta={"headline": "Roasted"})
    assert lines(d, retitled) == ['Changed Video scene "Beans" (0-5s) headline: "Fresh beans" → "Roasted"']


def test_segments_added_and_removed() -> None:
    d = generated_draft()
    extra = ops.add_segment(
        d, "trk_scenes", Segment("seg_9", 10000, 4000, "scene", "", Meta({"headline": "Enjoy"}))
    )
    assert lines(d, extra) == ['Added Video scene "Enjoy" (10-14s)']
    fewer = ops.remove_segment(d, "seg_2")
    assert lines(d, fewer) == ['Removed Video scene "Cup" (5-10s)']


def test_canvas_and_title() -> None:
    d = generated_draft()
    vertical = ops.set_canvas(d, 1080, 1920)
    assert lines(d, vertical) == ["Canvas: 1920x1080 (16:9, 30 fps) → 1080x1920 (9:16, 30 fps)"]
    renamed = ops.set_meta(d, title="Evening Tea")
    assert lines(d, renamed) == ['Title: "Morning Coffee" → "Evening Tea"']


def test_first_draft_lists_every_track() -> None:
    out = lines(None, generated_draft(stage=1))
    assert out == ["Added Video: 2 scenes (0-10s)", "Added Voiceover: Fresh beans. The perfect cup. (0-10s)"]


def test_many_changes_are_capped() -> None:
    d = generated_draft()
    many = d
    for i in range(20):
        many = ops.add_track(many, Track(f"trk_x{i}", TrackType.TEXT, "overlays", "Text"))
    out = describe_changes(diff_drafts(d, many), limit=5)
    assert len(out) == 6 and out[-1] == "…and 15 more changes"


def test_next_steps_are_two_or_three_and_fit_the_draft() -> None:
    raw = generated_draft(stage=1)
    steps = suggest_next_steps(raw)
    assert 2 <= len(steps) <= 3
    assert any("music" in s for s in steps) and any("export" in s for s in steps)
    full = generated_draft(stage=2)
    steps = suggest_next_steps(full)
    assert not any("music" in s for s in steps) and not any("add a title" in s for s in steps)
    assert 2 <= len(suggest_next_steps(None)) <= 3


@pytest.mark.parametrize(
    ("title", "stem"),
    [
        ("Family Bakery: Since 1962!", "family-bakery-since-1962"),
        ("猫咖新店", "猫咖新店"),
        ("../../etc/passwd", "etc-passwd"),
        ("  ", ""),
        ("Ünïcode Café — Menu", "ünïcode-café-menu"),
    ],
)
def test_a_download_is_named_after_the_title_as_a_plain_file_name(title: str, stem: str) -> None:

    assert file_stem(title) == stem


def test_segments_that_only_moved_are_counted_in_one_line_after_the_change() -> None:
    from promptreel.service.studio import Engines, generate_draft
    from promptreel.settings import Settings

    d = generate_draft(
        "a 20-second video about our bike repair shop in Leeds", settings=Settings(), engines=Engines.fake()
    )
    first = next(s for t in d.tracks if t.role == "scenes" for s in t.segments)
    longer = ops.ripple_resize(d, first.id, first.duration + 2000)  # everything after it moves
    out = lines(d, longer)
    assert out[0].startswith(f'Changed Video scene "{first.name}" timing:')
    assert out[-1].startswith("Re-timed to fit: ") and "scenes" in out[-1]
    assert len(out) <= 4, out
    zh = describe_changes(diff_drafts(d, longer), lang="zh")
    assert zh[-1].startswith("随之调整时间：") and "个场景" in zh[-1]


def test_an_empty_text_and_no_value_are_the_same_to_a_person() -> None:
    d = generated_draft()
    blank = ops.update_segment(d, "seg_1", meta={"voice": ""})
    unset = ops.update_segment(blank, "seg_1", meta={"voice": None})
    assert lines(blank, unset) == [] and lines(unset, blank) == []
