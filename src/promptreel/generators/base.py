"""Protocols for every generator, so real engines and fakes are interchangeable."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from promptreel.clip import AudioClip

__all__ = ["Speech", "WordTimings", "Word", "Music", "Illustrations"]

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
class Illustrations(Protocol):
    def match(self, text: str, *, lang: str = "en", exclude: tuple[str, ...] = ()) -> str | None:
        """The illustration id that best fits ``text`` (e.g. ``"fluent-emoji-flat:hot-beverage"``)."""
        ...

    def svg(self, name: str) -> str | None:
        """SVG text of an illustration id."""
        ...
