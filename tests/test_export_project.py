"""Editor projects: every format written from prompt-suite drafts, then read back with the same
library; clips, order, positions (to the frame), track kinds and media all match the draft."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import opentimelineio as otio
import pytest

from promptreel.draft import Draft, TrackType, codec
from promptreel.exchange import (
    FORMATS,
    ClipPlan,
    clip_plans,
    from_otio,
    read_jianying,
    read_timeline,
    to_otio,
)
from promptreel.exchange.lanes import draw_lanes
from promptreel.render import probe
from promptreel.service.projects import ProjectExport, export_project, format_of, import_project
from promptreel.service.studio import Engines, generate_draft
from promptreel.settings import Settings
from promptreel.timecode import frames_to_ms

pytestmark = pytest.mark.slow

#: the public prompt suite in three aspects and both languages
PROMPTS = {
    "en-16x9": "make a 45-second explainer on how vaccines train the immune system, calm narration, 16:9",
    "zh-9x16": "做一个15秒的竖屏短视频，介绍我们的新款运动鞋，节奏要快",
    "en-1x1": "a short birthday greeting video for my sister Anna, with confetti and a happy song, square",
    "zh-16x9": "为一家咖啡品牌生成一个30秒的宣传视频，温暖的色调，带旁白和字幕",
}
ASPECTS = {"en-16x9": "16:9", "zh-9x16": "9:16", "en-1x1": "1:1", "zh-16x9": "16:9"}


@pytest.fixture(scope="module")
def engines() -> Engines:
    return Engines.fake()


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def drafts(engines: Engines, settings: Settings) -> dict[str, Draft]:
    return {k: generate_draft(p, settings=settings, engines=engines, seed=3) for k, p in PROMPTS.items()}


@pytest.fixture(scope="module")
def exports(
    drafts: dict[str, Draft], engines: Engines, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], ProjectExport]:
    """Every draft in every format; the media are rendered once per draft (preview size)."""
    out: dict[tuple[str, str], ProjectExport] = {}
    for key, draft in drafts.items():
        folder = tmp_path_factory.mktemp(key)
        for i, fmt in enumerate(FORMATS):
            if i == 0:
                out[key, fmt] = export_project(
                    draft, folder, fmt, settings=settings, preview=True, engines=engines
                )
            else:  # same folder, same media: only the project file differs
                from promptreel.exchange import write_project

                tl = to_otio(draft)
                pf = write_project(tl, draft, folder, fmt)
                out[key, fmt] = ProjectExport(folder, pf.path, fmt, out[key, "otio"].media, pf.notes)
    return out


def _expected(draft: Draft, fmt: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """(track kind, [(first frame, frames)]) per track the format holds, in the format's order."""
    rows = [
        (t.type, [(p.first, p.frames) for p in plans])
        for t, plans in zip(draft.tracks, clip_plans(draft), strict=True)
        if plans
    ]
    if fmt in ("fcpxml", "fcp7", "edl"):
        rows = [r for r in rows if r[0] != TrackType.TEXT]
    if fmt == "edl":
        # CMX 3600 starts a dissolve at the incoming event's record in: the same frames dissolve,
        # the nominal cut sits at the dissolve's start
        video = next(
            plans
            for t, plans in zip(draft.tracks, clip_plans(draft), strict=True)
            if plans and t.type == TrackType.VIDEO
        )
        spans = [[p.first, p.frames] for p in video]
        for k, p in enumerate(video):
            if p.transition is not None and k > 0:
                a = p.transition[1]
                spans[k] = [p.first - a, p.frames + a]
                spans[k - 1][1] -= a
        rows = [(TrackType.VIDEO, [(a, b) for a, b in spans])]
    kinds = {TrackType.VIDEO: "Video", TrackType.AUDIO: "Audio", TrackType.TEXT: "Video"}
    out = [(kinds[k], spans) for k, spans in rows]
    if fmt in ("fcpxml", "fcp7"):  # these list picture lanes and sound lanes apart
        out = sorted(out, key=lambda r: r[0] != "Video")
    return out


