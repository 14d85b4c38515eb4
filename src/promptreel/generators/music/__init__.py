"""Background music: a seeded composition in ``pretty_midi``, rendered through a General MIDI
soundfont with ``tinysoundfont`` (or a small numpy synth when no soundfont, or no
``tinysoundfont``, is installed).

Each style fixes tempo, mode, instruments and patterns (pads, comping, bass, drums, a sparse
melody: :mod:`.styles`); the seed picks key, progression and variations, so the same inputs give
the same notes (:mod:`.composition`). The notes are rendered and filtered (:mod:`.synthesis`),
and the result is a stereo 48 kHz :class:`AudioClip` with gentle fades (:mod:`.midi_music`).
"""

from __future__ import annotations

from promptreel.generators.music.composition import compose_midi
from promptreel.generators.music.midi_music import LOOP_MS as LOOP_MS
from promptreel.generators.music.midi_music import LOOP_XFADE_MS as LOOP_XFADE_MS
from promptreel.generators.music.midi_music import BedStream, MidiMusic, bed_ms
from promptreel.generators.music.styles import STYLES, Style, style_name
from promptreel.generators.music.synthesis import MUSIC_RATE, find_soundfont
from promptreel.generators.music.synthesis import (
    soundfont_renderer_installed as soundfont_renderer_installed,
)

__all__ = [
    "BedStream",
    "MidiMusic",
    "Style",
    "bed_ms",
    "STYLES",
    "find_soundfont",
    "compose_midi",
    "style_name",
    "MUSIC_RATE",
]
