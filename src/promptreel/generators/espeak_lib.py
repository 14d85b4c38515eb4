"""espeak-ng through its C library (``libespeak-ng``), for the word events the command line hides.

The library renders the same samples as ``espeak-ng --stdout`` and reports where each word
starts in them, so Mandarin (pinyin syllables) and the English runs inside it get exact word
onsets. The library keeps global state: one synthesis at a time, under a lock. ``None`` from
:func:`espeak_library` means it is not installed; callers fall back to the command line.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["EspeakLibrary", "espeak_library", "Synthesis"]

_SYNCHRONOUS = 2  # AUDIO_OUTPUT_SYNCHRONOUS
_WORD = 1  # espeakEVENT_WORD
_RATE = 1  # espeakRATE
_PITCH = 3  # espeakPITCH, 0-100 (50 is the voice's own)
_RANGE = 4  # espeakRANGE, 0-100 (50 is the voice's own)
_WORDGAP = 7  # espeakWORDGAP, pause between words in 10 ms units
_POS_CHARACTER = 1
_CHARS_UTF8 = 1


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),
    ]


_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass(frozen=True)
class Synthesis:
    """Mono float32 samples and, per word, ``(character offset in the text, first sample)``."""

    samples: npt.NDArray[np.float32]
    rate: int
    words: list[tuple[int, int]]


class EspeakLibrary:
    def __init__(self, lib: Any) -> None:
        self._lib = lib
        self._lock = threading.Lock()
        self.rate = int(lib.espeak_Initialize(_SYNCHRONOUS, 0, None, 0))
        if self.rate <= 0:
            raise OSError("espeak-ng could not start")
        self._chunks: list[npt.NDArray[np.int16]] = []
        self._words: list[tuple[int, int]] = []
        self._callback = _CALLBACK(self._receive)  # kept alive as long as the library
        lib.espeak_SetSynthCallback(self._callback)

    def _receive(self, wav: Any, n: int, events: Any) -> int:
        if wav and n > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
        i = 0
        while events[i].type != 0:
            if events[i].type == _WORD:
                self._words.append((int(events[i].text_position) - 1, int(events[i].sample)))
            i += 1
        return 0

    def synthesize(
        self, voice: str, text: str, wpm: int, *, pitch: int = 50, pitch_range: int = 50, word_gap: int = 0
    ) -> Synthesis:
        """``text`` spoken by ``voice`` at ``wpm``; ``pitch`` and ``pitch_range`` are 0-100
        (50: the voice's own), ``word_gap`` an extra pause between words in 10 ms units. Every
        parameter is set on every call: the library's state is shared by all callers."""
        data = text.encode("utf-8")
        with self._lock:
            self._chunks, self._words = [], []
            if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise OSError(f"espeak-ng has no voice {voice!r}")
            self._lib.espeak_SetParameter(_RATE, int(wpm), 0)
            self._lib.espeak_SetParameter(_PITCH, int(pitch), 0)
            self._lib.espeak_SetParameter(_RANGE, int(pitch_range), 0)
            self._lib.espeak_SetParameter(_WORDGAP, int(word_gap), 0)
            if (
                self._lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
                != 0
            ):
                raise OSError("espeak-ng synthesis failed")
            pcm = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
            words = list(self._words)
        return Synthesis(pcm.astype(np.float32) / 32768.0, self.rate, words)


@lru_cache(maxsize=1)
def espeak_library() -> EspeakLibrary | None:
    """The shared library binding, or ``None`` when libespeak-ng is not installed."""
    name = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
    try:
        return EspeakLibrary(ctypes.CDLL(name))
    except OSError:
        return None
