"""The music styles: how each sounds (tempo, mode, keys, progressions, instruments and
patterns), and the mood words that name them."""

from __future__ import annotations

from dataclasses import dataclass

from promptreel.errors import InvalidRequest

__all__ = ["STYLES", "Style", "resolve_style", "style_name"]


@dataclass(frozen=True, slots=True)
class Style:
    """How a style sounds. Programs are General MIDI numbers (0-based); ``None`` = no part."""

    tempo: int
    minor: bool
    keys: tuple[int, ...]  # tonic pitch classes to choose from
    progressions: tuple[tuple[int, ...], ...]  # scale degrees (0 = tonic), one chord per bar
    sevenths: bool
    pad: int | None
    comp: int | None
    comp_pattern: str  # block | arp | offbeat | eighths | strum | pulse
    bass: int | None
    bass_pattern: str  # whole | root5 | pulse | octave | syncopated
    lead: int | None
    drums: str  # none | soft | lofi | pop | four | cinematic
    swing: float = 0.0
    brightness: float = 1.0  # < 1 low-passes the mix (lofi)
    reverb: float = 0.18


STYLES: dict[str, Style] = {
    "lofi": Style(
        78,
        False,
        (2, 5, 9, 0),
        ((1, 4, 0, 5), (3, 2, 1, 4), (5, 1, 4, 0)),
        True,
        89,
        4,
        "block",
        33,
        "syncopated",
        11,
        "lofi",
        swing=0.12,
        brightness=0.45,
    ),
    "upbeat": Style(
        118,
        False,
        (0, 7, 2, 9),
        ((0, 4, 5, 3), (5, 3, 0, 4), (0, 5, 3, 4)),
        False,
        50,
        1,
        "offbeat",
        33,
        "pulse",
        80,
        "pop",
    ),
    "calm": Style(
        66,
        False,
        (0, 5, 7, 2),
        ((0, 3, 5, 4), (0, 5, 3, 4), (3, 0, 4, 5)),
        True,
        88,
        0,
        "arp",
        32,
        "whole",
        None,
        "none",
        reverb=0.3,
    ),
    "cinematic": Style(
        76,
        True,
        (2, 9, 0, 4),
        ((0, 5, 2, 6), (0, 3, 5, 4), (5, 3, 0, 6)),
        False,
        48,
        45,
        "eighths",
        43,
        "whole",
        52,
        "cinematic",
        reverb=0.32,
    ),
    "happy": Style(
        124,
        False,
        (0, 7, 5, 2),
        ((0, 3, 4, 0), (0, 4, 5, 3), (3, 4, 0, 5)),
        False,
        48,
        12,
        "arp",
        33,
        "octave",
        24,
        "pop",
    ),
    "corporate": Style(
        108,
        False,
        (0, 7, 2, 5),
        ((0, 4, 5, 3), (5, 3, 0, 4), (3, 0, 4, 5)),
        False,
        49,
        0,
        "eighths",
        33,
        "pulse",
        27,
        "soft",
    ),
    "warm": Style(
        88,
        False,
        (7, 2, 0, 5),
        ((0, 2, 3, 4), (0, 5, 3, 4), (3, 0, 1, 4)),
        True,
        89,
        24,
        "strum",
        35,
        "root5",
        73,
        "soft",
        swing=0.06,
        brightness=0.7,
        reverb=0.24,
    ),
    "energetic": Style(
        128,
        True,
        (9, 4, 2, 7),
        ((5, 3, 0, 4), (0, 5, 3, 6), (0, 3, 4, 4)),
        False,
        90,
        81,
        "pulse",
        38,
        "octave",
        84,
        "four",
        brightness=1.0,
        reverb=0.14,
    ),
}
_ALIASES = {
    "inspiring": "cinematic",
    "emotional": "cinematic",
    "mysterious": "cinematic",
    "dark": "cinematic",
    "romantic": "warm",
    "hopeful": "warm",
    "acoustic": "warm",
    "sad": "calm",
    "dreamy": "calm",
    "elegant": "calm",
    "luxury": "calm",
    "funky": "upbeat",
    "motivational": "upbeat",
    "uplifting": "upbeat",
    "electronic": "energetic",
    "dance": "energetic",
    "rock": "energetic",
    "sport": "energetic",
    "jazz": "lofi",
    "festive": "happy",
    "cute": "happy",
    "kids": "happy",
    "tech": "corporate",
    "serious": "corporate",
    "chill": "lofi",
    "lo-fi": "lofi",
    "relaxed": "calm",
    "peaceful": "calm",
    "ambient": "calm",
    "epic": "cinematic",
    "dramatic": "cinematic",
    "fun": "happy",
    "playful": "happy",
    "joyful": "happy",
    "business": "corporate",
    "professional": "corporate",
    "cozy": "warm",
    "gentle": "warm",
    "exciting": "energetic",
    "fast": "energetic",
    "pop": "upbeat",
    "bright": "upbeat",
}


def style_name(name: str) -> str | None:
    """The canonical style for a style or mood word (``"chill"`` → ``"lofi"``), or ``None``."""
    key = (name or "").strip().lower()
    key = _ALIASES.get(key, key)
    return key if key in STYLES else None


def resolve_style(name: str) -> tuple[str, Style]:
    """The canonical name and :class:`Style` for a style or mood word (empty: ``"calm"``);
    :class:`InvalidRequest` when there is none."""
    key = (name or "calm").strip().lower()
    key = _ALIASES.get(key, key)
    if key not in STYLES:
        raise InvalidRequest(f"Unknown music style {name!r}; choose one of {', '.join(STYLES)}.")
    return key, STYLES[key]
