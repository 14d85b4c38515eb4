"""The fast fake studio, placing uploaded photos on the timeline (a ``media`` lane over the first
scene, filling the frame) the way the real director does. ``PROMPTREEL_STUDIO=fake_studio_media:MediaStudio``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fake_studio import FakeStudio
from promptreel.draft import Draft, Segment, Track, TrackType

__all__ = ["MediaStudio"]


class MediaStudio(FakeStudio):
    def generate_draft(
        self,
        prompt: str,
        *,
        media: Sequence[Any] = (),
        on_stage: Callable[[str, Draft], None] | None = None,
        **kw: Any,
    ) -> Draft:
        draft = super().generate_draft(prompt, media=media, on_stage=on_stage, **kw)
        photos = [m for m in media if getattr(m, "kind", "") == "image"]
        if not photos:
            return draft
        scenes = draft.first_track("scenes")
        assert scenes is not None
        segs = tuple(
            Segment(
                f"seg_media{i}",
                scene.start,
                scene.duration,
                "media",
                m.name or m.media_id,
                {
                    "media_id": m.media_id,
                    "src": m.media_id,
                    "media_kind": "image",
                    "fit": "cover",
                    "kenburns": False,
                },
            )
            for i, (scene, m) in enumerate(zip(scenes.segments, photos, strict=False))
        )
        track = Track("trk_media", TrackType.VIDEO, "media", "Media", segs)
        tracks = list(draft.tracks)
        tracks.insert(1, track)
        return draft.replace(tracks=tuple(tracks))
