"""What the renderer needs from the outside world, as a Protocol (implemented in ``generators``)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from promptreel.clip import AudioClip, AudioStream
from promptreel.draft import Segment

__all__ = ["Assets", "MusicStreams", "SoundKeys"]


class Assets(Protocol):
    """Resolves a draft's declarative references into media. Implementations cache by content."""

    def voice(self, segment: Segment) -> AudioClip:
        """Narration audio for a ``voice`` segment (synthesised from ``meta.text`` or loaded from ``src``)."""
        ...

    def music(self, segment: Segment) -> AudioClip:
        """Background music for a ``music`` segment, at least ``segment.duration`` long."""
        ...

    def illustration(self, name: str) -> str | None:
        """SVG text for an illustration id such as ``"fluent-emoji-flat:hot-beverage"``."""
        ...

    def media_path(self, media_id: str) -> Path | None:
        """Local file of an uploaded image, video or audio (``media_id`` or ``src`` in meta)."""
        ...


@runtime_checkable
class MusicStreams(Protocol):
    """Optional for :class:`Assets`: music read a piece at a time, so a bed as long as the
    video is never held whole (the same samples as :meth:`Assets.music`)."""

    def music_stream(self, segment: Segment) -> AudioStream: ...


@runtime_checkable
class SoundKeys(Protocol):
    """Optional for :class:`Assets`: a key for the audio a segment resolves to (the speech
    engine and voice, the music engine, the uploaded file's size and time), or ``None`` when it
    cannot be told without making it. A soundtrack whose every segment has a key is kept and
    reused after edits that leave the sound alone."""

    def sound_key(self, segment: Segment) -> str | None: ...
