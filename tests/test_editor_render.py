"""The rendered MP4 reflects chat edits: vertical size after "make it vertical", lower music after "quieter"."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from promptreel.agent.editor import EditContext, RuleEditor
from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType
from promptreel.generators.fakes import FakeSpeech, fake_assets
from promptreel.render.engine import render_draft
from promptreel.render.options import RenderOptions

pytestmark = pytest.mark.slow


def tiny_draft() -> Draft:
    """3 s: one scene, a line of narration in the middle, music under everything (no fades)."""
    return Draft(
        "draft_tiny",
        Canvas(1920, 1080, 30),
        (
            Track("trk_scenes_1", TrackType.VIDEO, "scenes", "Scenes", (Segment("seg_scene_1", 0, 3000, "scene", "Hi", Meta(
                {"text": "Fresh coffee daily.", "headline": "Hi", "icon": "", "palette": ["#223344", "#AABBCC", "#FFFFFF"],
                 "motion": "gradient", "transition": "cut", "transition_ms": 0, "seed": 1})),)),
            Track("trk_narration_1", TrackType.AUDIO, "narration", "Narration", (Segment(
                "seg_voice_1", 1200, 1200, "voice", "", Meta({"text": "Fresh coffee daily.", "voice": "", "speed": 1.0,
                                                             "lang": "en"})),)),
            Track("trk_bgm_1", TrackType.AUDIO, "bgm", "Music", (Segment("seg_music_1", 0, 3000, "music", "calm", Meta(
                {"style": "calm", "tempo": 0, "seed": 1, "fade_in": 0, "fade_out": 0})),), Meta({"volume": 0.35, "duck": True})),
        ),
        Meta({"lang": "en", "voice": "", "speed": 1.0, "seed": 1, "captions": False}),
    )  # fmt: skip


def _render(d: Draft, out: Path) -> tuple[tuple[int, int], float]:
    render_draft(d, fake_assets(), out, options=RenderOptions(preset="ultrafast", crf=30, scale=1 / 6))
    with av.open(str(out)) as c:
        v = c.streams.video[0]
        size = (v.codec_context.width, v.codec_context.height)
    with av.open(str(out)) as c:
        chunks = [f.to_ndarray() for f in c.decode(audio=0)]
        rate = c.streams.audio[0].rate
    x = np.concatenate([ch if ch.ndim == 2 else ch[None] for ch in chunks], axis=1).astype(np.float64)
    mono = x.mean(axis=0)

    def rms(a_ms: int, b_ms: int) -> float:
        seg = mono[a_ms * rate // 1000 : b_ms * rate // 1000]
        return float(np.sqrt(np.mean(seg**2)))

    music_only = rms(150, 1000)
    with_voice = rms(1350, 2250)
    return size, 20 * np.log10(music_only / with_voice)


def test_vertical_and_quieter_show_in_the_mp4(tmp_path: Path) -> None:
    d0 = tiny_draft()
    size0, music0 = _render(d0, tmp_path / "before.mp4")
    ctx = EditContext(speech=FakeSpeech())
    d1 = RuleEditor().edit(d0, "make it vertical", lang="en", context=ctx).draft
    d2 = RuleEditor().edit(d1, "quieter", lang="en", context=ctx).draft
    assert d2.first_track("bgm").meta["volume"] == 0.21  # type: ignore[union-attr]
    size2, music2 = _render(d2, tmp_path / "after.mp4")
    assert size0 == (320, 180)
    assert size2 == (180, 320)
    # music against the voice: 0.35 → 0.21 is about −4.4 dB
    assert music2 < music0 - 3.0, (music0, music2)
