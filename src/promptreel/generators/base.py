"""Protocols for every generator, so real engines and fakes are interchangeable."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from promptreel.clip import AudioClip, AudioStream

__all__ = ["Speech", "WordTimings", "Word", "Music", "MusicBeds", "Illustrations"]

#: a spoken word as written, with its start and end in ms from the start of its clip
Word = tuple[str, int, int]


@runtime_checkable
class Speech(Protocol):
    def synthesize(self, text: str, *, lang: str, voice: str = "", speed: float = 1.0) -> AudioClip:
        """Spoken ``text`` (``lang`` is ``"en"`` or ``"zh"``); ``speed`` > 1 speaks faster."""
        ...


@runtime_checkable
class WordTimings(Protocol):
    """Optional for a :class:`Speech`: the clip plus when each word is spoken (for captions).

    Sentence and language-run edges come from the synthesis; words inside them are spread by
    their length, so timings are good to a syllable or two, not phoneme-exact."""

    def synthesize_timed(
        self, text: str, *, lang: str, voice: str = "", speed: float = 1.0
    ) -> tuple[AudioClip, list[Word]]: ...


@runtime_checkable
class Music(Protocol):
    def compose(self, *, style: str, duration_ms: int, seed: int = 0, tempo: int = 0) -> AudioClip:
        """Background music of at least ``duration_ms`` in ``style`` (lofi, upbeat, calm, …)."""
        ...


@runtime_checkable
class MusicBeds(Protocol):
    """Optional for a :class:`Music`: music of any length read from one bed, rendered once and
    worth caching (:meth:`bed`), so long music is never held whole."""

    def bed_ms(self, duration_ms: int) -> int:
        """How long the bed for music of ``duration_ms`` is."""
        ...

    def bed(self, *, style: str, duration_ms: int, seed: int = 0, tempo: int = 0) -> AudioClip:
        """The bed that music of ``duration_ms`` is read from (:meth:`bed_ms` long)."""
        ...

    def stream(self, bed: AudioClip, duration_ms: int) -> AudioStream:
        """Music of ``duration_ms`` (what :meth:`Music.compose` gives) read from ``bed``."""
        ...


@runtime_checkable
class Illustrations(Protocol):
    def match(self, text: str, *, lang: str = "en", exclude: tuple[str, ...] = ()) -> str | None:
        """The illustration id that best fits ``text`` (e.g. ``"fluent-emoji-flat:hot-beverage"``)."""
        ...

    def svg(self, name: str) -> str | None:
        """SVG text of an illustration id."""
        ...
