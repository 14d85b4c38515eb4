"""FCPXML times read back as the whole frames they were written as (no float truncation)."""

from __future__ import annotations

from pathlib import Path

from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType
from promptreel.exchange import read_timeline, to_otio, write_project


def test_clip_lengths_survive_a_round_trip_through_fcpxml(tmp_path: Path) -> None:
    # 16 400 ms and 4 100 ms are 492 and 123 frames at 30 fps; 82/5 s × 30 is 491.99… in floats
    lengths = (16_400, 4_100, 9_500)
    scenes, start = [], 0
    for i, ms in enumerate(lengths, start=1):
        scenes.append(Segment(f"seg_scene_{i}", start, ms, "scene", f"Scene {i}", Meta({"text": ""})))
        start += ms
    draft = Draft(
        "draft_fcpx",
        Canvas(1920, 1080, 30),
        tracks=(Track("trk_scenes", TrackType.VIDEO, "scenes", "Scenes", segments=tuple(scenes)),),
    )
    project = write_project(to_otio(draft), draft, tmp_path, "fcpxml")
    timeline = read_timeline(project.path, "fcpxml")
    track = next(iter(timeline.video_tracks()))
    frames = [round(track.range_of_child(c).duration.rescaled_to(30).value) for c in track.find_clips()]
    assert frames == [492, 123, 285]
