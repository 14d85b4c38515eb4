"""What the fake server's agent does in a turn: scripted steps, and the drafts it makes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType
from promptreel.draft import ops as draft_ops

__all__ = ["Done", "DraftEdit", "Quiet", "Say", "Step", "Tool", "Turn", "generated_draft"]

# ---------------------------------------------------------------------------- scripted turns


@dataclass(frozen=True)
class Say:
    text: str
    partial: bool = False  # a streamed delta (ADK style); the full text may follow


@dataclass(frozen=True)
class Tool:
    name: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DraftEdit:
    fn: Callable[[Draft | None], Draft]


@dataclass(frozen=True)
class Quiet:
    """No event for ``seconds`` (heartbeats only)."""

    seconds: float


@dataclass(frozen=True)
class Done:
    pass


Step = Say | Tool | DraftEdit | Quiet | Done


@dataclass
class Turn:
    steps: list[Step]
    drop_after: int | None = None  # close the first connection abruptly after this many events
    cost: int = 0


def generated_draft(title: str = "Morning Coffee", *, stage: int = 2) -> Draft:
    """A small two-scene draft like the generator makes (stage 1 raw cut, stage 2 post)."""
    scenes = Track(
        "trk_scenes",
        TrackType.VIDEO,
        "scenes",
        "Video",
        (
            Segment(
                "seg_1", 0, 5000, "scene", "Beans", Meta({"headline": "Fresh beans", "text": "Fresh beans."})
            ),
            Segment(
                "seg_2", 5000, 5000, "scene", "Cup", Meta({"headline": "The cup", "text": "The perfect cup."})
            ),
        ),
    )
    voice = Track(
        "trk_voice",
        TrackType.AUDIO,
        "narration",
        "Voiceover",
        (Segment("seg_3", 0, 10000, "voice", "", Meta({"text": "Fresh beans. The perfect cup."})),),
    )
    tracks = [scenes, voice]
    if stage >= 2:
        tracks.append(
            Track(
                "trk_bgm",
                TrackType.AUDIO,
                "bgm",
                "BGM",
                (Segment("seg_4", 0, 10000, "music", "Lo-fi", Meta({"style": "lofi"})),),
                Meta({"volume": 0.35}),
            )
        )
        tracks.append(
            Track(
                "trk_title",
                TrackType.TEXT,
                "title",
                "Title",
                (Segment("seg_5", 0, 3000, "title", "", Meta({"text": title})),),
            )
        )
    return Draft("draft_1", Canvas(1920, 1080, 30), tuple(tracks), Meta({"title": title, "lang": "en"}))


def _quieter_music(d: Draft | None) -> Draft:
    base = d or generated_draft()
    bgm = base.first_track("bgm")
    if bgm is None:
        return base
    return draft_ops.update_track(base, bgm.id, meta={"volume": 0.2})


def _default_turn(text: str) -> Turn:
    low = text.lower()
    if any(w in low for w in ("generate", "video about", "make a video", "生成")):
        return Turn(
            [
                Say("I'll make that now. "),
                Tool("plan_storyboard", {"prompt": text}),
                DraftEdit(lambda d: generated_draft(stage=1)),
                Say("The raw cut is ready; adding music and a title. "),
                Tool("post_production"),
                DraftEdit(lambda d: generated_draft(stage=2)),
                Say('Your 10-second video "Morning Coffee" is ready.'),
                Done(),
            ],
            cost=60,
        )
    return Turn([Tool("edit", {"instruction": text}), DraftEdit(_quieter_music), Done()], cost=20)
