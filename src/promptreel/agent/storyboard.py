"""What a prompt asks for, before any media exists: frozen values shared by planner and director.

A :class:`Storyboard` is the planner's answer to a prompt (canvas, length, mood, look, and one
:class:`ScenePlan` per narrated scene). The director turns it into a draft. Times are integer ms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from promptreel.draft.model import Canvas

__all__ = [
    "Chart",
    "ScenePlan",
    "Storyboard",
    "MediaRef",
    "LEAD_IN_MS",
    "TAIL_MS",
    "SCENE_PAD_MS",
    "BEATS",
]

#: silence before a scene's narration starts (lets the transition land first)
LEAD_IN_MS = 300
#: silence after a scene's narration ends, before the next scene
TAIL_MS = 400
SCENE_PAD_MS = LEAD_IN_MS + TAIL_MS

#: the role a scene plays in the script; only ``body`` beats are dropped when speech runs long
BEATS = ("hook", "key", "body", "cta")


@dataclass(frozen=True, slots=True)
class Chart:
    """A simple chart drawn in a scene: ``bar`` (several values), ``counter`` (one), ``pie`` (share)."""

    type: str
    values: tuple[float, ...]
    labels: tuple[str, ...] = ()
    unit: str = ""

    def to_meta(self) -> dict[str, Any]:
        values = [int(v) if float(v).is_integer() else v for v in self.values]
        return {"type": self.type, "values": values, "labels": list(self.labels), "unit": self.unit}


@dataclass(frozen=True, slots=True)
class ScenePlan:
    """One narrated scene: its sentence(s), the words shown big, what to illustrate, and how it moves."""

    text: str
    headline: str
    keywords: tuple[str, ...] = ()
    chart: Chart | None = None
    motion: str = "gradient"
    transition: str = "crossfade"
    beat: str = "body"  # hook | key | body | cta — only body beats are dropped when speech runs long
    layout: str = "headline"  # headline | list | steps | stat | chart | quote | place | countdown | greeting | compare | cta
    items: tuple[
        tuple[str, str], ...
    ] = ()  # (text, value) rows of list, steps, place, compare and cta layouts
    value: str = ""  # stat / countdown: the figure as written
    label: str = ""
    quote: str = ""
    by: str = ""
    imagery: tuple[str, ...] = ()  # illustration queries for the greeting layout
    min_ms: int = 0  # time the viewer needs to read what is shown, when no narration paces the scene


@dataclass(frozen=True, slots=True)
class Storyboard:
    prompt: str
    lang: str
    canvas: Canvas
    target_ms: int
    mood: str
    palette: tuple[str, ...]
    music_style: str
    title: str
    subtitle: str
    voice: str
    speed: float
    seed: int
    scenes: tuple[ScenePlan, ...]
    genre: str = "promo"
    subject: str = ""
    transition_ms: int = 500
    media_hints: tuple[str, ...] = field(default=())
    music: bool = True
    narration: bool = True
    captions: bool = True
    notes: tuple[str, ...] = ()  # what the planner could not do from the prompt alone, for the reply

    @property
    def script(self) -> str:
        """The whole narration, one scene per line."""
        return "\n".join(s.text for s in self.scenes)


@dataclass(frozen=True, slots=True)
class MediaRef:
    """An uploaded file the director may place in scenes (facts as probed at upload)."""

    media_id: str
    kind: str  # "image" | "video" (others are not placed in scenes)
    duration_ms: int = 0
    width: int = 0
    height: int = 0
    name: str = ""
    src: str = ""
