"""Shared doubles for the compositor tests: icon-backed Assets, sample drafts, frame helpers."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np
import skia

from promptreel.clip import AudioClip
from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "node_modules" / "@iconify-json" / "fluent-emoji-flat" / "icons.json"

#: a tiny SVG used when the npm icon set is not installed
FALLBACK_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<circle cx="16" cy="16" r="13" fill="#ff7a59"/><rect x="10" y="10" width="12" height="12" rx="3" fill="#fff"/></svg>'
)


@functools.cache
def _icon_bodies() -> dict[str, Any]:
    if not ICONS.is_file():
        return {}
    data: dict[str, Any] = json.loads(ICONS.read_text())
    return data.get("icons", {})


class IconAssets:
    """Illustrations from the fluent-emoji-flat set (or a fallback SVG); media from a dict."""

    def __init__(self, media: dict[str, Path] | None = None) -> None:
        self.media = media or {}
        self.asked: list[str] = []

    def voice(self, segment: Segment) -> AudioClip:
        return AudioClip.silence(100, 48000)

    def music(self, segment: Segment) -> AudioClip:
        return AudioClip.silence(100, 48000)

    def illustration(self, name: str) -> str | None:
        self.asked.append(name)
        _, _, icon = name.partition(":")
        body = _icon_bodies().get(icon)
        if body is None:
            return FALLBACK_SVG if icon else None
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">{body["body"]}</svg>'

    def media_path(self, media_id: str) -> Path | None:
        return self.media.get(media_id)


SCENES: list[dict[str, Any]] = [
    {
        "headline": "Fresh coffee, every morning",
        "text": "Every great day starts with a fresh cup of coffee.",
        "icon": "fluent-emoji-flat:hot-beverage",
        "palette": ["#0F172A", "#312E81", "#F97316", "#22D3EE"],
        "motion": "gradient",
    },
    {
        "headline": "Roasted with care",
        "text": "Our beans are roasted in small batches.",
        "icon": "fluent-emoji-flat:roasted-coffee-bean",
        "palette": ["#FFF7ED", "#FED7AA", "#EA580C", "#0EA5E9"],
        "motion": "shapes",
        "transition": "crossfade",
        "transition_ms": 600,
    },
    {
        "headline": "Revenue up 12%",
        "text": "Revenue is up twelve percent this quarter.",
        "icon": "fluent-emoji-flat:chart-increasing",
        "palette": ["#111827", "#1F2937", "#FACC15", "#F472B6"],
        "motion": "particles",
        "chart": {"type": "bar", "values": [8, 10, 12], "labels": ["Q1", "Q2", "Q3"], "unit": "%"},
        "transition": "slide",
        "transition_ms": 500,
    },
    {
        "headline": "Join us today",
        "text": "Visit us today and taste the difference.",
        "icon": "fluent-emoji-flat:rocket",
        "palette": ["#7C3AED", "#DB2777", "#FDE68A"],
        "motion": "rays",
        "transition": "wipe",
        "transition_ms": 500,
    },
]


def scene_draft(
    width: int = 480,
    height: int = 270,
    scene_ms: int = 2000,
    *,
    scenes: list[dict[str, Any]] | None = None,
    captions: bool = True,
    title: bool = False,
    lang: str = "en",
    fps: int = 30,
) -> Draft:
    """Scenes back to back, a caption per scene (the scene's text), optionally a title card."""
    specs = scenes if scenes is not None else SCENES
    segs = tuple(
        Segment(f"s{i}", i * scene_ms, scene_ms, "scene", spec["headline"], Meta(spec))
        for i, spec in enumerate(specs)
    )
    tracks = [Track("t_scenes", TrackType.VIDEO, "scenes", "Video", segs)]
    if title:
        tracks.append(
            Track(
                "t_title",
                TrackType.TEXT,
                "title",
                "Title",
                (
                    Segment(
                        "ti",
                        0,
                        scene_ms,
                        "title",
                        "",
                        Meta({"text": "Morning Ritual", "subtitle": "A coffee story"}),
                    ),
                ),
            )
        )
    if captions:
        caps = tuple(
            Segment(f"c{i}", i * scene_ms, scene_ms, "caption", "", Meta({"text": spec.get("text", "")}))
            for i, spec in enumerate(specs)
        )
        tracks.append(Track("t_captions", TrackType.TEXT, "captions", "Captions", caps))
    return Draft("d1", Canvas(width, height, fps), tuple(tracks), Meta({"lang": lang, "seed": 7}))


def surface(width: int, height: int) -> tuple[np.ndarray, skia.Surface]:
    """A numpy-backed raster surface, as the engine uses (RGBA)."""
    arr = np.zeros((height, width, 4), np.uint8)
    return arr, skia.Surface(arr)


def frame(painter: Any, width: int, height: int, index: int) -> np.ndarray:
    """One drawn frame as an (h, w, 3) RGB copy."""
    arr, surf = surface(width, height)
    painter.draw(surf.getCanvas(), index)
    return arr[:, :, :3].copy()