def _read(tl: otio.schema.Timeline, fps: int) -> list[tuple[str, list[tuple[int, int]]]]:
    rows = []
    for track in tl.tracks:
        spans = []
        for clip in track.find_clips(shallow_search=True):
            r = track.range_of_child(clip)
            spans.append(
                (round(r.start_time.rescaled_to(fps).value), round(r.duration.rescaled_to(fps).value))
            )
        if spans:
            rows.append((str(track.kind), spans))
    return sorted(rows, key=lambda r: r[0] != "Video") if rows and rows[0][0] == "Audio" else rows


@pytest.mark.parametrize("key", list(PROMPTS))
def test_drafts_cover_the_aspects(drafts: dict[str, Draft], key: str) -> None:
    assert drafts[key].canvas.aspect == ASPECTS[key]


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "jianying"])
@pytest.mark.parametrize("key", list(PROMPTS))
def test_written_then_read_back_matches_the_draft(
    drafts: dict[str, Draft], exports: dict[tuple[str, str], ProjectExport], key: str, fmt: str
) -> None:
    draft, ex = drafts[key], exports[key, fmt]
    tl = read_timeline(ex.project, fmt)
    assert _read(tl, draft.canvas.fps) == _expected(draft, fmt)
    for clip in tl.find_clips():
        ref = clip.media_reference
        if isinstance(ref, otio.schema.ExternalReference):
            url = ref.target_url.removeprefix("file://")
            assert not Path(url).is_absolute() or Path(url).is_relative_to(ex.folder), url
            assert (ex.folder / url).is_file(), url


def _media_frames(draft: Draft) -> dict[str, ClipPlan]:
    return {p.segment.id: p for plans in clip_plans(draft) for p in plans}


@pytest.mark.parametrize("key", list(PROMPTS))
def test_every_media_file_decodes_to_its_length(
    drafts: dict[str, Draft], exports: dict[tuple[str, str], ProjectExport], key: str
) -> None:
    draft, ex = drafts[key], exports[key, "otio"]
    fps = draft.canvas.fps
    plans = _media_frames(draft)
    tl = read_timeline(ex.project, "otio")
    seen = 0
    for clip in tl.find_clips():
        ref = clip.media_reference
        if not isinstance(ref, otio.schema.ExternalReference):
            continue
        plan = plans[clip.metadata["promptreel"]["id"]]
        info = probe(ex.folder / ref.target_url)
        want = frames_to_ms(plan.media_frames, fps)
        assert info.kind == ("video" if plan.track.type == TrackType.VIDEO else "audio")
        assert abs(info.duration_ms - want) <= 1000 / fps, (ref.target_url, info.duration_ms, want)
        assert round(ref.available_range.duration.value) == plan.media_frames
        seen += 1
    assert seen == sum(1 for p in plans.values() if p.track.type != TrackType.TEXT)
    assert (ex.folder / "captions.srt").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("key", list(PROMPTS))
def test_otio_import_keeps_every_segment(
    drafts: dict[str, Draft], exports: dict[tuple[str, str], ProjectExport], key: str
) -> None:
    draft, notes = import_project(exports[key, "otio"].project, Settings())
    assert notes == []
    assert draft == drafts[key]


def test_otio_holds_transitions_markers_and_text_tracks(
    drafts: dict[str, Draft], exports: dict[tuple[str, str], ProjectExport]
) -> None:
    found_transition = False
    for key, draft in drafts.items():
        tl = read_timeline(exports[key, "otio"].project, "otio")
        scenes = draft.first_track("scenes")
        assert scenes is not None
        assert len(tl.tracks.markers) == len(scenes.segments)
        kinds = [t.metadata["promptreel"]["track_type"] for t in tl.tracks]
        assert kinds == [int(t.type) for t in draft.tracks]
        for t in tl.tracks:
            for tr in t.find_children(descended_from_type=otio.schema.Transition, shallow_search=True):
                found_transition = True
                assert tr.in_offset.value + tr.out_offset.value >= 2
        if draft.first_track("captions"):
            text = next(t for t in tl.tracks if t.metadata["promptreel"]["role"] == "captions")
            assert all(c.media_reference.generator_kind == "Text" for c in text.find_clips())
    assert found_transition, "the suite's drafts have transitions between scenes"


