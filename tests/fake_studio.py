"""A fast, deterministic Studio for server tests: real drafts, a real (tiny) MP4.

Loaded by the test server through ``PROMPTREEL_STUDIO=fake_studio:FakeStudio``. Knobs (env):
``FAKE_STUDIO_STAGE_S`` — seconds each generation stage takes (default 0.3);
``FAKE_STUDIO_RENDER_S`` — extra seconds a render takes (default 0).
A prompt containing ``FAIL`` raises during generation; ``SLOW`` makes stages take 3 s.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from promptreel.agent.editor import EditOutcome, ToolCall
from promptreel.draft import Canvas, Draft, Segment, Track, TrackType

__all__ = ["FakeStudio"]


def _seconds(prompt: str) -> int:
    m = re.search(r"(\d{1,3})\s*-?\s*(?:second|sec|s\b|秒)", prompt)
    return max(2, min(120, int(m.group(1)))) if m else 10


class FakeStudio:
    def __init__(self) -> None:
        self.stage_s = float(os.environ.get("FAKE_STUDIO_STAGE_S", "0.3"))
        self.render_s = float(os.environ.get("FAKE_STUDIO_RENDER_S", "0"))

    def generate_draft(
        self,
        prompt: str,
        *,
        media: Sequence[Any] = (),
        on_stage: Callable[[str, Draft], None] | None = None,
        **_: Any,
    ) -> Draft:
        delay = 3.0 if "SLOW" in prompt else self.stage_s
        total = _seconds(prompt) * 1000
        n = max(1, total // 5000)
        dur = total // n
        scenes = tuple(
            Segment(
                f"seg_s{i}",
                i * dur,
                dur if i < n - 1 else total - i * dur,
                "scene",
                f"Scene {i + 1}",
                {"text": f"Line {i + 1} about {prompt[:30]}", "headline": f"Scene {i + 1}"},
            )
            for i in range(n)
        )
        voice = tuple(
            Segment(f"seg_v{i}", s.start, s.duration, "voice", "", {"text": s.meta["text"]})
            for i, s in enumerate(scenes)
        )
        d1 = Draft(
            "draft_fake",
            Canvas(1920, 1080, 30),
            (
                Track("trk_scenes", TrackType.VIDEO, "scenes", "Video", scenes),
                Track("trk_voice", TrackType.AUDIO, "narration", "Voiceover", voice),
            ),
            {"title": "Fake", "prompt": prompt[:200], "lang": "en"},
        )
        time.sleep(delay)
        if "FAIL" in prompt:
            raise RuntimeError("fake engine failure")
        if on_stage:
            on_stage("raw_cut", d1)
        time.sleep(delay)
        d2 = d1.replace(
            tracks=(
                *d1.tracks,
                Track(
                    "trk_bgm",
                    TrackType.AUDIO,
                    "bgm",
                    "BGM",
                    (Segment("seg_m", 0, total, "music", "Lo-fi", {"style": "lofi"}),),
                    {"volume": 0.35},
                ),
                Track(
                    "trk_title",
                    TrackType.TEXT,
                    "title",
                    "Title",
                    (Segment("seg_t", 0, min(3000, total), "title", "", {"text": "Fake"}),),
                ),
            )
        )
        if on_stage:
            on_stage("post", d2)
        return d2

    def edit_draft(
        self,
        draft: Draft,
        message: str,
        *,
        lang: str = "en",
        media: Sequence[Any] = (),
        history: Any = None,
        **_: Any,
    ) -> EditOutcome:
        if "vertical" in message or "竖" in message:
            new = draft.replace(canvas=Canvas(1080, 1920, draft.canvas.fps))
            call = ToolCall("call_1", "set_aspect", {"aspect": "9:16"})
            return EditOutcome(new, (call,), ({"ok": True},), "Made it vertical (1080×1920).", True, False)
        if "impossible" in message:
            from promptreel.errors import InvalidRequest

            raise InvalidRequest("I can't do that: there is no such scene.")
        return EditOutcome(draft, (), (), "", False, False)

    def render_file(
        self,
        draft: Draft,
        out: Path,
        *,
        progress: Callable[[float, str], None] | None = None,
        stream: bool = False,
        **_: Any,
    ) -> Any:
        w = max(16, draft.canvas.width // 12 // 2 * 2)
        h = max(16, draft.canvas.height // 12 // 2 * 2)
        fps = 10
        frames = max(1, round(draft.duration * fps / 1000))
        # streamed like the real renderer's previews: fragments written in place, never rewritten
        flags = (
            {"movflags": "+frag_keyframe+empty_moov+default_base_moof", "flush_packets": "1"}
            if stream
            else {}
        )
        with av.open(str(out), "w", format="mp4", options=flags) as c:
            st = c.add_stream("libx264", rate=fps)
            st.width, st.height, st.pix_fmt = w, h, "yuv420p"
            st.time_base = Fraction(1, fps)
            st.options = {"preset": "ultrafast"}
            for i in range(frames):
                img = np.full((h, w, 3), (i * 7) % 255, dtype=np.uint8)
                f = av.VideoFrame.from_ndarray(img, format="rgb24")
                f.pts = i
                for p in st.encode(f):
                    c.mux(p)
                if progress and i % 10 == 0:
                    progress(i / frames, "frames")
                    if self.render_s:
                        time.sleep(self.render_s * 10 / frames)
            for p in st.encode():
                c.mux(p)
        if progress:
            progress(1.0, "done")
        return {"path": str(out)}
