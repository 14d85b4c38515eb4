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


def test_a_voice_clip_under_a_crossfaded_scene_keeps_its_frame(tmp_path: Path) -> None:
    # the writer places a sound clip inside the scene above it: offset 2/3 s... was 32.4333 −
    # 32.1333 + 0.4 s in floats, truncated to 20 frames, one frame early; it is 21 frames
    scenes = (
        Segment("seg_scene_1", 0, 32_140, "scene", "One", Meta({"text": ""})),
        Segment(
            "seg_scene_2",
            32_140,
            6_860,
            "scene",
            "Two",
            Meta({"transition": "crossfade", "transition_ms": 800}),
        ),
    )
    voice = (Segment("seg_voice_1", 32_440, 5_190, "voice", "", Meta({"text": "Two."})),)
    draft = Draft(
        "draft_fcpx_voice",
        Canvas(1920, 1080, 30),
        tracks=(
            Track("trk_scenes", TrackType.VIDEO, "scenes", "Scenes", segments=scenes),
            Track("trk_narration", TrackType.AUDIO, "narration", "Narration", segments=voice),
        ),
    )
    project = write_project(to_otio(draft), draft, tmp_path, "fcpxml")
    timeline = read_timeline(project.path, "fcpxml")
    track = next(iter(timeline.audio_tracks()))
    starts = [round(track.range_of_child(c).start_time.rescaled_to(30).value) for c in track.find_clips()]
    assert starts == [973]  # 32 440 ms is frame 973.2