@pytest.mark.parametrize("key", list(PROMPTS))
def test_jianying_folder_loads_back(
    drafts: dict[str, Draft], exports: dict[tuple[str, str], ProjectExport], key: str
) -> None:
    draft, ex = drafts[key], exports[key, "jianying"]
    script = read_jianying(ex.project)
    fps = draft.canvas.fps
    tracks = [t for t in script.imported_tracks]
    expected = [
        (t.type, [(p.first, p.frames) for p in plans])
        for t, plans in zip(draft.tracks, clip_plans(draft), strict=True)
        if plans
    ]
    names = {TrackType.VIDEO: "video", TrackType.AUDIO: "audio", TrackType.TEXT: "text"}
    assert [t.track_type.name for t in tracks] == [names[k] for k, _ in expected]
    for t, (_, spans) in zip(tracks, expected, strict=True):
        got = [
            (round(s.target_timerange.start * fps / 1e6), round(s.target_timerange.duration * fps / 1e6))
            for s in t.segments
        ]
        assert got == spans
    content: dict[str, Any] = json.loads((ex.project / "draft_content.json").read_text(encoding="utf-8"))
    paths = [m["path"] for kind in ("videos", "audios") for m in content["materials"][kind]]
    assert paths and all(Path(p).is_file() for p in paths)
    assert content["canvas_config"]["width"] == draft.canvas.width


def test_foreign_timeline_reports_what_a_draft_cannot_hold(tmp_path: Path) -> None:
    tl = otio.schema.Timeline(name="From an editor")
    v = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    clip = otio.schema.Clip(
        name="shot",
        media_reference=otio.schema.ExternalReference(target_url="shot.mov"),
        source_range=otio.opentime.TimeRange(
            otio.opentime.RationalTime(12, 25), otio.opentime.RationalTime(50, 25)
        ),
    )
    clip.effects.append(otio.schema.LinearTimeWarp(time_scalar=2.0))
    v.append(clip)
    tl.tracks.append(v)
    tl.tracks.append(otio.schema.Stack(name="nested"))
    tl.tracks.markers.append(otio.schema.Marker(name="note to self"))
    path = tmp_path / "foreign.otio"
    otio.adapters.write_to_file(tl, str(path))
    draft, notes = import_project(path, Settings())
    seg = draft.tracks[0].segments[0]
    assert (seg.kind, seg.start, seg.duration, seg.meta["src"], seg.meta["trim_in"]) == (
        "media",
        0,
        2000,
        "shot.mov",
        480,
    )
    assert any("LinearTimeWarp" in n for n in notes)
    assert any("nested" in n for n in notes)
    assert any("note to self" in n for n in notes)


def test_format_names_and_lane_picture(drafts: dict[str, Draft], tmp_path: Path) -> None:
    assert [format_of(x) for x in ("Premiere", "剪映", "CapCut", "final cut", "EDL")] == [
        "fcp7",
        "jianying",
        "jianying",
        "fcpxml",
        "edl",
    ]
    png = draw_lanes(to_otio(drafts["zh-9x16"]), tmp_path / "lanes.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_round_trip_of_a_draft_decoded_from_json(drafts: dict[str, Draft]) -> None:
    draft = codec.loads(codec.dumps(drafts["en-1x1"]))
    assert (
        from_otio(otio.adapters.read_from_string(otio.adapters.write_to_string(to_otio(draft)))).draft
        == draft
    )
